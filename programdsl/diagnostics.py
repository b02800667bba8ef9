"""Diagnostics: what every check produces, and the catalogue of stable codes."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Span(NamedTuple):
    """A position in a source file; line and column are 1-based. (A tuple: the loader makes one
    for every value, so it must be cheap.)"""

    file: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    col: int
    hint: str = ""
    path: tuple[Any, ...] = field(default=())

    @property
    def json_pointer(self) -> str:
        return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in self.path)

    def identity(self) -> tuple[str, int, int, str, str]:
        """The same problem met twice (through two programs sharing a defaults file) has one identity."""
        return (self.file, self.line, self.col, self.code, self.message)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)


@dataclass(frozen=True, slots=True)
class Code:
    """One entry in the catalogue: a stable code, a slug, its default severity and a summary."""

    code: str
    name: str
    severity: Severity
    summary: str

    def at(
        self,
        span: Span,
        message: str,
        hint: str = "",
        path: tuple[Any, ...] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            file=span.file,
            line=span.line,
            col=span.col,
            hint=hint,
            path=path,
        )


CATALOGUE: dict[str, Code] = {}


def register(code: str, name: str, severity: Severity, summary: str) -> Code:
    if code in CATALOGUE:
        raise ValueError(f"diagnostic code {code} registered twice")
    entry = Code(code, name, severity, summary)
    CATALOGUE[code] = entry
    return entry


E, W = Severity.ERROR, Severity.WARNING

# Reading a file (PD0xx).
FILE_UNREADABLE = register("PD001", "file-unreadable", E, "The file cannot be opened or read.")
FILE_TOO_LARGE = register("PD002", "file-too-large", E, "The file is larger than a program file can reasonably be.")
FILE_BINARY = register("PD003", "file-binary", E, "The file holds binary data, not YAML text.")
FILE_ENCODING = register("PD004", "file-encoding", E, "The file is not valid UTF-8.")
FILE_EMPTY = register("PD005", "file-empty", E, "The file holds no YAML document.")
YAML_SYNTAX = register("PD006", "yaml-syntax", E, "The file is not well-formed YAML.")
YAML_DUPLICATE_KEY = register("PD007", "duplicate-key", E, "A mapping names the same key twice.")
YAML_UNSAFE_TAG = register("PD008", "unsafe-tag", E, "A YAML tag asks for a type programdsl does not load.")
YAML_ALIAS_LIMIT = register("PD009", "alias-limit", E, "Aliases expand the document beyond the size limit.")
YAML_TOO_DEEP = register("PD010", "nesting-too-deep", E, "Mappings and lists are nested deeper than allowed.")
YAML_NOT_MAPPING = register("PD011", "not-a-mapping", E, "The document is not a mapping of keys to values.")
YAML_MULTI_DOC = register("PD012", "multiple-documents", E, "The file holds more than one YAML document.")
YAML_KEY_TYPE = register("PD013", "key-not-string", E, "A mapping key is not a plain string.")
YAML_MERGE = register("PD014", "bad-merge-key", E, "A `<<` merge key does not name a mapping.")
YAML_NUMBER = register("PD015", "bad-number", E, "A number that is not finite, or absurdly long.")

# Resolving presets and `extends:` (PD1xx).
EXTENDS_MISSING = register("PD101", "extends-missing", E, "The file named in `extends` does not exist.")
EXTENDS_CYCLE = register("PD102", "extends-cycle", E, "Files extend each other in a loop.")
EXTENDS_KIND = register("PD103", "extends-kind", E, "`extends` names a file that is not a ProgramDefaults file.")
EXTENDS_PATH = register("PD104", "extends-path", E, "`extends` is not a relative path to a YAML file.")

# The JSON Schema (PD2xx).
SCHEMA_UNKNOWN_KEY = register("PD201", "unknown-key", E, "A key the format does not define.")
SCHEMA_TYPE = register("PD202", "wrong-type", E, "A value of the wrong type.")
SCHEMA_REQUIRED = register("PD203", "missing-key", E, "A required key is missing.")
SCHEMA_VALUE = register("PD204", "invalid-value", E, "A value outside the allowed set or form.")
SCHEMA_RANGE = register("PD205", "out-of-range", E, "A number or list length outside its allowed range.")
SCHEMA_CHOICE = register("PD206", "ambiguous-choice", E, "An object must use exactly one of several alternative keys.")
SCHEMA_DATE = register("PD207", "invalid-date", E, "A date that is not a real calendar date in YYYY-MM-DD form.")
SCHEMA_OTHER = register("PD299", "schema", E, "Another schema violation.")

# Limits and hardening (PD03x: program files and paths; PD44x: templates, rosters, matching).
# Every limit's value is in programdsl/limits.py and docs/limits.md.
TOO_MANY_OCCURRENCES = register("PD031", "too-many-occurrences", E, "The schedule expands to more dated items, or its calendars to more events, than one run may write.")
BAD_PATH = register("PD033", "bad-path", E, "A path holds a character no file name can have (a NUL byte).")
OUTPUT_FAILED = register("PD034", "output-failed", E, "An output file or folder cannot be written; nothing was replaced.")
CONFIG_LIMIT = register("PD050", "config-limit", E, "The project configuration file is larger, or nested deeper, than programdsl reads.")
OUTPUT_LOCKED = register("PD051", "output-locked", E, "Another programdsl run is writing into the same output folder.")
BUILD_TOO_LARGE = register("PD053", "build-too-large", E, "A build's files together would be larger than one build may write.")
CONFIG_OUTPUT_OUTSIDE = register("PD052", "config-output-outside", E, "The configured `output` folder leads outside the configuration file's folder.")
TEMPLATE_OUTSIDE = register("PD440", "template-outside", E, "A template is read only as a regular file inside its templates folder: "
                                                           "a link leading out of it, an absolute or `..` name, or a non-file is refused.")
TEMPLATE_LIMIT = register("PD441", "template-limit", E, "A template ran too long, built too large a value or document, or computed too large a number.")
TEMPLATE_SANDBOX = register("PD442", "template-sandbox", E, "A template reached for Python internals (`__class__`, `__globals__`), which the sandbox refuses.")

INTERNAL = register("PD999", "internal-error", E, "programdsl failed unexpectedly; please report it.")


def suggest(word: str, choices: Iterable[str]) -> str:
    """'did you mean ...? ' for the closest choice, or nothing when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""
