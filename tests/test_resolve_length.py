"""A program's length is set once: an `end` in a file replaces a `duration` it inherits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from programdsl.api import Validator
from programdsl.scaffold import starting_file


def _program(tmp_path: Path, schedule: str, extends: str = "") -> Path:
    text = starting_file("flash", "length", "Length", dt.date(2027, 1, 4), "x.json")
    text = text.replace("  start: 2027-01-04\n", f"  start: 2027-01-04\n{schedule}")
    if extends:
        text = text.replace("type: flash\n", f"type: flash\nextends: {extends}\n")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_end_in_the_file_replaces_the_presets_duration(tmp_path: Path) -> None:
    result = Validator().check_file(_program(tmp_path, "  end: 2027-01-17\n"))
    assert result.diagnostics == []
    assert result.program is not None
    assert (result.program.schedule.end, result.program.schedule.duration) == (dt.date(2027, 1, 17), None)


def test_duration_in_the_file_replaces_an_inherited_end(tmp_path: Path) -> None:
    (tmp_path / "defaults.yaml").write_text(
        "apiVersion: programdsl/v1\nkind: ProgramDefaults\nschedule: {end: 2027-01-10}\n", encoding="utf-8")
    result = Validator().check_file(_program(tmp_path, "  duration: 3 weeks\n", extends="defaults.yaml"))
    assert result.diagnostics == []
    assert result.program is not None
    assert (result.program.schedule.end, str(result.program.schedule.duration)) == (None, "3 weeks")


def test_end_and_duration_that_disagree_in_one_file_are_an_error(tmp_path: Path) -> None:
    result = Validator().check_file(_program(tmp_path, "  duration: 2 weeks\n  end: 2027-01-31\n"))
    assert [(d.code, d.line) for d in result.diagnostics] == [("PD303", 24)]
