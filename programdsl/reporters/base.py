from __future__ import annotations

from typing import ClassVar, TextIO

from ..api import FileResult, Report
from ..diagnostics import Diagnostic
from ..render.words import counted


def plural(count: int, word: str) -> str:
    """'1 file', '3 errors', '2 matches' (render.words.counted: one English plural everywhere)."""
    return counted(count, word)


class Reporter:
    name: ClassVar[str]

    def __init__(self, stream: TextIO, color: bool = False) -> None:
        self.stream = stream
        self.color = color
        self._seen: set[tuple[str, int, int, str, str]] = set()

    def fresh(self, result: FileResult) -> list[Diagnostic]:
        """The file's problems not already reported through another file (a shared defaults file)."""
        new = []
        for diag in result.diagnostics:
            key = diag.identity()
            if key not in self._seen:
                self._seen.add(key)
                new.append(diag)
        return new

    def file_done(self, result: FileResult) -> None:
        """Called once per file as soon as it has been checked."""

    def finish(self, report: Report, strict: bool) -> None:
        """Called once at the end with everything."""
