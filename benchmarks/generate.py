"""Generate a synthetic architecture portfolio and its plain-rST twin.

Each of the N solution documents has a ``solution``, 20 ``abb``
declarations with SBBs and bodies, 5 constraints, 3 hosting choices and a
coverage table; a portfolio page shows the matrix and a reference page the
model. The *baseline* twin replaces every directive by plain rST carrying
the same text (a rubric, a field list, the body), so plain Sphinx does the
same parsing work and the difference is what the extension costs.
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


def solution_doc(index: int, rng: random.Random, extension: bool) -> str:
    model = default_model()
    title = f"Solution {index:04d}: demand forecasting variant {index}"
    out = [title, "=" * len(title), ""]

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
    for block in model.blocks:
        status = rng.choice(STATUSES)
        sbb = ", ".join(rng.sample(PRODUCTS, 2))
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
    else:
        out.append(".. rubric:: Coverage\n\nThe coverage table of this solution.\n")
    return "\n".join(out) + "\n"


def generate(target: Path, count: int, extension: bool, seed: int = 7) -> Path:
    """Write the project into ``target`` (replacing it) and return it."""
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
    names = [f"solutions/s{i:04d}" for i in range(count)]
    for i, name in enumerate(names):
        (target / f"{name}.rst").write_text(solution_doc(i, rng, extension))
    portfolio = "Portfolio\n=========\n\n"
    portfolio += ".. abb-coverage::\n   :solutions: all\n" if extension else "All solutions.\n"
    (target / "portfolio.rst").write_text(portfolio)
    book = "Reference\n=========\n\n"
    book += ".. reference-model::\n" if extension else "The model.\n"
    (target / "book.rst").write_text(book)
    toctree = "".join(f"   {name}\n" for name in ["portfolio", "book", *names])
    (target / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n   :maxdepth: 1\n\n{toctree}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("-n", "--count", type=int, default=50)
    parser.add_argument("--baseline", action="store_true", help="write the plain-rST twin")
    args = parser.parse_args()
    generate(args.target, args.count, not args.baseline)


if __name__ == "__main__":
    main()
