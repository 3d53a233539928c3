"""The office benchmark: reading 50 projects' files against building them all.

An architecture office with 50 teams of 20 solutions each can either import
the ``mlrefarch.json`` each team's CI writes (``mlrefarch_import``) or hold
all 1,000 solutions as documents of one project. Both office builds show
the same pages (portfolio matrix, constraint list, reference model with
back-links, technology inventory) over the same solutions; this measures a
fresh html build of each, and ``mlrefarch diff`` of two 1,000-solution
files against ``mlrefarch --version`` (which is only start-up).

The team projects are built first (not measured: in an office each team's
CI does that, in parallel).
"""

from __future__ import annotations

import json
import shutil
import statistics
from collections.abc import Callable
from pathlib import Path

from common import WORK, Result, ratio, rst_table, run_command, sphinx
from generate import generate

TEAMS = 50
PER_TEAM = 20

PAGES = {
    "portfolio": "Portfolio\n=========\n\n.. abb-coverage::\n   :solutions: all\n",
    "constraints": "Constraints\n===========\n\n.. constraint-list::\n",
    "book": "Reference\n=========\n\n.. reference-model::\n",
    "inventory": "Inventory\n=========\n\n.. sbb-usage::\n   :solutions: all\n",
}
CONF = 'project = "office"\nextensions = ["sphinx_mlrefarch"]\nsuppress_warnings = ["mlrefarch"]\n'


def _office_pages(target: Path, extra: list[str]) -> None:
    for name, text in PAGES.items():
        (target / f"{name}.rst").write_text(text)
    entries = "".join(f"   {name}\n" for name in [*PAGES, *extra])
    toctree = f".. toctree::\n   :maxdepth: 1\n\n{entries}"
    (target / "index.rst").write_text(f"Office\n======\n\n{toctree}")


def prepare() -> tuple[Path, Path]:
    """The importing office and the all-in-one office, team projects built."""
    teams = []
    for team in range(TEAMS):
        src = generate(WORK / "office" / f"team-{team:02d}", PER_TEAM, seed=team,
                       start=team * PER_TEAM)  # fmt: skip
        teams.append(src)
    for src in teams:  # each team's CI: an html build, so the file has page addresses
        sphinx(src, src / "_build" / "html")
    importing = WORK / "office" / "importing"
    if importing.exists():
        shutil.rmtree(importing)
    importing.mkdir()
    imports = {
        f"team-{team:02d}": {
            "source": str(src / "_build" / "html" / "mlrefarch.json"),
            "url": f"https://team-{team:02d}.example.org/",
        }
        for team, src in enumerate(teams)
    }
    (importing / "conf.py").write_text(CONF + f"mlrefarch_import = {imports!r}\n")
    _office_pages(importing, [])
    together = WORK / "office" / "all-in-one"
    if together.exists():
        shutil.rmtree(together)
    (together / "solutions").mkdir(parents=True)
    (together / "conf.py").write_text(CONF)
    names = []
    for src in teams:
        for doc in sorted((src / "solutions").glob("*.rst")):
            shutil.copy(doc, together / "solutions" / doc.name)
            names.append(f"solutions/{doc.stem}")
    _office_pages(together, names)
    return importing, together


def _changed_copy(together: Path, out: Path) -> Path:
    """A second 1,000-solution file: one block status changed in each team's first solution."""
    for team in range(TEAMS):
        doc = together / "solutions" / f"s{team * PER_TEAM:04d}.rst"
        doc.write_text(doc.read_text().replace(":status: addressed", ":status: planned", 1))
    sphinx(together, out, fresh=False)
    return out / "mlrefarch.json"


def measure(say: Callable[[str], None]) -> dict:
    """Office build figures (one repetition each; the diff timings are medians of 5)."""
    say("  building the 50 team projects (not measured) ...")
    importing, together = prepare()
    say("  office builds ...")
    imp = sphinx(importing, WORK / "office" / "out-importing")
    one = sphinx(together, WORK / "office" / "out-all-in-one")
    count = len(json.loads((WORK / "office" / "out-importing" / "mlrefarch.json").read_text())
                ["imports"])  # fmt: skip
    solutions = json.loads((WORK / "office" / "out-all-in-one" / "mlrefarch.json").read_text())
    assert count == TEAMS and len(solutions["solutions"]) == TEAMS * PER_TEAM
    old = WORK / "office" / "old-mlrefarch.json"
    shutil.copy(WORK / "office" / "out-all-in-one" / "mlrefarch.json", old)
    new = _changed_copy(together, WORK / "office" / "out-all-in-one")
    say("  diff against --version ...")
    diffs: list[Result] = []
    versions: list[Result] = []
    for _ in range(5):
        diffs.append(run_command("cli", ["diff", str(old), str(new)], ok=(0, 1)))
        versions.append(run_command("cli", ["--version"]))
    return {
        "importing": imp,
        "all_in_one": one,
        "diff": statistics.median(r.process_seconds for r in diffs),
        "version": statistics.median(r.process_seconds for r in versions),
    }


def table(r: dict) -> str:
    imp: Result = r["importing"]
    one: Result = r["all_in_one"]
    return "\n".join([
        rst_table(
            ("office, 1,000 solutions", "importing / all-in-one", "s importing / all-in-one",
             "peak MB importing / all-in-one"),
            [("fresh html build", ratio(imp.seconds, one.seconds),
              f"{imp.seconds:.1f} / {one.seconds:.1f}", f"{imp.peak_mb:.0f} / {one.peak_mb:.0f}")],
        ),
        rst_table(
            ("mlrefarch diff, two 1,000-solution files", "diff / --version", "s diff / --version"),
            [("50 solutions changed, whole process", ratio(r["diff"], r["version"]),
              f"{r['diff']:.2f} / {r['version']:.2f}")],
        ),
    ])  # fmt: skip
