"""Write the JSON form of the built-in model and catalogue from their YAML.

    python3 dev.py data          # after editing data/default-model.yaml or default-catalogue.yaml

The YAML files are what people read and edit (comments, folded text). A
build reads their parsed form, ``data/<name>.json``, instead: that spares
every build PyYAML's import and parse (about 20 ms of start-up, measured)
and is exactly the data the YAML holds, read with the same loader
(``YamlSource``, safe, aliases bounded). Both are committed and shipped;
``tests/test_builtin_data.py`` fails when a JSON file no longer matches its
YAML, and says to run this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sphinx_mlrefarch.datafiles import BUILTIN, DATA  # noqa: E402
from sphinx_mlrefarch.model.yaml_source import YamlSource  # noqa: E402


def parsed(name: str) -> dict[str, Any]:
    """The data of ``data/<name>.yaml`` as the loaders read user files."""
    source = YamlSource(f"{name}.yaml", "a mapping")
    data = source.parse((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    if source.problems:
        raise SystemExit("\n".join(map(str, source.problems)))
    return data


def text(name: str) -> str:
    """The JSON file's text for ``name`` (what this script writes)."""
    return json.dumps(parsed(name), indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    folder = ROOT / "sphinx_mlrefarch" / "data"
    for name in BUILTIN:
        target = folder / f"{name}.json"
        new = text(name)
        if not target.exists() or target.read_text(encoding="utf-8") != new:
            target.write_text(new, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
