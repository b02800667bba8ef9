"""Making text from a program file safe for each output it lands in.

HTML is escaped by Jinja's autoescaping. Markdown has no autoescaping, so every value a Markdown
template prints goes through `md_escape` (the Markdown environment's `finalize`): text from the
YAML reads exactly as written, and can neither inject raw HTML (`<script>`) nor turn into
headings, links or tables. CSV cells go through `csv_cell`, which stops spreadsheets from reading
a cell as a formula.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# What would start a block at the beginning of a line: an ATX heading (`#`), a bullet (`-`, `+`),
# a thematic break or a setext underline (`---`, `===`), an ordered list item (`1.`, `1)`).
# `*`, `_`, `>`, backticks and `~` are escaped wherever they are (see _INLINE), which already
# covers `***`, `___`, quotes and fences. Up to three spaces may come first.
_LINE_START = re.compile(r"^( ?)(?:(#+|-+|=+|\++)|(\d{1,9})([.)]))(?=\s|$)")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A plain e-mail address: dot-separated words of letters, digits and `_ + ' -` before the `@`, a
# domain name with at least one dot after it. Nothing that could add a query (`?bcc=`, `&body=`),
# a fragment, a percent-escape, a second address or a display name to a `mailto:` link.
_WORD = r"[A-Za-z0-9_+'-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_WORD}(?:\.{_WORD})*@{_LABEL}(?:\.{_LABEL})+")


class MdSafe(str):
    """Markdown that a template or programdsl itself produced: printed as it is."""

    __slots__ = ()


def md_escape(value: Any) -> str:
    """Plain text as Markdown that renders to the same text, on one line."""
    if isinstance(value, (MdSafe, Markup)):
        return str(value)
    if value is None:
        return ""
    text = _SPACE.sub(" ", value) if isinstance(value, str) else str(value)
    text = _CONTROL.sub("", text)  # escape sequences have no place in a document someone may `cat`
    text = _INLINE.sub(r"\\\1", text)
    text = text.replace("&", "&amp;") if "&" in text and re.search(r"&#?\w+;", text) else text
    return _LINE_START.sub(_escape_line_start, text, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    """`# x` -> `\\# x`, `---` -> `\\---`, `1. x` -> `1\\. x`: the run no longer starts a block."""
    space, run, digits, mark = match.groups()
    if run is not None:
        return f"{space}\\{run}"
    return f"{space}{digits}\\{mark}"


def is_plain_email(value: Any) -> bool:
    """True for a bare address (`ana@example.org`) that is safe to put after `mailto:`.

    Anything else (a query such as `?bcc=`, spaces, a display name, several addresses) is shown
    as text and never linked; calendars add no ATTENDEE for it.
    """
    return isinstance(value, str) and len(value) <= 254 and bool(_EMAIL.fullmatch(value))


_HEADING = re.compile(r"#{1,6} ")
_LIST = re.compile(r"\s*(?:[-*+]|\d+[.)]) ")


def _block(line: str, previous: str) -> str:
    if not line.strip():
        return "blank"
    if _HEADING.match(line):
        return "heading"
    if _LIST.match(line) or (line.startswith("  ") and previous == "list"):
        return "list"
    if line.startswith("|"):
        return "table"
    if line.startswith(">"):
        return "quote"
    if line.startswith("<!--"):
        return "comment"
    return "para"


def tidy_markdown(text: str) -> str:
    """One blank line between blocks (headings, lists, tables, paragraphs), never two.

    Jinja's whitespace control makes exact blank lines fiddly to get right in templates; this
    pass makes every Markdown document consistent, so templates can be written for readability.
    """
    out: list[str] = []
    previous = "blank"
    for raw in text.split("\n"):
        line = raw.rstrip()
        kind = _block(line, previous)
        if kind == "blank":
            if out and out[-1] != "":
                out.append("")
            previous = "blank"
            continue
        if out and out[-1] != "" and (kind != previous or kind in ("heading", "comment", "para")):
            out.append("")
        out.append(line)
        previous = kind
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def md_finalize(value: Any) -> Any:
    """The Markdown environment's `finalize`: numbers print as they are, text is escaped."""
    if isinstance(value, (bool, int, float)):
        return value
    return md_escape(value)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """Text that a spreadsheet shows as text: a cell that would start a formula gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
