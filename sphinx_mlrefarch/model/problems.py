"""Problems found in a data file (model or catalogue), located as precisely as possible."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PathT", "Problem", "format_path"]

#: A path inside a YAML document: ``("blocks", 3, "layer")``.
PathT = tuple[str | int, ...]


def format_path(path: Iterable[str | int]) -> str:
    """Render ``("blocks", 3, "layer")`` as ``blocks[3].layer``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: message, file, line and path inside the document."""

    message: str
    file: str = ""
    line: int | None = None
    path: str = ""

    @property
    def location(self) -> str:
        """``file:line`` (or just ``file``) for warnings."""
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        loc = f"{self.location}: " if self.location else ""
        return f"{loc}{where}{self.message}"
