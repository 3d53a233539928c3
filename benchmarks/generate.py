"""Generate a synthetic architecture portfolio and its plain-rST twin.

Each of the N solution documents has a ``solution``, 20 ``abb``
declarations with SBBs and bodies, 5 constraints, 3 hosting choices and a
coverage table; a portfolio page shows the matrix and a reference page the
model. The *baseline* twin replaces every directive by plain rST carrying
the same text (a rubric, a field list, the body), so plain Sphinx does the
same parsing work and the difference is what the extension costs.

The aggregate directives have no text of their own: what they show is
computed. The *plain* baseline leaves it out; the *equivalent* baseline
writes that output by hand (a list-table for each coverage table and for
the portfolio matrix, sections with labels for the reference model,
``:ref:``/``:doc:`` links where the extension links), so that comparison is
"the same pages, with and without the extension".
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from sphinx_mlrefarch.model import default_model

ASPECTS = ["business", "information", "frameworks", "hosting", "security", "maintenance"]
PRODUCTS = [
    "PostgreSQL", "Apache Arrow", "pandas", "JupyterLab", "scikit-learn", "PyTorch",
    "Kubernetes", "Ceph", "MLflow", "Airflow", "Grafana", "Vault", "Keycloak", "DVC",
]  # fmt: skip
STATUSES = ["addressed"] * 6 + ["partial", "planned", "not-applicable"]


def _fields(options: dict[str, str]) -> str:
    return "".join(f"   :{key}: {value}\n" for key, value in options.items())


def _plain(title: str, options: dict[str, str], body: str) -> str:
    """What the baseline writes instead of a directive: same words, plain markup."""
    fields = "".join(f":{key.capitalize()}: {value}\n" for key, value in options.items())
    return f".. rubric:: {title}\n\n{fields}\n{body}\n\n"


MARKS = {"addressed": "\u25cf", "partial": "\u25d0", "planned": "\u25cb",
         "not-applicable": "\u2013", "missing": "\u2717"}  # fmt: skip


def _list_table(header: list[str], rows: list[list[str]]) -> str:
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        out.append(f"   * - {row[0]}")
        out.extend(f"     - {cell}" for cell in row[1:])
    return "\n".join(out) + "\n\n"


MODES = ("extension", "plain", "equivalent")


def solution_doc(
    index: int, rng: random.Random, mode: str, statuses: dict[str, dict[str, str]]
) -> str:
    """One solution page; records its block statuses in ``statuses`` for the aggregates."""
    model = default_model()
    mine = statuses.setdefault(f"s{index:04d}", {})
    title = f"Solution {index:04d}: demand forecasting variant {index}"
    out = [title, "=" * len(title), ""]

    extension = mode == "extension"

    def directive(name: str, argument: str, options: dict[str, str], body: str = "") -> None:
        if extension:
            text = f".. {name}:: {argument}\n{_fields(options)}"
            if body:
                text += "\n" + "".join(f"   {line}\n" for line in body.splitlines())
            out.append(text)
        else:
            out.append(_plain(argument, options, body))

    directive(
        "solution",
        title,
        {"id": f"sol-{index:04d}", "owner": f"Team {index % 17}", "status": "proposed"},
        "Forecasts weekly demand per store and product group.",
    )
    rows = []
    for block in model.blocks:
        status = rng.choice(STATUSES)
        sbb = ", ".join(rng.sample(PRODUCTS, 2))
        mine[block.id] = status
        rows.append([f":ref:`{block.title} <abb-{block.id}>`", status, sbb, "this page"])
        body = (
            f"This solution covers {block.title.lower()} with {sbb}. "
            "The team reviews the choice every quarter against cost, skills and exit options; "
            "details are in the design record."
        )
        directive("abb", block.id, {"status": status, "sbb": sbb, "owner": "Platform team"}, body)
    for number in range(5):
        directive(
            "constraint",
            f"Constraint {number} of solution {index}",
            {
                "id": f"c{number}",
                "aspect": ASPECTS[number % len(ASPECTS)],
                "affects": "data, storage",
                "priority": "must",
                "source": "Internal policy",
            },
            "Stated by the architecture board.",
        )
    for number, env in enumerate(("development", "training", "production")):
        directive(
            "hosting-choice",
            f"{env.capitalize()} environment {number}",
            {
                "environment": env,
                "platform": "on-premise" if env != "production" else "cloud",
                "compute": "gpu" if env == "training" else "cpu",
                "containers": "Kubernetes",
                "storage": "Ceph",
            },
        )
    out.append("Coverage\n--------\n")
    if extension:
        out.append(".. abb-coverage::\n")
    elif mode == "equivalent":
        out.append(_list_table(["Building block", "Status", "SBBs", "Declared in"], rows))
        done = sum(1 for s in mine.values() if s != "planned")
        out.append(f"{done} of 20 required building blocks addressed.\n")
    else:
        out.append("The coverage table of this solution.\n")
    return "\n".join(out) + "\n"


def baseline_portfolio(statuses: dict[str, dict[str, str]]) -> str:
    model = default_model()
    header = ["Solution", "Coverage", *[b.title for b in model.blocks]]
    rows = []
    for sid, blocks in statuses.items():
        done = sum(1 for s in blocks.values() if s != "planned")
        marks = [MARKS[blocks[b.id]] for b in model.blocks]
        rows.append([f":doc:`solutions/{sid}`", f"{100 * done / 20:.1f}%", *marks])
    return _list_table(header, rows)


def baseline_book(statuses: dict[str, dict[str, str]]) -> str:
    model = default_model()
    out = []
    for layer in model.layers:
        out += [layer.title, "-" * len(layer.title), "", layer.description, ""]
        for block in model.blocks_of_layer(layer.id):
            out += [f".. _abb-{block.id}:", "", block.title, "~" * len(block.title), ""]
            out += [f"*{block.summary}*", "", block.description, "", ".. rubric:: Questions", ""]
            out += [f"* {q}" for q in block.questions] + ["", ".. rubric:: Addressed by", ""]
            links = [f":doc:`solutions/{sid}`" for sid in statuses]
            out += [", ".join(links), ""]
    return "\n".join(out) + "\n"


def generate(
    target: Path, count: int, mode: str = "extension", seed: int = 7, start: int = 0
) -> Path:
    """Write the project into ``target`` (replacing it) and return it.

    ``mode``: ``extension``, or one of the baselines ``plain`` / ``equivalent``.
    Solutions are numbered from ``start`` (the office benchmark gives each
    team project its own range, so ids stay unique across the office).
    """
    assert mode in MODES, mode
    extension = mode == "extension"
    if target.exists():
        shutil.rmtree(target)
    (target / "solutions").mkdir(parents=True)
    rng = random.Random(seed)
    conf = 'project = "bench"\nexclude_patterns = ["_build"]\n'
    if extension:
        conf += 'extensions = ["sphinx_mlrefarch"]\nsuppress_warnings = ["mlrefarch"]\n'
    else:
        conf += "extensions = []\n"
    (target / "conf.py").write_text(conf)
    indices = range(start, start + count)
    names = [f"solutions/s{i:04d}" for i in indices]
    statuses: dict[str, dict[str, str]] = {}
    for i, name in zip(indices, names, strict=True):
        (target / f"{name}.rst").write_text(solution_doc(i, rng, mode, statuses))
    portfolio = "Portfolio\n=========\n\n"
    book = "Reference\n=========\n\n"
    if extension:
        portfolio += ".. abb-coverage::\n   :solutions: all\n"
        book += ".. reference-model::\n"
    elif mode == "equivalent":
        portfolio += baseline_portfolio(statuses)
        book += baseline_book(statuses)
    else:
        portfolio += "All solutions.\n"
        book += "The model.\n"
    (target / "portfolio.rst").write_text(portfolio)
    (target / "book.rst").write_text(book)
    toctree = "".join(f"   {name}\n" for name in ["portfolio", "book", *names])
    (target / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n   :maxdepth: 1\n\n{toctree}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("-n", "--count", type=int, default=50)
    parser.add_argument("--mode", choices=MODES, default="extension")
    args = parser.parse_args()
    generate(args.target, args.count, args.mode)


if __name__ == "__main__":
    main()
