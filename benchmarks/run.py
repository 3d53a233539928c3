"""Benchmark sphinx-mlrefarch against plain Sphinx on the same parsing work.

    python benchmarks/run.py                 # N = 50, 200, 500; 3 repetitions
    python benchmarks/run.py -n 50 -r 1      # a quick look

For each N it generates the synthetic project and its plain-rST twin
(:mod:`generate`), then builds them alternately, every build in a fresh
process, and reports medians and ratios:

* html: extension / baseline wall time (fresh builds), against the *plain*
  baseline (directives replaced by their text, computed tables left out)
  and the *equivalent* one (the same tables and links written by hand);
* ``-j 2`` / serial (extension, fresh html builds);
* ``-b mlrefarch`` / ``-b html`` (extension, fresh builds);
* incremental html rebuild after editing one solution / full build, and
  how many documents that rebuild wrote;
* peak resident memory of a fresh html build, extension and baseline.

Machines here are noisy: compare ratios from one run, not seconds across
runs. The table is printed and written to ``benchmarks/results.rst``,
which the documentation includes.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

WORK = HERE / "_work"
ONE_BUILD = r"""
import json, resource, sys, time
from sphinx.cmd.build import build_main
args = sys.argv[1:]
written = []
start = time.perf_counter()
status = build_main(args)
seconds = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"status": status, "seconds": seconds, "peak_mb": peak / 1024}))
"""


def build(src: Path, out: Path, builder: str = "html", jobs: int = 1, fresh: bool = True) -> dict:
    args = ["-q", "-b", builder, str(src), str(out), "-d", str(out / ".doctrees")]
    if fresh:
        args.insert(0, "-E")
    if jobs > 1:
        args[0:0] = ["-j", str(jobs)]
    result = subprocess.run(
        [sys.executable, "-c", ONE_BUILD, *args], capture_output=True, text=True, check=False
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise SystemExit(f"build failed: {' '.join(args)}\n{result.stderr[-2000:]}")
    data = json.loads(lines[-1])
    if data["status"] != 0:
        raise SystemExit(f"sphinx-build returned {data['status']}: {result.stderr[-2000:]}")
    return data


def written_docs(out: Path, since: float) -> int:
    return sum(1 for page in out.rglob("*.html") if page.stat().st_mtime >= since)


def measure(count: int, reps: int) -> dict:
    ext = generate(WORK / f"ext-{count}", count, "extension")
    base = generate(WORK / f"base-{count}", count, "plain")
    equiv = generate(WORK / f"equiv-{count}", count, "equivalent")
    times: dict[str, list[float]] = {
        k: [] for k in ("ext", "base", "equiv", "ext_j2", "mlrefarch", "incremental")
    }
    peaks: dict[str, list[float]] = {"ext": [], "base": []}
    rewritten: list[int] = []
    edited = ext / "solutions" / "s0001.rst"
    original = edited.read_text()
    for rep in range(reps):
        order = [("ext", ext), ("base", base), ("equiv", equiv)]
        for name, src in order[rep % 3 :] + order[: rep % 3]:  # alternate who goes first
            result = build(src, WORK / f"out-{name}-{count}")
            times[name].append(result["seconds"])
            if name in peaks:
                peaks[name].append(result["peak_mb"])
        times["ext_j2"].append(build(ext, WORK / f"out-j2-{count}", jobs=2)["seconds"])
        times["mlrefarch"].append(build(ext, WORK / f"out-ml-{count}", "mlrefarch")["seconds"])
        # incremental: the ext html output is up to date; edit one solution and rebuild
        edited.write_text(
            original.replace(":status: planned", ":status: addressed", 1)
            if rep % 2 == 0
            else original
        )
        stamp = time.time()
        time.sleep(0.05)
        out = WORK / f"out-ext-{count}"
        times["incremental"].append(build(ext, out, fresh=False)["seconds"])
        rewritten.append(written_docs(out, stamp))
    edited.write_text(original)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "n": count,
        "seconds": med,
        "html_ratio": med["ext"] / med["base"],
        "equiv_ratio": med["ext"] / med["equiv"],
        "j2_ratio": med["ext_j2"] / med["ext"],
        "mlrefarch_ratio": med["mlrefarch"] / med["ext"],
        "incremental_ratio": med["incremental"] / med["ext"],
        "rewritten": statistics.median(rewritten),
        "peak_ext_mb": statistics.median(peaks["ext"]),
        "peak_base_mb": statistics.median(peaks["base"]),
    }


HEADER = (
    "N", "html ext/plain", "html ext/equivalent", "-j 2 / serial", "mlrefarch / html",
    "incremental / full", "pages rewritten", "peak MB ext / plain", "html s ext / plain / equiv",
)  # fmt: skip


def rows(results: list[dict]) -> list[tuple[str, ...]]:
    return [
        (
            str(r["n"]),
            f"{r['html_ratio']:.2f}x",
            f"{r['equiv_ratio']:.2f}x",
            f"{r['j2_ratio']:.2f}x",
            f"{r['mlrefarch_ratio']:.2f}x",
            f"{r['incremental_ratio']:.2f}x",
            f"{r['rewritten']:.0f}",
            f"{r['peak_ext_mb']:.0f} / {r['peak_base_mb']:.0f}",
            "{ext:.1f} / {base:.1f} / {equiv:.1f}".format(**r["seconds"]),
        )
        for r in results
    ]


def rst_table(results: list[dict], reps: int) -> str:
    body = rows(results)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(HEADER)]
    rule = " ".join("=" * w for w in widths)

    def line(cells: tuple[str, ...]) -> str:
        return " ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    )
    return "\n".join(
        [
            rule, line(HEADER), rule, *(line(r) for r in body), rule, "",
            f"Medians of {reps} repetition(s) per cell, one run on {machine}; "
            "ratios compare builds of that same run.", "",
        ]
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("-n", "--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("-r", "--repetitions", type=int, default=3)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "results.rst")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    results = []
    for count in args.sizes:
        print(f"N={count} ...", flush=True)
        results.append(measure(count, args.repetitions))
        print("  " + " | ".join(rows(results[-1:])[0]), flush=True)
    table = rst_table(results, args.repetitions)
    print()
    print(table)
    args.output.write_text(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
