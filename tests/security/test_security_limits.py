"""Every limit is documented with its value, and each one is reached with a located error and a
stable code, tested on small inputs by lowering the limit."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from programdsl import limits
from programdsl.api import Validator
from programdsl.cli import main
from programdsl.matching import memory
from programdsl.matching.roster import Needs, read_roster

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "rosters"
NAMES = [name for name in vars(limits) if name.isupper()]


def shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, (int, float)) else "not set"


@pytest.mark.parametrize("name", NAMES)
def test_every_limit_is_on_the_docs_page_with_its_value(name: str) -> None:
    page = (REPO / "docs" / "limits.md").read_text(encoding="utf-8")
    row = next((line for line in page.splitlines() if line.startswith(f"| `{name}` |")), None)
    assert row is not None, f"docs/limits.md has no row for {name}"
    assert shown(getattr(limits, name)) in row, f"docs/limits.md gives {name} another value: {row}"


# --- program files ---------------------------------------------------------------------------------

def test_a_large_program_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "PROGRAM_BYTES", 1000)
    path = tmp_path / "program.yaml"
    path.write_bytes(b"apiVersion: programdsl/v1\n" + b"#" * 2000)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", no_reading)
    result = Validator().check_file(path)
    monkeypatch.undo()
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("PD002", 1, 1)]
    assert "2,026 bytes" in result.diagnostics[0].message


def test_the_text_reporter_does_not_read_a_file_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from programdsl.sources import source_lines

    path = tmp_path / "big.yaml"
    path.write_bytes(b"line one\n" * 200)
    monkeypatch.setattr(limits, "PROGRAM_BYTES", 100)
    assert source_lines(str(path)) == ()


def test_a_schedule_that_expands_past_the_limit_is_pd031(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "OCCURRENCES", 5)
    result = CliRunner().invoke(main, ["calendar", str(FIXTURES / "program.yaml"), "-o", str(tmp_path / "cal")])
    assert result.exit_code == 1
    assert "error[PD031]: the schedule expands to more than 5 dated items" in result.output
    assert not (tmp_path / "cal").exists()


@pytest.mark.parametrize("occurrences, line, col", [(3, 31, 5), (5, 8, 7)])
def test_the_schedule_limit_names_the_line_of_the_series_that_crossed_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, occurrences: int, line: int, col: int) -> None:
    # 3: the closing survey's pulses cross it (its item, line 31); 5: the pairs' sessions, whose
    # frequency comes from the reverse preset, so the `type: reverse` line that chose it (line 8).
    monkeypatch.setattr(limits, "OCCURRENCES", occurrences)
    program = FIXTURES / "program.yaml"
    result = CliRunner().invoke(main, ["calendar", str(program), "-o", str(tmp_path / "cal")])
    assert result.exit_code == 1
    assert f"program.yaml:{line}:{col}: error[PD031]: the schedule expands to more than {occurrences} dated items" \
        in result.output


def test_calendars_past_the_event_limit_are_pd031(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "CALENDAR_EVENTS", 10)
    result = CliRunner().invoke(main, ["calendar", str(FIXTURES / "program.yaml"), "-o", str(tmp_path / "cal")])
    assert result.exit_code == 1 and "error[PD031]: the calendars would hold up to" in result.output


@pytest.mark.parametrize("command", ["calendar", "build"])
def test_calendars_past_the_text_limit_are_pd031_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    # A long description repeated in every event of a weekly survey once took minutes and gigabytes.
    monkeypatch.setattr(limits, "CALENDAR_TEXT", 500)
    args = [command, str(FIXTURES / "program.yaml"), "-o", str(tmp_path / "out")] + (
        ["--format", "md"] if command == "build" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert re.search(r"program\.yaml: error\[PD031\]: the calendars would hold more than 500 characters of event "
                     r"text \(the limit for one run was crossed at event \S+@match-test\.programdsl\)", result.output)
    assert "hint: shorten long descriptions" in result.output and not (tmp_path / "out").exists()


def test_the_calendar_text_limit_is_counted_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from programdsl.api import load_program
    from programdsl.render.calendar import calendar_files

    program, _ = load_program(FIXTURES / "program.yaml")
    assert program is not None
    first = calendar_files(program)
    text = sum(len(data) for data in first.values())
    monkeypatch.setattr(limits, "CALENDAR_TEXT", text)  # the text is less than the files' bytes
    assert calendar_files(program) == first
    assert calendar_files(program) == first  # a second run starts from zero


def test_many_references_to_undefined_ids_get_short_hints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "REFERENCE_PROBLEMS", 3)
    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    metrics = "".join(f"  - {{id: m{i}, name: M, definition: D, unit: u, baseline: 1, target: 2}}\n" for i in range(60))
    objectives = "".join(f"  - {{id: o{i}, title: T, beneficiary: mentee, metrics: [m{i}x]}}\n" for i in range(10))
    source = source.replace("metrics:\n  - id: confidence-score", "metrics:\n" + metrics + "  - id: confidence-score")
    source = source.replace("objectives:\n", "objectives:\n" + objectives)
    path = tmp_path / "program.yaml"
    path.write_text(source, encoding="utf-8")
    dangling = [d for d in Validator().check_file(path).diagnostics if d.code == "PD302"]
    assert len(dangling) == 10
    assert all("and 41 more" in d.hint and len(d.hint) < 300 for d in dangling)
    assert [d.hint.startswith("did you mean") for d in dangling] == [True] * 3 + [False] * 7


# --- rosters -------------------------------------------------------------------------------------------

def roster_file(tmp_path: Path, rows: int, name: str = "roster.csv", cell: str = "") -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "role", "skills"])
    for i in range(rows):
        writer.writerow([f"p{i}", f"Person {i}", "mentor" if i % 2 else "mentee", cell or "data"])
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def codes_of(path: Path) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in read_roster(path, Needs(roles={"mentor": "mentor", "mentee": "mentee"})).diagnostics]


def test_a_roster_with_too_many_people_is_pd443(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ROSTER_ROWS", 5)
    assert codes_of(roster_file(tmp_path, 6)) == [("PD443", 7, 1)]
    assert codes_of(roster_file(tmp_path, 5)) == []


def test_a_roster_cell_over_the_limit_is_pd444(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ROSTER_CELL", 50)
    assert codes_of(roster_file(tmp_path, 2, cell="x" * 51)) == [("PD444", 2, 20), ("PD444", 3, 20)]


def test_a_large_roster_is_refused_by_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ROSTER_BYTES", 100)
    assert codes_of(roster_file(tmp_path, 20)) == [("PD401", 1, 1)]


def test_yaml_roster_alias_bomb_is_pd445_before_anything_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ROSTER_VALUES", 10_000)
    big = "[" + ", ".join(f"s{i}" for i in range(200)) + "]"
    rows = ["people:", f"  - {{id: p0, name: P, role: mentor, skills: &big {big}}}"]
    rows += [f"  - {{id: p{i}, name: P, role: mentee, skills: *big}}" for i in range(1, 200)]
    path = tmp_path / "roster.yaml"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    found = codes_of(path)
    assert len(found) == 1 and found[0][0] == "PD445" and found[0][1] > 2


def test_yaml_roster_nesting_is_pd445(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    depth = limits.NESTING + 5
    path.write_text("people:\n  - {id: a, name: A, role: mentor, skills: " + "[" * depth + "]" * depth + "}\n", encoding="utf-8")
    assert [c for c, _, _ in codes_of(path)] == ["PD445"]


def test_match_refuses_a_pool_that_would_not_fit_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MATCH_MEMORY_BYTES", memory.BASE_BYTES + 40)
    result = CliRunner().invoke(main, ["match", str(FIXTURES / "program.yaml"), str(FIXTURES / "roster.csv")])
    assert result.exit_code == 1, result.output
    assert "roster.csv:1:1: error[PD446]: matching 4 mentors (4 places) with 3 mentees (3 places) may need about" in result.output
    assert "hint: split the roster into at least 2 cohorts" in result.output
    assert "matched" not in result.output.replace("nothing was matched", "").replace("nothing matched", "")


def test_memory_estimates_keep_the_benchmark_sizes_inside_a_16_gb_budget() -> None:
    budget = int(16 * 2**30 * limits.MATCH_MEMORY_SHARE)
    # bench/match: 20,000 people one-to-one, and with 30 % mentors of capacity 3; 5,000 peers.
    assert memory.estimate_bytes(10_000, 10_000, 10_000, 10_000, 0) < budget
    assert memory.estimate_bytes(18_000, 14_000, 6_000, 14_000, 0) < budget
    assert memory.estimate_bytes(5_000, 5_000, 5_000, 5_000, 5_000) < budget
    # The reported break: 10,000 mentors taking 4 each and 40,000 mentees.
    assert memory.estimate_bytes(40_000, 40_000, 10_000, 40_000, 0) > 24 * 2**30


def test_pairs_and_pin_files_have_the_roster_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from programdsl.matching.engine import read_fixed
    from programdsl.pairs import PairsError, read_pairs

    fifo = tmp_path / "pins.csv"
    os.mkfifo(fifo)  # would block a plain open() forever
    found, problems = read_fixed(fifo, False, "pins.csv")
    assert [(d.code, d.line) for d in problems] == [("PD430", 1)] and "not a regular file" in problems[0].message
    monkeypatch.setattr(limits, "ROSTER_VALUES", 1000)
    bomb = tmp_path / "pairs.yaml"
    big = "[" + ", ".join(f"p{i}" for i in range(100)) + "]"
    bomb.write_text("apiVersion: programdsl/v1\nkind: Pairs\nx: &a " + big + "\nmatches:\n"
                    + "".join("  - {mentors: *a, mentees: *a}\n" for _ in range(50)), encoding="utf-8")
    with pytest.raises(PairsError) as caught:
        read_pairs(bomb)
    assert "expands to more than 1,000 values" in str(caught.value) and caught.value.span.line > 4


def test_a_build_larger_than_the_limit_is_pd053_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A 500 KB program name made 102 MB of documents; with a pairs file of many people the files,
    # all held in memory until the last is made, would not fit.
    monkeypatch.setattr(limits, "BUILD_OUTPUT_BYTES", 10_000)
    result = CliRunner().invoke(main, ["build", str(FIXTURES / "program.yaml"), "-o", str(tmp_path / "out"),
                                       "--format", "md", "--no-calendars"])
    assert result.exit_code == 1
    assert re.search(r"program\.yaml: error\[PD053\]: the documents would be larger than 10,000 bytes together, the "
                     r"limit for one build \(crossed at \S+\)", result.output), result.output
    assert not (tmp_path / "out").exists()
