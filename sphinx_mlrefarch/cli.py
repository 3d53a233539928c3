"""The ``mlrefarch`` command: check a project, inspect a model, start a solution document.

``mlrefarch check`` drives Sphinx itself (the ``mlrefarch`` builder) instead of
parsing sources on its own, so it sees exactly what ``sphinx-build`` sees:
the same ``conf.py``, extensions, parsers (MyST included) and warnings.

Exit codes are the command's API for CI:

``check``
    0 every required block of every solution is satisfied (also when the
    project declares no solution at all: nothing is required, nothing is
    missing); 1 some required block is missing or only planned; 2 no
    verdict: the source or ``conf.py`` is missing, Sphinx failed, a config
    value is wrong (a bad ``--required``/``mlrefarch_required`` reference or
    type), or the model file has problems. A model file with *any* problem
    counts as an error, not only one that cannot be used at all, because
    the loader drops the faulty entries and the verdict would then be about
    a model other than the one the file describes. On exit 2 nothing is
    printed to stdout, so a pipeline never consumes a report without a
    verdict.
``model show``
    0 when the model can be used (its problems, if any, still go to stderr
    as ``file:line: path: message``); 2 when it cannot.
``model validate``
    0 no problems; 1 problems, but the model is usable (faulty entries are
    dropped); 2 the file cannot be read or used at all.
``new``
    0, or 2 for an unusable title, id or model.

User errors never end in a traceback: they become one line
``mlrefarch: error: ...`` on stderr. ``check --show-traceback`` shows the
traceback of an unexpected exception, like ``sphinx-build -T``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import yaml

from .export import FILENAME
from .model import Block, Model, default_model, load_model, model_schema, slugify
from .project import DOMAIN, configured_model_file, get_model, required_setting
from .report import markdown_report, text_report

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PROG = "mlrefarch"

EXIT_OK = 0
EXIT_MISSING = 1
EXIT_ERROR = 2

#: Builder that ``check`` runs: reads and checks, writes only JSON and a report.
BUILDER = "mlrefarch"


class CliError(Exception):
    """A user error: reported as one line on stderr, exit status 2, no traceback."""


# --------------------------------------------------------------------------
# Argument parsing
# --------------------------------------------------------------------------


def _jobs(value: str) -> int:
    """``-j N`` or ``-j auto``, as ``sphinx-build`` accepts it."""
    if value == "auto":
        return os.cpu_count() or 1
    jobs = int(value) if value.isdigit() else 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'auto', not {value!r}")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; a function of its own so documentation tools can render it."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Check Sphinx solution architectures against an ML reference model, inspect "
            "the model, and start new solution documents."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="build a project with the mlrefarch builder and report coverage",
        description=(
            "Run Sphinx's mlrefarch builder on SRC and print a coverage report per "
            "solution. Exit status: 0 every required block is satisfied, 1 some are "
            "missing, 2 error (missing SRC or conf.py, Sphinx error, bad config value, "
            "model file with problems)."
        ),
    )
    check.add_argument("src", metavar="SRC", help="source directory of the Sphinx project")
    check.add_argument(
        "-c",
        "--confdir",
        metavar="CONFDIR",
        help="directory containing conf.py (default: SRC)",
    )
    check.add_argument(
        "--required",
        metavar="REFS",
        help="comma-separated layer/block ids, or 'all'; overrides mlrefarch_required",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="report format on stdout; json is the content of mlrefarch.json (default: text)",
    )
    check.add_argument(
        "--builddir",
        metavar="DIR",
        help="keep the build in DIR (DIR/mlrefarch and DIR/doctrees) instead of a "
        "temporary directory",
    )
    check.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_jobs,
        default=1,
        help="read in N parallel processes ('auto': one per CPU)",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="no Sphinx progress output, only warnings"
    )
    check.add_argument(
        "-T",
        "--show-traceback",
        action="store_true",
        help="show the full traceback of an unexpected exception",
    )
    check.set_defaults(handler=cmd_check)

    model = commands.add_parser("model", help="show, validate or describe reference models")
    model_commands = model.add_subparsers(dest="model_command", metavar="COMMAND")
    show = model_commands.add_parser(
        "show",
        help="print the effective model",
        description="Print the effective model (the built-in one unless --model).",
    )
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")
    show.add_argument(
        "--model", metavar="FILE", help="model file to load (may say 'extends: default')"
    )
    show.set_defaults(handler=cmd_model_show)
    schema = model_commands.add_parser(
        "schema", help="print the JSON Schema of model files (for editors and CI)"
    )
    schema.set_defaults(handler=cmd_model_schema)
    validate = model_commands.add_parser(
        "validate",
        help="check a model file",
        description=(
            "Print every problem of a model file. Exit status: 0 valid, 1 problems but "
            "usable, 2 unreadable or unusable."
        ),
    )
    validate.add_argument("file", metavar="FILE")
    validate.set_defaults(handler=cmd_model_validate)
    model.set_defaults(handler=None, subparser=model)

    new = commands.add_parser(
        "new",
        help="print a solution document skeleton",
        description=(
            "Print a solution document: the solution directive, one planned abb per "
            "building block with its guidance questions as comments, and a coverage table."
        ),
    )
    new.add_argument("title", metavar="TITLE", help="title of the solution")
    new.add_argument("--format", choices=("rst", "md"), default="rst", help="(default: rst)")
    new.add_argument("--id", help="solution id (default: slug of the title)")
    new.add_argument("--model", metavar="FILE", help="model file to take the blocks from")
    new.set_defaults(handler=cmd_new)

    parser.set_defaults(handler=None, subparser=parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status instead of exiting."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse already reported
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.handler is None:
        args.subparser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Shorten a multi-line Sphinx message (e.g. one quoting a traceback) to one line.

    Sphinx puts the traceback of an exception in ``conf.py`` into the
    message; its first line says what happened and its last line names the
    exception, which is all a user needs to find the mistake.
    """
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0]
    return f"{lines[0].rstrip(':')}: {lines[-1]}"


def _stderr_supports_colour() -> bool:
    """Like Sphinx's own test, but for stderr, where all our Sphinx output goes."""
    if "NO_COLOR" in os.environ or "NO_COLOUR" in os.environ:
        return False
    if "FORCE_COLOR" in os.environ or "FORCE_COLOUR" in os.environ:
        return True
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and os.environ.get("TERM", "unknown").lower() not in {"dumb", "unknown"}


@contextlib.contextmanager
def _colour_for_stderr() -> Iterator[None]:
    """Switch Sphinx's (process-wide) colouring off for a non-terminal, then restore it.

    Colouring is global state in Sphinx; restoring it keeps an in-process
    caller (tests, another tool) unaffected by one ``check``.
    """
    from sphinx.util import console

    was_on = console.colorize("red", "x") != "x"
    if was_on and not _stderr_supports_colour():
        console.nocolor()
    try:
        yield
    finally:
        if was_on:
            console.coloron()


def _config_errors(app: Sphinx, required_from_cli: bool) -> list[str]:
    """Why the project's configuration gives no trustworthy verdict (empty: it does).

    Sphinx only warns about config values of the wrong type and the model
    loader drops faulty entries; both are fine for a documentation build but
    would make a CI verdict about something other than what was written.
    """
    errors: list[str] = []
    config = app.config
    model_value = config.mlrefarch_model
    if model_value is not None and not isinstance(model_value, str):
        errors.append(
            f"mlrefarch_model must be a path (str) or None, not {type(model_value).__name__}"
        )
        return errors
    required_value = config.mlrefarch_required
    if not isinstance(required_value, (str, list, tuple)) or (
        not isinstance(required_value, str)
        and not all(isinstance(item, str) for item in required_value)
    ):
        errors.append(
            "mlrefarch_required must be 'all', a comma-separated string or a list of "
            f"layer/block ids, not {required_value!r}"
        )
    file = configured_model_file(app)
    result = load_model(file)
    if result.model is None:
        errors.append(
            f"the reference model {file} cannot be used ({len(result.problems)} problem(s), "
            "see the mlrefarch.model warnings above)"
        )
        return errors
    if result.problems:
        errors.append(
            f"the reference model {file} has {len(result.problems)} problem(s) (see the "
            "mlrefarch.model warnings above); fix them so that coverage is checked "
            "against the model as written"
        )
    if not errors:
        refs = required_setting(required_value)
        _ids, unknown = result.model.expand(refs)
        if unknown:
            where = "--required" if required_from_cli else "mlrefarch_required"
            names = ", ".join(repr(ref) for ref in unknown)
            errors.append(
                f"{where} names {names}, which is neither a layer nor a building block of "
                f"the model (see 'mlrefarch model show')"
            )
    return errors


def _run_sphinx(
    args: argparse.Namespace, srcdir: Path, confdir: Path, build: Path
) -> tuple[str, bool]:
    """Build with the ``mlrefarch`` builder; return the report and whether blocks are missing.

    Raises (CliError or Sphinx's own exceptions) when there is no verdict.
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides: dict[str, Any] = {}
    if args.required is not None:
        refs = required_setting(args.required)
        if not refs:
            raise CliError("--required is empty; give 'all' or comma-separated layer/block ids")
        overrides["mlrefarch_required"] = ",".join(refs)
    status: IO[str] | None = None if args.quiet else sys.stderr
    with patch_docutils(str(confdir)), docutils_namespace():
        app = Sphinx(
            srcdir=str(srcdir),
            confdir=str(confdir),
            outdir=str(build / BUILDER),
            doctreedir=str(build / "doctrees"),
            buildername=BUILDER,
            confoverrides=overrides,
            status=status,
            warning=sys.stderr,
            freshenv=True,
            parallel=args.jobs,
        )
        errors = _config_errors(app, args.required is not None)
        if errors:
            raise CliError("; ".join(errors))
        app.build(force_all=True)
    portfolio = app.env.get_domain(DOMAIN).portfolio  # type: ignore[attr-defined]
    model = get_model(app.env)
    if args.format == "json":
        report = (Path(app.outdir) / FILENAME).read_text(encoding="utf-8")
    elif args.format == "markdown":
        report = markdown_report(model, portfolio)
    else:
        report = text_report(model, portfolio)
    missing = any(view.coverage.missing for view in portfolio.solutions.values())
    return report, missing


def cmd_check(args: argparse.Namespace) -> int:
    """``mlrefarch check``: the CI gate (see the module docstring for exit codes)."""
    from sphinx.errors import SphinxError

    srcdir = Path(args.src)
    if not srcdir.is_dir():
        raise CliError(f"source directory {args.src!r} does not exist")
    confdir = Path(args.confdir) if args.confdir else srcdir
    if not (confdir / "conf.py").is_file():
        raise CliError(f"no conf.py in {str(confdir)!r}; is it a Sphinx project? (see -c)")
    with contextlib.ExitStack() as stack:
        if args.builddir:
            build = Path(args.builddir)
        else:
            build = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mlrefarch-")))
        stack.enter_context(_colour_for_stderr())
        try:
            report, missing = _run_sphinx(
                args, srcdir.resolve(), confdir.resolve(), build.resolve()
            )
        except (CliError, KeyboardInterrupt):
            raise
        except SphinxError as exc:
            if args.show_traceback:
                traceback.print_exc()
            raise CliError(f"{exc.category.lower()}: {_one_line(str(exc))}") from exc
        except OSError as exc:
            if args.show_traceback:
                traceback.print_exc()
            raise CliError(_one_line(str(exc))) from exc
        except Exception as exc:
            if args.show_traceback:
                traceback.print_exc()
                raise CliError(f"unexpected {type(exc).__name__}: {_one_line(str(exc))}") from exc
            raise CliError(
                f"unexpected {type(exc).__name__}: {_one_line(str(exc))} "
                "(rerun with --show-traceback for details)"
            ) from exc
    sys.stdout.write(report)
    return EXIT_MISSING if missing else EXIT_OK


# --------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------


def _load_for_command(path: str | None) -> Model:
    """The built-in model, or ``path`` with its problems on stderr (unusable: CliError)."""
    if path is None:
        return default_model()
    result = load_model(path)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.model is None:
        raise CliError(f"{path}: the model cannot be used ({len(result.problems)} problem(s))")
    return result.model


def cmd_model_show(args: argparse.Namespace) -> int:
    """``mlrefarch model show``: what a project with this model actually checks against."""
    data = _load_for_command(args.model).to_dict()
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return EXIT_OK


def cmd_model_schema(args: argparse.Namespace) -> int:
    """``mlrefarch model schema``: the schema editors use for completion of model files."""
    sys.stdout.write(json.dumps(model_schema(), indent=2) + "\n")
    return EXIT_OK


def cmd_model_validate(args: argparse.Namespace) -> int:
    """``mlrefarch model validate``: lint a model file before a project relies on it."""
    result = load_model(args.file)
    for problem in result.problems:
        print(problem)
    if result.model is None:
        print(f"{args.file}: {len(result.problems)} problem(s); the model cannot be used")
        return EXIT_ERROR
    if result.problems:
        print(f"{args.file}: {len(result.problems)} problem(s)")
        return EXIT_MISSING
    model = result.model
    print(f"{args.file}: valid ({len(model.blocks)} blocks in {len(model.layers)} layers)")
    return EXIT_OK


# --------------------------------------------------------------------------
# new
# --------------------------------------------------------------------------

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _escape(text: str) -> str:
    """Backslash-escape ASCII punctuation: plain text in both rST and MyST.

    Both syntaxes read a backslash before punctuation as the literal
    character, so a title such as ``*Churn* model_`` cannot turn into
    markup, a reference or a warning.
    """
    return "".join(f"\\{char}" if char in _PUNCTUATION else char for char in text)


def _one_spaced(text: str) -> str:
    return " ".join(str(text).split())


def _rst_heading(text: str, char: str) -> list[str]:
    from docutils.utils import column_width

    title = _escape(text)
    return [title, char * max(column_width(title), 4), ""]


def _guidance(block: Block) -> list[str]:
    """The comment lines of a block: what it is about and the questions to answer."""
    lines = []
    if block.summary:
        lines.append(f"{block.title}: {_one_spaced(block.summary)}")
    if block.questions:
        lines.append("Guidance questions:")
        lines += [f"- {_one_spaced(q)}" for q in block.questions]
    return lines


def _placeholder(block: Block, markup: str) -> str:
    status = "``:status:``" if markup == "rst" else "`:status:`"
    sbb = "``:sbb:``" if markup == "rst" else "`:sbb:`"
    return (
        f"TODO: describe how this solution addresses {_escape(block.title)}, then set "
        f"{status} and list the products in {sbb}."
    )


def render_rst(model: Model, title: str, sid: str) -> str:
    """The skeleton in reStructuredText."""
    out = [*_rst_heading(title, "=")]
    out += [f".. solution:: {title}", f"   :id: {sid}", "   :owner: TODO", "   :status: draft", ""]
    for layer in model.layers:
        blocks = model.blocks_of_layer(layer.id)
        if not blocks:
            continue
        out += _rst_heading(layer.title, "-")
        for block in blocks:
            out += [f".. abb:: {block.id}", "   :status: planned", ""]
            comment = _guidance(block)
            if comment:
                out += ["   ..", *(f"      {line}" for line in comment), ""]
            out += [f"   {_placeholder(block, 'rst')}", ""]
    out += _rst_heading("Coverage", "-")
    out += [".. abb-coverage::", ""]
    return "\n".join(out)


def render_myst(model: Model, title: str, sid: str) -> str:
    """The skeleton in MyST Markdown (plain backtick fences, no extension needed)."""
    # A backtick fence's info string may not contain backticks (CommonMark).
    fence = "~~~" if "`" in title else "```"
    out = [f"# {_escape(title)}", ""]
    out += [
        f"{fence}{{solution}} {title}",
        f":id: {sid}",
        ":owner: TODO",
        ":status: draft",
        fence,
        "",
    ]
    for layer in model.layers:
        blocks = model.blocks_of_layer(layer.id)
        if not blocks:
            continue
        out += [f"## {_escape(layer.title)}", ""]
        for block in blocks:
            out += ["```{abb} " + block.id, ":status: planned", ""]
            comment = _guidance(block)
            if comment:
                out += [f"% {line}" for line in comment] + [""]
            out += [_placeholder(block, "md"), "```", ""]
    out += ["## Coverage", "", "```{abb-coverage}", "```", ""]
    return "\n".join(out)


def cmd_new(args: argparse.Namespace) -> int:
    """``mlrefarch new``: a document that lists every block, so none is forgotten."""
    title = _one_spaced(args.title)
    if not title:
        raise CliError("the title is empty; e.g. mlrefarch new 'Customer churn prediction'")
    if args.id is not None:
        sid = args.id
        if not sid or slugify(sid) != sid:
            hint = f"; e.g. {slugify(sid)!r}" if slugify(sid) else ""
            raise CliError(
                f"--id {sid!r} is not a valid id (lower-case letters, digits, hyphens){hint}"
            )
    else:
        sid = slugify(title)
        if not sid:
            raise CliError(f"cannot derive an id from the title {title!r}; give one with --id")
    model = _load_for_command(args.model)
    render = render_myst if args.format == "md" else render_rst
    sys.stdout.write(render(model, title, sid))
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
