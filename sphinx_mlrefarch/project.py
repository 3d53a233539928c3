"""The model as a Sphinx project sees it: which file, loaded once, reported once.

The configured path is resolved against the configuration directory when
the builder starts and kept in the domain's data, because directives (also
in parallel reader processes) only see the environment. Loading is cached
by path and modification time in :mod:`.model`, so asking for the model in
every directive costs a dictionary look-up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .log import warn
from .model import Model, default_model_path, did_you_mean, load_model

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import MlrefarchDomain

DOMAIN = "mlrefarch"

#: Stand-in when the model file cannot be used at all: nothing to cover.
EMPTY_MODEL = Model(id="none", title="No usable model")


def required_setting(value: object) -> list[str]:
    """``mlrefarch_required`` as a list of references (a string may be comma-separated)."""
    items: list[object]
    if isinstance(value, str):
        items = list(value.split(","))
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        items = ["all"]
    return [str(item).strip() for item in items if str(item).strip()]


def configured_model_file(app: Sphinx) -> Path | None:
    """Absolute path of ``mlrefarch_model`` (None: the built-in model)."""
    value = app.config.mlrefarch_model
    if not value:
        return None
    return (Path(app.confdir) / str(value)).resolve()


def model_file(env: BuildEnvironment) -> Path | None:
    file = env.domaindata[DOMAIN].get("model_file")
    return Path(file) if file else None


def get_model(env: BuildEnvironment) -> Model:
    """The project's model (an empty one if the file is unusable).

    Kept on the domain instance (never pickled) and refreshed at the start
    of every build by :func:`refresh_model`: every directive and reference
    asks for it, and a cache hit must not cost a ``stat()``.
    """
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    if domain.model is None:
        domain.model = load_model(model_file(env)).model or EMPTY_MODEL
    return domain.model


def refresh_model(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: look at the model file again (cached by mtime).

    Runs for every build, also a second ``build()`` of the same application,
    where ``builder-inited`` does not.
    """
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    domain.model = None
    get_model(env)


def note_model_dependency(env: BuildEnvironment) -> None:
    """Re-read the current document when the model file changes.

    Noted once per document read: every directive and role calls this, and
    Sphinx's path handling is not free. The domain forgets a document in
    ``clear_doc``, which runs before the document is read again.
    """
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    if env.docname in domain.noted:
        return
    domain.noted.add(env.docname)
    file = model_file(env)
    env.note_dependency(str(file) if file else str(default_model_path()))


def config_location(app: Sphinx, name: str) -> str:
    """``conf.py:line`` of the assignment to config value ``name`` (line 1 if not found).

    Sphinx reads a location string without a colon as a document name, so a
    file location always carries a line.
    """
    conf = Path(app.confdir) / "conf.py"
    line = 1
    try:
        for number, text in enumerate(conf.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(rf"\s*{re.escape(name)}\s*[:=]", text):
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    return f"{conf}:{line}"


def setup_model(app: Sphinx) -> None:
    """``builder-inited``: record the model file and report its problems once."""
    file = configured_model_file(app)
    app.env.domaindata[DOMAIN]["model_file"] = str(file) if file else None
    result = load_model(file)
    for problem in result.problems:
        where = f"{problem.path}: " if problem.path else ""
        location = (
            problem.location
            if problem.line is not None
            else config_location(app, "mlrefarch_model")
        )
        warn("model", f"{where}{problem.message}", location)
    if result.model is None:
        warn(
            "model",
            f"the reference model {str(file)!r} cannot be used; building without one (fix the "
            "problems above or remove mlrefarch_model to use the built-in model)",
            config_location(app, "mlrefarch_model"),
        )
        return
    value = app.config.mlrefarch_required
    if not isinstance(value, (str, list, tuple, set, frozenset)):
        warn(
            "option",
            f"mlrefarch_required must be 'all' or a list of layer/block ids, not {value!r}; "
            "using 'all'",
            config_location(app, "mlrefarch_required"),
        )
    _blocks, unknown = result.model.expand(required_setting(value))
    for ref in unknown:
        warn(
            "unknown",
            f"mlrefarch_required names {ref!r}, which is neither a layer nor a building "
            f"block of the model" + did_you_mean(result.model.suggest_block_or_layer(ref)),
            config_location(app, "mlrefarch_required"),
        )
