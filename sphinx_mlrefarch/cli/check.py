"""``mlrefarch check``: build a project with the ``mlrefarch`` builder and judge its coverage.

It drives Sphinx itself instead of parsing sources on its own, so it sees
exactly what ``sphinx-build`` sees: the same ``conf.py``, extensions,
parsers (MyST included) and warnings. The verdict comes from the build's
own findings: a problem with the configuration or the model (the
findings :func:`..config.read_settings` makes) means no verdict; an
import of another project that cannot be used is only a warning.

The report goes to stdout, or with ``--output`` into a file: ``text``,
``json`` (``mlrefarch.json``), ``markdown``, and for CI systems ``github``
(workflow commands), ``sarif`` (code scanning) and ``junit`` (test
results). Whatever the format, the exit status is the same. A run without
a verdict (exit status 2) writes no report in the formats for people; the
CI formats report the problems that prevented one instead
(:mod:`..reports.no_verdict`), so the CI system sees them and a step that
uploads the file finds it. ``--output`` (:mod:`.output`) is checked before
the build, which can take minutes, and written atomically, so a reader
never sees half a report. Sphinx and everything that needs it is imported
only when the command runs: building the parser (``--help``, the other
commands) stays cheap.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .common import EXIT_ERROR, EXIT_MISSING, EXIT_OK, CliError
from .output import check_output, write_output

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..domain import MlrefarchDomain
    from ..findings import Finding
    from ..records import Place

__all__ = ["add_parser", "cmd_check"]

#: Builder that ``check`` runs: reads and checks, writes only JSON and a report.
BUILDER = "mlrefarch"


def _jobs(value: str) -> int:
    """``-j N`` or ``-j auto``, as ``sphinx-build`` accepts it."""
    if value == "auto":
        return os.cpu_count() or 1
    jobs = int(value) if value.isdigit() else 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'auto', not {value!r}")
    return jobs


HELP = "build a project with the mlrefarch builder and report coverage"
DESCRIPTION = (
    "Run Sphinx's mlrefarch builder on SRC and print a coverage report per solution (or "
    "write it to --output FILE). Exit status, whatever the format: 0 every required block is "
    "satisfied, 1 some are missing, 2 error (missing SRC or conf.py, Sphinx error, bad config "
    "value, model file with problems, unwritable --output); on 2 the github, sarif and junit "
    "formats report the problems that prevented a verdict, the others write nothing."
)

#: ``--format`` values: reports for people first, then those for CI systems.
FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")
FORMAT_HELP = (
    "report format: text (default); json, the content of mlrefarch.json; markdown, a table "
    "per solution; github, one GitHub Actions ::error/::warning command per finding (paths "
    "relative to the current directory); sarif, a SARIF 2.1.0 log for code scanning; junit, "
    "JUnit XML with a test suite per solution and a test case per required block"
)


def add_parser(commands: Any) -> None:
    check = commands.add_parser("check", help=HELP, description=DESCRIPTION)
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
    check.add_argument("--format", choices=FORMATS, default="text", help=FORMAT_HELP)
    check.add_argument(
        "--output",
        metavar="FILE",
        help="write the report to FILE (replaced atomically) instead of stdout; without a "
        "verdict, github, sarif and junit write the problems that prevented one, the other "
        "formats nothing",
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


class NoVerdictError(CliError):
    """A CliError with the located problems that prevented a verdict, for the CI formats."""

    def __init__(self, message: str, problems: Sequence[Finding]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


def _from_cli(findings: list[Finding]) -> list[Finding]:
    """Problems of ``--required`` named as the option, not placed in ``conf.py``.

    The option reaches the build as an override of ``mlrefarch_required``,
    whose problems would otherwise point at a ``conf.py`` line that does not
    hold the value.
    """
    return [
        dataclasses.replace(
            f, message=f.message.replace("mlrefarch_required", "--required"), file="", line=None
        )
        if "mlrefarch_required" in f.message
        else f
        for f in findings
    ]


def _config_error(findings: list[Finding]) -> NoVerdictError:
    """Why there is no verdict: each configuration, model or catalogue problem, on one line."""
    return NoVerdictError(
        f"no verdict: {len(findings)} problem(s) with the configuration, the reference "
        "model or the SBB catalogue (see the warnings above): "
        + "; ".join(f.message for f in findings),
        findings,
    )


def _problems(error: CliError) -> tuple[Finding, ...]:
    """The problems behind ``error``: its located ones, else its message (a ``build`` one)."""
    from ..reports.no_verdict import problem

    if isinstance(error, NoVerdictError):
        return error.problems
    return (problem(str(error)),)


def _run_sphinx(
    args: argparse.Namespace, srcdir: Path, confdir: Path, build: Path
) -> tuple[str, bool]:
    """Build with the ``mlrefarch`` builder; return the report and whether blocks are missing.

    Raises (CliError or Sphinx's own exceptions) when there is no verdict.
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from ..config import required_refs
    from ..domain import get_domain
    from ..log import report, tags_needed
    from ..reports.no_verdict import problem as _no_verdict_problem

    overrides: dict[str, Any] = {}
    if args.required is not None:
        refs, problem = required_refs(args.required)
        if problem is not None:
            message = problem.replace("mlrefarch_required", "--required")
            raise NoVerdictError(message, [_no_verdict_problem(message, "option")])
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
        domain = get_domain(app.env)
        # an import that cannot be read is another project's problem: the build
        # goes on without it (imports never count in this project's coverage),
        # and the warning is reported with the build's other findings
        problems = [f for f in domain.settings.findings if f.subtype != "import"]
        if problems:
            if args.required is not None:
                problems = _from_cli(problems)
            tag = tags_needed(app.config)
            for finding in problems:
                report(finding, tag)
            raise _config_error(problems)
        app.build(force_all=True)
    missing = any(view.coverage.missing for view in domain.portfolio.solutions.values())
    return _render(args.format, app, domain), missing


def _place(app: Sphinx, place: Place) -> tuple[str, int | None]:
    """A place's absolute path and line: its file, else its document's source ("" if neither).

    Docutils names an included file relative to the current directory; a
    pseudo-source such as ``<rst_prologue>`` stands for text that is in no
    file, so the document is named instead, without a line of another text.
    """
    file = place.file
    if file and (os.path.isabs(file) or os.path.exists(file)):
        return os.path.abspath(file), place.line
    document = str(app.env.doc2path(place.docname)) if place.docname else ""
    return document, None if file else place.line


def _render(fmt: str, app: Sphinx, domain: MlrefarchDomain) -> str:
    """The report in ``fmt``; the CI formats get plain paths, relative to the current directory."""
    from .. import __version__
    from ..jsonformat import FILENAME
    from ..reports.github import github_report, relative_path
    from ..reports.junit import junit_report
    from ..reports.markdown import markdown_report
    from ..reports.sarif import sarif_report
    from ..reports.text import text_report

    model, portfolio = domain.model, domain.portfolio
    if fmt == "json":
        return (Path(app.outdir) / FILENAME).read_text(encoding="utf-8")
    if fmt == "markdown":
        return markdown_report(model, portfolio)
    if fmt == "text":
        return text_report(model, portfolio)
    base = os.getcwd()
    if fmt == "junit":
        files = {}
        for sid, view in portfolio.solutions.items():
            path = _place(app, view.record)[0]
            files[sid] = relative_path(path, base) if path else ""
        return junit_report(model, portfolio, files)
    located = []
    for finding in domain.all_findings:
        path, line = _place(app, finding)
        located.append(dataclasses.replace(finding, file=path, line=line))
    if fmt == "github":
        return github_report(located, base)
    return sarif_report(located, base, __version__)


def _emit(args: argparse.Namespace, output: Path | None, text: str) -> None:
    """The report on stdout, or in the ``--output`` file."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, output, text)


def _report_no_verdict(args: argparse.Namespace, output: Path | None, error: CliError) -> None:
    """For a CI format, the document of the problems that prevented a verdict.

    The CI system reads the document, not stderr, and an upload step fails
    on a missing file; the exit status stays 2 (the caller re-raises).
    """
    from .. import __version__
    from ..reports.no_verdict import FORMATS, no_verdict_report

    if args.format not in FORMATS:
        return
    text = no_verdict_report(args.format, _problems(error), os.getcwd(), __version__, EXIT_ERROR)
    try:
        _emit(args, output, text)
    except CliError as cannot:
        raise CliError(f"{error}; and {cannot}") from error


def cmd_check(args: argparse.Namespace) -> int:
    """``mlrefarch check``: the CI gate (see the module docstring for exit codes).

    ``--output`` is checked first: every later error can then be reported
    in it (the CI formats), and a mistyped path fails before the build.
    """
    output = None if args.output is None else check_output(args.output, Path(args.src))
    try:
        report, missing = _check(args)
    except CliError as error:
        _report_no_verdict(args, output, error)
        raise
    _emit(args, output, report)
    return EXIT_MISSING if missing else EXIT_OK


def _check(args: argparse.Namespace) -> tuple[str, bool]:
    """The report and whether blocks are missing; CliError when there is no verdict."""
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
            return _run_sphinx(args, srcdir.resolve(), confdir.resolve(), build.resolve())
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
