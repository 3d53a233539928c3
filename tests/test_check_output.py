"""``mlrefarch check --output FILE``: the report in a file, written atomically or not at all.

The path is checked before the build (a mistyped path fails at once) and
the report written through a temporary file and ``os.replace``, so no run
leaves half a report (or, in the formats for people, a report without a
verdict). Also the parser's promises: the formats in ``--help``, and no
Sphinx import to build it.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOTS

from sphinx_mlrefarch.cli import main

COVERED = ROOTS / "test-cli-covered"
MISSING = ROOTS / "test-cli-missing"
FORMATS = ["text", "json", "markdown", "github", "sarif", "junit"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, _ANSI.sub("", err)


# --------------------------------------------------------------------------
# --output
# --------------------------------------------------------------------------


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_holds_the_report(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fmt: str,
) -> None:
    monkeypatch.chdir(ROOTS.parent)
    printed_status, printed, _err = run(capsys, "check", "-q", "--format", fmt, str(MISSING))
    target = tmp_path / "reports" / f"report.{fmt}"
    target.parent.mkdir()
    argv = ["check", "-q", "--format", fmt, "--output", str(target), str(MISSING)]
    status, out, err = run(capsys, *argv)
    assert status == printed_status == 1, err
    assert out == ""
    assert target.read_text("utf-8") == printed
    assert printed
    assert os.listdir(target.parent) == [target.name]  # no temporary file left behind
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()


def test_output_replaces_a_file_and_keeps_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old report\n", "utf-8")
    target.chmod(0o640)
    status, out, _err = run(capsys, "check", "-q", "--output", str(target), str(COVERED))
    assert (status, out) == (0, "")
    assert "Fully covered [covered]" in target.read_text("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["report.txt"]


def test_output_through_a_symbolic_link(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    real = tmp_path / "real" / "report.xml"
    real.parent.mkdir()
    link = tmp_path / "link.xml"
    link.symlink_to(real)
    status, _out, _err = run(
        capsys, "check", "-q", "--format", "junit", "--output", str(link), str(MISSING)
    )
    assert status == 1
    assert link.is_symlink()
    assert ET.fromstring(real.read_text("utf-8")).get("failures") == "18"


def test_output_to_a_device_writes_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    """A device is written to, not replaced (as root, replacing /dev/null would succeed)."""
    devnull = Path(os.devnull)
    if not devnull.exists() or devnull.is_file():
        pytest.skip("no null device")
    status, out, _err = run(capsys, "check", "-q", "--output", str(devnull), str(MISSING))
    assert (status, out) == (1, "")
    assert stat.S_ISCHR(devnull.stat().st_mode)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("exists", [True, False], ids=["existing", "new"])
def test_output_without_a_verdict_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exists: bool, fmt: str
) -> None:
    """The formats for people (the CI formats report the problems: test_check_no_verdict)."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text(
        (MISSING / "conf.py").read_text("utf-8") + "mlrefarch_required = 5\n"
    )
    (project / "index.rst").write_text((MISSING / "index.rst").read_text("utf-8"))
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / f"report.{fmt}"
    if exists:
        target.write_text("old report\n", "utf-8")
    argv = ["check", "-q", "--format", fmt, "--output", str(target), str(project)]
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert "mlrefarch: error: no verdict" in err
    assert os.listdir(reports) == ([target.name] if exists else [])
    if exists:
        assert target.read_text("utf-8") == "old report\n"


@pytest.fixture
def unwritable(tmp_path: Path) -> Any:
    """A directory where no new file can be made, for root too."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        (locked / "probe").touch()
    except PermissionError:
        yield locked
    else:
        # root ignores permission bits; sysfs refuses new files to everyone
        (locked / "probe").unlink()
        try:
            Path("/sys/mlrefarch-probe").touch()
        except OSError:
            yield Path("/sys")
        else:
            pytest.skip("no directory here refuses new files")
    finally:
        locked.chmod(0o700)


def output_error(tmp_path: Path, case: str, unwritable: Path) -> tuple[str, str]:
    """``--output`` value and the reason ``check`` must give for it."""
    (tmp_path / "file.txt").write_text("x", "utf-8")
    return {
        "missing-parent": (
            str(tmp_path / "nope" / "report.txt"),
            f"directory {str(tmp_path / 'nope')!r} does not exist",
        ),
        "parent-is-a-file": (
            str(tmp_path / "file.txt" / "report.txt"),
            f"{str(tmp_path / 'file.txt')!r} is not a directory",
        ),
        "directory": (str(tmp_path), "it is a directory"),
        "source-directory": (str(MISSING), "it is the source directory"),
        "source-directory-spelled-otherwise": (f"{MISSING}/./", "it is the source directory"),
        "not-writable": (str(unwritable / "report.txt"), "Permission denied"),
    }[case]


@pytest.mark.parametrize(
    "case",
    [
        "missing-parent",
        "parent-is-a-file",
        "directory",
        "source-directory",
        "source-directory-spelled-otherwise",
        "not-writable",
    ],
)
def test_output_errors_before_the_build(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, unwritable: Path, case: str
) -> None:
    value, reason = output_error(tmp_path, case, unwritable)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    status, out, err = run(capsys, "check", "--format", "junit", "--output", value, str(MISSING))
    assert (status, out) == (2, "")
    # one line, no traceback, and no build: Sphinx never started (no -q here)
    assert err == f"mlrefarch: error: cannot write --output {value}: {reason}\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_output_error_after_the_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The directory vanishes during the build (conf.py removes it): exit 2, nothing written."""
    reports = tmp_path / "reports"
    reports.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    conf = (MISSING / "conf.py").read_text("utf-8")
    (project / "conf.py").write_text(f"{conf}import os\nos.rmdir({str(reports)!r})\n", "utf-8")
    (project / "index.rst").write_text((MISSING / "index.rst").read_text("utf-8"))
    target = reports / "report.txt"
    status, out, err = run(capsys, "check", "-q", "--output", str(target), str(project))
    assert (status, out) == (2, "")
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"mlrefarch: error: cannot write --output {target}: No such file or directory"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


# --------------------------------------------------------------------------
# the parser
# --------------------------------------------------------------------------


def test_help_names_the_formats_and_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "{text,json,markdown,github,sarif,junit}" in out
    assert "--output FILE" in out
    for word in ("GitHub Actions", "SARIF 2.1.0", "JUnit XML"):
        assert word in out


def test_building_the_parser_imports_no_sphinx() -> None:
    code = (
        "import sys\n"
        "from sphinx_mlrefarch.cli import build_parser\n"
        "build_parser().parse_args(['check', 'src', '--format', 'sarif'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
