"""JSON Schema validation with located, readable diagnostics.

jsonschema's own messages name Python reprs and JSON paths; this module turns each error into one
diagnostic that points at the offending key or value and says how to fix it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Callable, Iterator

import jsonschema
from jsonschema.exceptions import ValidationError

from . import diagnostics as d
from .diagnostics import Diagnostic, suggest
from .loader import Loc
from .resources import program_schema

_FORMATS = jsonschema.FormatChecker(formats=())

# Wide enough for any real program, and it keeps every date computation (an end date plus a
# cadence, a holiday calendar) far from the edges of Python's date range.
DATE_YEARS = range(1900, 2200)


@_FORMATS.checks("date", raises=ValueError)  # type: ignore[untyped-decorator]
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError("write dates as YYYY-MM-DD")
    year = dt.date.fromisoformat(value).year
    if year not in DATE_YEARS:
        raise ValueError(f"the year must be between {DATE_YEARS.start} and {DATE_YEARS.stop - 1}")
    return True


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft202012Validator:
    return _Validator(program_schema(), format_checker=_FORMATS)


@lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """`pattern` as editors (ECMA-262) read it: Python's `$` also matches before a final newline,
    which would let "closing\n" pass as an id."""
    if not isinstance(instance, str):
        return
    match = _regex(pattern).search(instance)
    if match is None or (pattern.endswith("$") and match.end() != len(instance)):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


# Compiling the fast validator costs about 0.2 s, which pays off after a couple of dozen files:
# a single-file run uses jsonschema alone, a large run compiles once and checks each valid file
# about fifteen times faster. Only documents the fast validator rejects go through jsonschema,
# whose errors carry the detail diagnostics need. A test keeps the two in agreement.
FAST_AFTER = 20
_documents_checked = 0


@lru_cache(maxsize=1)
def fast_validator() -> Callable[[Any], Any] | None:
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - optional speed-up
        return None
    # The schema uses no 2020-12 feature beyond draft 7 (no $ref siblings, no unevaluated*).
    # fastjsonschema rewrites $refs in place: give it a deep copy, never the shared schema.
    schema = {**copy.deepcopy(program_schema()), "$schema": "http://json-schema.org/draft-07/schema#"}
    compiled: Callable[[Any], Any] = fastjsonschema.compile(schema, formats={"date": _date_or_none})
    return compiled


def _date_or_none(value: Any) -> bool:
    try:
        return bool(_is_date(value))
    except ValueError:
        return False


def is_valid_fast(data: Any) -> bool | None:
    """True/False from the compiled validator, or None when it is unavailable."""
    fast = fast_validator()
    if fast is None:
        return None
    try:
        fast(data)
    except Exception:  # fastjsonschema's JsonSchemaException, or any failure: use the precise path
        return False
    return True


def check(data: Any, loc: Loc) -> list[Diagnostic]:
    global _documents_checked
    _documents_checked += 1
    if _documents_checked > FAST_AFTER and is_valid_fast(data):
        return []
    problems: list[Diagnostic] = []
    for error in validator().iter_errors(data):
        problems.extend(_explain(error, loc, data))
    return problems


@lru_cache(maxsize=1)
def _homes() -> dict[str, list[str]]:
    """Each property name -> the dotted places in the format where it is defined."""
    homes: dict[str, list[str]] = {}
    seen: set[tuple[str, ...]] = set()

    def walk(node: dict[str, Any], where: tuple[str, ...]) -> None:
        if where in seen or len(where) > 4:
            return
        seen.add(where)
        node = _resolve(node)
        for name, sub in node.get("properties", {}).items():
            homes.setdefault(name, []).append(".".join(where) or "the top level")
            walk(sub, where + (name,))
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, where[:-1] + (where[-1] + "[]",) if where else where)

    walk(program_schema(), ())
    return homes


def _elsewhere(key: str, here: str) -> str:
    places = [p for p in _homes().get(key, []) if p != here]
    return f"'{key}' belongs under {' or '.join(places[:3])}; " if places else ""


def dotted(path: tuple[Any, ...] | list[Any]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "the document"


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_JSON_TYPES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a mapping", "null": "nothing"}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    root = program_schema()
    while "$ref" in schema:
        ref = schema["$ref"]
        target: Any = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        merged = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **merged}
    return schema


@lru_cache(maxsize=512)
def _schema_at(path: tuple[Any, ...]) -> dict[str, Any] | None:
    """The (resolved) schema describing the value at an instance path, where one can be found."""
    schema = _resolve(program_schema())
    for step in path:
        if isinstance(step, int):
            items = schema.get("items")
            if not isinstance(items, dict):
                return None
            schema = _resolve(items)
        else:
            props = schema.get("properties", {})
            if step in props:
                schema = _resolve(props[step])
            elif isinstance(schema.get("additionalProperties"), dict):
                schema = _resolve(schema["additionalProperties"])
            else:
                return None
    return schema


def describe(path: tuple[Any, ...]) -> str:
    schema = _schema_at(path)
    return str(schema.get("description", "")) if schema else ""


def _instance_at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _explain(error: ValidationError, root: Loc, data: Any = None) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    loc, depth = root.find(path)
    exact = depth == len(path)
    span = loc.span
    where = dotted(path)
    validator_name = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    if validator_name == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(schema.get("properties", {}))
        for key in value:
            if key in allowed:
                continue
            key_loc = loc.child(key) if exact else None
            at = (key_loc.key or key_loc.span) if key_loc else span
            here = "the top level" if not path else where
            yield d.SCHEMA_UNKNOWN_KEY.at(
                at, f"unknown key '{key}' {'at the top level' if not path else 'in ' + where}",
                hint=f"{suggest(key, allowed) or _elsewhere(key, here)}allowed keys here: {', '.join(allowed)}", path=path + (key,))
        return

    if validator_name == "propertyNames":
        return  # the wrapped error (below, via error.context) is reported instead
    if "propertyNames" in error.relative_schema_path:
        key = str(value)
        key_loc = loc.child(key) if exact else None
        at = (key_loc.key or key_loc.span) if key_loc else span
        if validator_name == "enum":
            allowed = list(error.validator_value)
            # jsonschema reports a property name on its own (no parent error): look up its mapping.
            owner = _instance_at(data, path)
            rule = owner.get("rule") if isinstance(owner, dict) and isinstance(owner.get("rule"), str) else None
            kind = f"a {rule} rule" if rule else where
            yield d.SCHEMA_UNKNOWN_KEY.at(at, f"unknown key '{key}' for {kind}",
                                          hint=f"{suggest(key, allowed)}allowed keys here: {', '.join(allowed)}", path=path + (key,))
        elif validator_name == "not":
            yield d.SCHEMA_UNKNOWN_KEY.at(at, f"'{key}' is not allowed in a hard constraint",
                                          hint="priority and weight belong to pairing.preferences; constraints always hold",
                                          path=path + (key,))
        else:
            yield d.SCHEMA_VALUE.at(at, f"'{key}' is not a valid key in {where}: {describe(path + (key,)) or error.message}",
                                    hint="ids use lowercase letters, digits and hyphens", path=path + (key,))
        return

    if validator_name == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        at = (loc.key or loc.span) if exact else span
        hint = describe(path + (missing,))
        yield d.SCHEMA_REQUIRED.at(at, f"{where} is missing the required key '{missing}'",
                                   hint=f"add '{missing}': {hint}" if hint else f"add '{missing}'", path=path + (missing,))
        return

    if validator_name == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_JSON_TYPES.get(n, n) for n in names)
        hint = describe(path)
        if value is None and exact:
            hint = f"the value is empty: write it after the colon, or remove the key. {hint}".strip()
        elif "string" in names and loc.raw is not None and exact:
            hint = f'YAML read {loc.raw} as {_type_name(value).split(" ")[1]}; write "{loc.raw}" in quotes to keep it as text'
        yield d.SCHEMA_TYPE.at(span, f"{where} must be {wanted}, not {_type_name(value)}", hint=hint, path=path)
        return

    if validator_name in ("enum", "const"):
        allowed = list(error.validator_value) if validator_name == "enum" else [error.validator_value]
        shown = ", ".join(str(a) for a in allowed)
        suggestion = suggest(str(value), [str(a) for a in allowed]) if isinstance(value, str) else ""
        yield d.SCHEMA_VALUE.at(span, f"{_type_name(value)} is not a valid {where}",
                                hint=f"{suggestion}use one of: {shown}", path=path)
        return

    if validator_name == "format" and error.validator_value == "date":
        reason = str(error.cause) if error.cause else "not a date"
        yield d.SCHEMA_DATE.at(span, f"{where} is {value!r}, which is not a real calendar date ({reason})",
                               hint="write the date as YYYY-MM-DD and check the day exists in that month", path=path)
        return

    if validator_name == "pattern":
        yield d.SCHEMA_VALUE.at(span, f"{_type_name(value)} is not a valid {where}",
                                hint=describe(path) or f"it must match {error.validator_value}", path=path)
        return

    if validator_name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than", "exclusiveMaximum": "less than"}
        yield d.SCHEMA_RANGE.at(span, f"{where} is {value}, but must be {words[validator_name]} {error.validator_value}",
                                hint=describe(path), path=path)
        return

    if validator_name in ("minItems", "maxItems", "minLength", "maxLength", "minProperties"):
        if validator_name == "minLength" and error.validator_value == 1:
            message = f"{where} must not be empty"
        elif validator_name == "minProperties":
            message = f"{where} needs more than an attribute: add a test"
        else:
            limit = "at least" if validator_name.startswith("min") else "at most"
            unit = "characters" if "Length" in validator_name else "items"
            message = f"{where} must have {limit} {error.validator_value} {unit}"
        yield d.SCHEMA_RANGE.at(span, message, hint=describe(path), path=path)
        return

    if validator_name == "uniqueItems":
        yield d.SCHEMA_VALUE.at(span, f"{where} lists the same item more than once", hint="remove the repeated item", path=path)
        return

    if validator_name == "oneOf" and all(set(alt) == {"required"} for alt in error.validator_value):
        keys = [alt["required"][0] for alt in error.validator_value]
        present = [k for k in keys if isinstance(value, dict) and k in value]
        found = f"it sets {', '.join(present)}" if present else "it sets none of them"
        yield d.SCHEMA_CHOICE.at((loc.key or span) if exact else span, f"{where} must set exactly one of {', '.join(keys)}; {found}",
                                 hint=describe(path), path=path)
        return

    if validator_name == "anyOf":
        choices: list[str] = []
        for alt in error.validator_value:
            choices.extend(str(v) for v in alt.get("enum", []))
        if choices and isinstance(value, str):
            yield d.SCHEMA_VALUE.at(span, f"{_type_name(value)} is not a valid {where}",
                                    hint=f"{suggest(value, choices)}{describe(path)} Standard ones: {', '.join(choices)}", path=path)
            return

    yield d.SCHEMA_OTHER.at(span, f"{where}: {error.message}", hint=describe(path), path=path)
