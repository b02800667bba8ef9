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
_LINE_START = re.compile(r"^(#{1,6}|[+=-]|\d+[.)])(?=\s|$)")
_SPACE = re.compile(r"\s+")


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
    text = _INLINE.sub(r"\\\1", text)
    text = text.replace("&", "&amp;") if "&" in text and re.search(r"&#?\w+;", text) else text
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text, count=1)


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
