"""GitHub Actions workflow commands, which show as annotations on a pull request."""

from __future__ import annotations

from ..api import FileResult, Report
from ..diagnostics import Severity
from ..terminal import visible
from .base import Reporter, plural


def _data(text: str) -> str:
    """A workflow command's value: line breaks encoded as GitHub reads them, and every other
    control, escape or bidi character shown as an escape (the log is a terminal too)."""
    return "%0A".join(visible(line) for line in text.replace("%", "%25").replace("\r", "%0D").split("\n"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def file_done(self, result: FileResult) -> None:
        for diag in self.fresh(result):
            level = "error" if diag.severity is Severity.ERROR else "warning"
            props = f"file={_property(diag.file)},line={diag.line},col={diag.col},title={_property(f'{diag.code} {diag.name}')}"
            body = diag.message + (f"\nhint: {diag.hint}" if diag.hint else "")
            self.stream.write(f"::{level} {props}::{_data(body)}\n")

    def finish(self, report: Report, strict: bool) -> None:
        errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
        self.stream.write(f"programdsl: {plural(len(report.files), 'file')} checked, {plural(errors, 'error')}, "
                          f"{plural(warnings, 'warning')}\n")
