"""``.readthedocs.yaml`` builds the reference book as ``python3 dev.py docs`` does.

Read the Docs cannot be asked offline, so its configuration is checked for
the shape of version 2 that this project relies on, and against the files
it names: the Sphinx configuration, the ``docs`` extra, the npm project
whose mermaid copy ``docs/conf.py`` serves when it is there.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".readthedocs.yaml"
MERMAID = "tests/browser"


def _get(config: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, int):
            if not isinstance(config, list) or len(config) <= key:
                return None
        elif not isinstance(config, dict) or key not in config:
            return None
        config = config[key]
    return config


def problems(config: Any) -> list[str]:
    """What keeps ``config`` from building the book as dev.py docs does (empty: nothing)."""
    found = []
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    expected: dict[tuple[str | int, ...], Any] = {
        ("version",): 2,
        ("build", "os"): "ubuntu-24.04",
        ("build", "tools", "python"): "3.12",
        ("build", "tools", "nodejs"): "20",
        ("python", "install", 0, "method"): "pip",
        ("python", "install", 0, "path"): ".",
        ("sphinx", "configuration"): "docs/conf.py",
        ("sphinx", "fail_on_warning"): True,  # dev.py docs builds with -W
    }
    for keys, value in expected.items():
        if _get(config, *keys) != value:
            found.append(f"{'.'.join(map(str, keys))}: {_get(config, *keys)!r}, not {value!r}")
    requirements = _get(config, "python", "install", 0, "extra_requirements") or []
    if "docs" not in requirements:
        found.append(f"python.install[0].extra_requirements: {requirements!r} lacks 'docs'")
    found += [
        f"extra {name!r} is not in pyproject.toml" for name in requirements if name not in extras
    ]
    pre_build = _get(config, "build", "jobs", "pre_build") or []
    if not any(f"npm ci --prefix {MERMAID}" in step for step in pre_build):
        found.append(f"build.jobs.pre_build: {pre_build!r} does not install {MERMAID}")
    if _get(config, "sphinx", "builder") not in (None, "html"):
        found.append(f"sphinx.builder: {_get(config, 'sphinx', 'builder')!r}, not html")
    return found


def load() -> Any:
    return yaml.safe_load(CONFIG.read_text("utf-8"))


def test_readthedocs_configuration_builds_the_book_like_dev_py() -> None:
    assert problems(load()) == []


def test_the_files_it_names_exist() -> None:
    config = load()
    assert (ROOT / config["sphinx"]["configuration"]).is_file()
    assert (ROOT / MERMAID / "package-lock.json").is_file()
    conf = (ROOT / "docs" / "conf.py").read_text("utf-8")
    assert '"tests" / "browser" / "node_modules" / "mermaid" / "dist"' in conf
    docs = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(r.startswith("furo") for r in docs["optional-dependencies"]["docs"])
    assert any(r.startswith("sphinx>=7.4") for r in docs["optional-dependencies"]["docs"])


def test_the_check_finds_what_is_wrong() -> None:
    """Positive control: a configuration that differs is reported, key by key."""
    config = load()
    config["sphinx"]["fail_on_warning"] = False
    config["build"]["jobs"]["pre_build"] = []
    del config["python"]["install"][0]["extra_requirements"]
    config["version"] = 1
    found = problems(config)
    assert len(found) == 4, found
    assert problems({}) and problems(None)
