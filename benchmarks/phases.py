"""Where a build spends its time: the extension against the plain twin, by phase.

    python benchmarks/phases.py -n 200      # writes benchmarks/profile.rst

Runs one fresh html build of each project under ``cProfile`` (in a fresh
process) and reads the cumulative time of the functions that make up a
Sphinx build's phases. Profiling slows everything down, so the seconds are
larger than in the timing tables; the split between phases is what this
is for.
"""

from __future__ import annotations

import argparse
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import WORK, rst_table  # noqa: E402
from generate import generate  # noqa: E402

_PROFILED = r"""
import cProfile, sys
from sphinx.cmd.build import build_main
profile = cProfile.Profile()
profile.runcall(build_main, sys.argv[2:])
profile.dump_stats(sys.argv[1])
"""

#: (phase, file the function is in, function name); the first row is the whole build.
PHASES = (
    ("whole build", "sphinx/application.py", "build"),
    ("reading documents", "sphinx/builders/__init__.py", "read"),
    ("post-transforms (links resolved, tables made)", "sphinx/environment/__init__.py",
     "apply_post_transforms"),
    ("  of which the extension's tables and their links", "sphinx_mlrefarch/transforms.py",
     "run"),
    ("writing the pages", "sphinx/builders/html/__init__.py", "write_doc"),
    ("  of which page templates", "sphinx/builders/html/__init__.py", "handle_page"),
    ("  of which the search index", "sphinx/builders/html/__init__.py", "index_page"),
    ("doctree pickles written", "sphinx/builders/__init__.py", "write_doctree"),
    ("mlrefarch.json written", "sphinx_mlrefarch/export.py", "write_export"),
)  # fmt: skip


def profiled(src: Path, out: Path) -> pstats.Stats:
    if out.exists():
        shutil.rmtree(out)
    stats = out.with_suffix(".prof")
    args = ["-q", "-E", "-b", "html", str(src), str(out), "-d", str(out / ".doctrees")]
    subprocess.run([sys.executable, "-c", _PROFILED, str(stats), *args], check=True)
    return pstats.Stats(str(stats))


def cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    total = 0.0
    for (filename, _line, func), row in stats.stats.items():  # type: ignore[attr-defined]
        if func == name and filename.replace("\\", "/").endswith(path):
            total += row[3]
    return total


def table(count: int) -> str:
    ext = profiled(generate(WORK / f"prof-src-ext-{count}", count), WORK / f"prof-ext-{count}")
    base = profiled(
        generate(WORK / f"prof-src-base-{count}", count, "plain"), WORK / f"prof-base-{count}"
    )
    rows = []
    whole = None
    for label, path, name in PHASES:
        a, b = cumulative(ext, path, name), cumulative(base, path, name)
        if whole is None:
            whole = a - b
        share = f"{100 * (a - b) / whole:.0f}%" if whole else ""
        rows.append((label, f"{a:.1f}", f"{b:.1f}", f"{a - b:+.1f}", share))
    head = (f"N = {count}, profiled", "s extension", "s plain", "difference",
            "share of the difference")  # fmt: skip
    return rst_table(head, rows) + (
        "\nOne profiled build of each (``python benchmarks/phases.py``); cumulative "
        "seconds, so nested rows overlap.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--count", type=int, default=200)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "profile.rst")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    text = table(args.count)
    print(text)
    args.output.write_text(text)


if __name__ == "__main__":
    main()
