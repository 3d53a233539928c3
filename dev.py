#!/usr/bin/env python3
"""One entry point for developers and CI, needing only Python 3.11+ and pip.

    python3 dev.py test [pytest args]   # ruff, mypy, then the whole suite (newest releases)
    python3 dev.py test --oldest        # the suite on the oldest supported stack
    python3 dev.py test --sphinx 8.1    # the suite on one Sphinx release line
    python3 dev.py test --installed     # the suite against the built wheel in a fresh venv
    python3 dev.py docs                 # build the reference book with -W
    python3 dev.py lint                 # ruff and mypy
    python3 dev.py dist                 # sdist and wheel into dist/, checked by twine
    python3 dev.py bench [args]         # the benchmark (see benchmarks/run.py)
    python3 dev.py i18n                 # extract labels, update and compile translations
    python3 dev.py data                 # the built-in model's and catalogue's JSON from their YAML

Nothing is installed into the user's Python. The virtual environments, each
made on first use and reused while pyproject.toml (and its pins) are unchanged:

    .venv              the package (editable) with the test, docs and lint extras
    .venv-oldest       the package (editable) with the test extra, pinned by
                       tests/constraints-oldest.txt (Sphinx 7.2, myst-parser 3)
    .venv-sphinxXY     the same, pinned to one Sphinx release line (--sphinx X.Y)
    .venv-jupyterbook  Jupyter Book 1.0 with the package really installed (not
                       editable; reinstalled when the package's files change)
    .venv-precommit    pre-commit, and a wheelhouse of the package's dependencies
                       so the hook test installs the hook offline
    .venv-wheel        made afresh by every ``test --installed``

``test`` passes the Jupyter Book and pre-commit executables to the tests in
environment variables (MLREFARCH_JUPYTER_BOOK, MLREFARCH_PRE_COMMIT,
MLREFARCH_WHEELHOUSE); a tool that cannot be installed is reported and its
test skipped, unless MLREFARCH_REQUIRE_TOOLS=1 (as in CI) makes it fail.
tox users get the same environments through ``tox.ini``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "sphinx_mlrefarch"
OLDEST = ROOT / "tests" / "constraints-oldest.txt"
DIST = ROOT / "dist"
JUPYTER_BOOK = "jupyter-book==1.0.4.post1"
PRE_COMMIT = "pre-commit>=3.5"
EXTRAS = {
    "test": "test,docs,lint",
    "docs": "docs",
    "lint": "lint,test",
    "dist": "test,docs,lint",  # the environment of `test`: build and twine come with it
    "bench": "test,docs",
    "i18n": "test",
    "data": "test",
}
#: What the tests may ask for (tests/external.py); the browser test needs the docs extra.
TOOLS = ("browser", "build", "jupyter-book", "pre-commit")
REQUIRE = "MLREFARCH_REQUIRE_TOOLS"
LINT = ["-m", "ruff", "check", "sphinx_mlrefarch", "tests", "benchmarks"]
STACK = (
    "from importlib.metadata import version\n"
    "names = ('sphinx', 'docutils', 'myst-parser', 'sphinxcontrib-mermaid')\n"
    "print('dev.py: stack:', ', '.join(f'{n} {version(n)}' for n in names), flush=True)\n"
)


def bin_path(env: Path, name: str) -> Path:
    if os.name == "nt":
        return env / "Scripts" / f"{name}.exe"
    return env / "bin" / name


def digest(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def package_digest() -> str:
    """Changes whenever a file that goes into the package changes."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest((ROOT / "pyproject.toml").read_bytes(), *(f.read_bytes() for f in files))


def pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args], check=True)


def make_venv(path: Path) -> Path:
    python = bin_path(path, "python")
    if not python.exists():
        print(f"dev.py: creating {path.name}", flush=True)
        venv.EnvBuilder(with_pip=True).create(path)
    return python


def environment(extras: str, name: str = ".venv", pins: tuple[str, ...] = ()) -> Path:
    """A venv with the package (editable) and ``extras``; reused while its inputs are unchanged."""
    path = ROOT / name
    python = make_venv(path)
    inputs = [(ROOT / "pyproject.toml").read_bytes(), *(p.encode() for p in pins)]
    if "-c" in pins:
        inputs.append(Path(pins[pins.index("-c") + 1]).read_bytes())
    stamp = path / f".installed-{extras.replace(',', '-')}-{digest(*inputs)}"
    if not stamp.exists():
        requirement = f"-e{ROOT}[{extras}]"
        print(f"dev.py: installing {requirement} {' '.join(pins)}".rstrip(), flush=True)
        pip(python, requirement, *pins)
        stamp.touch()
    return python


def jupyter_book() -> Path:
    """Jupyter Book 1.0 beside a real (not editable) install of this package."""
    path = ROOT / ".venv-jupyterbook"
    python = make_venv(path)
    stamp = path / f".installed-{digest((ROOT / 'pyproject.toml').read_bytes())}"
    source = path / f".package-{package_digest()}"
    if not stamp.exists():
        print(f"dev.py: installing {JUPYTER_BOOK} into {path.name}", flush=True)
        pip(python, JUPYTER_BOOK, str(ROOT))
    elif not source.exists():
        print(f"dev.py: reinstalling the package into {path.name}", flush=True)
        pip(python, "--no-deps", "--force-reinstall", str(ROOT))
    for old in path.glob(".package-*"):
        old.unlink()
    stamp.touch()
    source.touch()
    return bin_path(path, "jupyter-book")


def pre_commit() -> tuple[Path, Path]:
    """pre-commit, and a wheelhouse from which its hook environment installs offline."""
    path = ROOT / ".venv-precommit"
    python = make_venv(path)
    wheelhouse = path / "wheelhouse"
    stamp = path / f".installed-{digest((ROOT / 'pyproject.toml').read_bytes())}"
    if not stamp.exists():
        print(f"dev.py: installing {PRE_COMMIT} and a wheelhouse into {path.name}", flush=True)
        pip(python, PRE_COMMIT)
        shutil.rmtree(wheelhouse, ignore_errors=True)
        # the package's dependencies, and its build backend for the hook's `pip install .`
        build = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["build-system"]
        wheel = ["pip", "wheel", "--quiet", "--wheel-dir", str(wheelhouse), str(ROOT)]
        subprocess.run([str(python), "-m", *wheel, *build["requires"]], check=True)
        stamp.touch()
    return bin_path(path, "pre-commit"), wheelhouse


def tool_environment(require: tuple[str, ...] = TOOLS) -> dict[str, str]:
    """The environment for pytest: the tools' paths, and which of them must be there."""
    env = dict(os.environ)
    try:
        env["MLREFARCH_JUPYTER_BOOK"] = str(jupyter_book())
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"dev.py: could not prepare Jupyter Book ({error})", file=sys.stderr)
    try:
        executable, wheelhouse = pre_commit()
        env["MLREFARCH_PRE_COMMIT"] = str(executable)
        env["MLREFARCH_WHEELHOUSE"] = str(wheelhouse)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"dev.py: could not prepare pre-commit ({error})", file=sys.stderr)
    if env.get(REQUIRE, "").strip() == "1" and require != TOOLS:
        env[REQUIRE] = ",".join(require)
    return env


def pytest(python: Path, rest: list[str], env: dict[str, str], cwd: Path = ROOT) -> int:
    """The suite, after one line naming the stack it runs on (for the CI log)."""
    subprocess.run([str(python), "-c", STACK], check=False)
    return run([str(python), "-m", "pytest", *rest], env=env, cwd=cwd)


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> int:
    print("dev.py: $ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=cwd, env=env, check=False).returncode


def build_dist(python: Path) -> int:
    """sdist, then the wheel from that sdist (as a release is made), into dist/; twine checks."""
    for old in DIST.glob("sphinx_mlrefarch-*"):
        old.unlink()
    status = run([str(python), "-m", "build", "--outdir", str(DIST), str(ROOT)])
    if status:
        return status
    files = sorted(str(p) for p in DIST.glob("sphinx_mlrefarch-*"))
    return run([str(python), "-m", "twine", "check", "--strict", *files])


def test_installed(rest: list[str]) -> int:
    """The suite against the wheel, installed into a fresh venv, run where the sources are not."""
    status = build_dist(environment(EXTRAS["dist"]))
    if status:
        return status
    (wheel,) = DIST.glob("sphinx_mlrefarch-*.whl")
    path = ROOT / ".venv-wheel"
    shutil.rmtree(path, ignore_errors=True)
    python = make_venv(path)
    print(f"dev.py: installing {wheel.name}[test] into {path.name}", flush=True)
    pip(python, f"{wheel}[test]")
    env = tool_environment(tuple(t for t in TOOLS if t != "browser"))
    env["MLREFARCH_INSTALLED"] = str(path)
    with tempfile.TemporaryDirectory(prefix="mlrefarch-installed-") as work:
        where = (
            "import pathlib, sphinx_mlrefarch as p; f = pathlib.Path(p.__file__).resolve(); "
            f"print('dev.py: testing', f); assert pathlib.Path({str(path)!r}) in f.parents, f"
        )
        status = run([str(python), "-c", where], env=env, cwd=Path(work))
        options = ["-p", "no:cacheprovider", "--rootdir", str(ROOT)]
        options += ["-c", str(ROOT / "pyproject.toml"), str(ROOT / "tests"), *rest]
        return status or pytest(python, options, env, Path(work))


def test(args: argparse.Namespace, rest: list[str]) -> int:
    if args.installed:
        return test_installed(rest)
    if args.oldest or args.sphinx:
        # The browser test builds the reference book, which needs the docs extra
        # (Sphinx 7.4+): these stacks have the test extra only.
        pins = ("-c", str(OLDEST)) if args.oldest else (f"sphinx=={args.sphinx}.*",)
        name = ".venv-oldest" if args.oldest else f".venv-sphinx{args.sphinx.replace('.', '')}"
        python = environment("test", name, pins)
        env = tool_environment(tuple(t for t in TOOLS if t != "browser"))
        return pytest(python, rest, env)
    python = environment(EXTRAS["test"])
    status = run([str(python), *LINT])
    status = run([str(python), "-m", "mypy"]) or status  # against the newest annotations
    return pytest(python, rest, tool_environment()) or status


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("command", choices=sorted(EXTRAS))
    stack = parser.add_mutually_exclusive_group()
    stack.add_argument("--oldest", action="store_true", help="test on the oldest supported stack")
    stack.add_argument("--sphinx", help="test on this Sphinx release line, e.g. 8.1")
    stack.add_argument("--installed", action="store_true", help="test the installed wheel")
    args, rest = parser.parse_known_args()
    if (args.oldest or args.sphinx or args.installed) and args.command != "test":
        parser.error("--oldest, --sphinx and --installed go with 'test'")
    if args.command == "test":
        return test(args, rest)
    python = str(environment(EXTRAS[args.command]))
    if args.command == "docs":
        command = ["-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"]
        return run([python, *command, *rest])
    if args.command == "lint":
        status = run([python, *LINT])
        return run([python, "-m", "mypy"]) or status
    if args.command == "dist":
        return build_dist(Path(python))
    if args.command == "i18n":
        return run([python, "tools/i18n.py", *rest])
    if args.command == "data":
        return run([python, "tools/builtin_data.py", *rest])
    return run([python, "benchmarks/run.py", *rest])


if __name__ == "__main__":
    raise SystemExit(main())
