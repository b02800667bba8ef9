"""Work that grows with the input stays linear: many problems on one long line (a program written
as one line of JSON, which is YAML) must not copy or scan that line once per problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from programdsl import config
from programdsl.api import Validator
from programdsl.reporters import text
from programdsl.reporters.text import source_and_caret

PROGRAM = Path(__file__).resolve().parent.parent / "fixtures" / "rosters" / "program.yaml"


def one_line_program(tmp_path: Path, phases: int) -> Path:
    data = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    data.setdefault("schedule", {})["phases"] = [{"id": f"p{i}", "name": "P", "duration": "30 days"}
                                                 for i in range(phases)]
    path = tmp_path / "one-line.yaml"
    path.write_text(json.dumps(data, default=str) + "\n", encoding="utf-8")
    return path


def test_the_source_snippet_is_cut_before_it_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = text.visible

    def measuring(value: str) -> str:
        seen.append(len(value))
        return real(value)

    monkeypatch.setattr(text, "visible", measuring)
    line = "x" * 50_000 + "\x1b[2J" + "y" * 50_000
    shown, indent = source_and_caret(line, 50_001)
    assert max(seen) <= 81
    assert shown == "..." + "x" * 80 + "\\x1b[2J" + "y" * 73 + "..." and indent == 83
    # Short lines are shown whole, as before.
    assert source_and_caret("key: \x1b]0;t\x07 value", 6) == ("key: \\x1b]0;t\\x07 value", 5)


def test_many_problems_on_one_line_cost_one_search_for_suppressions(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = one_line_program(tmp_path, 300)
    result = Validator().check_file(path)
    assert len(result.diagnostics) > 100 and {d.line for d in result.diagnostics} == {1}

    searches: list[int] = []
    real = config._SUPPRESS

    class Counting:
        def search(self, line: str) -> Any:
            searches.append(len(line))
            return real.search(line)

    monkeypatch.setattr(config, "_SUPPRESS", Counting())
    kept = config.Config().apply(result.diagnostics)
    assert kept == result.diagnostics and len(searches) == 1
