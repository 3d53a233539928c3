"""The project ``mlrefarch diff`` tests build: a portfolio before and after each kind of change.

Each variant is built with the ``mlrefarch`` builder into its own directory
(:func:`build_variants`); the tests diff the ``mlrefarch.json`` files
through the command, in-process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE_CONF
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.cli import main

INDEX = "Portfolio\n=========\n\n.. toctree::\n\n   churn\n   vision\n"

CHURN = """\
Churn
=====

.. solution:: Customer churn prediction
   :id: churn
   :owner: Data science team
   :required: data, data-tools, development-tools, ml-frameworks, programming-tools,
              hosting, compute, containers

.. abb:: data
   :sbb: PostgreSQL

.. abb:: data-tools
   :sbb: pandas

.. abb:: development-tools
   :sbb: JupyterLab

.. abb:: ml-frameworks
   :status: partial
   :sbb: scikit-learn

.. abb:: programming-tools
   :sbb: Python

.. constraint:: Customer data stays in the EU
   :id: eu-residency
   :aspect: security
   :affects: data, storage
   :priority: must

.. hosting-choice:: GPU training cluster
   :environment: development, training
   :platform: on-premise
   :compute: gpu
   :containers: Kubernetes

.. hosting-choice:: Inference service
   :environment: production
   :platform: cloud
   :compute: cpu
"""

VISION = """\
Vision
======

.. solution:: Defect detection
   :id: defect-detection
   :owner: Quality team
   :required: data-tools, ml-frameworks

.. abb:: data-tools
   :sbb: OpenCV

.. abb:: ml-frameworks
   :status: planned
"""

FRAUD = """\
Fraud
=====

.. solution:: Fraud | *alerts* <b>
   :id: fraud
   :required: data-tools

.. abb:: data-tools
"""

MODEL = """\
extends: default
blocks:
  - id: feature-store
    title: Feature Store
    layer: data
    summary: One place for the features that training and serving share.
remove: [networking]
"""

EDGE = """
.. hosting-choice:: Edge gateway
   :environment: production
   :platform: edge
   :compute: cpu
"""


def _regressed() -> dict[str, str]:
    churn = CHURN.replace(".. abb:: data-tools\n   :sbb: pandas\n\n", "")
    churn = churn.replace(
        ".. abb:: programming-tools\n", ".. abb:: programming-tools\n   :status: planned\n"
    )
    churn = churn.replace(
        ":affects: data, storage\n   :priority: must", ":affects: data\n   :priority: should"
    )
    churn = churn[: churn.index(".. hosting-choice:: Inference service")] + EDGE
    return {
        "index.rst": INDEX + "   fraud\n",
        "churn.rst": churn,
        "vision.rst": VISION,
        "fraud.rst": FRAUD,
    }


def _improved() -> dict[str, str]:
    vision = VISION.replace(":status: planned", ":status: addressed")
    vision += "\n.. constraint:: Images stay on site\n   :aspect: security\n   :affects: data\n"
    return {"index.rst": INDEX, "churn.rst": CHURN, "vision.rst": vision}


VARIANTS: dict[str, tuple[dict[str, str], str]] = {
    "base": ({"index.rst": INDEX, "churn.rst": CHURN, "vision.rst": VISION}, ""),
    "same": ({"index.rst": INDEX, "churn.rst": CHURN, "vision.rst": VISION}, ""),
    "regressed": (_regressed(), ""),
    "removed": ({"index.rst": INDEX.replace("   vision\n", ""), "churn.rst": CHURN}, ""),
    "improved": (_improved(), ""),
    "model": (
        {"index.rst": INDEX, "churn.rst": CHURN, "vision.rst": VISION, "model.yaml": MODEL},
        'mlrefarch_model = "model.yaml"\n',
    ),
}


def build_variants(
    root: Path, variants: dict[str, tuple[dict[str, str], str]] | None = None
) -> dict[str, Path]:
    """Build every variant (of :data:`VARIANTS` by default) under ``root``; their output dirs.

    A variant's ``conf.py`` text may name ``{root}``, the directory they are built in.
    """
    out = {}
    for name, (files, conf) in (VARIANTS if variants is None else variants).items():
        src = root / name / "src"
        src.mkdir(parents=True)
        (src / "conf.py").write_text(BASE_CONF + conf.replace("{root}", str(root)), "utf-8")
        for path, text in files.items():
            (src / path).write_text(text, encoding="utf-8")
        out[name] = root / name / "out"
        assert build_main(["-Q", "-b", "mlrefarch", str(src), str(out[name])]) == 0
        assert (out[name] / "mlrefarch.json").is_file()
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    """``mlrefarch ARGV`` in-process: exit status, stdout, stderr."""
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def diff_json(capsys: pytest.CaptureFixture[str], old: Path, new: Path) -> dict[str, Any]:
    status, out, err = run(capsys, "diff", old, new, "--format", "json", "--fail-on", "never")
    assert status == 0, err
    return dict(json.loads(out))
