"""Project configuration: `programdsl.yaml`, or `[tool.programdsl]` in pyproject.toml.

    strict = true                       # warnings fail validation
    output = "build/mentoring"          # default output directory for build and calendar
    [tool.programdsl.rules]
    PD311 = "off"                       # or "warning" / "error"; rule names work too
    one-sided-training = "error"

A comment `# programdsl: disable=PD311` on a line silences that rule for that line only.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import CATALOGUE, Diagnostic, Severity
from .sources import source_lines

CONFIG_NAMES = ("programdsl.yaml", ".programdsl.yaml", "pyproject.toml")
LEVELS = ("off", "warning", "error")
_SUPPRESS = re.compile(r"#\s*programdsl:\s*disable=([A-Za-z0-9_,\- ]+)")


class ConfigError(ValueError):
    """The configuration file is malformed; the CLI turns this into a usage error."""


@dataclass
class Config:
    strict: bool = False
    output: str | None = None
    levels: dict[str, str] = field(default_factory=dict)  # code -> off | warning | error
    source: Path | None = None

    def apply(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Drop what the configuration or an inline comment silences; re-level the rest."""
        kept: list[Diagnostic] = []
        silenced: dict[tuple[str, int], set[str]] = {}  # one search per line, however many problems it has
        for diag in diagnostics:
            level = self.levels.get(diag.code)
            if level == "off" or _suppressed(diag, silenced):
                continue
            if level is not None and level != diag.severity.value:
                diag = dataclasses.replace(diag, severity=Severity(level))
            kept.append(diag)
        return kept


def _suppressed(diag: Diagnostic, silenced: dict[tuple[str, int], set[str]]) -> bool:
    names = silenced.get((diag.file, diag.line))
    if names is None:
        lines = source_lines(diag.file)
        match = _SUPPRESS.search(lines[diag.line - 1]) if 0 < diag.line <= len(lines) else None
        names = {part.strip() for part in match.group(1).split(",")} if match else set()
        silenced[(diag.file, diag.line)] = names
    return diag.code in names or diag.name in names


def _code_for(name: str, where: Path) -> str:
    by_name = {entry.name: code for code, entry in CATALOGUE.items()}
    code = name if name in CATALOGUE else by_name.get(name)
    if code is None:
        raise ConfigError(f"{where}: unknown rule {name!r} in the rules table; see docs/rules.md for the codes")
    if not (code.startswith("PD2") or code.startswith("PD3")):
        raise ConfigError(f"{where}: only schema (PD2xx) and program rules (PD3xx) can be silenced or re-levelled, "
                          f"not {code}")
    return code


def parse(raw: Any, where: Path) -> Config:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: the programdsl configuration must be a table of settings")
    unknown = sorted(set(raw) - {"strict", "output", "rules"})
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: strict, output, rules")
    config = Config(source=where)
    strict = raw.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{where}: strict must be true or false")
    config.strict = strict
    output = raw.get("output")
    if output is not None and not isinstance(output, str):
        raise ConfigError(f"{where}: output must be a directory path")
    config.output = output
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: rules must be a table of RULE = \"off\" | \"warning\" | \"error\"")
    for name, level in rules.items():
        if level is False:  # YAML 1.1 reads a bare `off` as false
            level = "off"
        if level not in LEVELS:
            raise ConfigError(f"{where}: rule {name} is set to {level!r}; use one of {', '.join(LEVELS)}")
        config.levels[_code_for(str(name), where)] = level
    return config


def _read(path: Path) -> bytes:
    """The bytes of the configuration file at `path`, refused (PD050) past `limits.CONFIG_BYTES`
    by its size before reading, and refused when it is not a regular file (a pipe would block)."""
    import stat

    from . import limits

    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path}: cannot read the configuration: it is not a regular file")
    with open(path, "rb") as handle:
        data = handle.read(limits.CONFIG_BYTES + 1)  # files in /proc say they are empty
    if max(info.st_size, len(data)) > limits.CONFIG_BYTES:
        raise ConfigError(f"{path}:1:1: error[PD050]: the configuration file is larger than {limits.CONFIG_BYTES:,} "
                          "bytes, the limit for a configuration file (it holds a few settings)")
    return data


def _nesting_error(path: Path, line: int = 1, col: int = 1) -> ConfigError:
    from . import limits

    return ConfigError(f"{path}:{line}:{col}: error[PD050]: values are nested more than {limits.NESTING} levels deep, "
                       "more than a configuration file needs")


def _yaml_data(path: Path, data: bytes) -> Any:
    from . import limits
    from .loader import _PARSER, expansion_problem

    text = data.decode("utf-8")
    problem = expansion_problem(text, str(path), limits.PROGRAM_VALUES)
    if problem is not None:
        if problem.code == "PD010":
            raise _nesting_error(path, problem.line, problem.col)
        raise ConfigError(f"{path}:{problem.line}:{problem.col}: error[PD050]: {problem.message}")
    try:
        return yaml.load(text, Loader=_PARSER)  # libyaml when present: it bounds flow nesting itself
    except RecursionError:
        raise _nesting_error(path) from None
    except yaml.MarkedYAMLError as error:
        # Never str(error): PyYAML quotes the offending line, and the file may be a link to a secret.
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else f"{path}"
        raise ConfigError(f"{where}: cannot read the configuration: {error.problem or error.context}") from None


def load(path: Path) -> Config:
    try:
        data = _read(path)
        if path.name == "pyproject.toml":
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            try:
                table = tomllib.loads(data.decode("utf-8"))
            except RecursionError:
                raise _nesting_error(path) from None
            return parse(table.get("tool", {}).get("programdsl"), path)
        return parse(_yaml_data(path, data), path)
    except (OSError, ValueError, yaml.YAMLError) as error:
        if isinstance(error, ConfigError):
            raise
        from .output import describe_os_error

        reason = describe_os_error(error) if isinstance(error, OSError) else error
        raise ConfigError(f"{path}: cannot read the configuration: {reason}") from error


def discover(start: Path) -> Config:
    """The nearest configuration at or above `start`; a pyproject.toml without a
    [tool.programdsl] table does not count."""
    for folder in [start.resolve(), *start.resolve().parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                try:
                    if b"[tool.programdsl" not in _read(candidate):
                        continue
                except OSError:
                    continue
            return load(candidate)
    return Config()
