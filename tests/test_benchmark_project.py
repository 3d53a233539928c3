"""Identical mlrefarch.json from serial, -j 2 and incremental builds of the benchmark project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402


def sphinx_build(src: Path, out: Path, *extra: str, builder: str = "html") -> bytes:
    """Build in a fresh process (as users do) and return the exported JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", *extra, "-b", builder, str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return (out / "mlrefarch.json").read_bytes()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "src", 12, "extension")


def test_serial_parallel_incremental_identical(project: Path, tmp_path: Path) -> None:
    serial = sphinx_build(project, tmp_path / "serial", "-E")
    parallel = sphinx_build(project, tmp_path / "parallel", "-E", "-j", "2")
    assert parallel == serial

    incremental_out = tmp_path / "incremental"
    sphinx_build(project, incremental_out, "-E")
    doc = project / "solutions" / "s0003.rst"
    original = doc.read_text()
    doc.write_text(original.replace(":status: addressed", ":status: planned"))
    changed = sphinx_build(project, incremental_out)
    assert changed != serial  # the edit shows
    doc.write_text(original)
    assert sphinx_build(project, incremental_out) == serial
    fast = tmp_path / "builder"
    assert sphinx_build(project, fast, "-E", builder="mlrefarch")  # the CI builder builds too
    assert (fast / "mlrefarch-report.txt").is_file()  # it was the mlrefarch builder
    assert not list(fast.glob("*.html"))


def test_generator_twins_have_the_same_text(tmp_path: Path) -> None:
    """The plain twin carries every argument, option value and body of the extension's."""
    ext = generate(tmp_path / "ext", 2, "extension")
    plain = generate(tmp_path / "plain", 2, "plain")
    text = (ext / "solutions" / "s0001.rst").read_text()
    twin = (plain / "solutions" / "s0001.rst").read_text()
    assert text.count(".. abb::") == 20 and ".. abb::" not in twin
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(":sbb:"):
            assert f":Sbb: {stripped.removeprefix(':sbb:').strip()}" in twin
        elif stripped.startswith("This solution covers"):
            assert stripped in twin
