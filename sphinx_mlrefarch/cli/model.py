"""``mlrefarch model show|schema|validate``: inspect a reference model without a project."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import yaml

from ..model import load_model, model_schema
from .common import EXIT_ERROR, EXIT_MISSING, EXIT_OK, load_for_command

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
    data = load_for_command(args.model).to_dict()
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
