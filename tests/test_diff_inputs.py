"""``mlrefarch diff`` with inputs that are not a readable ``mlrefarch.json``: exit 2, one line.

Every bad input is tried as OLD and as NEW against a real build; the error
must name the bad file (not the good one), say what is wrong, leave stdout
empty and show no traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE_CONF
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.cli import main

SOLUTION = """\
Churn
=====

.. solution:: Customer churn prediction
   :id: churn
   :required: data-tools, ml-frameworks

.. abb:: data-tools
   :sbb: pandas

.. abb:: ml-frameworks
   :status: planned

.. constraint:: Customer data stays in the EU
   :id: eu-residency
   :aspect: security
"""


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ``mlrefarch.json`` (built with ``-b mlrefarch``)."""
    root = tmp_path_factory.mktemp("good")
    (root / "src").mkdir()
    (root / "src" / "conf.py").write_text(BASE_CONF, "utf-8")
    (root / "src" / "index.rst").write_text(SOLUTION, "utf-8")
    assert build_main(["-Q", "-b", "mlrefarch", str(root / "src"), str(root / "out")]) == 0
    return root / "out" / "mlrefarch.json"


def _edited(edit: Callable[[dict[str, Any]], Any]) -> Callable[[str], bytes]:
    """A bad input made from the good file's JSON by ``edit`` (in place)."""

    def make(text: str) -> bytes:
        data = json.loads(text)
        edit(data)
        return json.dumps(data, indent=2).encode()

    return make


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for part in path[:-1]:
            data = data[part]
        data[path[-1]] = value

    return edit


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for part in path[:-1]:
            data = data[part]
        del data[path[-1]]

    return edit


COVERAGE = ("solutions", "churn", "coverage")

#: name -> (the bad bytes made from the good text, a pattern the message must match)
BAD: dict[str, tuple[Callable[[str], bytes], str]] = {
    "empty": (lambda t: b"", r"the file is empty"),
    "blank": (lambda t: b"  \n\n", r"the file is empty"),
    "truncated": (
        lambda t: t[: len(t) // 2].encode(),
        r":\d+:\d+: the JSON ends early .*truncated",
    ),
    "truncated-in-string": (
        lambda t: t[: t.index("Customer churn") + 4].encode(),
        r":\d+:\d+: the JSON ends early .*truncated",
    ),
    "invalid-json": (lambda t: b'{"version": 1,, "model": {}}', r":1:15: invalid JSON: "),
    "nan": (
        lambda t: t.replace('"percent": 50.0', '"percent": NaN').encode(),
        r"NaN is not a JSON",
    ),
    "deeply-nested": (lambda t: b"[" * 100_000, r"nested too deeply|invalid JSON|ends early"),
    "binary": (lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"a binary file"),
    "latin-1": (
        lambda t: t.replace("Customer churn", "Caf\u00e9 churn").encode("latin-1"),
        r"not UTF-8 text \(byte 0xe9 at offset \d+\)",
    ),
    "utf-16": (lambda t: t.encode("utf-16"), r"UTF-16 text, not UTF-8"),
    "array": (
        lambda t: b"[]",
        r"not a valid mlrefarch\.json: \$: expected an object, got an array",
    ),
    "model-file": (
        lambda t: json.dumps({"id": "default", "title": "x", "layers": []}).encode(),
        r"\$: 'version' is a required key",
    ),
    "newer-version": (
        _edited(_set(("version",), 2)),
        r"format version 2 is newer than this sphinx-mlrefarch reads \(up to 1\)",
    ),
    "version-zero": (_edited(_set(("version",), 0)), r"\$\.version: 0 is less than the minimum"),
    "version-string": (
        _edited(_set(("version",), "1")),
        r"\$\.version: expected an integer, got a string",
    ),
    "no-solutions": (_edited(_drop(("solutions",))), r"\$: 'solutions' is a required key"),
    "solutions-list": (
        _edited(_set(("solutions",), [])),
        r"\$\.solutions: expected an object, got an array",
    ),
    "percent-text": (
        _edited(_set((*COVERAGE, "percent"), "high")),
        r"\$\.solutions\.churn\.coverage\.percent: expected a number, got a string",
    ),
    "bad-status": (
        _edited(_set((*COVERAGE, "blocks", "data"), "done")),
        r"\$\.solutions\.churn\.coverage\.blocks\.data: 'done' is not allowed; expected one of "
        r"'addressed'",
    ),
    "no-coverage": (
        _edited(_drop((*COVERAGE,))),
        r"\$\.solutions\.churn: 'coverage' is a required key",
    ),
    "constraint-without-id": (
        _edited(_drop(("solutions", "churn", "constraints", 0, "id"))),
        r"\$\.solutions\.churn\.constraints\[0\]: 'id' is a required key",
    ),
    "model-blocks-list": (
        _edited(_set(("model", "blocks"), [])),
        r"\$\.model\.blocks: expected an object, got an array",
    ),
}


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_error(err: str, name: Path | str, pattern: str) -> None:
    """Exactly one ``mlrefarch: error:`` line, naming ``name``, matching ``pattern``."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"mlrefarch: error: {name}"), err
    assert re.search(pattern, lines[0]), err


def test_the_good_file_is_good(capsys: pytest.CaptureFixture[str], good: Path) -> None:
    """Positive control: the file every bad input is made from compares cleanly."""
    assert run(capsys, "diff", good, good, "--fail-on", "change") == (
        0,
        "mlrefarch diff: no regression\nNo change (1 solution compared).\n",
        "",
    )
    text = good.read_text("utf-8")
    assert '"percent": 50.0' in text
    assert '"data": "missing"' in text  # the block the bad-status case edits


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("position", ["old", "new"])
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path, case: str, position: str
) -> None:
    make, pattern = BAD[case]
    bad = tmp_path / "bad.json"
    bad.write_bytes(make(good.read_text("utf-8")))
    pair = (bad, good) if position == "old" else (good, bad)
    for fmt in ("text", "json"):
        status, out, err = run(capsys, "diff", *pair, "--format", fmt, "--fail-on", "never")
        assert (status, out) == (2, ""), err
        assert_one_error(err, bad, pattern)


def test_missing_path(capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path) -> None:
    status, out, err = run(capsys, "diff", good, tmp_path / "nope")
    assert (status, out) == (2, "")
    assert_one_error(err, tmp_path / "nope", r"no such file or directory; give an mlrefarch\.json")


def test_directory_without_export(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path
) -> None:
    status, out, err = run(capsys, "diff", tmp_path, good)
    assert (status, out) == (2, "")
    assert_one_error(err, tmp_path, r"the directory holds no mlrefarch\.json; give a build output")
    # a build directory whose builder wrote into a subdirectory: the message points there
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "mlrefarch.json").write_bytes(good.read_bytes())
    status, out, err = run(capsys, "diff", tmp_path, good)
    assert (status, out) == (2, "")
    assert_one_error(err, tmp_path, rf"there is one in {re.escape(str(tmp_path / 'html'))}")
    # positive control: that subdirectory is accepted
    assert run(capsys, "diff", tmp_path / "html", good)[0] == 0


def test_unreadable_file(capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path) -> None:
    """A path that exists but cannot be read as a file (a directory named mlrefarch.json)."""
    (tmp_path / "mlrefarch.json").mkdir()
    status, out, err = run(capsys, "diff", good, tmp_path / "mlrefarch.json")
    assert (status, out) == (2, "")
    assert_one_error(err, tmp_path / "mlrefarch.json", r"holds no mlrefarch\.json")


def test_bad_solution_is_found_where_files_differ(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path
) -> None:
    """A broken entry in a solution the change touched is refused, in the file that has it."""
    data = json.loads(good.read_text("utf-8"))
    data["solutions"]["churn"]["hosting"] = [{"title": "GPU", "environment": "training"}]
    bad = tmp_path / "mlrefarch.json"
    bad.write_text(json.dumps(data), "utf-8")
    status, out, err = run(capsys, "diff", good, tmp_path)
    assert (status, out) == (2, "")
    assert_one_error(
        err,
        bad,
        r"\$\.solutions\.churn\.hosting\[0\]\.environment: expected an array, got a string",
    )


def test_bom_is_accepted(capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path) -> None:
    """A UTF-8 byte order mark (some editors write one) is still UTF-8 JSON."""
    (tmp_path / "mlrefarch.json").write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    assert run(capsys, "diff", good, tmp_path, "--fail-on", "change")[0] == 0


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], good: Path) -> None:
    assert run(capsys, "diff", good)[0] == 2
    assert run(capsys, "diff", good, good, "--format", "html")[0] == 2
    assert run(capsys, "diff", good, good, "--fail-on", "always")[0] == 2


def test_equal_solution_with_bad_counts_is_refused(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path
) -> None:
    """A solution equal in both files is still read for its title and counts: those are checked.

    Without the check, the same broken counts in both files would reach the
    report as they are ("one/2 satisfied") instead of a located error.
    """
    data = json.loads(good.read_text("utf-8"))
    data["solutions"]["churn"]["coverage"]["satisfied"] = "one"
    (tmp_path / "a.json").write_text(json.dumps(data), "utf-8")
    (tmp_path / "b.json").write_text(json.dumps(data), "utf-8")
    status, out, err = run(capsys, "diff", tmp_path / "a.json", tmp_path / "b.json")
    assert (status, out) == (2, "")
    assert_one_error(
        err,
        tmp_path / "a.json",
        r"\$\.solutions\.churn\.coverage\.satisfied: expected an integer, got a string",
    )


def test_equal_solution_is_not_checked_whole(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path
) -> None:
    """What the comparison does not read of an unchanged solution is not checked (the speed).

    The same broken declaration in both files contributes nothing to the
    diff; once one file changes that solution, it is refused (control).
    """
    data = json.loads(good.read_text("utf-8"))
    data["solutions"]["churn"]["declarations"][0]["status"] = "done"
    (tmp_path / "a.json").write_text(json.dumps(data), "utf-8")
    (tmp_path / "b.json").write_text(json.dumps(data), "utf-8")
    assert run(capsys, "diff", tmp_path / "a.json", tmp_path / "b.json", "--fail-on", "change") == (
        0,
        "mlrefarch diff: no regression\nNo change (1 solution compared).\n",
        "",
    )
    data["solutions"]["churn"]["title"] = "Churn, changed"
    (tmp_path / "b.json").write_text(json.dumps(data), "utf-8")
    status, out, err = run(capsys, "diff", tmp_path / "a.json", tmp_path / "b.json")
    assert (status, out) == (2, "")
    assert_one_error(
        err, tmp_path / "a.json", r"\$\.solutions\.churn\.declarations\[0\]\.status: 'done'"
    )


def test_reading_schema_means_the_same_to_both_checkers() -> None:
    """The compiled check (draft 7) and jsonschema (2020-12) must agree on what is valid.

    They do when the schema uses only keywords both drafts define alike;
    a keyword added to the shipped schema outside that set fails here
    before the two checks can disagree on a file.
    """
    from sphinx_mlrefarch.cli.diff_check import GATE_KEYWORDS, reading_schema

    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                used.add(key)
                if key == "properties":
                    for sub in value.values():
                        walk(sub)
                else:
                    walk(value)

    walk(reading_schema())
    assert "$ref" not in used and "properties" in used and "enum" in used
    assert used <= GATE_KEYWORDS, used - GATE_KEYWORDS


@pytest.mark.parametrize("case", ["good", "bad"])
def test_garbage_collection_is_back_on(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path, case: str
) -> None:
    """diff turns the cyclic collector off while it parses; a caller in-process gets it back."""
    import gc

    other = good
    if case == "bad":
        other = tmp_path / "bad.json"
        other.write_text("[]", "utf-8")
    assert gc.isenabled()
    status = run(capsys, "diff", good, other)[0]
    assert status == (0 if case == "good" else 2)
    assert gc.isenabled()


def test_good_input_loads_neither_jsonschema_nor_the_model(good: Path) -> None:
    """diff of valid files: compiled check only, no model pipeline (YAML) and no jsonschema.

    The start-up a large diff pays is that of the command; a fresh
    interpreter shows what the handler really imported.
    """
    code = (
        "import sys\n"
        "from sphinx_mlrefarch.cli import main\n"
        f"status = main(['diff', {str(good)!r}, {str(good)!r}])\n"
        "print(status, *(m in sys.modules for m in ('jsonschema', 'yaml', 'fastjsonschema')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 False False True", done.stdout
