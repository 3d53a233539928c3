"""``mlrefarch catalogue show|schema|validate``: every subcommand and exit code, on real files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_helpers import (
    BAD_LAYER_MODEL,
    BROKEN_YAML,
    NO_CONTAINERS_MODEL,
    assert_clean_error,
    run,
    write,
)
from jsonschema.validators import validator_for

from sphinx_mlrefarch.catalogue import (
    catalogue_schema,
    default_catalogue,
    default_catalogue_path,
    load_catalogue,
)
from sphinx_mlrefarch.model import default_model, load_model

#: Adds PostgreSQL (line 5 on) and removes Riak KV from the built-in catalogue.
EXTENDING = """\
extends: default
title: Our products
entries:
  - id: postgres
    name: PostgreSQL
    aliases: [Postgres]
    licence: PostgreSQL
    foss: true
    homepage: https://www.postgresql.org
    blocks: [storage, data]
remove: [riak-kv]
"""

#: An entry naming a block (line 9) that no model has.
UNKNOWN_BLOCK = """\
extends: default
entries:
  - id: feast
    name: Feast
    licence: Apache-2.0
    foss: true
    blocks:
      - data-tools
      - feature-stor
"""

#: A new entry for the containers block only.
PODMAN = """\
extends: default
entries:
  - id: podman
    name: Podman
    licence: Apache-2.0
    foss: true
    blocks: [containers]
"""


def ids(data: dict[str, Any]) -> list[str]:
    return [entry["id"] for entry in data["entries"]]


# --------------------------------------------------------------------------
# show
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_show_builtin_round_trips_through_the_loader(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    status, out, err = run(capsys, "catalogue", "show", "--format", fmt)
    assert (status, err) == (0, "")
    data = json.loads(out) if fmt == "json" else yaml.safe_load(out)
    assert data["schema"] == 1
    assert data["id"] == "foss-ml-catalogue"
    assert ids(data)[:2] == ["aider", "openhands"]
    assert "riak-kv" in ids(data)
    reloaded = load_catalogue(write(tmp_path / f"shown.{fmt}", out), default_model())
    assert reloaded.problems == ()
    assert reloaded.catalogue == default_catalogue()


def test_show_json_and_yaml_agree(capsys: pytest.CaptureFixture[str]) -> None:
    _status, as_yaml, _err = run(capsys, "catalogue", "show")
    _status, as_json, _err = run(capsys, "catalogue", "show", "--format", "json")
    assert yaml.safe_load(as_yaml) == json.loads(as_json)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_show_extending_file_adds_and_removes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    path = write(tmp_path / "catalogue.yaml", EXTENDING)
    status, out, err = run(capsys, "catalogue", "show", "--catalogue", path, "--format", fmt)
    assert (status, err) == (0, "")
    data = json.loads(out) if fmt == "json" else yaml.safe_load(out)
    assert "extends" not in data and "remove" not in data  # a catalogue of its own
    assert data["title"] == "Our products"
    assert "riak-kv" not in ids(data)
    assert ids(data)[-1] == "postgres"
    assert len(data["entries"]) == len(default_catalogue().entries)  # one in, one out
    postgres = data["entries"][-1]
    assert postgres["aliases"] == ["Postgres"]
    assert postgres["blocks"] == ["storage", "data"]
    reloaded = load_catalogue(write(tmp_path / f"shown.{fmt}", out), default_model())
    assert reloaded.problems == ()
    assert reloaded.catalogue == load_catalogue(path, default_model()).catalogue


def test_show_problems_but_usable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "catalogue.yaml", UNKNOWN_BLOCK)
    status, out, err = run(capsys, "catalogue", "show", "--catalogue", path)
    assert status == 0
    assert err.startswith(f"{path}:9: entries[0].blocks[1]: ")
    assert "'feature-stor'" in err and "which the model does not have" in err
    assert "'feature-store'" not in err  # no block of that name exists to suggest
    feast = yaml.safe_load(out)["entries"][-1]
    assert (feast["id"], feast["blocks"]) == ("feast", ["data-tools"])


@pytest.mark.parametrize("content", [BROKEN_YAML, None, "- id: ray\n"])
def test_show_unusable_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "catalogue.yaml"
    if content is not None:
        path.write_text(content, "utf-8")
    status, out, err = run(capsys, "catalogue", "show", "--catalogue", str(path))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert f"mlrefarch: error: {path}: the catalogue cannot be used" in err
    assert re.search(rf"^{re.escape(str(path))}(:\d+)?: ", err, re.MULTILINE)


def test_show_tailored_model_fits_the_builtin_catalogue_quietly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _status, full, _err = run(capsys, "catalogue", "show", "--format", "json")
    served = {e["id"]: e["blocks"] for e in json.loads(full)["entries"]}
    assert served["docker"] == ["containers"]  # positive control
    assert "containers" in served["kubernetes"]

    model = write(tmp_path / "model.yaml", NO_CONTAINERS_MODEL)
    status, out, err = run(capsys, "catalogue", "show", "--model", model, "--format", "json")
    assert (status, err) == (0, "")
    fitted = {e["id"]: e["blocks"] for e in json.loads(out)["entries"]}
    assert not {"docker", "lxd", "freebsd-jails"} & set(fitted)
    assert fitted["kubernetes"] == ["hosting"]
    assert all("containers" not in blocks for blocks in fitted.values())

    tailored = load_model(model).model
    assert tailored is not None
    reloaded = load_catalogue(write(tmp_path / "shown.json", out), tailored)
    assert reloaded.problems == ()
    assert reloaded.catalogue == default_catalogue(tailored)


def test_show_own_entry_for_a_removed_block_is_a_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = write(tmp_path / "model.yaml", NO_CONTAINERS_MODEL)
    path = write(tmp_path / "catalogue.yaml", PODMAN)
    status, out, err = run(capsys, "catalogue", "show", "--catalogue", path, "--model", model)
    assert status == 0
    first, second = err.splitlines()
    assert first.startswith(f"{path}:7: entries[0].blocks[0]: entry 'podman' names block ")
    assert "'containers', which the model does not have" in first
    assert second.startswith(f"{path}:7: entries[0].blocks: entry 'podman' is left out")
    assert "podman" not in ids(yaml.safe_load(out))
    # the same file against the built-in model: no problem, Podman is in
    status, out, err = run(capsys, "catalogue", "show", "--catalogue", path)
    assert (status, err) == (0, "")
    assert "podman" in ids(yaml.safe_load(out))


def test_show_model_with_problems_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = write(tmp_path / "model.yaml", BAD_LAYER_MODEL)
    status, out, err = run(capsys, "catalogue", "show", "--model", model)
    assert status == 0
    assert err.startswith(f"{model}:5: blocks[0].layer: ")
    assert yaml.safe_load(out)["entries"]


@pytest.mark.parametrize("content", [BROKEN_YAML, None])
def test_show_unusable_model_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    model = tmp_path / "model.yaml"
    if content is not None:
        model.write_text(content, "utf-8")
    status, out, err = run(capsys, "catalogue", "show", "--model", str(model))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert f"mlrefarch: error: {model}: the model cannot be used" in err


# --------------------------------------------------------------------------
# schema
# --------------------------------------------------------------------------


def test_schema_is_the_catalogue_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "catalogue", "schema")
    assert (status, err) == (0, "")
    schema = json.loads(out)
    validator_for(schema).check_schema(schema)
    assert schema == catalogue_schema()
    assert "entries" in schema["properties"]
    # and the built-in catalogue follows it
    data = yaml.safe_load(default_catalogue_path().read_text("utf-8"))
    assert not list(validator_for(schema)(schema).iter_errors(data))


# --------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------


def test_validate_builtin_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(default_catalogue_path())
    status, out, err = run(capsys, "catalogue", "validate", path)
    assert (status, err) == (0, "")
    assert out == f"{path}: valid (89 entries, 87 of them FOSS, for 12 of the model's 20 blocks)\n"


def test_validate_extending_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "catalogue.yaml", EXTENDING)
    status, out, _err = run(capsys, "catalogue", "validate", path)
    assert status == 0
    assert out.startswith(f"{path}: valid (89 entries, ")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_validate_show_output(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    """What ``catalogue show`` prints is a complete catalogue file of its own."""
    model = write(tmp_path / "model.yaml", NO_CONTAINERS_MODEL)
    _status, out, _err = run(capsys, "catalogue", "show", "--model", model, "--format", fmt)
    shown = write(tmp_path / f"shown.{fmt}", out)
    status, out, _err = run(capsys, "catalogue", "validate", shown, "--model", model)
    assert status == 0
    assert out.endswith("for 11 of the model's 19 blocks)\n")


def test_validate_unknown_block_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "catalogue.yaml", UNKNOWN_BLOCK)
    status, out, err = run(capsys, "catalogue", "validate", path)
    assert (status, err) == (1, "")
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:9: entries[0].blocks[1]: entry 'feast' names block ")
    assert lines[-1] == f"{path}: 1 problem(s)"


def test_validate_against_tailored_model_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "catalogue.yaml", PODMAN)
    status, out, _err = run(capsys, "catalogue", "validate", path)
    assert status == 0  # positive control: fine against the built-in model
    model = write(tmp_path / "model.yaml", NO_CONTAINERS_MODEL)
    status, out, err = run(capsys, "catalogue", "validate", path, "--model", model)
    assert (status, err) == (1, "")
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}:7: entries[0].blocks[0]: entry 'podman' names block ")
    assert lines[1].startswith(f"{path}:7: entries[0].blocks: entry 'podman' is left out")
    assert lines[2] == f"{path}: 2 problem(s)"


@pytest.mark.parametrize("content", [BROKEN_YAML, None])
def test_validate_unusable_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "catalogue.yaml"
    if content is not None:
        path.write_text(content, "utf-8")
    status, out, err = run(capsys, "catalogue", "validate", str(path))
    assert status == 2
    assert "Traceback" not in out + err
    assert re.match(rf"{re.escape(str(path))}(:\d+)?: ", out)
    assert out.splitlines()[-1] == f"{path}: 1 problem(s); the catalogue cannot be used"


def test_validate_model_problems_count(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "catalogue.yaml", EXTENDING)
    model = write(tmp_path / "model.yaml", BAD_LAYER_MODEL)
    status, out, err = run(capsys, "catalogue", "validate", path, "--model", model)
    assert status == 1
    assert err.startswith(f"{model}:5: blocks[0].layer: ")
    assert out == (
        f"{path}: no problems of its own, but the model {model} has 1 problem(s), "
        "so it was checked against the usable rest\n"
    )


@pytest.mark.parametrize("content", [BROKEN_YAML, None])
def test_validate_unusable_model_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    path = write(tmp_path / "catalogue.yaml", EXTENDING)
    model = tmp_path / "model.yaml"
    if content is not None:
        model.write_text(content, "utf-8")
    status, out, err = run(capsys, "catalogue", "validate", path, "--model", str(model))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert f"mlrefarch: error: {model}: the model cannot be used" in err


# --------------------------------------------------------------------------
# usage
# --------------------------------------------------------------------------


def test_catalogue_without_subcommand_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "catalogue")
    assert (status, out) == (2, "")
    assert err.startswith("usage: mlrefarch catalogue")
    for command in ("show", "schema", "validate"):
        assert command in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["catalogue", "show", "--format", "xml"], ["catalogue", "validate"]):
        status, out, err = run(capsys, *argv)
        assert (status, out) == (2, "")
        assert "usage: mlrefarch catalogue" in err


def test_help_names_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "catalogue", "show", "--help")
    assert status == 0
    assert "--catalogue FILE" in out and "--model FILE" in out and "{yaml,json}" in out
    status, out, _err = run(capsys, "--help")
    assert status == 0
    assert re.search(r"^\s+catalogue\s+show, validate or describe SBB catalogues", out, re.M)


def test_catalogue_commands_import_no_sphinx() -> None:
    code = (
        "import sys\n"
        "from sphinx_mlrefarch.cli import main\n"
        "assert main(['catalogue', 'validate', sys.argv[1]]) == 0\n"
        "assert main(['catalogue', 'show', '--format', 'json']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(default_catalogue_path())],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.splitlines()[-1] == "[]"
    assert "valid (89 entries" in done.stdout  # positive control: the commands ran
