"""``mlrefarch model show|schema|validate``: inspect a reference model without a project."""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_OK, load_for_command, verdict, write_data, write_schema

__all__ = ["add_parser"]


def add_parser(commands: Any) -> None:
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


def cmd_model_show(args: argparse.Namespace) -> int:
    """``mlrefarch model show``: what a project with this model actually checks against."""
    return write_data(load_for_command(args.model).to_dict(), args.format)


def cmd_model_schema(args: argparse.Namespace) -> int:
    """``mlrefarch model schema``: the schema editors use for completion of model files."""
    from ..model import model_schema  # loaded by the handlers (see common.py)

    return write_schema(model_schema())


def cmd_model_validate(args: argparse.Namespace) -> int:
    """``mlrefarch model validate``: lint a model file before a project relies on it."""
    from ..model import load_model

    result = load_model(args.file)
    status = verdict(args.file, result.problems, "model", result.model is None)
    if status is not None:
        return status
    model = result.model
    assert model is not None  # verdict() said 'cannot be used' otherwise
    print(f"{args.file}: valid ({len(model.blocks)} blocks in {len(model.layers)} layers)")
    return EXIT_OK
