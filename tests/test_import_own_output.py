"""A project importing its own output written by another build: told by content, left out.

The path check refuses the very file a build writes (``test_import_failures``).
The file another build of the same sources wrote cannot be seen by path:
``mlrefarch check`` builds into a directory of its own, and ``-b dirhtml``
writes elsewhere than ``-b html``. Such an import holds exactly this
project's solutions (same ids, documents and titles) and is left out with
one located ``mlrefarch.import`` warning. Positive controls: a project that
shares the ids and documents but not every title, and one holding a
solution this project lacks, are imported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_helpers import TEAM, Built, build, write_tree

from sphinx_mlrefarch.cli import main

#: ``conf.py`` of the team project, importing ``source`` as ``self`` on line 4.
CONF = (
    TEAM["conf.py"]
    + 'exclude_patterns = ["_build"]\n'
    + 'mlrefarch_import = {{"self": {{"source": {source!r}}}}}\n'
)
IMPORT_LINE = 4
OWN = "_build/html/mlrefarch.json"
MESSAGE = "holds only this project's own solutions ('fraud', 'scoring'"


def team_with_own_output(root: Path) -> Path:
    """The team project, built once with ``-b html``, then told to import that file."""
    conf = TEAM["conf.py"] + 'exclude_patterns = ["_build"]\n'
    src = write_tree(root / "team", dict(TEAM, **{"conf.py": conf}))
    first = build(src, src / "_build" / "html", "-E")
    assert first.status == 0 and not first.of("import"), first.warnings
    (src / "conf.py").write_text(CONF.format(source=OWN), "utf-8")
    assert CONF.format(source=OWN).splitlines()[IMPORT_LINE - 1].startswith("mlrefarch_import")
    return src


def only_warning(built: Built, src: Path) -> str:
    mine = built.of("import")
    assert len(mine) == 1, built.warnings
    assert f"{src / 'conf.py'}:{IMPORT_LINE}: WARNING: mlrefarch_import['self']" in mine[0]
    return mine[0]


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml"])
def test_another_builders_output_is_left_out(tmp_path: Path, builder: str) -> None:
    src = team_with_own_output(tmp_path)
    built = build(src, src / "_build" / builder, "-E", "-b", builder)
    assert built.status == 0
    warning = only_warning(built, src)
    assert MESSAGE in warning and repr(OWN) in warning
    assert "this project's own output of another build" in warning
    data = built.export()
    assert data["imports"] == []
    assert sorted(data["solutions"]) == ["fraud", "scoring"]


def test_check_leaves_out_the_projects_own_html_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = team_with_own_output(tmp_path)
    status = main(["check", "--format", "json", str(src)])
    out, err = capsys.readouterr()
    assert status == 1, err  # the team's own gaps: fraud's data is only planned
    located = [line for line in err.splitlines() if "[mlrefarch.import]" in line]
    assert len(located) == 1, err
    assert f"conf.py:{IMPORT_LINE}: WARNING: mlrefarch_import['self']" in located[0]
    assert MESSAGE in located[0]
    assert json.loads(out)["imports"] == []


def _variant(root: Path, name: str, files: dict[str, str]) -> Path:
    """Another project built from the team's pages with ``files`` changed; its export."""
    src = write_tree(root / name, dict(TEAM, **files))
    built = build(src, root / f"{name}-html", "-E")
    assert built.status == 0, built.warnings
    return built.out / "mlrefarch.json"


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"scoring.rst": TEAM["scoring.rst"].replace(":: Credit scoring", ":: Credit risk")},
            id="a-title-differs",
        ),
        pytest.param(
            {
                "index.rst": TEAM["index.rst"] + "   extra\n",
                "extra.rst": "Extra\n=====\n\n.. solution:: Extra\n   :id: extra\n",
            },
            id="a-solution-more",
        ),
    ],
)
def test_a_project_sharing_ids_and_documents_is_imported(
    tmp_path: Path, files: dict[str, str]
) -> None:
    source = _variant(tmp_path, "sibling", files)
    src = write_tree(tmp_path / "team", dict(TEAM, **{"conf.py": CONF.format(source=str(source))}))
    built = build(src, tmp_path / "team-html", "-E")
    assert built.status == 0
    assert not built.of("import"), built.warnings
    (imported,) = built.export()["imports"]
    assert imported["name"] == "self"


def test_a_local_title_edit_brings_the_import_back_as_a_fresh_build_does(tmp_path: Path) -> None:
    """Incremental: the check runs on every build, on what is read then."""
    src = team_with_own_output(tmp_path)
    out = src / "_build" / "dirhtml"
    assert only_warning(build(src, out, "-b", "dirhtml"), src)
    fraud = src / "fraud.rst"
    fraud.write_text(fraud.read_text("utf-8").replace(":: Fraud detection", ":: Fraud"), "utf-8")
    again = build(src, out, "-b", "dirhtml")
    assert not again.of("import"), again.warnings
    fresh = build(src, tmp_path / "fresh", "-E", "-b", "dirhtml")
    assert [i["name"] for i in again.export()["imports"]] == ["self"]
    assert (out / "mlrefarch.json").read_bytes() == (fresh.out / "mlrefarch.json").read_bytes()
