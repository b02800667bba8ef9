"""Shared helpers for the validator's tests.

`MINIMAL` is the smallest valid program (tests/fixtures/valid/minimal.yaml): a traditional
program whose preset supplies roles, schedule length, milestones, meetings, pairing and
training. Tests change it with `deep_merge` and write it with `write_program`.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path
from typing import Any, Iterable

import pytest
import yaml
from hypothesis import settings

import programdsl.loader
from programdsl.api import FileResult, Validator
from programdsl.diagnostics import Diagnostic

TESTS_DIR = Path(__file__).resolve().parent
FIXTURES = TESTS_DIR / "fixtures"
VALID_DIR = FIXTURES / "valid"
INVALID_DIR = FIXTURES / "invalid"
MINIMAL_PATH = VALID_DIR / "minimal.yaml"
MINIMAL: str = MINIMAL_PATH.read_text(encoding="utf-8")

# The suite must give the same verdict on every run, so property tests draw the same examples each
# time. PROGRAMDSL_HUNT=1 draws fresh random ones instead, to look for new failures by hand.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("hunt", derandomize=False)
settings.load_profile("hunt" if os.environ.get("PROGRAMDSL_HUNT") else "repeatable")


def minimal_data() -> dict[str, Any]:
    """A fresh, modifiable copy of the minimal program as plain data (dates stay text)."""
    return copy.deepcopy(_MINIMAL_DATA)


def _dates_to_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_MINIMAL_DATA: dict[str, Any] = _dates_to_text(yaml.safe_load(MINIMAL))


def deep_merge(base: Any, over: Any) -> Any:
    """Mappings merge key by key; lists and scalars in `over` replace what `base` has.

    The same rule programdsl applies to presets and `extends:`. Neither input is modified.
    """
    if isinstance(base, dict) and isinstance(over, dict):
        merged = copy.deepcopy(base)
        for key, value in over.items():
            merged[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(over)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def write_program(directory: Path, content: str | dict[str, Any] | bytes, name: str = "program.yaml") -> Path:
    """Write a program (YAML text, data to dump, or raw bytes) to `directory/name`."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else dump(content), encoding="utf-8")
    return path


def check(path: str | os.PathLike[str]) -> FileResult:
    """Validate one file with a fresh validator."""
    return Validator().check_file(path)


def check_text(directory: Path, text: str, name: str = "program.yaml") -> FileResult:
    return check(write_program(directory, text, name))


def check_data(directory: Path, overrides: dict[str, Any] | None = None, name: str = "program.yaml") -> FileResult:
    """Validate the minimal program with `overrides` deep-merged onto it."""
    data = deep_merge(minimal_data(), overrides or {})
    return check(write_program(directory, data, name))


def located(diagnostics: Iterable[Diagnostic]) -> set[tuple[str, int, int]]:
    return {(x.code, x.line, x.col) for x in diagnostics}


def codes(diagnostics: Iterable[Diagnostic]) -> set[str]:
    return {x.code for x in diagnostics}


def describe(diagnostics: Iterable[Diagnostic]) -> str:
    """Readable listing for assertion messages."""
    return "\n".join(f"  {x.file}:{x.line}:{x.col}: {x.severity.value}[{x.code}] {x.message} | hint: {x.hint}"
                     for x in diagnostics) or "  (none)"


@pytest.fixture(autouse=True)
def _no_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose output formats explicitly; running inside GitHub Actions must not change them."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def minimal() -> dict[str, Any]:
    return minimal_data()


# The loader uses libyaml's parser when PyYAML was built with it, and the pure-Python one
# otherwise: positions must not depend on which (only syntax-error wording may differ).
PARSERS: dict[str, Any] = {"pure": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):
    PARSERS["libyaml"] = yaml.CSafeLoader


@pytest.fixture(params=sorted(PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with each available YAML parser."""
    monkeypatch.setattr(programdsl.loader, "_PARSER", PARSERS[request.param])
    return str(request.param)
