"""Hand-entered metric values: results from sources outside programdsl (the annual staff survey,
HR's retention figures), given to `programdsl report --values FILE`.

YAML:

    values:
      - metric: trainee-voice
        value: 64
        asOf: 2027-03-31
        source: Staff survey 2027, doctors in training (Workforce Intelligence)

or CSV with the columns `metric,value,as_of,source` (`asOf` is accepted as a header too).
`metric` and `value` are required; `asOf` is the date the value describes; `source` says where it
comes from and is printed in the report beside the value. When a metric is given twice, the value
with the latest as-of date counts (the later entry on a tie), with a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import limits
from ..diagnostics import Diagnostic, Severity, Span, suggest
from ..loader import expansion_problem
from ..positions import column_letter
from . import codes
from .responses import CsvText, read_text, sniff_delimiter

MAX_VALUES_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Value:
    metric: str
    value: float
    as_of: dt.date | None
    source: str | None
    line: int


@dataclass
class Values:
    file: str
    values: dict[str, Value] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.ERROR)


def read_values(path: str | os.PathLike[str], metrics: set[str], display: str | None = None) -> Values:
    file = display if display is not None else os.fspath(path)
    result = Values(file)
    text, problems = read_text(path, file, codes.VALUES_UNREADABLE, MAX_VALUES_BYTES, what="values file",
                               hint="save it as UTF-8 text")
    result.diagnostics += problems
    if text is None:
        return result
    entries: list[tuple[dict[str, Any], dict[str, Span]]] = []
    if os.fspath(path).lower().endswith((".yaml", ".yml")):
        entries = _yaml_entries(text, result)
    else:
        entries = _csv_entries(text, os.fspath(path), result)
    for raw, spans in entries:
        _entry(raw, spans, metrics, result)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _entry(raw: dict[str, Any], spans: dict[str, Span], metrics: set[str], result: Values) -> None:
    here = spans[""]
    metric = str(raw.get("metric") or "").strip()
    if metric not in metrics:
        result.diagnostics.append(codes.VALUES_UNKNOWN_METRIC.at(
            spans.get("metric", here), f"the program has no metric {metric!r}" if metric else "the entry names no metric",
            hint=f"{suggest(metric, metrics)}metrics: {', '.join(sorted(metrics))}"))
        return
    value = raw.get("value")
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        result.diagnostics.append(codes.VALUES_BAD_VALUE.at(spans.get("value", here), f"the value for {metric} is not a number",
                                                            hint="write the number in the metric's unit, e.g. 64 for 64%"))
        return
    as_of: dt.date | None = None
    raw_date = raw.get("asOf")
    if isinstance(raw_date, dt.date):
        as_of = raw_date
    elif raw_date not in (None, ""):
        try:
            as_of = dt.date.fromisoformat(str(raw_date).strip())
        except ValueError:
            result.diagnostics.append(codes.VALUES_BAD_VALUE.at(spans.get("asOf", here), f"the as-of date for {metric} is not a date",
                                                                hint="write it as YYYY-MM-DD"))
            return
    source = str(raw["source"]).strip() if raw.get("source") not in (None, "") else None
    entry = Value(metric, number, as_of, source, here.line)
    earlier = result.values.get(metric)
    if earlier is not None:
        later = entry if (entry.as_of or dt.date.min) >= (earlier.as_of or dt.date.min) else earlier
        result.diagnostics.append(codes.VALUES_DUPLICATE.at(
            here, f"{metric} is given twice (also on line {earlier.line}); the value on line {later.line} counts",
            hint="keep one value per metric"))
        entry = later
    result.values[metric] = entry


def _yaml_entries(text: str, result: Values) -> list[tuple[dict[str, Any], dict[str, Span]]]:
    file = result.file
    # The program loader's limits on aliases and nesting, checked before anything is built: a few
    # lines of aliases could otherwise make the walk below visit billions of entries.
    problem = expansion_problem(text, file, limits.PROGRAM_VALUES)
    if problem is not None:
        result.diagnostics.append(codes.VALUES_UNREADABLE.at(Span(problem.file, problem.line, problem.col),
                                                             problem.message, hint=problem.hint))
        return []
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark is not None else Span(file, 1, 1)
        result.diagnostics.append(codes.VALUES_UNREADABLE.at(span, f"the values file is not well-formed YAML ({(error.problem or 'malformed').strip()})",
                                                             hint="check indentation and quoting"))
        return []
    except yaml.YAMLError as error:
        result.diagnostics.append(codes.VALUES_UNREADABLE.at(Span(file, 1, 1), f"the values file is not YAML ({error})"))
        return []
    items = None
    if isinstance(node, yaml.MappingNode):
        items = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "values"), None)
    if not isinstance(items, yaml.SequenceNode):
        at = node if node is not None else None
        span = Span(file, at.start_mark.line + 1, at.start_mark.column + 1) if at is not None else Span(file, 1, 1)
        result.diagnostics.append(codes.VALUES_UNREADABLE.at(span, "the values file must list its values under `values:`",
                                                             hint="values:\n    - {metric: ..., value: ..., asOf: YYYY-MM-DD, source: ...}"))
        return []
    entries = []
    for item in items.value:
        here = Span(file, item.start_mark.line + 1, item.start_mark.column + 1)
        if not isinstance(item, yaml.MappingNode):
            result.diagnostics.append(codes.VALUES_UNREADABLE.at(here, "each value is a mapping with metric, value, asOf and source",
                                                                 hint="- {metric: ..., value: ...}"))
            continue
        raw: dict[str, Any] = {}
        spans = {"": here}
        for key, value in item.value:
            if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
                result.diagnostics.append(codes.VALUES_UNREADABLE.at(here, "a value entry holds a nested list or mapping",
                                                                     hint="write metric, value, asOf and source as plain values"))
                raw = {}
                break
            name = str({"as_of": "asOf", "asof": "asOf"}.get(key.value, key.value))
            spans[name] = Span(file, value.start_mark.line + 1, value.start_mark.column + 1)
            raw[name] = _scalar(value)
        if raw:
            entries.append((raw, spans))
    return entries


def _scalar(node: Any) -> Any:
    tag = node.tag.rsplit(":", 1)[-1]
    if node.style is None and tag in ("int", "float"):
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return node.value
    return node.value


def _csv_entries(text: str, path: str, result: Values) -> list[tuple[dict[str, Any], dict[str, Span]]]:
    source = CsvText(result.file, text, sniff_delimiter(text, path))
    entries: list[tuple[dict[str, Any], dict[str, Span]]] = []
    try:
        records = iter(source.records())
        first = next(records, None)
        if first is None:
            return []
        header_line, header = first
        index: dict[str, int] = {}
        for i, cell in enumerate(header):
            name = {"as_of": "asOf", "asof": "asOf", "date": "asOf"}.get(cell.strip().casefold(), cell.strip())
            if name in ("metric", "value", "asOf", "source"):
                index.setdefault(name, i)
            elif name:
                result.diagnostics.append(codes.VALUES_UNREADABLE.at(
                    source.span(header_line, i), f"column {column_letter(i)} is not a values column; it is ignored",
                    hint="the columns are metric, value, as_of, source", severity=Severity.WARNING))
        if "metric" not in index or "value" not in index:
            result.diagnostics.append(codes.VALUES_UNREADABLE.at(Span(result.file, header_line, 1),
                                                                 "the values file needs a metric and a value column",
                                                                 hint="the first row names the columns: metric,value,as_of,source"))
            return []
        for line, record in records:
            raw = {name: record[i].strip() for name, i in index.items() if i < len(record)}
            spans = {name: source.span(line, i) for name, i in index.items()} | {"": Span(result.file, line, 1)}
            entries.append((raw, spans))
    except csv.Error as error:
        result.diagnostics.append(codes.VALUES_UNREADABLE.at(Span(result.file, source.reader.line_num or 1, 1),
                                                             f"the values file is not well-formed CSV ({error})"))
    return entries


__all__ = ["Value", "Values", "read_values"]
