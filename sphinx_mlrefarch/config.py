"""The extension's ``conf.py`` values: declared once, read and checked once per build.

Every value has one contract, used by the build and by the ``mlrefarch``
command alike: :func:`required_refs` is the only reader of
``mlrefarch_required``, :func:`read_settings` the only place that turns
``conf.py`` into the paths and problems a build works with. Problems with
the values themselves (and with the model file they name) become
findings located at the assignment in ``conf.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding
from .model import LoadResult, default_model_path, load_model
from .names import did_you_mean

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = ["Settings", "config_location", "read_settings", "required_refs", "setup_config"]


def setup_config(app: Sphinx) -> None:
    """Declare the configuration values (``rebuild="env"`` where they change what is read)."""
    app.add_config_value("mlrefarch_model", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("mlrefarch_required", "all", "env", types=frozenset({str, list, tuple}))
    app.add_config_value("mlrefarch_fail_on_missing", False, "", types=frozenset({bool}))
    app.add_config_value("mlrefarch_export", True, "", types=frozenset({bool}))


def required_refs(value: object) -> tuple[tuple[str, ...], str | None]:
    """``mlrefarch_required`` as layer/block references, or why it cannot be read.

    Accepted: ``"all"``, a comma-separated string, or a list or tuple of
    strings. Anything else reads as ``all``, with the returned message.
    """
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        items = list(value)
    else:
        return ("all",), (
            "mlrefarch_required must be 'all', a comma-separated string or a list of layer/block "
            f"ids, not {value!r}; using 'all'"
        )
    refs = tuple(item.strip() for item in items if item.strip())
    if not refs:
        return ("all",), "mlrefarch_required is empty; give 'all' or layer/block ids; using 'all'"
    return refs, None


def config_location(confdir: str | Path, name: str) -> tuple[str, int]:
    """``(conf.py, line)`` of the assignment to config value ``name`` (line 1 if not found)."""
    conf = Path(confdir) / "conf.py"
    line = 1
    try:
        for number, text in enumerate(conf.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(rf"\s*{re.escape(name)}\s*[:=]", text):
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    return str(conf), line


@dataclass(frozen=True)
class Settings:
    """What ``conf.py`` says, checked: the model file, the required refs, their problems."""

    #: Absolute path of the model file; None for the built-in model.
    model_file: Path | None
    required: tuple[str, ...]
    #: Problems with the configuration or the model file (``model``, ``option``, ``unknown``).
    findings: tuple[Finding, ...]
    #: The model could not be used at all: the build goes on with an empty one.
    model_unusable: bool = False

    @property
    def dependency(self) -> Path:
        """The file documents depend on: edited, it makes them be read again."""
        return self.model_file or default_model_path()


def _at(confdir: str | Path, name: str, subtype: str, message: str) -> Finding:
    file, line = config_location(confdir, name)
    return Finding(subtype=subtype, message=message, docname="", file=file, line=line)


def _model_findings(result: LoadResult, file: Path | None, confdir: str | Path) -> list[Finding]:
    """The model's problems: at their line in the model file, else at ``conf.py`` naming it."""
    out: list[Finding] = []
    for problem in result.problems:
        if problem.line is not None:
            message = f"{problem.path}: {problem.message}" if problem.path else problem.message
            out.append(
                Finding(
                    subtype="model",
                    message=message,
                    docname="",
                    file=problem.file,
                    line=problem.line,
                )
            )
        else:
            named = problem.message
            if problem.file not in named:
                named = f"{problem.file}: {named}"
            out.append(_at(confdir, "mlrefarch_model", "model", named))
    if result.model is None:
        out.append(
            _at(
                confdir,
                "mlrefarch_model",
                "model",
                f"the reference model {str(file)!r} cannot be used; building without one "
                "(fix the problems above or remove mlrefarch_model to use the built-in model)",
            )
        )
    return out


def read_settings(config: Config, confdir: str | Path) -> tuple[Settings, LoadResult]:
    """Check the configuration and load the model it names; never raises."""
    findings: list[Finding] = []
    value = config.mlrefarch_model
    model_file: Path | None = None
    if isinstance(value, str) and value:
        model_file = (Path(confdir) / value).resolve()
    elif value is not None and value != "":
        findings.append(
            _at(
                confdir,
                "mlrefarch_model",
                "option",
                f"mlrefarch_model must be a path (a string) or None, not {value!r}; using the "
                "built-in model",
            )
        )
    result = load_model(model_file)
    findings += _model_findings(result, model_file, confdir)
    refs, problem = required_refs(config.mlrefarch_required)
    if problem is not None:
        findings.append(_at(confdir, "mlrefarch_required", "option", problem))
    if result.model is not None:
        _blocks, unknown = result.model.expand(refs)
        for ref in unknown:
            findings.append(
                _at(
                    confdir,
                    "mlrefarch_required",
                    "unknown",
                    f"mlrefarch_required names {ref!r}, which is neither a layer nor a building "
                    f"block of the model" + did_you_mean(result.model.suggest_block_or_layer(ref)),
                )
            )
    settings = Settings(model_file, refs, tuple(findings), result.model is None)
    return settings, result
