#!/usr/bin/env python3
"""One entry point for developers and CI, needing only Python 3.11+ and pip.

    python3 dev.py test [pytest args]   # the whole test suite (after ruff and mypy)
    python3 dev.py docs                 # build the reference book with -W
    python3 dev.py lint                 # ruff and mypy
    python3 dev.py bench [args]         # the benchmark (see benchmarks/run.py)
    python3 dev.py i18n                 # extract labels, update and compile translations

Each command creates (once) a virtual environment in ``.venv`` with the
package installed in editable mode and the extras it needs, so nothing is
installed into the user's Python. ``--sphinx 8.1`` uses a separate
environment pinned to that Sphinx release, to test the oldest supported one.
tox users get the same through ``tox.ini``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
EXTRAS = {
    "test": "test,docs,lint",
    "docs": "docs",
    "lint": "lint,test",
    "bench": "test,docs",
    "i18n": "test",
}


def environment(extras: str, sphinx: str | None) -> Path:
    """A venv with the package and ``extras`` installed; reused while pyproject is unchanged."""
    name = ".venv" if sphinx is None else f".venv-sphinx{sphinx.replace('.', '')}"
    path = ROOT / name
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"dev.py: creating {name}", flush=True)
        venv.EnvBuilder(with_pip=True).create(path)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = path / f".installed-{extras.replace(',', '-')}-{digest}"
    if not stamp.exists():
        requirement = f"-e{ROOT}[{extras}]"
        command = [str(python), "-m", "pip", "install", "--quiet", requirement]
        if sphinx is not None:
            command.append(f"sphinx=={sphinx}.*")
        print(f"dev.py: installing {requirement}" + (f" with Sphinx {sphinx}" if sphinx else ""))
        subprocess.run(command, check=True)
        stamp.touch()
    return python


def run(command: list[str]) -> int:
    print("dev.py: $ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("command", choices=sorted(EXTRAS))
    parser.add_argument("--sphinx", help="test against this Sphinx release line, e.g. 8.1")
    args, rest = parser.parse_known_args()
    python = str(environment(EXTRAS[args.command], args.sphinx))
    if args.command == "test":
        status = run([python, "-m", "ruff", "check", "sphinx_mlrefarch", "tests", "benchmarks"])
        if args.sphinx is None:  # types are checked against the newest Sphinx's annotations
            status = run([python, "-m", "mypy"]) or status
        return run([python, "-m", "pytest", *rest]) or status
    if args.command == "docs":
        return run(
            [
                python,
                "-m",
                "sphinx",
                "-W",
                "--keep-going",
                "-b",
                "html",
                "docs",
                "docs/_build/html",
                *rest,
            ]
        )
    if args.command == "lint":
        status = run([python, "-m", "ruff", "check", "sphinx_mlrefarch", "tests", "benchmarks"])
        return run([python, "-m", "mypy"]) or status
    if args.command == "i18n":
        return run([python, "tools/i18n.py", *rest])
    return run([python, "benchmarks/run.py", *rest])


if __name__ == "__main__":
    raise SystemExit(main())
