"""``mlrefarch new``: a solution document that lists every block, so none is forgotten.

Each block comes with what helps to settle it, as comments that the built
document does not show: the block's summary, its guidance questions and the
first few FOSS products the catalogue offers for it.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, Any

from ..names import slugify
from .catalogue import load_catalogue_for_command
from .common import EXIT_OK, CliError, load_for_command

if TYPE_CHECKING:  # loaded by the handler (see common.py)
    from ..catalogue import Catalogue
    from ..model import Block, Model

__all__ = ["add_parser", "render_myst", "render_rst"]


HELP = "print a solution document skeleton"
DESCRIPTION = (
    "Print a solution document: the solution directive, one planned abb per building block "
    "with its guidance questions and up to five FOSS products of the catalogue as comments, "
    "and a coverage table."
)

#: How many products of the catalogue each block suggests.
SUGGESTIONS = 5

#: The command that lists the catalogue, named in the suggestions.
SEE = "mlrefarch catalogue show"


def add_parser(commands: Any) -> None:
    new = commands.add_parser("new", help=HELP, description=DESCRIPTION)
    new.add_argument("title", metavar="TITLE", help="title of the solution")
    new.add_argument("--format", choices=("rst", "md"), default="rst", help="(default: rst)")
    new.add_argument("--id", help="solution id (default: slug of the title)")
    new.add_argument("--model", metavar="FILE", help="model file to take the blocks from")
    new.add_argument(
        "--catalogue",
        metavar="FILE",
        help="catalogue file to take the product suggestions from (default: the built-in one)",
    )
    new.set_defaults(handler=cmd_new)


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Punctuation that makes no markup inside a line in rST or MyST; escaped only
#: where it starts the text (``.. x`` is a comment, ``- x`` a list item).
_INERT = frozenset(",;'\"()?!@/.:-")


def _escape(text: str) -> str:
    """Backslash-escape the ASCII punctuation that could become markup, in rST and MyST.

    Both syntaxes read a backslash before punctuation as the literal
    character, so a title such as ``*Churn* model_`` cannot turn into
    markup, a reference or a warning. Commas, stops and the like are left
    alone after the first character, so "People, Skills and Culture" reads
    as written in the generated source.
    """
    return "".join(
        f"\\{char}" if char in _PUNCTUATION and (i == 0 or char not in _INERT) else char
        for i, char in enumerate(text)
    )


def _one_spaced(text: str) -> str:
    return " ".join(str(text).split())


def _rst_heading(text: str, char: str) -> list[str]:
    from docutils.utils import column_width

    title = _escape(text)
    return [title, char * max(column_width(title), 4), ""]


def _suggestions(block: Block, catalogue: Catalogue | None, see: str) -> str | None:
    """One comment line naming the first FOSS products for ``block``; None when there is none.

    Every name goes through :func:`_one_spaced`: the schema lets a name hold
    a line break, and a line break would end the comment (rST: a line
    indented less; MyST: a line without ``%``) and put the rest in the page.
    """
    if catalogue is None:
        return None
    products = [p for p in catalogue.for_block(block.id) if p.foss]
    if not products:
        return None
    named = ", ".join(
        f"{_one_spaced(p.name)} ({_one_spaced(p.licence)})" for p in products[:SUGGESTIONS]
    )
    more = len(products) - SUGGESTIONS
    tail = f", and {more} more" if more > 0 else ""
    return f"FOSS options in the catalogue: {named}{tail}; see `{_one_spaced(see)}`"


def _guidance(block: Block, catalogue: Catalogue | None = None, see: str = "") -> list[str]:
    """The comment lines of a block: what it is about, the questions, the products."""
    lines = []
    if block.summary:
        lines.append(f"{_one_spaced(block.title)}: {_one_spaced(block.summary)}")
    if block.questions:
        lines.append("Guidance questions:")
        lines += [f"- {_one_spaced(q)}" for q in block.questions]
    suggestion = _suggestions(block, catalogue, see)
    if suggestion:
        lines.append(suggestion)
    return lines


def _placeholder(block: Block, markup: str) -> str:
    status = "``:status:``" if markup == "rst" else "`:status:`"
    sbb = "``:sbb:``" if markup == "rst" else "`:sbb:`"
    return (
        f"TODO: describe how this solution addresses {_escape(block.title)}, then set "
        f"{status} and list the products in {sbb}."
    )


def render_rst(
    model: Model, title: str, sid: str, catalogue: Catalogue | None = None, see: str = SEE
) -> str:
    """The skeleton in reStructuredText; ``see`` is the command that lists the catalogue."""
    out = [*_rst_heading(title, "=")]
    out += [f".. solution:: {title}", f"   :id: {sid}", "   :owner: TODO", "   :status: draft", ""]
    for layer in model.layers:
        blocks = model.blocks_of_layer(layer.id)
        if not blocks:
            continue
        out += _rst_heading(layer.title, "-")
        for block in blocks:
            out += [f".. abb:: {block.id}", "   :status: planned", ""]
            comment = _guidance(block, catalogue, see)
            if comment:
                out += ["   ..", *(f"      {line}" for line in comment), ""]
            out += [f"   {_placeholder(block, 'rst')}", ""]
    out += _rst_heading("Coverage", "-")
    out += [".. abb-coverage::", ""]
    return "\n".join(out)


def render_myst(
    model: Model, title: str, sid: str, catalogue: Catalogue | None = None, see: str = SEE
) -> str:
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
            comment = _guidance(block, catalogue, see)
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
    model = load_for_command(args.model)
    catalogue = load_catalogue_for_command(args.catalogue, model)
    render = render_myst if args.format == "md" else render_rst
    sys.stdout.write(render(model, title, sid, catalogue, _see(args)))
    return EXIT_OK


def _see(args: argparse.Namespace) -> str:
    """The ``catalogue show`` command that lists the catalogue the suggestions came from."""
    words = [SEE]
    for option in ("catalogue", "model"):
        path = getattr(args, option)
        if path is not None:
            words += [f"--{option}", shlex.quote(path)]
    return " ".join(words)
