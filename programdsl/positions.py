"""Where something is in a text file a person wrote, for located diagnostics about rosters,
responses, session logs and values files: a byte's line and column, the column a CSV cell
starts at, and the letter a spreadsheet gives a column."""

from __future__ import annotations

from .diagnostics import Span


def byte_span(file: str, raw: bytes, at: int) -> Span:
    """The line and column (in characters, 1-based) of byte `at` of `raw`: where a NUL byte or an
    invalid UTF-8 sequence is. Lines end at \\n, as CSV readers count them."""
    before = raw[:at]
    start = before.rfind(b"\n") + 1
    return Span(file, before.count(b"\n") + 1, len(before[start:].decode("utf-8", "replace")) + 1)


def cell_starts(line: str, delimiter: str) -> list[int]:
    """0-based offsets where each CSV cell of `line` starts (quotes respected)."""
    starts, quoted, i = [0], False, 0
    while i < len(line):
        ch = line[i]
        if quoted:
            if ch == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    i += 1
                else:
                    quoted = False
        elif ch == '"':
            quoted = True
        elif ch == delimiter:
            starts.append(i + 1)
        i += 1
    return starts


def column_letter(index: int) -> str:
    """A, B, ... Z, AA for a 0-based column index, as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
