"""SARIF 2.1.0, the format GitHub code scanning ingests (shows every problem, not only ten).

Each rule carries its statement, examples and reference link from ruledocs.py (the source of
docs/rules.md), so an alert explains itself; results say what is wrong and how to fix it in
sentences. The output is deterministic: the same problems give byte-identical files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..api import Report
from ..diagnostics import CATALOGUE, Diagnostic, Severity
from ..ruledocs import code_help
from ..terminal import safe_json
from .base import Reporter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Code scanning groups uploads by category (everything before the last slash); this names the run.
AUTOMATION_ID = "programdsl/validate/"


def _uri(file: str) -> str:
    """A valid URI reference: spaces, '#' and '%' in paths are percent-encoded."""
    if file.startswith("preset:"):
        return file
    if os.path.isabs(file):
        return Path(file).as_uri()
    return quote(file.replace(os.sep, "/"))


# Text that starts with a program path (`schedule.end`, `surveys[0].when`) keeps its case.
_STARTS_WITH_PATH = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*[.\[][A-Za-z0-9\]]")


def sentences(text: str) -> str:
    """Diagnostic text as sentences: each starts with a capital (unless it starts with a path,
    which keeps its spelling) and the whole ends with a full stop."""
    text = text.strip()
    if not text:
        return ""

    def capital(match: re.Match[str]) -> str:
        return match.group(0)[:-1] + match.group(0)[-1].upper()

    if not _STARTS_WITH_PATH.match(text):
        text = text[0].upper() + text[1:]
    text = re.sub(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.?!]) +[a-z]",
                  lambda m: m.group(0) if _STARTS_WITH_PATH.match(text[m.end() - 1:]) else capital(m), text)
    return text if text.endswith((".", "?", "!")) else text + "."


def message_text(diag: Diagnostic) -> str:
    """What is wrong, then how to fix it, as separate sentences."""
    return " ".join(part for part in (sentences(diag.message), sentences(diag.hint)) if part)


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def rule_descriptor(code: str) -> dict[str, Any]:
    help_ = code_help(code)
    return {
        "id": code,
        "name": help_.name,
        "shortDescription": {"text": sentences(help_.summary)},
        "fullDescription": {"text": sentences(help_.full_description)},
        "help": {"text": help_.help_text(), "markdown": help_.help_markdown()},
        # A reference into the repository's own docs (there is no documentation site to link to).
        "helpUri": help_.reference,
        "defaultConfiguration": {"level": _level(help_.severity)},
        "properties": {"tags": ["programdsl", help_.tag], "problem.severity": _level(help_.severity)},
    }


class SarifReporter(Reporter):
    name = "sarif"

    def finish(self, report: Report, strict: bool) -> None:
        codes = sorted(CATALOGUE)
        index = {code: i for i, code in enumerate(codes)}
        results: list[dict[str, Any]] = []
        for diag in report.diagnostics:
            artifact: dict[str, Any] = {"uri": _uri(diag.file)}
            if not os.path.isabs(diag.file) and not diag.file.startswith("preset:"):
                artifact["uriBaseId"] = "%SRCROOT%"
            results.append({
                "ruleId": diag.code,
                "ruleIndex": index[diag.code],
                "level": _level(diag.severity),
                "message": {"text": message_text(diag)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {"startLine": diag.line, "startColumn": diag.col},
                }}],
            })
        cwd = os.getcwd()
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "programdsl", "version": __version__, "semanticVersion": __version__,
                                    "rules": [rule_descriptor(code) for code in codes]}},
                "automationDetails": {"id": AUTOMATION_ID},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _uri(cwd) + "/" if os.path.isabs(cwd) else "./"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        }
        self.stream.write(safe_json(document))
        self.stream.write("\n")
