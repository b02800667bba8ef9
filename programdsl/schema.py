"""JSON Schema validation with located, readable diagnostics.

jsonschema's own messages name Python reprs and JSON paths; this module turns each error into one
diagnostic that points at the offending key or value and says how to fix it.
"""

from __future__ import annotations

import calendar
import copy
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

import jsonschema
from jsonschema.exceptions import ValidationError

from . import diagnostics as d
from .diagnostics import Diagnostic, suggest
from .loader import Loc, load_file
from .resources import preset_path, program_schema, program_types

_FORMATS = jsonschema.FormatChecker(formats=())

# Wide enough for any real program, and it keeps every date computation (an end date plus a
# cadence, a holiday calendar) far from the edges of Python's date range.
DATE_YEARS = range(1900, 2200)


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# English names, not calendar.month_name, which follows the process's locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


class DateProblem(ValueError):
    """Why a text is not a date a program can use; `kind` is "form", "calendar" or "year"."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


def date_problem(value: str) -> DateProblem | None:
    """Why `value` is not a date a program can use, in words (None when it is one)."""
    match = _DATE.fullmatch(value)
    if match is None:
        return DateProblem("form", "write dates as YYYY-MM-DD")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return DateProblem("calendar", f"there is no month {month}")
    days = calendar.monthrange(year or 2000, month)[1]  # year 0 is refused below
    if not 1 <= day <= days:
        leap = f" in {year}" if month == 2 else ""
        return DateProblem("calendar", f"{_MONTHS[month - 1]} has {days} days{leap}")
    if year not in DATE_YEARS:
        return DateProblem("year", f"the year must be between {DATE_YEARS.start} and {DATE_YEARS.stop - 1}")
    return None


@_FORMATS.checks("date", raises=ValueError)  # type: ignore[untyped-decorator]
def _is_date(value: object) -> bool:
    problem = date_problem(value) if isinstance(value, str) else None
    if problem is not None:
        raise problem
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
    if isinstance(instance, str) and not _fits(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


def _slug(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _language_tag(value: str) -> str:
    language, *rest = re.split(r"[-_ ]+", value.strip())
    return "-".join([language.lower(), *(part.title() if len(part) == 4 else part.upper() for part in rest)])


def _clock(value: str) -> str:
    match = re.fullmatch(r"\s*([0-9]{1,2})\s*[:.hH]\s*([0-9]{2})(?::00)?\s*", value)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else value


def _email(value: str) -> str:
    match = re.search(r"[^@\s<>:]+@[^@\s<>]+", value)
    return match.group() if match else value


@dataclass(frozen=True)
class Form:
    """What a schema pattern allows, in words, with an example and a way to mend a near miss."""

    words: str
    example: str
    mend: Callable[[str], str] | None = None

    def hint(self, pattern: str, value: Any) -> str:
        """The words and an example: the value itself mended when that makes it fit."""
        example = self.example
        if self.mend is not None and isinstance(value, str):
            mended = self.mend(value)
            if mended and mended != value and _fits(pattern, mended):
                example = mended
        return f"{self.words}, e.g. {example}"


# Every `pattern` in the schema, in words: regular expressions mean nothing to most authors.
# A test checks that each pattern in the schema has an entry here and that each example fits.
FORMS: dict[str, Form] = {
    "^[a-z0-9][a-z0-9-]*$": Form("use lowercase letters, digits and hyphens, starting with a letter or digit",
                                 "reverse-mentoring-2027", _slug),
    "^[1-9][0-9]{0,3} (day|week|month|year)s?$": Form(
        "write a whole number and a unit: days, weeks, months or years", "6 months",
        lambda v: re.sub(r"^\s*([0-9]+)\s*([A-Za-z]+)\s*$", r"\1 \2", v).lower()),
    "^custom\\.[A-Za-z0-9_-]+$": Form("write custom. and a name of letters, digits, _ or -", "custom.guild"),
    "^[^@\\s]+@[^@\\s]+$": Form("write one e-mail address", "mentoring@example.org", _email),
    "^[0-9]+(\\.[0-9]+){0,2}$": Form("write up to three numbers separated by dots", "1.2.0",
                                     lambda v: v.strip().lstrip("vV")),
    "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$": Form(
        "write a language tag: a lowercase language code, optionally a hyphen and a region in capitals",
        "en-GB", _language_tag),
    "^[A-Z]{2}$": Form("write a two-letter ISO 3166-1 country code in capitals", "GB", lambda v: v.strip().upper()),
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": Form("write a 24-hour time as HH:MM", "09:30", _clock),
    "^https?://[^\\s]+$": Form("write a web address starting with https:// and without spaces",
                                "https://forms.example.org/mentoring", lambda v: v.strip() if "://" in v else "https://" + v.strip()),
}


def _fits(pattern: str, value: str) -> bool:
    match = _regex(pattern).search(value)
    return match is not None and not (pattern.endswith("$") and match.end() != len(value))


def schema_patterns(node: Any = None) -> Iterator[str]:
    """Every `pattern` the schema uses."""
    node = program_schema() if node is None else node
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from schema_patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_patterns(value)


def pattern_hint(pattern: str, value: Any) -> str:
    form = FORMS.get(pattern)
    return form.hint(pattern, value) if form else f"it must match {pattern}"


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
    errors: Iterable[ValidationError] = validator().iter_errors(data)
    if isinstance(data, dict) and data.get("type") not in program_types():
        # No preset was applied: the keys it would have supplied are not what is wrong.
        errors = [error for error in errors if not _preset_would_supply(error)]
    problems: list[Diagnostic] = []
    for error in errors:
        problems.extend(_explain(error, loc, data))
    return problems


@lru_cache(maxsize=1)
def _preset_keys() -> frozenset[tuple[str, ...]]:
    """The path of every mapping key some built-in preset sets (lists are not entered)."""
    keys: set[tuple[str, ...]] = set()

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                keys.add(path + (key,))
                walk(value, path + (key,))

    for program_type in program_types():
        walk(load_file(preset_path(program_type)).data, ())
    return frozenset(keys - {("apiVersion",), ("kind",)})  # a preset's own header is not merged


def _preset_would_supply(error: ValidationError) -> bool:
    path = tuple(str(step) for step in error.absolute_path)
    if error.validator == "required":
        return path + (_missing_key(error),) in _preset_keys()
    if error.validator == "oneOf" and all(set(alt) == {"required"} for alt in error.validator_value):
        present = error.instance if isinstance(error.instance, dict) else {}
        keys = [alt["required"][0] for alt in error.validator_value]
        return not any(k in present for k in keys) and any(path + (k,) in _preset_keys() for k in keys)
    return False


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


def allowed_words(path: tuple[Any, ...]) -> str:
    """What the value at `path` may be, in a few words: its choices or form where the schema
    gives them, else the first sentence of its description."""
    schema = _schema_at(path)
    if not schema:
        return ""
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    if isinstance(schema.get("pattern"), str):
        return pattern_hint(schema["pattern"], None)
    if schema.get("format") == "date":
        return "a date written YYYY-MM-DD"
    first = re.split(r"(?<=\.)\s+(?=[A-Z`])", str(schema.get("description", "")))[0].rstrip(".")
    return first[:1].lower() + first[1:] if first[1:2].islower() else first


# Weekdays are written mon..sun; authors often write the full name (`monday`, `Thurs`).
# (English names, not calendar.day_name, which follows the process's locale.)
_DAY_NAMES = {name[:3]: name for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


def _short_form(value: Any, allowed: list[Any]) -> str | None:
    """The allowed short id that a longer or capitalised spelling of a day stands for."""
    if not isinstance(value, str):
        return None
    word = value.strip().lower().rstrip(".")
    for short in allowed:
        full = _DAY_NAMES.get(short) if isinstance(short, str) else None
        if full is not None and word.startswith(short) and full.startswith(word):
            return str(short)
    return None


def _missing_key(error: ValidationError) -> str:
    return error.message.split("'")[1] if "'" in error.message else str(error.validator_value)


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
            hint = f"{suggest(key, allowed) or _elsewhere(key, here)}allowed keys here: {', '.join(allowed)}"
            if path[:1] == ("surveys",) and path[2:3] == ("questions",) and isinstance(value.get("scale"), str):
                # `scale: <id>` asks a defined scale; a question's own likert range is `scale: {min, max}`.
                hint = (f"`scale: {value['scale']}` asks every item of the scale '{value['scale']}', and takes only "
                        f"{', '.join(allowed)}; for a likert question of its own, write its range: `scale: {{min: 1, max: 5}}`")
            yield d.SCHEMA_UNKNOWN_KEY.at(
                at, f"unknown key '{key}' {'at the top level' if not path else 'in ' + where}", hint=hint, path=path + (key,))
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
            computed = owner.get("kind") if isinstance(owner, dict) and path[-1:] == ("compute",) else None
            kind = f"a {rule} rule" if rule else f"a {computed} computation" if isinstance(computed, str) else where
            yield d.SCHEMA_UNKNOWN_KEY.at(at, f"unknown key '{key}' for {kind}",
                                          hint=f"{suggest(key, allowed)}allowed keys here: {', '.join(allowed)}", path=path + (key,))
        elif validator_name == "not":
            yield d.SCHEMA_UNKNOWN_KEY.at(at, f"'{key}' is not allowed in a hard constraint",
                                          hint="priority and weight belong to pairing.preferences; constraints always hold",
                                          path=path + (key,))
        else:
            hint = pattern_hint(error.validator_value, key) if validator_name == "pattern" else describe(path + (key,))
            yield d.SCHEMA_VALUE.at(at, f"'{key}' is not a valid key in {where}", hint=hint, path=path + (key,))
        return

    if validator_name == "required":
        missing = _missing_key(error)
        at = (loc.key or loc.span) if exact else span
        wanted = allowed_words(path + (missing,))
        yield d.SCHEMA_REQUIRED.at(at, f"{where} is missing the required key '{missing}'",
                                   hint=f"add '{missing}': {wanted}" if wanted else f"add '{missing}'", path=path + (missing,))
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
        short = _short_form(value, allowed)
        if short is not None:
            yield d.SCHEMA_VALUE.at(span, f"{_type_name(value)} is not a valid {where}",
                                    hint=f"write {short}: days are written as their first three letters ({shown})", path=path)
            return
        suggestion = suggest(str(value), [str(a) for a in allowed]) if isinstance(value, str) else ""
        yield d.SCHEMA_VALUE.at(span, f"{_type_name(value)} is not a valid {where}",
                                hint=f"{suggestion}use one of: {shown}", path=path)
        return

    if validator_name == "format" and error.validator_value == "date":
        reason = str(error.cause) if error.cause else "not a date"
        if isinstance(error.cause, DateProblem) and error.cause.kind == "year":  # a real date, in a year no program runs
            yield d.SCHEMA_DATE.at(span, f"{where} is {value!r}, outside the years a program can use ({reason})",
                                   hint=f"check the year for a typo; programs run between {DATE_YEARS.start} and {DATE_YEARS.stop - 1}",
                                   path=path)
            return
        yield d.SCHEMA_DATE.at(span, f"{where} is {value!r}, which is not a real calendar date ({reason})",
                               hint="write the date as YYYY-MM-DD and check the day exists in that month", path=path)
        return

    if validator_name == "pattern":
        yield d.SCHEMA_VALUE.at(span, f"{_type_name(value)} is not a valid {where}",
                                hint=pattern_hint(error.validator_value, value), path=path)
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
