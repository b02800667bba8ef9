"""One JSON document for machines; the shape is documented in docs/cli.md."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..api import Report
from ..diagnostics import Diagnostic, Severity
from ..terminal import safe_json
from .base import Reporter

FORMAT_VERSION = 1


def diagnostic_json(diag: Diagnostic) -> dict[str, Any]:
    return {
        "file": diag.file,
        "line": diag.line,
        "column": diag.col,
        "severity": diag.severity.value,
        "code": diag.code,
        "name": diag.name,
        "message": diag.message,
        "hint": diag.hint,
        "path": diag.json_pointer,
    }


class JsonReporter(Reporter):
    name = "json"

    def finish(self, report: Report, strict: bool) -> None:
        diagnostics = report.diagnostics
        document = {
            "formatVersion": FORMAT_VERSION,
            "tool": {"name": "programdsl", "version": __version__},
            "ok": not report.failed(strict),
            "summary": {
                "files": len(report.files),
                "errors": report.count(Severity.ERROR),
                "warnings": report.count(Severity.WARNING),
            },
            "files": [
                {"file": r.file, "kind": r.kind, "errors": r.errors, "warnings": r.warnings} for r in report.files
            ],
            "diagnostics": [diagnostic_json(x) for x in diagnostics],
        }
        self.stream.write(safe_json(document))
        self.stream.write("\n")
