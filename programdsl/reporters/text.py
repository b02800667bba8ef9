"""Compiler-style text: `path:line:col: severity[CODE]: message`, the source line, a caret, the hint."""

from __future__ import annotations

import unicodedata

import click

from ..api import FileResult, Report
from ..diagnostics import FILE_BINARY, Diagnostic, Severity
from ..sources import source_lines
from ..terminal import visible
from .base import Reporter, plural


def _width(text: str) -> int:
    """Terminal columns `text` takes once visible: wide CJK characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


# Around the caret, a source line is cut to this many characters on each side (a minified or
# generated line can be thousands of characters long).
_CONTEXT = 80


def source_and_caret(line: str, col: int) -> tuple[str, int]:
    """The source line as shown, and how many columns the caret is indented to sit under `col`."""
    # `visible` maps each character to one or more, so the shown ends come from at most _CONTEXT
    # characters on each side: cut first, so that a thousand problems on one long line cost
    # a thousand short cuts, not a thousand copies of the line.
    head, tail = line[:col - 1], line[col - 1:]
    before, after = visible(head[-_CONTEXT:]), visible(tail[:_CONTEXT + 1])
    if len(head) > _CONTEXT or len(before) > _CONTEXT:
        before = "..." + before[-_CONTEXT:]
    if len(after) > _CONTEXT:
        after = after[:_CONTEXT] + "..."
    return before + after, _width(before)


class TextReporter(Reporter):
    name = "text"

    def _style(self, text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if self.color else text  # type: ignore[arg-type]

    def _one(self, diag: Diagnostic) -> None:
        colour = "red" if diag.severity is Severity.ERROR else "yellow"
        label = self._style(f"{diag.severity.value}[{diag.code}]", fg=colour, bold=True)
        where = visible(f"{diag.file}:{diag.line}:{diag.col}:")
        out = [f"{self._style(where, bold=True)} {label}: {visible(diag.message)}"]
        # A binary file's "line" is noise, whatever its bytes; only the position is useful.
        lines = source_lines(diag.file) if diag.code != FILE_BINARY.code else ()
        if 0 < diag.line <= len(lines):
            source, indent = source_and_caret(lines[diag.line - 1], diag.col)
            gutter = " " * len(str(diag.line))
            out.append(f"  {diag.line} | {source}")
            out.append(f"  {gutter} | {' ' * indent}{self._style('^', fg=colour, bold=True)}")
        if diag.hint:
            out.append(f"  {self._style('hint', fg='cyan')}: {visible(diag.hint)}")
        self.stream.write("\n".join(out) + "\n")

    def file_done(self, result: FileResult) -> None:
        for diag in self.fresh(result):
            self._one(diag)

    def finish(self, report: Report, strict: bool) -> None:
        errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
        checked = plural(len(report.files), "file")
        if not errors and not warnings:
            self.stream.write(f"{checked} checked: no problems found\n")
            return
        summary = f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {checked} checked"
        if warnings and not errors and not strict:
            summary += " (warnings do not fail the check; --strict makes them)"
        self.stream.write(summary + "\n")
