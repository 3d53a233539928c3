"""Unit tests of located catalogue problems: file, line and path; only the bad part goes.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import pytest
from catalogue_helpers import GOOD_SLOT, entry_ids, load, only_problem, small
from model_helpers import line_of

from sphinx_mlrefarch.catalogue import default_catalogue

# --------------------------------------------------------------------------
# What cannot be used at all
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "the file is empty; expected a mapping with 'entries'"),
        ("# only a comment\n", 1, "the file is empty"),
        ("- id: ray\n- id: kedro\n", 1, "expected a mapping at the top of the file, got a list"),
        ("just words\n", 1, "got a string ('just words')"),
        ("42\n", 1, "got a number (42)"),
        ("entries:\n  - id: ray\n    name: [unclosed\n", 4, "YAML error"),
        ("entries:\n\t- id: ray\n", 2, "YAML error"),
        ("id: x\nid: y\n", None, None),  # a repeated key is YAML's last-wins, not an error
    ],
)
def test_unusable_files(text: str, line: int | None, fragment: str | None) -> None:
    result = load(text, filename="c.yaml")
    if fragment is None:
        assert result.catalogue is not None
        return
    assert result.catalogue is None
    problem = only_problem(result)
    assert (problem.file, problem.line) == ("c.yaml", line)
    assert fragment in problem.message
    assert str(problem).startswith(f"c.yaml:{line}: ")


# --------------------------------------------------------------------------
# Schema errors: located, and only the bad entry (or key) goes
# --------------------------------------------------------------------------

BAD_ENTRIES = [
    (
        f"  - id: {'a' * 101}\n    name: Long\n    licence: MIT\n    foss: true\n"
        "    blocks: [data]\n",
        "entries[1].id",
        "id: aaaa",
        ["must be at most 100 characters long, got 101"],
    ),
    # (entries[1] as written, path, needle for the line, message fragments)
    (
        "  - id: Airflow\n    name: Airflow\n    licence: MIT\n    foss: true\n"
        "    blocks: [data]\n",
        "entries[1].id",
        "id: Airflow",
        ["'Airflow' is not a valid id", "'airflow'"],
    ),
    (
        "  - id: airflow\n    name: Airflow\n    licence: Apache License 2.0\n    foss: true\n"
        "    blocks: [data]\n",
        "entries[1].licence",
        "licence: Apache",
        ["not an SPDX licence identifier", "'Apache-2.0'", "'other'"],
    ),
    (
        "  - id: airflow\n    name: Airflow\n    licence: MIT\n    foss: yes please\n"
        "    blocks: [data]\n",
        "entries[1].foss",
        "foss: yes",
        ["expected a boolean, got a string ('yes please')"],
    ),
    (
        "  - id: airflow\n    name: Airflow\n    licence: MIT\n    foss: true\n"
        "    homepage: airflow.apache.org\n    blocks: [data]\n",
        "entries[1].homepage",
        "homepage: airflow",
        ["'airflow.apache.org' is not a web address", "'https://'"],
    ),
    (
        "  - id: airflow\n    name: Airflow\n    licence: MIT\n    foss: true\n    blocks: []\n",
        "entries[1].blocks",
        "blocks: []",
        ["must list at least 1 value, got 0"],
    ),
    (
        "  - id: airflow\n    name: Airflow\n    licence: MIT\n    foss: true\n"
        "    blocks: [Data Tools]\n",
        "entries[1].blocks[0]",
        "blocks: [Data",
        ["'Data Tools' is not a valid id", "'data-tools'"],
    ),
    (
        "  - id: airflow\n    name: '  '\n    licence: MIT\n    foss: true\n    blocks: [data]\n",
        "entries[1].name",
        "name: '  '",
        ["must not be empty or blank"],
    ),
    (
        "  - id: airflow\n    name: Airflow\n    licence: MIT\n    blocks: [data]\n",
        "entries[1]",
        "id: airflow",
        ["'foss' is a required key"],
    ),
    (
        "  - airflow\n",
        "entries[1]",
        "- airflow",
        ["expected an object, got a string ('airflow')"],
    ),
]


@pytest.mark.parametrize(("slot", "path", "needle", "fragments"), BAD_ENTRIES)
def test_bad_entry_is_located_and_only_it_goes(
    slot: str, path: str, needle: str, fragments: list[str]
) -> None:
    text = small(slot)
    result = load(text, filename="c.yaml")
    problem = only_problem(result)
    assert (problem.file, problem.path) == ("c.yaml", path)
    assert problem.line == line_of(text, needle)
    for fragment in fragments:
        assert fragment in problem.message
    assert entry_ids(result.catalogue) == ["pandas", "postgres"]


def test_good_slot_is_clean() -> None:
    # positive control for the bad slots above
    assert load(small()).problems == ()


def test_mistyped_key_says_what_was_meant() -> None:
    text = small(
        "  - id: airflow\n    name: Airflow\n    licnse: MIT\n    foss: true\n    blocks: [data]\n"
    )
    result = load(text)
    found = [(p.path, p.line, p.message) for p in result.problems]
    assert found == [
        (
            "entries[1]",
            line_of(text, "licnse:"),
            "unknown key 'licnse'; did you mean 'licence'?; allowed keys: aliases, blocks, "
            "foss, homepage, id, licence, name, repository, summary",
        ),
        ("entries[1]", line_of(text, "id: airflow"), "'licence' is a required key"),
    ]
    assert entry_ids(result.catalogue) == ["pandas", "postgres"]


@pytest.mark.parametrize(
    ("tail", "path", "needle", "fragment"),
    [
        ("owner: me\n", "", "owner:", "unknown key 'owner'"),
        ("version: [1]\n", "version", "version:", "expected a string or number, got a list"),
        ("source: CC\n", "source", "source:", "expected an object, got a string ('CC')"),
        ("entries_: []\n", "", "entries_", "did you mean 'entries'?"),
    ],
)
def test_bad_top_level_key_is_dropped(tail: str, path: str, needle: str, fragment: str) -> None:
    text = small(tail=tail)
    result = load(text)
    problem = only_problem(result)
    assert (problem.path, problem.line) == (path, line_of(text, needle))
    assert fragment in problem.message
    assert entry_ids(result.catalogue) == ["pandas", "airflow", "postgres"]


def test_wrong_schema_version_and_missing_keys() -> None:
    text = "schema: 2\nentries: []\n"
    result = load(text)
    messages = sorted(p.message for p in result.problems)
    assert messages == [
        "'id' is a required key",
        "'title' is a required key",
        "must be 1, not 2",
    ]
    assert result.catalogue is not None and result.catalogue.entries == ()


# --------------------------------------------------------------------------
# What the schema cannot see
# --------------------------------------------------------------------------


def test_duplicate_ids() -> None:
    text = small(
        "  - id: pandas\n    name: Pandas 2\n    licence: MIT\n    foss: true\n    blocks: [data]\n"
    )
    problem = only_problem(load(text, filename="c.yaml"))
    assert (problem.path, problem.line) == ("entries[1]", line_of(text, "id: pandas", nth=2))
    assert "duplicate entry id 'pandas' (first defined on line 5)" in problem.message
    extends = (
        "extends: default\nentries:\n  - id: ray\n    summary: a\n  - id: ray\n    summary: b\n"
    )
    problem = only_problem(load(extends))
    assert (problem.path, problem.line) == ("entries[1]", 5)


COMPLETE = "    licence: MIT\n    foss: true\n    blocks: [data]\n"


@pytest.mark.parametrize(
    ("tail", "path", "needle", "fragment"),
    [
        (  # a name repeating another entry's name, in another case
            "  - id: pandas-ai\n    name: PANDAS\n" + COMPLETE,
            "entries[3].name",
            "name: PANDAS",
            "name 'PANDAS' of entry 'pandas-ai' already names entry 'pandas'",
        ),
        (  # a name repeating another entry's alias
            "  - id: pg\n    name: postgres\n" + COMPLETE,
            "entries[3].name",
            "name: postgres",
            "name 'postgres' of entry 'pg' already names entry 'postgres'",
        ),
        (  # an id repeating another entry's alias
            "  - id: airflow-2\n    name: Second Airflow\n" + COMPLETE,
            "entries[3].id",
            "id: airflow-2",
            "id 'airflow-2' already names entry 'airflow'",
        ),
        (  # an alias repeating another entry's id
            "  - id: pg\n    name: PG\n    aliases: [POSTGRES]\n" + COMPLETE,
            "entries[3].aliases[0]",
            "aliases: [POSTGRES]",
            "alias 'POSTGRES' of entry 'pg' already names entry 'postgres'",
        ),
        (  # an alias repeating another entry's name
            "  - id: pg\n    name: PG\n    aliases: [pg-sql, postgresql]\n" + COMPLETE,
            "entries[3].aliases[1]",
            "aliases: [pg-sql",
            "alias 'postgresql' of entry 'pg' already names entry 'postgres'",
        ),
    ],
)
def test_names_and_aliases_must_be_unique(tail: str, path: str, needle: str, fragment: str) -> None:
    slot = GOOD_SLOT.replace("aliases: [Airflow]", "aliases: [Airflow, Airflow-2]")
    text = small(slot, tail=tail)
    result = load(text)
    problem = only_problem(result)
    assert (problem.path, problem.line) == (path, line_of(text, needle))
    assert fragment in problem.message
    assert "ids, names and aliases must be unique" in problem.message


def test_the_later_claim_loses_in_file_order() -> None:
    # written before 'postgres', the clashing alias wins and 'postgres' is left out
    text = small(GOOD_SLOT.replace("[Airflow]", "[Airflow, PostgreSQL]"))
    result = load(text)
    problem = only_problem(result)
    assert problem.path == "entries[2].name"
    assert "so entry 'postgres' is left out" in problem.message
    assert entry_ids(result.catalogue) == ["pandas", "airflow"]


def test_an_alias_clash_drops_the_alias_and_a_name_clash_the_entry() -> None:
    text = small(
        tail="  - id: airflow-x\n    name: Airflow X\n    aliases: [PostgreSQL, AX]\n"
        + COMPLETE
        + "  - id: pandas-x\n    name: Pandas\n"
        + COMPLETE
    )
    result = load(text)
    assert [p.path for p in result.problems] == ["entries[3].aliases[0]", "entries[4].name"]
    catalogue = result.catalogue
    assert catalogue is not None
    assert catalogue.by_id["airflow-x"].aliases == ("AX",)
    assert catalogue.resolve("postgresql") is catalogue.by_id["postgres"]
    assert "pandas-x" not in catalogue.by_id


def test_users_spelling_loses_to_the_builtin_one() -> None:
    text = """\
    extends: default
    entries:
      - id: aider
        aliases: [Ray, Aider Chat]
      - id: torch
        name: Torch7
        licence: BSD-3-Clause
        foss: true
        blocks: [ml-frameworks]
      - id: tf
        name: tensorflow
        licence: Apache-2.0
        foss: true
        blocks: [ml-frameworks]
    """
    result = load(text)
    found = {p.path: p for p in result.problems}
    assert set(found) == {"entries[0].aliases[0]", "entries[1].id", "entries[2].name"}
    assert found["entries[0].aliases[0]"].line == line_of(text, "aliases: [Ray")
    assert "already names entry 'ray'" in found["entries[0].aliases[0]"].message
    assert "already names entry 'pytorch'" in found["entries[1].id"].message
    assert "give its id 'tensorflow'" in found["entries[2].name"].message
    catalogue = result.catalogue
    assert catalogue is not None
    assert catalogue.resolve("ray") is catalogue.by_id["ray"]
    assert catalogue.by_id["aider"].aliases == ("Aider Chat",)
    assert "torch" not in catalogue.by_id and "tf" not in catalogue.by_id


@pytest.mark.parametrize(
    ("entry", "needs"),
    [
        ("  - id: pandas\n    summary: Data frames.\n", "'name', 'licence', 'foss' and 'blocks'"),
        (
            "  - id: pandas\n    name: pandas\n    licence: BSD-3-Clause\n    blocks: [data]\n",
            "'foss'",
        ),
        ("  - id: pandas\n    name: pandas\n    foss: true\n    blocks: [data]\n", "'licence'"),
    ],
)
def test_new_entries_must_be_complete(entry: str, needs: str) -> None:
    text = "extends: default\nentries:\n" + entry
    result = load(text, filename="c.yaml")
    problem = only_problem(result)
    assert (problem.file, problem.path, problem.line) == ("c.yaml", "entries[0]", 3)
    assert problem.message.startswith(f"new entry 'pandas' needs {needs} ")
    assert result.catalogue == default_catalogue()


def test_a_mistyped_override_is_a_new_entry_with_a_suggestion() -> None:
    problem = only_problem(load("extends: default\nentries:\n  - id: pytorh\n    summary: x\n"))
    assert "did you mean 'pytorch'" in problem.message
    assert "nothing to override" in problem.message


def test_unknown_block_is_dropped_from_the_entry_with_a_suggestion() -> None:
    text = small(
        "  - id: airflow\n    name: Airflow\n    licence: Apache-2.0\n    foss: true\n"
        "    blocks:\n      - development-tools\n      - data-tool\n"
    )
    result = load(text, filename="c.yaml")
    problem = only_problem(result)
    assert (problem.path, problem.line) == ("entries[1].blocks[1]", line_of(text, "- data-tool"))
    assert problem.message == (
        "entry 'airflow' names block 'data-tool', which the model does not have; "
        "did you mean 'data-tools' or 'data'?"
    )
    assert result.catalogue is not None
    assert result.catalogue.by_id["airflow"].blocks == ("development-tools",)


def test_entry_with_no_known_block_is_left_out() -> None:
    text = small(
        "  - id: airflow\n    name: Airflow\n    licence: Apache-2.0\n    foss: true\n"
        "    blocks: [zzz, orchestration]\n"
    )
    result = load(text)
    by_path = {p.path: p.message for p in result.problems}
    assert set(by_path) == {"entries[1].blocks[0]", "entries[1].blocks[1]", "entries[1].blocks"}
    assert "expected one of 'business-processes'" in by_path["entries[1].blocks[0]"]
    assert "'airflow' is left out" in by_path["entries[1].blocks"]
    assert entry_ids(result.catalogue) == ["pandas", "postgres"]


def test_an_overrides_blocks_are_the_users() -> None:
    text = "extends: default\nentries:\n  - id: ray\n    blocks: [compute, gpu]\n"
    result = load(text)
    problem = only_problem(result)
    assert (problem.path, problem.line) == ("entries[0].blocks[1]", 4)
    assert result.catalogue is not None
    assert result.catalogue.by_id["ray"].blocks == ("compute",)


def test_remove_of_an_unknown_id() -> None:
    text = "extends: default\nremove:\n  - openwebui\n  - kedroo\n"
    result = load(text, filename="c.yaml")
    problem = only_problem(result)
    assert (problem.file, problem.path, problem.line) == ("c.yaml", "remove[1]", 4)
    assert problem.message == "cannot remove 'kedroo': no entry has this id; did you mean 'kedro'?"
    assert result.catalogue is not None
    assert "openwebui" not in result.catalogue.by_id and "kedro" in result.catalogue.by_id


def test_remove_of_a_bad_id_drops_only_that_item() -> None:
    result = load("extends: default\nremove: [openwebui, Open WebUI]\n")
    assert only_problem(result).path == "remove[1]"
    assert result.catalogue is not None and "openwebui" not in result.catalogue.by_id


def test_remove_without_extends() -> None:
    text = small(tail="remove: [pandas]\n")
    result = load(text, filename="c.yaml")
    problem = only_problem(result)
    assert (problem.path, problem.line) == ("remove", line_of(text, "remove:"))
    assert problem.message == (
        "'remove' only applies together with 'extends: default'; "
        "add 'extends: default' or leave out 'remove'"
    )
    assert entry_ids(result.catalogue) == ["pandas", "airflow", "postgres"]


def test_remove_with_a_wrong_extends_is_reported_too() -> None:
    text = small(tail="extends: defaults\nremove: [pandas]\n")
    result = load(text)
    assert {p.path for p in result.problems} == {"extends", "remove"}
    assert entry_ids(result.catalogue) == ["pandas", "airflow", "postgres"]
