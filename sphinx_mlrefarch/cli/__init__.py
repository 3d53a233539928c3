"""The ``mlrefarch`` command: check a project, inspect a model, start a solution document.

One module per command (:mod:`.check`, :mod:`.model`, :mod:`.new`); each
adds its parser and does its work. Exit codes are the command's API for CI:

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
import sys

from . import catalogue, check, diff, model, new
from .common import EXIT_ERROR, PROG, CliError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; a function of its own so documentation tools can render it."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Check Sphinx solution architectures against an ML reference model, inspect "
            "the model, and start new solution documents."
        ),
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in (check, diff, model, catalogue, new):
        command.add_parser(commands)
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


if __name__ == "__main__":
    raise SystemExit(main())
