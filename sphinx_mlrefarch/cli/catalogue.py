"""``mlrefarch catalogue show|schema|validate``: inspect an SBB catalogue without a project.

A catalogue only means something against a model (an entry names the
blocks it can realise), so every subcommand that reads one reads a model
too: the built-in one, or ``--model FILE``. Exit codes are those of
``mlrefarch model``:

``catalogue show``
    0 when the catalogue can be used (its problems, and the model's, go to
    stderr as ``file:line: path: message``); 2 when it or the model cannot.
``catalogue validate``
    0 no problems; 1 problems, but the catalogue is usable (faulty entries
    are dropped); 2 the catalogue or the model cannot be read or used. A
    problem of the model file counts too, because the catalogue was then
    checked against a model other than the one the file describes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import (
    EXIT_MISSING,
    EXIT_OK,
    load_for_command,
    usable,
    verdict,
    write_data,
    write_schema,
)

if TYPE_CHECKING:  # loaded by the handlers (see common.py)
    from ..catalogue import Catalogue
    from ..model import Model, Problem

__all__ = ["add_parser", "load_catalogue_for_command"]

HELP = "show, validate or describe SBB catalogues"
DESCRIPTION = (
    "Inspect a catalogue of solution building blocks (products mapped to the model's "
    "blocks), checked against the built-in model or --model FILE."
)
SHOW_HELP = "print the effective catalogue"
SHOW_DESCRIPTION = (
    "Print the effective catalogue (the built-in one unless --catalogue), fitted to the "
    "model: entries keep only the blocks the model has."
)
SCHEMA_HELP = "print the JSON Schema of catalogue files (for editors and CI)"
SCHEMA_DESCRIPTION = "Print the JSON Schema that catalogue files follow."
VALIDATE_HELP = "check a catalogue file"
VALIDATE_DESCRIPTION = (
    "Print every problem of a catalogue file, checked against the model. Exit status: "
    "0 valid, 1 problems but usable (a problem of the --model file counts), "
    "2 unreadable or unusable."
)
CATALOGUE_OPTION_HELP = "catalogue file to load (may say 'extends: default')"
MODEL_OPTION_HELP = "model file the catalogue's blocks refer to (default: the built-in model)"


def add_parser(commands: Any) -> None:
    catalogue = commands.add_parser("catalogue", help=HELP, description=DESCRIPTION)
    subcommands = catalogue.add_subparsers(dest="catalogue_command", metavar="COMMAND")
    show = subcommands.add_parser("show", help=SHOW_HELP, description=SHOW_DESCRIPTION)
    show.add_argument("--format", choices=("yaml", "json"), default="yaml", help="(default: yaml)")
    show.add_argument("--catalogue", metavar="FILE", help=CATALOGUE_OPTION_HELP)
    show.add_argument("--model", metavar="FILE", help=MODEL_OPTION_HELP)
    show.set_defaults(handler=cmd_catalogue_show)
    schema = subcommands.add_parser("schema", help=SCHEMA_HELP, description=SCHEMA_DESCRIPTION)
    schema.set_defaults(handler=cmd_catalogue_schema)
    validate = subcommands.add_parser(
        "validate", help=VALIDATE_HELP, description=VALIDATE_DESCRIPTION
    )
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--model", metavar="FILE", help=MODEL_OPTION_HELP)
    validate.set_defaults(handler=cmd_catalogue_validate)
    catalogue.set_defaults(handler=None, subparser=catalogue)


def load_catalogue_for_command(path: str | None, model: Model) -> Catalogue:
    """The built-in catalogue, or ``path`` with its problems on stderr (unusable: CliError)."""
    from ..catalogue import load_catalogue

    result = load_catalogue(path, model)
    return usable(result.catalogue, result.problems, str(path), "catalogue")


def cmd_catalogue_show(args: argparse.Namespace) -> int:
    """``mlrefarch catalogue show``: what a project with this catalogue and model offers."""
    model = load_for_command(args.model)
    return write_data(load_catalogue_for_command(args.catalogue, model).to_dict(), args.format)


def cmd_catalogue_schema(args: argparse.Namespace) -> int:
    """``mlrefarch catalogue schema``: the schema editors use for completion of catalogue files."""
    from ..catalogue import catalogue_schema

    return write_schema(catalogue_schema())


def cmd_catalogue_validate(args: argparse.Namespace) -> int:
    """``mlrefarch catalogue validate``: lint a catalogue file before a project relies on it."""
    # like load_for_command, but the verdict needs to know of the model's problems
    from ..catalogue import load_catalogue
    from ..model import default_model, load_model

    model = default_model()
    model_problems: tuple[Problem, ...] = ()
    if args.model is not None:
        loaded = load_model(args.model)
        model = usable(loaded.model, loaded.problems, args.model, "model")
        model_problems = loaded.problems
    result = load_catalogue(args.file, model)
    status = verdict(args.file, result.problems, "catalogue", result.catalogue is None)
    if status is not None:
        return status
    assert result.catalogue is not None  # verdict() said 'cannot be used' otherwise
    if model_problems:
        print(
            f"{args.file}: no problems of its own, but the model {args.model} has "
            f"{len(model_problems)} problem(s), so it was checked against the usable rest"
        )
        return EXIT_MISSING
    print(f"{args.file}: valid ({_summary(result.catalogue, model)})")
    return EXIT_OK


def _summary(catalogue: Catalogue, model: Model) -> str:
    entries = catalogue.entries
    foss = sum(1 for product in entries if product.foss)
    served = sum(1 for block in model.blocks if catalogue.for_block(block.id))
    return (
        f"{len(entries)} entries, {foss} of them FOSS, "
        f"for {served} of the model's {len(model.blocks)} blocks"
    )
