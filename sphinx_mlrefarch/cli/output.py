"""``mlrefarch check --output FILE``: where the report goes, checked early, written atomically.

The path is checked before the build, which can take minutes, so a
mistyped one fails at once; the report is written through a temporary file
beside it and ``os.replace``, so a reader never sees half a report.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .common import CliError

__all__ = ["check_output", "write_output"]


def _cannot_write(value: str, reason: str) -> CliError:
    return CliError(f"cannot write --output {value}: {reason}")


def _special(path: Path) -> bool:
    """An existing file that is not a regular one (``/dev/stdout``, a pipe): written in place.

    Replacing it would put a regular file where the device was.
    """
    return path.exists() and not path.is_file() and not path.is_dir()


def check_output(value: str, srcdir: Path) -> Path:
    """Where ``--output`` goes (symbolic links followed); a CliError if it cannot be written.

    Checked before the build so a mistyped path fails in a second, not after
    minutes; writing a probe file is the only test of writability that holds
    for root and for read-only file systems alike.
    """
    given = Path(value)
    if _special(given):
        return given
    target = Path(os.path.realpath(given))
    if target == srcdir.resolve():
        raise _cannot_write(value, "it is the source directory")
    if target.is_dir():
        raise _cannot_write(value, "it is a directory")
    parent = target.parent
    if not parent.exists():
        raise _cannot_write(value, f"directory {str(given.parent)!r} does not exist")
    if not parent.is_dir():
        raise _cannot_write(value, f"{str(given.parent)!r} is not a directory")
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise _cannot_write(value, exc.strerror or str(exc)) from exc
    return target


def _new_file_mode(target: Path) -> int:
    """The mode a shell redirection would give: the old file's, else 0666 less the umask."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_output(value: str, target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file beside it and ``os.replace``."""
    try:
        if _special(target):
            with target.open("w", encoding="utf-8") as out:
                out.write(text)
            return
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.chmod(partial, _new_file_mode(target))
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise
    except OSError as exc:
        raise _cannot_write(value, exc.strerror or str(exc)) from exc
