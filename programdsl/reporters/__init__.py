"""Output formats for validation results, behind one interface.

Streaming formats (text, github) print each file's problems as soon as it is checked; document
formats (json, sarif) buffer and write once at the end.
"""

from __future__ import annotations

from typing import TextIO

from .base import Reporter
from .github import GithubReporter
from .json import JsonReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter, SarifReporter)
}


def make(name: str, stream: TextIO, color: bool = False) -> Reporter:
    return REPORTERS[name](stream, color=color)


__all__ = ["REPORTERS", "Reporter", "make"]
