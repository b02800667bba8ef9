"""The library surface: load, resolve and validate programs. Never prints, never exits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import diagnostics as d
from . import rules, schema
from .diagnostics import Diagnostic, Severity, Span
from .loader import STDIN, STDIN_NAME, Loc
from .model import Program, build
from .prune import NOTHING_CUT
from .resolve import Resolved, Workspace

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class FileResult:
    file: str
    kind: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    program: Program | None = None
    resolved: Resolved | None = None

    @property
    def errors(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.WARNING)


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem once, in file order: a defaults file's problem met through several programs counts once."""
        seen: set[tuple[str, int, int, str, str]] = set()
        unique: list[Diagnostic] = []
        for result in self.files:
            for diag in result.diagnostics:
                key = diag.identity()
                if key not in seen:
                    seen.add(key)
                    unique.append(diag)
        return unique

    def count(self, severity: Severity) -> int:
        return sum(1 for x in self.diagnostics if x.severity is severity)

    def failed(self, strict: bool = False) -> bool:
        return self.count(Severity.ERROR) > 0 or (strict and self.count(Severity.WARNING) > 0)


def without_install_paths(text: str) -> str:
    """`text` with the folders programdsl and Python are installed in replaced by `<install>`:
    where software is installed is nobody's business in a CI log."""
    import sys

    folders = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(os.__file__))}
    for folder in sorted((f for f in folders if f and len(f) > 1), key=len, reverse=True):
        text = text.replace(folder, "<install>")
    return text


def display_path(path: str | os.PathLike[str]) -> str:
    """Paths under the working directory are shown relative to it, as compilers do."""
    text = os.fspath(path)
    if text == STDIN:
        return STDIN_NAME
    if os.path.isabs(text):
        try:
            relative = os.path.relpath(text)
        except ValueError:
            return text
        return text if relative.startswith("..") else relative
    return os.path.normpath(text)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, bool]]:
    """Files to consider: named files always, and under directories every YAML file outside hidden
    directories (`is_program_file` then picks the programs among them).
    Yields (path, named_explicitly)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix in YAML_SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for candidate in found:
                yield candidate, False
        else:
            yield path, True


def is_program_file(path: Path, workspace: Workspace | None = None) -> bool:
    """Whether a file is a program or defaults file once `extends` is resolved (it may inherit its
    `apiVersion` header); other YAML, such as CI workflows, is not. See Workspace.is_programdsl."""
    return (workspace or Workspace()).is_programdsl(path)


class Validator:
    """Validates many files in one process, loading shared defaults and presets once."""

    def __init__(self) -> None:
        self.workspace = Workspace()

    def check_file(self, path: str | os.PathLike[str]) -> FileResult:
        display = display_path(path)
        try:
            return self._check(path, display)
        except Exception as error:  # a bug must still come out as a diagnostic, never a traceback
            return FileResult(display, diagnostics=[d.INTERNAL.at(
                Span(display, 1, 1), f"programdsl failed on this file ({type(error).__name__}: {without_install_paths(str(error))})",
                hint="please report this with the file attached")])

    def _check(self, path: str | os.PathLike[str], display: str) -> FileResult:
        result = FileResult(display)
        doc = self.workspace.load(path, display, cache=False)
        result.diagnostics.extend(doc.diagnostics)
        if doc.loc is None:  # nothing usable was read; recoverable problems (a duplicate key) go on
            return result
        assert isinstance(doc.data, dict)
        kind = doc.data.get("kind")
        result.kind = kind if isinstance(kind, str) else None
        resolved, problems = self.workspace.resolve(doc, path)
        result.diagnostics.extend(problems)
        if resolved is None:
            return result
        result.resolved = resolved
        schema_problems = schema.check(resolved.data, resolved.loc)
        result.diagnostics.extend(schema_problems)
        if resolved.data.get("kind") == "Program":
            # With schema errors, the rules still check the parts that passed: every problem in one run.
            passed = schema.passed(resolved.data, resolved.loc, schema_problems) if schema_problems else NOTHING_CUT
            program = build(passed.data if schema_problems else resolved.data, display, tuple(resolved.sources))
            result.diagnostics.extend(rules.run(rules.Context(program, resolved.loc, passed=passed)))
            if not schema_problems:
                result.program = program
        result.diagnostics.sort(key=Diagnostic.sort_key)
        return result

    def check_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        on_file: Callable[[FileResult], None] | None = None,
        keep_models: bool = True,
    ) -> Report:
        """Check every program file under `paths`; `on_file` sees each result as soon as it is ready.

        keep_models=False drops each file's resolved data and program once it is checked, keeping
        only the diagnostics: a run over thousands of files then holds little in memory (and
        Python's garbage collector has little to walk).
        """
        report = Report()
        for path, named in discover(paths):
            if not named and not self.workspace.is_programdsl(path):
                continue
            result = self.check_file(path)
            if not keep_models:
                result.program, result.resolved = None, None
            report.files.append(result)
            if on_file is not None:
                on_file(result)
        return report


def validate(paths: Iterable[str | os.PathLike[str]]) -> Report:
    """Validate program files and directories of them."""
    return Validator().check_paths(paths)


def load_program(path: str | os.PathLike[str]) -> tuple[Program | None, FileResult]:
    """The resolved, validated program in `path`, or None with the reasons in the result."""
    result = Validator().check_file(path)
    if result.errors or result.program is None:
        return None, result
    return result.program, result


__all__ = ["FileResult", "Loc", "Report", "Validator", "load_program", "validate"]
