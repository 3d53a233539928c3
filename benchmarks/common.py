"""What every benchmark measurement shares: one build in a fresh process.

Each build runs in its own interpreter so start-up, imports and memory are
those of a real ``sphinx-build`` (or ``mlrefarch``) command, and one build
cannot warm caches for the next. The extension under test is the one on
``PYTHONPATH`` when :data:`CODE` is set (``run.py --code REV``), otherwise
the installed one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"

#: A source tree of sphinx-mlrefarch to measure instead of the installed one.
CODE: Path | None = None

# Runs inside the measured process: times the command itself, after the
# interpreter has started and imported sphinx-build (or the mlrefarch CLI);
# extensions load inside it. Reports peak resident memory too.
_ONE = r"""
import json, resource, sys, time
kind, args = sys.argv[1], sys.argv[2:]
if kind == "sphinx":
    from sphinx.cmd.build import build_main as command
else:
    from sphinx_mlrefarch.cli import main as command
start = time.perf_counter()
try:
    status = command(args)
except SystemExit as exc:
    status = exc.code
seconds = time.perf_counter() - start
ext = sys.modules.get("sphinx_mlrefarch")  # not imported here: plain builds stay plain
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": status, "seconds": seconds, "peak_mb": peak / 1024,
                  "code": ext.__file__ if ext else None}))
"""


@dataclass(frozen=True)
class Result:
    """One measured command."""

    status: int
    #: wall time of the command inside its process
    seconds: float
    #: wall time of the whole process, interpreter start included
    process_seconds: float
    peak_mb: float


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # as an installed package: byte-code compiled once, not on every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if CODE is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CODE), env.get("PYTHONPATH")]))
    return env


def run_command(kind: str, args: list[str], ok: tuple[int, ...] = (0,)) -> Result:
    """Run ``sphinx-build ARGS`` (kind ``sphinx``) or ``mlrefarch ARGS`` (``cli``)."""
    start = time.perf_counter()
    proc = subprocess.run(
        # -P: the current directory (the repository) must not shadow the code measured
        [sys.executable, "-P", "-c", _ONE, kind, *args],
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    elapsed = time.perf_counter() - start
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{"status"')]
    if not lines:
        raise SystemExit(f"{kind} {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    data = json.loads(lines[-1])
    if CODE is not None and data["code"] and not data["code"].startswith(str(CODE)):
        raise SystemExit(f"measured {data['code']}, not the code under {CODE}")
    if data["status"] not in ok:
        raise SystemExit(f"{kind} {' '.join(args)} exited {data['status']}:\n{proc.stderr[-3000:]}")
    return Result(int(data["status"] or 0), data["seconds"], elapsed, data["peak_mb"])


def sphinx(
    src: Path, out: Path, builder: str = "html", jobs: int = 1, fresh: bool = True
) -> Result:
    """One ``sphinx-build`` (fresh: ``-E`` into an emptied output folder)."""
    if fresh and out.exists():
        shutil.rmtree(out)
    args = ["-q", "-b", builder, str(src), str(out), "-d", str(out / ".doctrees")]
    if fresh:
        args.insert(0, "-E")
    if jobs > 1:
        args[0:0] = ["-j", str(jobs)]
    return run_command("sphinx", args)


def check(src: Path, builddir: Path) -> Result:
    """``mlrefarch check SRC`` into an emptied build folder (exit 1, blocks missing, is fine)."""
    if builddir.exists():
        shutil.rmtree(builddir)
    return run_command("cli", ["check", "-q", "--builddir", str(builddir), str(src)], ok=(0, 1))


def written_since(out: Path, since: float) -> int:
    """How many HTML pages under ``out`` were written after ``since``."""
    return sum(1 for page in out.rglob("*.html") if page.stat().st_mtime >= since)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x"


def rst_table(header: tuple[str, ...], body: list[tuple[str, ...]]) -> str:
    """A simple reStructuredText table."""
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    rule = " ".join("=" * w for w in widths)

    def line(cells: tuple[str, ...]) -> str:
        return " ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([rule, line(header), rule, *(line(r) for r in body), rule, ""])
