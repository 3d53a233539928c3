"""Findings as a SARIF 2.1.0 log, for code-scanning dashboards (GitHub, GitLab, IDEs).

Pure. One run with one rule per warning subtype and one result per finding.
Locations are relative to ``base`` (the directory ``check`` runs in, the
checkout in CI) under the ``%SRCROOT%`` base id, because code scanning maps
results to repository files by such paths; a file outside ``base`` gets an
absolute ``file:`` URI and no base id, since resolving it against the root
would name another file. Fingerprints leave the line out, so editing text
above a finding does not turn it into a new alert.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..findings import BUILD, SUBTYPES, Finding
from .github import relative_path

__all__ = ["INFORMATION_URI", "RULE_TEXTS", "SARIF_SCHEMA", "rules", "sarif_log", "sarif_report"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://sphinx-mlrefarch.invalid/"
SRCROOT = "%SRCROOT%"
#: Our own fingerprint (versioned, so a change of recipe is not mistaken for the old one).
FINGERPRINT = "mlrefarchFinding/v1"
#: The key GitHub code scanning reads (it computes its own from the source line otherwise).
GITHUB_FINGERPRINT = "primaryLocationLineHash"

#: Per subtype: what the rule detects (short), what it means (full), what to do (help).
RULE_TEXTS: dict[str, tuple[str, str, str]] = {
    "model": (
        "Problem in the reference model",
        "The model file named by mlrefarch_model has an entry that is malformed, refers to "
        "something that does not exist, or cannot be read at all.",
        "Fix the model file at the reported line, or remove mlrefarch_model to use the "
        "built-in model.",
    ),
    "unknown": (
        "Unknown name",
        "A directive names a building block, aspect, environment, profile, solution or "
        "option value that the model or the project does not define.",
        "Use one of the defined names; the message suggests the closest one where there is one.",
    ),
    "duplicate": (
        "Declared twice",
        "A solution id, a constraint id or a building block of one solution is declared more "
        "than once, so only the first declaration counts.",
        "Keep one declaration or give the second one an id of its own.",
    ),
    "missing": (
        "Required building block not satisfied",
        "A building block the solution must cover is not declared, is only planned, or is "
        "marked not-applicable without saying why.",
        "Declare the block as addressed or partial, or as not-applicable with a justification "
        "in the directive's body.",
    ),
    "justification": (
        "Not-applicable without justification",
        "A building block is marked not-applicable but its directive has no body explaining "
        "why it does not apply.",
        "Write the reason in the body of the 'abb' directive.",
    ),
    "hosting": (
        "Hosting choices leave an environment open",
        "A solution has hosting choices, but none covers production or none covers building "
        "models (development or training).",
        "Add a hosting choice whose :environment: covers the environment that is left open.",
    ),
    "option": (
        "Invalid option value",
        "A directive option has a value outside its allowed set, or a required option is empty.",
        "Use one of the values the message lists.",
    ),
    "scope": (
        "Declaration outside its solution",
        "A declaration lies outside every solution, a document belongs to two solutions, or "
        "a view that needs a solution has none.",
        "Move the declaration into a solution's document or its toctree, or name the solution "
        "with :solution:.",
    ),
    "ref": (
        "Dangling reference",
        "A role names a building block, solution or constraint that does not exist.",
        "Correct the role's target; the message suggests the closest name where there is one.",
    ),
    "catalogue": (
        "Problem in the SBB catalogue",
        "The catalogue file named by mlrefarch_catalogue has a malformed entry or one that "
        "names a building block the model does not have.",
        "Fix the catalogue file at the reported line, or remove mlrefarch_catalogue to use the "
        "built-in catalogue.",
    ),
    "sbb": (
        "SBB outside the policy",
        "A solution building block is not in the catalogue, or is not free and open-source "
        "software where the policy asks for that.",
        "Name a catalogued product, add it to the catalogue, or relax mlrefarch_sbb_policy.",
    ),
    "build": (
        "Project could not be checked",
        "No verdict: the source directory or conf.py is missing, Sphinx failed, or an "
        "unexpected error stopped the check (only reported when there is no verdict).",
        "Fix the problem the message names and run the check again.",
    ),
    "import": (
        "Imported project unusable",
        "An mlrefarch.json named in mlrefarch_import cannot be read, is not valid, or was "
        "built against another model.",
        "Check the import's source and that both projects use the same reference model.",
    ),
}


def _texts(subtype: str) -> tuple[str, str, str]:
    return RULE_TEXTS.get(
        subtype,
        (
            f"mlrefarch.{subtype} warning",
            f"The mlrefarch extension reports a problem of kind {subtype!r}.",
            f"See the message; suppress_warnings = ['mlrefarch.{subtype}'] silences this kind.",
        ),
    )


def rules(subtypes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One reporting descriptor per subtype (default: every warning subtype), in name order."""
    out = []
    for subtype in sorted(SUBTYPES if subtypes is None else subtypes):
        short, full, help_text = _texts(subtype)
        out.append(
            {
                "id": f"mlrefarch.{subtype}",
                "name": subtype,
                "shortDescription": {"text": short},
                "fullDescription": {"text": full},
                "help": {"text": help_text},
                "defaultConfiguration": {
                    "level": "error" if subtype in ("missing", BUILD) else "warning"
                },
            }
        )
    return out


def _uri(path: str, base: str) -> dict[str, str]:
    """An artifact location: relative to ``%SRCROOT%`` inside ``base``, else absolute."""
    relative = relative_path(path, base)
    if relative == ".." or relative.startswith("../") or os.path.isabs(relative):
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SRCROOT}


def _fingerprint(finding: Finding, uri: str) -> str:
    key = "\0".join((finding.subtype, uri, finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(finding: Finding, index: dict[str, int], base: str, seen: Counter[str]) -> Any:
    rule = f"mlrefarch.{finding.subtype}"
    result: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": index[rule],
        "level": "error" if finding.level == "error" else "warning",
        "message": {"text": finding.message},
    }
    uri = ""
    if finding.file:
        artifact = _uri(finding.file, base)
        uri = artifact["uri"]
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if finding.line is not None and finding.line >= 1:
            physical["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": physical}]
    digest = _fingerprint(finding, uri)
    # Identical findings (same kind, file and message) are told apart by their rank.
    seen[digest] += 1
    result["partialFingerprints"] = {
        FINGERPRINT: digest,
        GITHUB_FINGERPRINT: f"{digest[:16]}:{seen[digest]}",
    }
    return result


def sarif_log(
    findings: Iterable[Finding],
    base: str,
    tool_version: str,
    subtypes: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The log as data; ``finding.file`` is each finding's absolute path ("" if none).

    ``subtypes`` are those with a rule (default: the warning subtypes); every
    finding's subtype must be one.
    """
    driver_rules = rules(subtypes)
    index = {rule["id"]: i for i, rule in enumerate(driver_rules)}
    seen: Counter[str] = Counter()
    results = [_result(f, index, base, seen) for f in findings]
    root = Path(base).as_uri()
    root += "" if root.endswith("/") else "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlrefarch",
                        "version": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": driver_rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root}},
                "results": results,
            }
        ],
    }


def sarif_report(findings: Iterable[Finding], base: str, tool_version: str) -> str:
    return json.dumps(sarif_log(findings, base, tool_version), indent=2, ensure_ascii=False) + "\n"
