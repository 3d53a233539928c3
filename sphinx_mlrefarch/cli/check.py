"""``mlrefarch check``: build a project with the ``mlrefarch`` builder and judge its coverage.

It drives Sphinx itself instead of parsing sources on its own, so it sees
exactly what ``sphinx-build`` sees: the same ``conf.py``, extensions,
parsers (MyST included) and warnings. The verdict comes from the build's
own findings: a problem with the configuration or the model (the
findings :func:`..config.read_settings` makes) means no verdict.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..config import required_refs
from ..domain import get_domain
from ..export import FILENAME
from ..findings import Finding
from ..log import report
from ..reports.markdown import markdown_report
from ..reports.text import text_report
from .common import EXIT_MISSING, EXIT_OK, CliError

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
    "Run Sphinx's mlrefarch builder on SRC and print a coverage report per solution. Exit "
    "status: 0 every required block is satisfied, 1 some are missing, 2 error (missing SRC or "
    "conf.py, Sphinx error, bad config value, model file with problems)."
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


def _config_error(findings: list[Finding], required_from_cli: bool) -> CliError:
    """Why there is no verdict: each configuration or model problem, on one line."""
    messages = [f.message for f in findings]
    if required_from_cli:
        messages = [m.replace("mlrefarch_required", "--required") for m in messages]
    return CliError(
        f"no verdict: {len(messages)} problem(s) with the configuration or the reference "
        "model (see the warnings above): " + "; ".join(messages)
    )


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
        refs, problem = required_refs(args.required)
        if problem is not None:
            raise CliError(problem.replace("mlrefarch_required", "--required"))
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
        problems = list(domain.settings.findings)
        if problems:
            for finding in problems:
                report(finding)
            raise _config_error(problems, args.required is not None)
        app.build(force_all=True)
    model, portfolio = domain.model, domain.portfolio
    if args.format == "json":
        text = (Path(app.outdir) / FILENAME).read_text(encoding="utf-8")
    elif args.format == "markdown":
        text = markdown_report(model, portfolio)
    else:
        text = text_report(model, portfolio)
    missing = any(view.coverage.missing for view in portfolio.solutions.values())
    return text, missing


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
