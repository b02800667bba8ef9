"""Reading files: what cannot be stored sensibly as a fixture (binary, encodings, size) is built here."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from programdsl.loader import MAX_FILE_BYTES, STDIN

from conftest import MINIMAL, check, describe, located, write_program

TYPO = MINIMAL.replace("  timezone: Europe/London", "  timezon: Europe/London")
TYPO_AT = ("PD201", 6, 3)  # where the typo sits in TYPO


def test_minimal_program_is_valid(tmp_path: Path) -> None:
    result = check(write_program(tmp_path, MINIMAL))
    assert result.diagnostics == [], describe(result.diagnostics)
    assert result.kind == "Program"
    assert result.program is not None and result.program.id == "pilot"


def test_typo_baseline(tmp_path: Path) -> None:
    assert located(check(write_program(tmp_path, TYPO)).diagnostics) == {TYPO_AT}


def test_nul_byte_is_binary(tmp_path: Path) -> None:
    raw = b"apiVersion: programdsl/v1\nkind: Pro\x00gram\n"
    assert located(check(write_program(tmp_path, raw)).diagnostics) == {("PD003", 2, 10)}


def test_random_binary_file(tmp_path: Path) -> None:
    raw = bytes(range(256)) * 4
    result = check(write_program(tmp_path, raw, "image.yaml"))
    assert [x.code for x in result.diagnostics] == ["PD003"]


def test_utf16_file_is_reported_as_binary(tmp_path: Path) -> None:
    result = check(write_program(tmp_path, MINIMAL.encode("utf-16")))
    assert [x.code for x in result.diagnostics] == ["PD003"]


def test_latin1_file_is_not_utf8(tmp_path: Path) -> None:
    raw = MINIMAL.replace("name: Pilot program", "name: Caf\u00e9 club").encode("latin-1")
    result = check(write_program(tmp_path, raw))
    # "  name: Caf" is 11 characters, so the bad byte is in column 12 of line 5.
    assert located(result.diagnostics) == {("PD004", 5, 12)}
    assert "0xe9" in result.diagnostics[0].message


def test_invalid_utf8_after_multibyte_characters_counts_characters(tmp_path: Path) -> None:
    raw = "name: Zoë ☕ ".encode() + b"\xff\n"
    assert located(check(write_program(tmp_path, raw)).diagnostics) == {("PD004", 1, 13)}


def test_bom_is_accepted(tmp_path: Path) -> None:
    result = check(write_program(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode()))
    assert result.diagnostics == [], describe(result.diagnostics)


def test_bom_does_not_shift_columns(tmp_path: Path) -> None:
    result = check(write_program(tmp_path, b"\xef\xbb\xbf" + TYPO.encode()))
    assert located(result.diagnostics) == {TYPO_AT}


def test_crlf_line_endings_keep_positions(tmp_path: Path, parser: str) -> None:
    result = check(write_program(tmp_path, TYPO.replace("\n", "\r\n").encode()))
    assert located(result.diagnostics) == {TYPO_AT}


def test_columns_count_characters_not_bytes(tmp_path: Path, parser: str) -> None:
    text = MINIMAL.replace(
        "metadata:\n  id: pilot\n  name: Pilot program\n  timezone: Europe/London\n",
        "metadata: {id: pilot, name: Café ☕ 🎉 club, timezon: Europe/London}\n",
    )
    result = check(write_program(tmp_path, text))
    assert located(result.diagnostics) == {("PD201", 3, 44)}, describe(result.diagnostics)


def test_control_character_is_a_syntax_error_at_its_position(tmp_path: Path, parser: str) -> None:
    result = check(write_program(tmp_path, MINIMAL.replace("name: Pilot program", "name: Pilot\x07 program")))
    assert located(result.diagnostics) == {("PD006", 5, 14)}


@pytest.mark.parametrize("text, where", [
    ("a: 1\rb: \x07\r", (2, 4)),  # classic Mac line endings
    ("a: 1\r\nb: \x07\r\n", (2, 4)),
    ("a: 'x\u2028y'\nb: \x07\n", (3, 4)),  # YAML counts LINE SEPARATOR as a line break
    ("a: 'é☕'\nb: x\x07\n", (2, 5)),  # libyaml reports a byte offset: columns count characters
])
def test_control_character_positions(tmp_path: Path, parser: str, text: str, where: tuple[int, int]) -> None:
    assert located(check(write_program(tmp_path, text)).diagnostics) == {("PD006", *where)}


@pytest.mark.parametrize("raw, code, where", [
    (b"a: 1\rb: \xff\r", "PD004", (2, 4)),
    (b"a: 1\r\nb: \x00", "PD003", (2, 4)),
    ("a: é\u2028b: ".encode() + b"\xff", "PD004", (2, 4)),
])
def test_byte_problem_positions_follow_yaml_line_breaks(tmp_path: Path, raw: bytes, code: str, where: tuple[int, int]) -> None:
    assert located(check(write_program(tmp_path, raw)).diagnostics) == {(code, *where)}


def test_tab_indentation_is_a_syntax_error(tmp_path: Path, parser: str) -> None:
    result = check(write_program(tmp_path, MINIMAL.replace("  id: pilot", "\tid: pilot")))
    assert located(result.diagnostics) == {("PD006", 4, 1)}
    # Both parsers word this as "found character that cannot start any token"; say what it is.
    assert result.diagnostics[0].message == "a tab indents this line, but YAML indents with spaces only"
    assert result.diagnostics[0].hint.startswith("replace the tab with spaces")


@pytest.mark.parametrize(("old", "new", "where"), [
    ("  name: Pilot program", "  \tname: Pilot program", (5, 3)),  # after spaces: the tab's own column
    ("  name: Pilot program", "\tname: Pilot program", (5, 1)),  # libyaml: "violates indentation"
    ("      - {id: confidence", "\t- {id: confidence", (28, 1)),
])
def test_tab_in_indentation_points_at_the_tab(tmp_path: Path, parser: str, old: str, new: str, where: tuple[int, int]) -> None:
    result = check(write_program(tmp_path, MINIMAL.replace(old, new)))
    assert located(result.diagnostics) == {("PD006", *where)}, describe(result.diagnostics)
    assert result.diagnostics[0].message.startswith("a tab indents this line")


def test_tab_after_a_dash_needs_a_space(tmp_path: Path, parser: str) -> None:
    result = check(write_program(tmp_path, MINIMAL.replace("  - id: confidence\n", "  -\tid: confidence\n")))
    assert located(result.diagnostics) == {("PD006", 9, 4)}, describe(result.diagnostics)
    assert result.diagnostics[0].message == "a tab where YAML needs a space"


def test_other_syntax_errors_keep_the_parser_wording(tmp_path: Path, parser: str) -> None:
    result = check(write_program(tmp_path, MINIMAL.replace("  name: Pilot program", "  name: [Pilot program")))
    assert [x.code for x in result.diagnostics] == ["PD006"]
    assert "tab" not in result.diagnostics[0].message


def test_oversized_file(tmp_path: Path) -> None:
    raw = MINIMAL.encode() + b"#" * (MAX_FILE_BYTES + 1 - len(MINIMAL.encode()))
    assert len(raw) == MAX_FILE_BYTES + 1
    assert located(check(write_program(tmp_path, raw)).diagnostics) == {("PD002", 1, 1)}


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    padding = MAX_FILE_BYTES - len(MINIMAL.encode())
    raw = MINIMAL.encode() + (b"#" * 99 + b"\n") * (padding // 100) + b"\n" * (padding % 100)
    assert len(raw) == MAX_FILE_BYTES
    result = check(write_program(tmp_path, raw))
    assert result.diagnostics == [], describe(result.diagnostics)


def test_missing_file(tmp_path: Path) -> None:
    result = check(tmp_path / "nowhere.yaml")
    assert [x.code for x in result.diagnostics] == ["PD001"]
    assert (result.diagnostics[0].line, result.diagnostics[0].col) == (1, 1)


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert [x.code for x in result.diagnostics] == ["PD001"]
    assert result.diagnostics[0].message == "not a regular file but a directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_pipe_named_as_a_path_is_refused_with_a_pointer_to_stdin(tmp_path: Path) -> None:
    fifo = tmp_path / "program.yaml"
    os.mkfifo(fifo)  # opening it would block until a writer came: it must not be opened at all
    result = check(fifo)
    assert located(result.diagnostics) == {("PD001", 1, 1)}
    assert result.diagnostics[0].message == "not a regular file but a pipe"
    assert "give `-` as the path" in result.diagnostics[0].hint


def test_dash_reads_standard_input_with_the_same_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TYPO.encode())))
    result = check(STDIN)
    assert result.file == "<stdin>"
    assert {(x.file, x.code, x.line, x.col) for x in result.diagnostics} == {("<stdin>", *TYPO_AT)}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"#" * (MAX_FILE_BYTES + 10))))
    assert {(x.file, x.code) for x in check(STDIN).diagnostics} == {("<stdin>", "PD002")}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "---\n...\n", "~\n", "null\n"])
def test_empty_documents(tmp_path: Path, text: str) -> None:
    assert located(check(write_program(tmp_path, text)).diagnostics) == {("PD005", 1, 1)}


def test_duplicate_key_is_recoverable(tmp_path: Path) -> None:
    """A duplicate key is reported, and checking carries on with the first value."""
    text = MINIMAL.replace("    target: 4\n", "    target: 4\n    target: 5\n").replace("  timezone:", "  timezon:")
    result = check(write_program(tmp_path, text))
    assert located(result.diagnostics) == {("PD007", 20, 5), TYPO_AT}


def test_merge_keys_fill_in_missing_values(tmp_path: Path) -> None:
    text = MINIMAL + "meetings:\n  <<: &cadence {frequency: biweekly, minutes: 30}\n  minutes: 45\n"
    result = check(write_program(tmp_path, text))
    assert result.diagnostics == [], describe(result.diagnostics)
    assert result.program is not None
    assert (result.program.meetings.frequency, result.program.meetings.minutes) == ("biweekly", 45)


def test_value_from_a_merge_key_is_located_where_it_was_written(tmp_path: Path) -> None:
    text = MINIMAL + "base: &base {frequency: fortnightly}\nmeetings:\n  <<: *base\n"
    result = check(write_program(tmp_path, text))
    # 'base' is an unknown top-level key; the bad frequency points at the anchored mapping's value.
    assert located(result.diagnostics) == {("PD201", 29, 1), ("PD204", 29, 25)}, describe(result.diagnostics)


def test_many_files_checked_by_one_validator(tmp_path: Path) -> None:
    from programdsl.api import Validator

    validator = Validator()
    good = write_program(tmp_path, MINIMAL, "good.yaml")
    bad = write_program(tmp_path, TYPO, "bad.yaml")
    assert validator.check_file(good).diagnostics == []
    assert located(validator.check_file(bad).diagnostics) == {TYPO_AT}
    assert validator.check_file(good).diagnostics == []
