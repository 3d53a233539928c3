"""Benchmark sphinx-mlrefarch against plain Sphinx on the same parsing work.

    python3 dev.py bench                      # everything, as in the docs
    python benchmarks/run.py -n 50 -r 1 --large 0 --no-office   # a quick look
    python benchmarks/run.py --baseline REV   # also: is the output of REV identical?
    python benchmarks/run.py --code REV -o benchmarks/results-before.rst
    python benchmarks/phases.py -n 200        # where the time goes, by phase (cProfile)

Every figure of the performance page comes from one run of this script:

* per N (default 50, 200, 500; three alternating repetitions, medians):
  fresh ``-E -b html`` with the extension against the *plain* twin
  (directives replaced by their text, computed tables left out) and the
  *equivalent* twin (the same tables and links written by hand); ``-j 2``
  against serial; ``-b mlrefarch`` and ``mlrefarch check`` against html;
  an incremental rebuild after editing one solution's data (a status)
  against the full build, and how many pages it wrote; one after a prose edit
  of another solution (no data changes); peak resident memory of extension,
  plain and equivalent;
* a large N (default 2000, one repetition): extension and plain html;
* start-up: a one-document project, whole process, extension against plain,
  with the absolute difference;
* the office (:mod:`office`): 50 imported projects against the same 1,000
  solutions built in one project, and ``mlrefarch diff`` against
  ``mlrefarch --version``;
* with ``--baseline REV``: the HTML pages and ``mlrefarch.json`` of the
  N = 50 project built by revision REV and by this tree, byte for byte.

Each build runs in a fresh process (:mod:`common`). Machines here are
noisy: compare ratios from one run, not seconds across runs. The tables are
printed and written to ``benchmarks/results.rst``, which the docs include.
"""

from __future__ import annotations

import argparse
import filecmp
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import office  # noqa: E402
from common import WORK, check, ratio, rst_table, sphinx  # noqa: E402
from generate import generate  # noqa: E402

REPO = HERE.parent


#: What the prose edit adds to a solution page: text Sphinx shows, no data of the extension.
PROSE = "\nA closing paragraph of prose, added to measure an edit that changes no data.\n"


def measure(count: int, reps: int) -> dict:
    """Every per-N figure, ``reps`` alternating repetitions."""
    ext = generate(WORK / f"ext-{count}", count, "extension")
    base = generate(WORK / f"base-{count}", count, "plain")
    equiv = generate(WORK / f"equiv-{count}", count, "equivalent")
    keys = ("ext", "base", "equiv", "ext_j2", "mlrefarch", "check", "incremental",
            "incremental_prose", "incremental_base")  # fmt: skip
    times: dict[str, list[float]] = {k: [] for k in keys}
    peaks: dict[str, list[float]] = {"ext": [], "base": [], "equiv": []}
    rewritten: list[int] = []
    edited = ext / "solutions" / "s0001.rst"
    original = edited.read_text()
    edited_base = base / "solutions" / "s0001.rst"
    original_base = edited_base.read_text()
    prosed = ext / "solutions" / "s0002.rst"
    original_prose = prosed.read_text()
    for rep in range(reps):
        order = [("ext", ext), ("base", base), ("equiv", equiv)]
        for name, src in order[rep % 3 :] + order[: rep % 3]:  # alternate who goes first
            result = sphinx(src, WORK / f"out-{name}-{count}")
            times[name].append(result.seconds)
            if name in peaks:
                peaks[name].append(result.peak_mb)
        times["ext_j2"].append(sphinx(ext, WORK / f"out-j2-{count}", jobs=2).seconds)
        times["mlrefarch"].append(sphinx(ext, WORK / f"out-ml-{count}", "mlrefarch").seconds)
        times["check"].append(check(ext, WORK / f"out-check-{count}").seconds)
        # incremental: the extension's html output is up to date; edit one solution
        edited.write_text(
            original.replace(":status: planned", ":status: addressed", 1)
            if rep % 2 == 0
            else original
        )
        stamp = time.time()
        time.sleep(0.05)
        out = WORK / f"out-ext-{count}"
        times["incremental"].append(sphinx(ext, out, fresh=False).seconds)
        rewritten.append(common.written_since(out, stamp))
        # a prose edit of another solution (a paragraph, no declaration): the data stays
        prosed.write_text(original_prose + PROSE if rep % 2 == 0 else original_prose)
        times["incremental_prose"].append(sphinx(ext, out, fresh=False).seconds)
        # the same edit in the plain twin: what Sphinx alone needs for it
        edited_base.write_text(
            original_base.replace(":Status: planned", ":Status: addressed", 1)
            if rep % 2 == 0
            else original_base
        )
        out = WORK / f"out-base-{count}"
        times["incremental_base"].append(sphinx(base, out, fresh=False).seconds)
    edited.write_text(original)
    edited_base.write_text(original_base)
    prosed.write_text(original_prose)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "n": count,
        "seconds": med,
        "rewritten": statistics.median(rewritten),
        "peak_ext": statistics.median(peaks["ext"]),
        "peak_base": statistics.median(peaks["base"]),
        "peak_equiv": statistics.median(peaks["equiv"]),
    }


def measure_large(count: int) -> dict:
    """Extension and plain html at a large N, once each."""
    ext = generate(WORK / f"ext-{count}", count, "extension")
    base = generate(WORK / f"base-{count}", count, "plain")
    a = sphinx(ext, WORK / f"out-ext-{count}")
    b = sphinx(base, WORK / f"out-base-{count}")
    return {"n": count, "ext": a.seconds, "base": b.seconds,
            "peak_ext": a.peak_mb, "peak_base": b.peak_mb}  # fmt: skip


def measure_startup(reps: int) -> dict:
    """A one-document project: whole-process wall time, extension and plain."""
    ext = generate(WORK / "ext-startup", 1, "extension")
    base = generate(WORK / "base-startup", 1, "plain")
    for src in (ext, base):  # one page, nothing else: what start-up costs
        (src / "index.rst").write_text((src / "solutions" / "s0000.rst").read_text())
        for name in ("portfolio.rst", "book.rst"):
            (src / name).unlink()
        (src / "solutions" / "s0000.rst").unlink()
    times: dict[str, list[float]] = {"ext": [], "base": []}
    for rep in range(reps):
        pair = [("ext", ext), ("base", base)]
        for name, src in pair if rep % 2 == 0 else pair[::-1]:
            times[name].append(sphinx(src, WORK / f"out-startup-{name}").process_seconds)
    return {k: statistics.median(v) for k, v in times.items()}


def identical(rev: str, count: int = 50) -> str:
    """Build the N-solution project with revision ``rev`` and with this tree; compare."""
    tree = WORK / f"rev-{rev}"
    if not tree.exists():
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), rev],
            check=True,
            capture_output=True,
        )
    src = generate(WORK / f"ext-identical-{count}", count, "extension")
    before, after = WORK / "out-identical-before", WORK / "out-identical-after"
    saved, common.CODE = common.CODE, tree
    try:
        sphinx(src, before)
    finally:
        common.CODE = saved
    sphinx(src, after)
    files = sorted(
        p.relative_to(after)
        for p in after.rglob("*")
        if p.is_file() and (p.suffix == ".html" or p.name in ("mlrefarch.json", "searchindex.js"))
    )
    differ = [str(p) for p in files if not filecmp.cmp(before / p, after / p, shallow=False)]
    missing = [str(p) for p in files if not (before / p).exists()]
    if differ or missing:
        return f"NOT identical to {rev}: {', '.join(differ + missing)}"
    return (
        f"Output identical to revision {rev}: {len(files)} files (every HTML page, "
        f"``searchindex.js`` and ``mlrefarch.json`` of the N = {count} project), byte for byte."
    )


SIZE_HEADER = (
    "N", "html ext/plain", "html ext/equivalent", "-j 2 / serial", "mlrefarch / html",
    "check / html", "incremental / full", "prose edit / full", "plain: incremental / full",
    "pages rewritten",
    "peak MB ext/plain", "peak MB ext/equivalent",
    "html s ext / plain / equiv",
)  # fmt: skip


def size_rows(results: list[dict]) -> list[tuple[str, ...]]:
    rows = []
    for r in results:
        s = r["seconds"]
        rows.append((
            str(r["n"]), ratio(s["ext"], s["base"]), ratio(s["ext"], s["equiv"]),
            ratio(s["ext_j2"], s["ext"]), ratio(s["mlrefarch"], s["ext"]),
            ratio(s["check"], s["ext"]), ratio(s["incremental"], s["ext"]),
            ratio(s["incremental_prose"], s["ext"]), ratio(s["incremental_base"], s["base"]),
            f"{r['rewritten']:.0f}",
            f"{ratio(r['peak_ext'], r['peak_base'])} ({r['peak_ext']:.0f}/{r['peak_base']:.0f})",
            f"{ratio(r['peak_ext'], r['peak_equiv'])} ({r['peak_ext']:.0f}/{r['peak_equiv']:.0f})",
            f"{s['ext']:.1f} / {s['base']:.1f} / {s['equiv']:.1f}",
        ))  # fmt: skip
    return rows


def report(args: argparse.Namespace, parts: dict) -> str:
    machine = f"{platform.python_implementation()} {platform.python_version()}, "
    machine += f"{platform.machine()}, {common.CODE or 'the installed sphinx-mlrefarch'}"
    out = []
    if parts.get("sizes"):
        medians = f"Medians of {args.repetitions} alternating repetition(s) per cell."
        out += [rst_table(SIZE_HEADER, size_rows(parts["sizes"])), medians, ""]
    if parts.get("large"):
        r = parts["large"]
        out += [rst_table(
            ("N", "html ext/plain", "peak MB ext/plain", "html s ext / plain"),
            [(str(r["n"]), ratio(r["ext"], r["base"]),
              f"{ratio(r['peak_ext'], r['peak_base'])} ({r['peak_ext']:.0f}/{r['peak_base']:.0f})",
              f"{r['ext']:.1f} / {r['base']:.1f}")],
        ), "One repetition.", ""]  # fmt: skip
    if parts.get("startup"):
        s = parts["startup"]
        out += [rst_table(
            ("start-up, one document", "ext / plain", "difference", "s ext / plain"),
            [("whole process, html", ratio(s["ext"], s["base"]),
              f"{1000 * (s['ext'] - s['base']):.0f} ms", f"{s['ext']:.2f} / {s['base']:.2f}")],
        ), f"Medians of {args.startup_repetitions} alternating runs.", ""]  # fmt: skip
    if parts.get("office"):
        out += [office.table(parts["office"]), ""]
    if parts.get("identical"):
        out += [parts["identical"], ""]
    out.append(f"One run on {machine}; ratios compare measurements of that same run.")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("-n", "--sizes", type=int, nargs="*", default=[50, 200, 500])
    parser.add_argument("-r", "--repetitions", type=int, default=3)
    parser.add_argument("--large", type=int, default=2000, help="large N, once (0: skip)")
    parser.add_argument("--startup-repetitions", type=int, default=9)
    parser.add_argument("--no-office", action="store_true", help="skip the office benchmark")
    parser.add_argument("--baseline", metavar="REV", help="compare the output with REV's")
    parser.add_argument("--code", metavar="REV", help="measure revision REV instead")
    parser.add_argument("-o", "--output", type=Path, default=HERE / "results.rst")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    if args.code:
        tree = WORK / f"rev-{args.code}"
        if not tree.exists():
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), args.code],
                check=True,
            )
        common.CODE = tree
    parts: dict = {"sizes": []}
    for count in args.sizes:
        print(f"N={count} ...", flush=True)
        parts["sizes"].append(measure(count, args.repetitions))
        print("  " + " | ".join(size_rows(parts["sizes"][-1:])[0]), flush=True)
    if args.large:
        print(f"N={args.large} (once) ...", flush=True)
        parts["large"] = measure_large(args.large)
    if args.startup_repetitions:
        print("start-up ...", flush=True)
        parts["startup"] = measure_startup(args.startup_repetitions)
    if not args.no_office:
        print("office ...", flush=True)
        parts["office"] = office.measure(print)
    if args.baseline:
        print(f"output against {args.baseline} ...", flush=True)
        try:
            parts["identical"] = identical(args.baseline)
        except SystemExit as exc:  # keep the figures measured so far
            parts["identical"] = f"NOT compared with {args.baseline}: {exc}"
    text = report(args, parts)
    print()
    print(text)
    args.output.write_text(text)
    return 1 if parts.get("identical", "").startswith("NOT") else 0


if __name__ == "__main__":
    raise SystemExit(main())
