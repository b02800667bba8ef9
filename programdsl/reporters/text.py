"""Compiler-style text: `path:line:col: severity[CODE]: message`, the source line, a caret, the hint."""

from __future__ import annotations

import re

import click

from ..api import FileResult, Report
from ..diagnostics import Diagnostic, Severity
from ..sources import source_lines
from .base import Reporter, plural


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences that could move the
    cursor, retitle the window or write the clipboard) are shown as \\xNN instead."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class TextReporter(Reporter):
    name = "text"

    def _style(self, text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if self.color else text  # type: ignore[arg-type]

    def _one(self, diag: Diagnostic) -> None:
        colour = "red" if diag.severity is Severity.ERROR else "yellow"
        label = self._style(f"{diag.severity.value}[{diag.code}]", fg=colour, bold=True)
        where = visible(f"{diag.file}:{diag.line}:{diag.col}:")
        out = [f"{self._style(where, bold=True)} {label}: {visible(diag.message)}"]
        lines = source_lines(diag.file)
        if 0 < diag.line <= len(lines):
            source = visible(lines[diag.line - 1].replace("\t", " "))
            gutter = " " * len(str(diag.line))
            out.append(f"  {diag.line} | {source}")
            out.append(f"  {gutter} | {' ' * (diag.col - 1)}{self._style('^', fg=colour, bold=True)}")
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
