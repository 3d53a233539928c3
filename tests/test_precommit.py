"""The shipped pre-commit hook ``mlrefarch-check``, run by ``pre-commit try-repo``.

A small git repository with a Sphinx project in ``docs/`` (the hook's default
``args``) is committed once with a covered solution (the hook passes) and
once with an incomplete one (the hook fails).

``try-repo`` installs the hook from this repository as git has it: the HEAD
commit plus staged files and changes to tracked files, never untracked
files. So the test works from a dirty working tree and tests what would be
committed; an untracked ``.pre-commit-hooks.yaml`` is not seen (the test
says so instead of failing obscurely). pre-commit runs from its own venv
(``.venv-precommit``, MLREFARCH_PRE_COMMIT) and installs the hook's
environment offline, from the wheelhouse ``dev.py`` prepared beforehand
(MLREFARCH_WHEELHOUSE): pip sees no index and no configuration file.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from external import executable, missing, offline

ROOT = Path(__file__).resolve().parent.parent
HOW = "python3 dev.py test prepares .venv-precommit and its wheelhouse"
CONF = 'extensions = ["sphinx_mlrefarch"]\nproject = "hooked"\nexclude_patterns = ["_build"]\n'
PAGE = """\
Ticket triage
=============

.. solution:: Ticket triage
   :id: triage
   :required: {required}

.. abb:: data-tools
   :status: addressed
   :sbb: JupyterLab

   Analysts label tickets in notebooks.
"""


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment in which pre-commit, git and pip work offline and in tmp only."""
    value = os.environ.get("MLREFARCH_WHEELHOUSE")
    if not value:
        missing("pre-commit", f"MLREFARCH_WHEELHOUSE is not set ({HOW})")
    wheelhouse = Path(value)
    if not any(wheelhouse.glob("*.whl")):
        missing("pre-commit", f"MLREFARCH_WHEELHOUSE={value} holds no wheels ({HOW})")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT", "GIT_", "PYTHON"))
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # no pip.conf: no extra index, no constraints
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        VIRTUALENV_OVERRIDE_APP_DATA=str(home / "virtualenv"),
        PRE_COMMIT_HOME=str(home / "cache"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Hook Test",
        GIT_AUTHOR_EMAIL="hook-test@example.invalid",
        GIT_COMMITTER_NAME="Hook Test",
        GIT_COMMITTER_EMAIL="hook-test@example.invalid",
    )
    return offline(env)


def git(env: dict[str, str], cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def project(env: dict[str, str], where: Path, required: str) -> Path:
    """A committed git repository holding a Sphinx project in docs/."""
    (where / "docs").mkdir(parents=True)
    (where / "docs" / "conf.py").write_text(CONF, "utf-8")
    (where / "docs" / "index.rst").write_text(PAGE.format(required=required), "utf-8")
    git(env, where, "init", "--quiet")
    git(env, where, "add", "docs")
    git(env, where, "commit", "--quiet", "-m", "docs")
    return where


def try_repo(env: dict[str, str], where: Path) -> subprocess.CompletedProcess[str]:
    tool = executable("MLREFARCH_PRE_COMMIT", "pre-commit", HOW)
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"],
        env=env,
        capture_output=True,
        check=False,
    )
    if tracked.returncode != 0:
        pytest.fail(
            f"{ROOT}/.pre-commit-hooks.yaml is not tracked by git (or {ROOT} is no git "
            "checkout): try-repo sees only committed, staged and tracked files",
            pytrace=False,
        )
    command = [str(tool), "try-repo", str(ROOT), "mlrefarch-check", "--all-files", "--color=never"]
    return subprocess.run(
        command, cwd=where, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_hook_passes_on_a_covered_solution(hook_env: dict[str, str], tmp_path: Path) -> None:
    result = try_repo(hook_env, project(hook_env, tmp_path / "covered", "data-tools"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "mlrefarch check" in output and "Passed" in output, output


def test_hook_fails_on_an_incomplete_solution(hook_env: dict[str, str], tmp_path: Path) -> None:
    result = try_repo(hook_env, project(hook_env, tmp_path / "incomplete", "data, data-tools"))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Failed" in output and "- exit code: 1" in output, output
    assert "'data'" in output or "Data" in output, output
    assert "Traceback" not in output, output
