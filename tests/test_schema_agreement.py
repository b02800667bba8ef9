"""The compiled fast-path validator and jsonschema agree on every document.

Large runs accept a document on the fast validator's word alone, so a document it accepts and
jsonschema rejects would be an error nobody sees.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from programdsl import schema
from programdsl.api import Validator
from programdsl.scaffold import starting_file

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["", "x", "mentor", "monthly", "2026-02-30", "2026-01-05", "6 months", "Europe/London",
                                     "level-gap", "mentor-junior", "likert", "PD", "a b", "12:00", "99:99",
                                     "self-code", "partner", "change", "share-yes", "share-at-least", "sessions",
                                     "https://forms.example.org/x", "http://", "[A-Z]{2}"]))


def _valid_program() -> dict[str, Any]:
    text = starting_file("reverse", "agreement", "Agreement", dt.date(2027, 1, 4), "x.json")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    result = Validator().check_file(handle.name)
    assert result.resolved is not None and not result.diagnostics
    Path(handle.name).unlink()
    return result.resolved.data


BASE = _valid_program()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, prefix + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, prefix + (index,)))
    return found


PATHS = [p for p in _paths(BASE) if p]


def _agree(data: Any) -> None:
    precise = not any(True for _ in schema.validator().iter_errors(data))
    assert schema.is_valid_fast(data) == precise


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PATHS), SCALARS, st.sampled_from(["set", "delete", "extra"])), min_size=1, max_size=3))
def test_fast_and_precise_validators_agree_on_mutations(edits: list[tuple[tuple[Any, ...], Any, str]]) -> None:
    data = copy.deepcopy(BASE)
    for path, value, action in edits:
        parent: Any = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            if action == "set":
                parent[path[-1]] = value
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[f"x{value}"] = value
        except (KeyError, IndexError, TypeError):
            continue
    _agree(data)


def test_fast_and_precise_validators_agree_on_the_valid_program() -> None:
    _agree(BASE)


def test_compiling_the_fast_validator_leaves_the_shared_schema_untouched() -> None:
    import json

    from programdsl.resources import program_schema, schema_path

    schema.fast_validator.cache_clear()
    schema.fast_validator()
    assert program_schema() == json.loads(schema_path().read_text(encoding="utf-8"))
