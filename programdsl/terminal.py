"""Text from files made safe to show on a terminal: the one function every command uses.

Names, reasons, ids and messages come from files other people wrote (a roster exported from an
HR system, a program from a pull request). Printed raw, `ESC ] 0;...` retitles the window,
`ESC [2J` clears the screen, OSC 52 writes the clipboard, and a bidirectional override makes a
line read differently from what the file holds. `visible()` shows each such character as an
escape instead (`\\x1b`, `\\u202e`); printable text, including every letter of every script,
passes unchanged.
"""

from __future__ import annotations

import json
from typing import Any, Callable


def _escape(char: str) -> str:
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """Text safe to print on a terminal. Every character that would not print as itself is shown
    as an escape (\\x1b, \\u202e): control characters could move the cursor, retitle the window
    or write the clipboard, and bidirectional overrides or zero-width characters could make a line
    read differently from what the file holds."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def visible_lines(text: str) -> str:
    """`visible` for a block of several lines: line breaks stay line breaks."""
    return "\n".join(visible(line) for line in text.split("\n"))


def safe_json(document: Any, indent: int | None = 2, default: Callable[[Any], Any] | None = None) -> str:
    """`document` as JSON that is safe on a terminal and still reads back to the same values:
    letters of every script stay as they are, while characters `visible` would escape are
    written as JSON `\\uXXXX` escapes (json itself escapes only the ASCII controls)."""
    text = json.dumps(document, indent=indent, ensure_ascii=False, default=default)
    if text.isprintable() or all(char.isprintable() or char == "\n" for char in text):
        return text
    return "".join(char if char.isprintable() or char == "\n" else _json_escape(char) for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
