"""Files that ship with programdsl: the schema, the templates and the type presets.

In a wheel, `schemas/` and `templates/` are copied into `programdsl/_data/`; in a source checkout
they sit at the top of the repository. Both layouts are found without configuration.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"programdsl is missing its {name} directory; reinstall the package")


def schema_path() -> Path:
    return _data_dir("schemas") / "program.schema.json"


@lru_cache(maxsize=1)
def program_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def templates_dir() -> Path:
    return _data_dir("templates")


PRESETS_DIR = PACKAGE_DIR / "presets"


def preset_path(program_type: str) -> Path:
    return PRESETS_DIR / f"{program_type}.yaml"


def program_types() -> list[str]:
    return list(program_schema()["properties"]["type"]["enum"])
