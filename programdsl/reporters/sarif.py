"""SARIF 2.1.0, the format GitHub code scanning ingests (shows every problem, not only ten)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..api import Report
from ..diagnostics import CATALOGUE, Severity
from ..terminal import safe_json
from .base import Reporter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    """A valid URI reference: spaces, '#' and '%' in paths are percent-encoded."""
    if file.startswith("preset:"):
        return file
    if os.path.isabs(file):
        return Path(file).as_uri()
    return quote(file.replace(os.sep, "/"))


class SarifReporter(Reporter):
    name = "sarif"

    def finish(self, report: Report, strict: bool) -> None:
        codes = sorted(CATALOGUE)
        index = {code: i for i, code in enumerate(codes)}
        rules = [
            {
                "id": code,
                "name": CATALOGUE[code].name,
                "shortDescription": {"text": CATALOGUE[code].summary},
                "helpUri": f"https://programdsl.dev/docs/rules#{code.lower()}",
                "defaultConfiguration": {"level": "error" if CATALOGUE[code].severity is Severity.ERROR else "warning"},
            }
            for code in codes
        ]
        results: list[dict[str, Any]] = []
        for diag in report.diagnostics:
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(diag.file)},
                    "region": {"startLine": diag.line, "startColumn": diag.col},
                }
            }
            if not os.path.isabs(diag.file) and not diag.file.startswith("preset:"):
                location["physicalLocation"]["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
            text = diag.message + (f" Hint: {diag.hint}" if diag.hint else "")
            results.append({
                "ruleId": diag.code,
                "ruleIndex": index[diag.code],
                "level": "error" if diag.severity is Severity.ERROR else "warning",
                "message": {"text": text},
                "locations": [location],
            })
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "programdsl", "version": __version__,
                                    "informationUri": "https://programdsl.dev", "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _uri(os.getcwd()) + "/" if os.path.isabs(os.getcwd()) else "./"}},
                "results": results,
            }],
        }
        self.stream.write(safe_json(document))
        self.stream.write("\n")
