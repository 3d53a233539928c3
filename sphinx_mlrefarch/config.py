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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue, default_catalogue_path, load_catalogue
from .findings import Finding
from .imports import (
    DEFAULT_TIMEOUT,
    ImportedProject,
    check_compatibility,
    load_import,
    parse_import_config,
    parse_timeout,
)
from .model import Model, Problem, default_model_path, load_model
from .names import close_matches, did_you_mean

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = [
    "EMPTY_MODEL",
    "SBB_POLICIES",
    "Settings",
    "config_location",
    "import_findings",
    "read_settings",
    "required_refs",
    "setup_config",
]

#: Stand-in when the model file cannot be used at all: nothing to cover.
EMPTY_MODEL = Model(id="none", title="No usable model")
#: Stand-in when the catalogue file cannot be used at all: no product is known.
EMPTY_CATALOGUE = Catalogue(id="none", title="No usable catalogue")

#: Values of ``mlrefarch_sbb_policy`` and ``:sbb-policy:``, weakest first.
SBB_POLICIES = ("any", "catalogue", "foss")


def setup_config(app: Sphinx) -> None:
    """Declare the configuration values (``rebuild="env"`` where they change what is read).

    The values :func:`read_settings` checks itself are declared with ``Any``:
    its warnings name the ``conf.py`` line and say what would be right, and
    Sphinx's own type check would add a second, unlocated one before it.
    The two flags keep Sphinx's check, which is all they need.
    """
    checked: Any = Any  # Sphinx 7.2 wants Any itself; later versions also accept it
    app.add_config_value("mlrefarch_model", None, "env", types=checked)
    app.add_config_value("mlrefarch_required", "all", "env", types=checked)
    app.add_config_value("mlrefarch_fail_on_missing", False, "", types=frozenset({bool}))
    app.add_config_value("mlrefarch_export", True, "", types=frozenset({bool}))
    app.add_config_value("mlrefarch_catalogue", None, "env", types=checked)
    app.add_config_value("mlrefarch_sbb_policy", "any", "env", types=checked)
    # imports are read anew on every build; what they change is re-rendered (incremental.py)
    app.add_config_value("mlrefarch_import", {}, "", types=checked)
    app.add_config_value("mlrefarch_import_timeout", DEFAULT_TIMEOUT, "", types=checked)


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
    """What ``conf.py`` says, checked: the model and catalogue, the required refs, problems."""

    model: Model
    catalogue: Catalogue
    #: Absolute paths of the model and catalogue files; None for the built-in ones.
    model_file: Path | None
    catalogue_file: Path | None
    required: tuple[str, ...]
    #: The project's SBB policy (one of :data:`SBB_POLICIES`).
    sbb_policy: str
    #: Problems with the configuration or its files (``model``, ``catalogue``, ``option``, ...).
    findings: tuple[Finding, ...]
    #: Other projects' solutions (``mlrefarch_import``) that could be read.
    imports: tuple[ImportedProject, ...] = ()

    @property
    def dependencies(self) -> tuple[Path, ...]:
        """The files documents depend on: edited, they make them be read again."""
        return (
            self.model_file or default_model_path(),
            self.catalogue_file or default_catalogue_path(),
        )


def _at(confdir: str | Path, name: str, subtype: str, message: str) -> Finding:
    file, line = config_location(confdir, name)
    return Finding(subtype=subtype, message=message, docname="", file=file, line=line)


def _file_findings(
    problems: Iterable[Problem], subtype: str, setting: str, confdir: str | Path
) -> list[Finding]:
    """A data file's problems: at their line in the file, else at ``conf.py`` naming it."""
    out: list[Finding] = []
    for problem in problems:
        if problem.line is not None:
            message = f"{problem.path}: {problem.message}" if problem.path else problem.message
            out.append(
                Finding(
                    subtype=subtype,
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
            out.append(_at(confdir, setting, subtype, named))
    return out


def _path_setting(
    config: Config, name: str, confdir: str | Path, findings: list[Finding]
) -> Path | None:
    """A file setting (``mlrefarch_model``, ``mlrefarch_catalogue``): its absolute path, or None."""
    value = getattr(config, name)
    if isinstance(value, str) and value:
        return (Path(confdir) / value).resolve()
    if value is not None and value != "":
        findings.append(
            _at(
                confdir,
                name,
                "option",
                f"{name} must be a path (a string) or None, not {value!r}; using the built-in one",
            )
        )
    return None


def _unusable(
    confdir: str | Path, setting: str, subtype: str, what: str, file: Path | None
) -> Finding:
    return _at(
        confdir,
        setting,
        subtype,
        f"the {what} {str(file)!r} cannot be used; building without one (fix the problems "
        f"above or remove {setting} to use the built-in one)",
    )


def _imports(
    config: Config, confdir: str | Path, model: Model, own_output: Path | None
) -> tuple[list[ImportedProject], list[Finding]]:
    """The readable imports, checked against ``model``; one finding per problem.

    Problems of an import are ``mlrefarch.import`` warnings at the
    ``mlrefarch_import`` line of ``conf.py`` (a bad timeout at its own line);
    the build goes on without the faulty import.
    """
    messages: list[str] = []
    specs, problems = parse_import_config(config.mlrefarch_import, confdir)
    messages += problems
    timeout, problems = parse_timeout(config.mlrefarch_import_timeout)
    at_timeout = [_at(confdir, "mlrefarch_import_timeout", "import", m) for m in problems]
    projects = []
    block_ids = [b.id for b in model.blocks]
    for spec in specs:
        result = load_import(spec, confdir, timeout, [own_output] if own_output else [])
        messages += result.problems
        if result.project is not None:
            project, problems = check_compatibility(result.project, model.id, block_ids)
            messages += problems
            if project is not None:
                projects.append(project)
    return projects, at_timeout + import_findings(confdir, messages)


def import_findings(confdir: str | Path, messages: Iterable[str]) -> list[Finding]:
    """Problems of imports as ``mlrefarch.import`` findings at the ``mlrefarch_import`` line."""
    return [_at(confdir, "mlrefarch_import", "import", m) for m in messages]


def read_settings(
    config: Config, confdir: str | Path, outdir: str | Path | None = None
) -> Settings:
    """Check the configuration and load the model, catalogue and imports it names.

    Never raises. ``outdir`` is where this build writes: an import of this
    project's own output is refused.
    """
    findings: list[Finding] = []
    model_file = _path_setting(config, "mlrefarch_model", confdir, findings)
    result = load_model(model_file)
    findings += _file_findings(result.problems, "model", "mlrefarch_model", confdir)
    model = result.model
    if model is None:
        findings.append(
            _unusable(confdir, "mlrefarch_model", "model", "reference model", model_file)
        )
        model = EMPTY_MODEL
    refs, problem = required_refs(config.mlrefarch_required)
    if problem is not None:
        findings.append(_at(confdir, "mlrefarch_required", "option", problem))
    if result.model is not None:
        _blocks, unknown = model.expand(refs)
        for ref in unknown:
            findings.append(
                _at(
                    confdir,
                    "mlrefarch_required",
                    "unknown",
                    f"mlrefarch_required names {ref!r}, which is neither a layer nor a building "
                    f"block of the model" + did_you_mean(model.suggest_block_or_layer(ref)),
                )
            )
    catalogue_file = _path_setting(config, "mlrefarch_catalogue", confdir, findings)
    loaded = load_catalogue(catalogue_file, model)
    findings += _file_findings(loaded.problems, "catalogue", "mlrefarch_catalogue", confdir)
    catalogue = loaded.catalogue
    if catalogue is None:
        findings.append(
            _unusable(confdir, "mlrefarch_catalogue", "catalogue", "catalogue", catalogue_file)
        )
        catalogue = EMPTY_CATALOGUE
    policy = config.mlrefarch_sbb_policy
    if policy not in SBB_POLICIES:
        findings.append(
            _at(
                confdir,
                "mlrefarch_sbb_policy",
                "option",
                f"mlrefarch_sbb_policy must be one of 'any', 'catalogue', 'foss', not {policy!r}"
                + did_you_mean(close_matches(str(policy), SBB_POLICIES))
                + "; using 'any'",
            )
        )
        policy = "any"
    own = Path(outdir) / "mlrefarch.json" if outdir is not None else None
    imports, problems = _imports(config, confdir, model, own)
    findings += problems
    return Settings(
        model,
        catalogue,
        model_file,
        catalogue_file,
        refs,
        policy,
        tuple(findings),
        tuple(imports),
    )
