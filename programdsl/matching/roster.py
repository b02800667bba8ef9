"""Reading a roster: the people to match, one row (CSV) or one mapping (YAML) each.

A roster is personal data. Diagnostics name the file, the row and the column, and say what is
wrong with the cell; they never quote names or email addresses, and quote other values only
when the value itself is the problem (an unknown time zone, a level that is not a number).

The columns a roster must have depend on the program: `needs_of(program)` lists the attributes
its eligibility conditions and pairing rules read, and `read_roster` checks the file against
that list, so a missing `level` column is reported before anything is matched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

import yaml

from .. import limits
from ..diagnostics import Code, Diagnostic, Severity, Span, suggest
from ..loader import expansion_problem
from ..model import Program
from ..positions import byte_span, cell_starts, column_letter
from ..zones import suggest_zone, zone
from . import codes

MAX_LIST_ITEMS = 200

#: Attributes read as lists: `;`-separated in a CSV cell, a YAML list or a `;` string in YAML.
LIST_ATTRIBUTES = frozenset({"languages", "skills", "interests", "previousPairs", "doNotPair", "wishes"})
#: Attributes read as true/false (yes/no): last round's history.
HISTORY_ATTRIBUTES = frozenset({"waitlisted", "noShow"})
#: Attributes read as numbers.
NUMBER_ATTRIBUTES = frozenset({"level", "tenureMonths"})
#: Attributes read as text.
TEXT_ATTRIBUTES = frozenset({"department", "team", "location", "timezone", "generation", "careerStage", "manager"})
IDENTITY = ("id", "name", "email", "role", "capacity")
STANDARD = frozenset(IDENTITY) | LIST_ATTRIBUTES | NUMBER_ATTRIBUTES | TEXT_ATTRIBUTES | HISTORY_ATTRIBUTES

#: Header spellings accepted for each column, after lower-casing and dropping everything but
#: letters and digits ("Time zone", "time_zone" and "timeZone" all become "timezone").
_ALIASES = {
    "id": ("id", "personid", "employeeid", "staffid"),
    "name": ("name", "fullname", "displayname"),
    "email": ("email", "emailaddress", "mail"),
    "role": ("role", "rolepreference", "roleid", "side"),
    "capacity": ("capacity", "maxpartners", "maxmentees"),
    "level": ("level", "grade", "band"),
    "department": ("department", "dept", "businessunit", "function"),
    "team": ("team",),
    "location": ("location", "site", "office", "city"),
    "timezone": ("timezone", "tz"),
    "languages": ("languages", "language"),
    "skills": ("skills", "skillsoffered"),
    "interests": ("interests", "interestssought", "topics"),
    "generation": ("generation",),
    "careerStage": ("careerstage", "stage"),
    "manager": ("manager", "managerid", "reportsto", "linemanager"),
    "tenureMonths": ("tenuremonths", "tenure"),
    "previousPairs": ("previouspairs", "pastpairs", "previouspartners"),
    "doNotPair": ("donotpair", "exclusions", "excluded", "donotpairwith"),
    "wishes": ("wishes", "choices", "rankedchoices", "wishlist", "preferredpartners", "preferredmentors", "preferredmentees"),
    "waitlisted": ("waitlisted", "waitlist", "waited", "unmatchedlastround"),
    "noShow": ("noshow", "noshows", "didnottakepart"),
}
_HEADER = {alias: canonical for canonical, aliases in _ALIASES.items() for alias in aliases}
FLEXIBLE_ROLE = "either"
_FLEXIBLE_WORDS = frozenset({"either", "both", "any", "mentor;mentee", "mentee;mentor"})
_NONE_WORDS = frozenset({"", "none", "-", "n/a", "na", "no"})
_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})


def canonical_column(header: str) -> str | None:
    """The attribute a header names, or None. `custom.NAME` columns keep their exact name."""
    text = header.strip()
    if text.lower().startswith("custom.") and len(text) > 7:
        return "custom." + text[7:]
    return _HEADER.get(re.sub(r"[^a-z0-9]", "", text.lower()))


@dataclass(frozen=True)
class Needs:
    """What a program reads from a roster."""

    numbers: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    booleans: frozenset[str] = frozenset()
    #: attribute -> the rule or condition that needs it (for "missing column" messages)
    columns: dict[str, str] = field(default_factory=dict)
    #: attributes whose column may be absent with only a warning (preferences read them)
    optional_columns: frozenset[str] = frozenset()
    #: role id -> attributes a participant in that role must have for a hard rule to pass
    hard_values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: accepted spellings of roles (id and label, case-folded) -> role id
    roles: dict[str, str] = field(default_factory=dict)
    timezone_date: dt.date = dt.date(2000, 1, 1)


def _rule_name(rule: Any) -> str:
    return f"rule '{rule.id}'" if rule.id else f"the {rule.rule} rule"


def needs_of(program: Program) -> Needs:
    numbers: set[str] = set()
    lists: set[str] = set()
    booleans: set[str] = set()
    required: dict[str, str] = {}
    optional: dict[str, str] = {}
    hard: dict[str, dict[str, str]] = {"mentor": {}, "mentee": {}}
    for role_id in ("mentor", "mentee"):
        role = program.roles.get(role_id)
        for cond in role.eligibility if role else ():
            required.setdefault(cond.attribute, f"the eligibility of the {role_id} role")
            literals = [cond.equals] if cond.equals is not None else list(cond.in_ or ()) + list(cond.not_in or ())
            if cond.min is not None or cond.max is not None or any(
                    isinstance(x, (int, float)) and not isinstance(x, bool) for x in literals):
                numbers.add(cond.attribute)
            if any(isinstance(x, bool) for x in literals):
                booleans.add(cond.attribute)
    pairing = program.pairing
    for rule in pairing.constraints + pairing.preferences:
        name = _rule_name(rule)
        used: list[tuple[str, tuple[str, ...]]] = []
        if rule.rule == "level-gap":
            attribute = rule.attribute or "level"
            numbers.add(attribute)
            used.append((attribute, ("mentor", "mentee")))
        elif rule.rule in ("same", "different") and rule.attribute:
            used.append((rule.attribute, ("mentor", "mentee")))
        elif rule.rule == "overlap" and rule.mentor and rule.mentee:
            lists.update((rule.mentor, rule.mentee))
            used += [(rule.mentor, ("mentor",)), (rule.mentee, ("mentee",))]
        elif rule.rule == "timezone-within":
            used.append(("timezone", ("mentor", "mentee")))
        elif rule.rule == "not-reporting-line" and rule.hard:
            optional.setdefault("manager", name)
        for attribute, sides in used:
            if rule.hard:
                required.setdefault(attribute, name)
                for side in sides:
                    hard[side].setdefault(attribute, name)
            else:
                optional.setdefault(attribute, name)
    roles: dict[str, str] = {}
    for role_id, role in program.roles.items():
        roles[role_id.casefold()] = role_id
    for role_id, role in program.roles.items():
        label = role.label.casefold()
        if label in roles and roles[label] != role_id and {roles[label], role_id} == {"mentor", "mentee"}:
            roles[label] = FLEXIBLE_ROLE  # peer programs call both sides "Peer partner"
        else:
            roles.setdefault(label, role_id)
    return Needs(
        numbers=frozenset(numbers), lists=frozenset(lists), booleans=frozenset(booleans | HISTORY_ATTRIBUTES),
        columns={**optional, **required}, optional_columns=frozenset(set(optional) - set(required)),
        hard_values=hard, roles=roles, timezone_date=program.schedule.start or dt.date(2000, 1, 1),
    )


@dataclass
class Person:
    """One roster row. `values` holds parsed attributes: numbers as float, lists as tuples of
    text, booleans as bool, everything else as stripped text. Empty cells are left out."""

    index: int
    id: str
    name: str
    email: str | None
    role: str | None  # a role id, FLEXIBLE_ROLE, or None for someone who only completes reporting lines
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    capacity: int | None = None
    tz_offset: float | None = None  # hours east of UTC on the program's start date

    @property
    def participant(self) -> bool:
        return self.role in ("mentor", "mentee", FLEXIBLE_ROLE)


@dataclass
class Roster:
    file: str
    people: list[Person] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.ERROR)

    @property
    def by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}


# --- time zones ----------------------------------------------------------------------------------

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@lru_cache(maxsize=1024)
def timezone_offset(text: str, on: dt.date) -> float | None:
    """Hours east of UTC for an IANA zone name or a fixed offset (`UTC+5:30`, `-03:00`) at noon
    on `on`; None when the text is neither."""
    value = text.strip()
    if value.upper() in ("UTC", "GMT", "Z"):
        return 0.0
    match = _OFFSET.match(value)
    if match:
        hours = int(match.group(2)) + int(match.group(3) or 0) / 60
        return hours if match.group(1) == "+" else -hours
    found = zone(value)
    if found is None:
        return None
    offset = dt.datetime.combine(on, dt.time(12), tzinfo=found).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else None


# --- cells -----------------------------------------------------------------------------------------


class _Cells:
    """Where each cell of a row is, computed only when a diagnostic needs it."""

    def __init__(self, file: str, line: int, text: str | None, delimiter: str, spans: dict[str, Span] | None = None,
                 order: list[str] | None = None) -> None:
        self.file, self.line, self.text, self.delimiter = file, line, text, delimiter
        self.spans = spans
        self.order = order or []
        self._starts: list[int] | None = None

    def span(self, column: str | None) -> Span:
        if self.spans is not None:  # YAML: every value has its own position
            if column is not None and column in self.spans:
                return self.spans[column]
            return self.spans.get("", Span(self.file, self.line, 1))
        if column is None or column not in self.order or self.text is None:
            return Span(self.file, self.line, 1)
        if self._starts is None:
            self._starts = cell_starts(self.text, self.delimiter)
        index = self.order.index(column)
        return Span(self.file, self.line, self._starts[index] + 1 if index < len(self._starts) else 1)


def _text(raw: Any) -> str:
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _shown(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


class _RowReader:
    """Turns one row's raw cells into a Person, reporting located problems."""

    def __init__(self, roster: Roster, needs: Needs) -> None:
        self.roster, self.needs = roster, needs
        self.seen: dict[str, int] = {}
        self.unpairable: list[tuple[_Cells, str, str, str]] = []
        self.count = 0

    def finish(self) -> None:
        """Warn about participants who lack a value a hard rule needs, once the columns are
        known: when the whole column is missing, the missing-column error says it once."""
        for cells, attribute, why, label in self.unpairable:
            if attribute in self.roster.columns:
                self.problem(codes.ROSTER_UNPAIRABLE, cells, attribute,
                             f"{label} has no {attribute}, which {why} needs, so they cannot be matched",
                             hint=f"fill in {attribute}, or remove the person from this round")

    def problem(self, code: Code, cells: _Cells, column: str | None, message: str, hint: str = "",
                severity: Severity | None = None) -> None:
        self.roster.diagnostics.append(code.at(cells.span(column), message, hint=hint, severity=severity))

    def too_many(self, cells: _Cells) -> None:
        self.problem(codes.ROSTER_TOO_MANY_ROWS, cells, None,
                     f"the roster has more than {limits.ROSTER_ROWS:,} people, the limit for one match; nothing was matched",
                     hint="split the roster into cohorts (by department, site or intake) and match each separately")

    def long_cell(self, cells: _Cells, column: str, label: str, length: int) -> None:
        self.problem(codes.ROSTER_CELL_TOO_LONG, cells, column,
                     f"{label} has a cell of {length:,} characters, more than the {limits.ROSTER_CELL:,} a roster cell may hold",
                     hint="check the export: a cell this long is usually a misplaced quote or a pasted document")

    def row(self, raw: dict[str, Any], cells: _Cells, label: str, bad: bool = False) -> None:
        """Check one row and keep it if nothing is wrong; `bad` rows are checked but not kept."""
        self.count += 1
        needs = self.needs
        for column in IDENTITY:
            if isinstance(raw.get(column), (list, tuple, dict)):
                self.problem(codes.ROSTER_BAD_VALUE, cells, column, f"{label} has a list in {column}, which takes one value",
                             hint="write a single value")
                return
        ident = _text(raw.get("id"))
        if not ident:
            self.problem(codes.ROSTER_MISSING_VALUE, cells, "id", f"{label} has no id", hint="give every person a unique id")
            return
        if ident in self.seen:
            self.problem(codes.ROSTER_DUPLICATE_ID, cells, "id", f"{label} repeats the id of the person on line {self.seen[ident]}",
                         hint="ids must be unique; merge the two rows or give one a new id")
            return
        self.seen[ident] = cells.line
        name = _text(raw.get("name"))
        if not name:
            self.problem(codes.ROSTER_MISSING_VALUE, cells, "name", f"{label} has no name",
                         hint="names appear in the pairs file, calendars and handbooks")
            return
        email = _text(raw.get("email")) or None
        ok = not bad
        if email is not None and (email.count("@") != 1 or email.startswith("@") or email.endswith("@") or " " in email):
            self.problem(codes.ROSTER_BAD_VALUE, cells, "email", f"{label} has an email address that is not valid",
                         hint="write one address such as name@example.org")
            ok = False
        role_text = _text(raw.get("role"))
        role: str | None
        if role_text.casefold() in _NONE_WORDS:
            role = None
        elif role_text.casefold().replace(" ", "") in _FLEXIBLE_WORDS:
            role = FLEXIBLE_ROLE
        else:
            role = needs.roles.get(role_text.casefold())
            if role is None:
                known = sorted(set(needs.roles.values()))
                self.problem(codes.ROSTER_UNKNOWN_ROLE, cells, "role", f"{label} has role {_shown(role_text)}, which the program does not define",
                             hint=f"{suggest(role_text, known)}use one of: {', '.join(known)}, either (the matcher chooses), or leave it empty")
                ok = False
        person = Person(len(self.roster.people), ident, name, email, role, cells.line)
        capacity_text = _text(raw.get("capacity"))
        if capacity_text:
            try:
                person.capacity = int(capacity_text)
                if person.capacity < 1:
                    raise ValueError
            except ValueError:
                self.problem(codes.ROSTER_BAD_VALUE, cells, "capacity", f"{label} has capacity {_shown(capacity_text)}, which is not a whole number of at least 1",
                             hint="capacity is the most partners this person takes; leave it empty to use the program's")
                ok = False
        for column, value in raw.items():
            if column in IDENTITY:
                continue
            parsed = self.value(column, value, cells, label)
            if parsed is _BAD:
                ok = False
            elif parsed is not None:
                person.values[column] = parsed
        if "timezone" in person.values:
            person.tz_offset = timezone_offset(person.values["timezone"], needs.timezone_date)
        if not ok:
            return
        if person.role in ("mentor", "mentee", FLEXIBLE_ROLE):
            sides = ("mentor", "mentee") if person.role == FLEXIBLE_ROLE else (person.role,)
            for side in sides:
                for attribute, why in needs.hard_values.get(side, {}).items():
                    value = person.values.get(attribute)
                    if value is None or value == ():
                        self.unpairable.append((cells, attribute, why, label))
                        break
        self.roster.people.append(person)

    def value(self, column: str, raw: Any, cells: _Cells, label: str) -> Any:
        needs = self.needs
        if column in LIST_ATTRIBUTES or column in needs.lists:
            items = [_text(x) for x in raw] if isinstance(raw, (list, tuple)) else [x.strip() for x in _text(raw).split(";")]
            values = tuple(dict.fromkeys(x for x in items if x))
            if len(values) > MAX_LIST_ITEMS:
                self.problem(codes.ROSTER_BAD_VALUE, cells, column, f"{label} lists {len(values)} values in {column}, more than {MAX_LIST_ITEMS}",
                             hint="keep lists to the values that matter for matching")
                return _BAD
            return values or None
        if isinstance(raw, (list, tuple, dict)):
            self.problem(codes.ROSTER_BAD_VALUE, cells, column, f"{label} has a list or mapping in {column}, which takes one value",
                         hint="write a single value")
            return _BAD
        text = _text(raw)
        if not text:
            return None
        if column in NUMBER_ATTRIBUTES or column in needs.numbers:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                number = float(raw)
            else:
                try:
                    number = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
                except ValueError:
                    number = math.nan
            if not math.isfinite(number):
                self.problem(codes.ROSTER_BAD_VALUE, cells, column, f"{label} has {column} {_shown(text)}, which is not a number",
                             hint=f"{column} must be a number; map grades such as 'L5' or 'Senior' to numbers first")
                return _BAD
            return number
        if column in needs.booleans:
            if isinstance(raw, bool):
                return raw
            if text.casefold() in _TRUE:
                return True
            if text.casefold() in _FALSE:
                return False
            self.problem(codes.ROSTER_BAD_VALUE, cells, column, f"{label} has {column} {_shown(text)}, which is not true or false",
                         hint="write true or false (yes and no work too)")
            return _BAD
        if column == "timezone" and timezone_offset(text, needs.timezone_date) is None:
            self.problem(codes.ROSTER_BAD_VALUE, cells, column, f"{label} has time zone {_shown(text)}, which is not a known zone",
                         hint=f"{suggest_zone(text)}write an IANA name such as Europe/London, or an offset such as UTC+05:30")
            return _BAD
        return text


_BAD = object()


# --- files ---------------------------------------------------------------------------------------------


def _read_text(path: str | os.PathLike[str], file: str, roster: Roster) -> str | None:
    too_large = f"the roster is larger than {limits.ROSTER_BYTES // 2**20} MiB, the limit for one roster"
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), "not a regular file", hint="name a CSV or YAML roster"))
            return None
        if info.st_size > limits.ROSTER_BYTES:  # refused by its size, unread
            roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), too_large, hint="split it into smaller cohorts"))
            return None
        with open(path, "rb") as handle:
            raw = handle.read(limits.ROSTER_BYTES + 1)
    except OSError as error:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), f"cannot read the roster: {error.strerror or error}",
                                                             hint="check the path and its permissions"))
        return None
    except ValueError:  # a NUL in the path
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), "the path holds a NUL character",
                                                             hint="check how the path was written"))
        return None
    if len(raw) > limits.ROSTER_BYTES:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), too_large, hint="split it into smaller cohorts"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(byte_span(file, raw, at), "the roster holds binary data, not text",
                                                             hint="export the spreadsheet as CSV (UTF-8)"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(
            byte_span(file, raw, error.start), f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
            hint="export the spreadsheet as 'CSV UTF-8'"))
        return None


def read_roster(path: str | os.PathLike[str], needs: Needs, display: str | None = None) -> Roster:
    """Read a CSV (.csv, .tsv) or YAML (.yaml, .yml) roster. Never raises for bad input."""
    file = display if display is not None else os.fspath(path)
    roster = Roster(file)
    text = _read_text(path, file, roster)
    if text is None:
        return roster
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix in (".yaml", ".yml"):
        _read_yaml(text, roster, needs)
    else:
        _read_csv(text, roster, needs, "\t" if suffix == ".tsv" else ",")
    _check_columns(roster, needs)
    _check_sides(roster)
    roster.diagnostics.sort(key=Diagnostic.sort_key)
    return roster


def _check_columns(roster: Roster, needs: Needs, header_span: Span | None = None) -> None:
    if roster.errors and not roster.people and not roster.columns:
        return
    span = header_span or Span(roster.file, 1, 1)
    for attribute, why in sorted(needs.columns.items()):
        if attribute in roster.columns:
            continue
        if attribute == "manager":
            roster.diagnostics.append(codes.ROSTER_HEADER.at(
                span, f"the roster has no manager column, so {why} (not in the same reporting line) cannot be checked",
                hint="add a manager column holding each person's manager's id", severity=Severity.WARNING))
        elif attribute in needs.optional_columns:
            roster.diagnostics.append(codes.ROSTER_HEADER.at(
                span, f"the roster has no {attribute} column, which {why} reads; that preference will never be met",
                hint=f"add a column named {attribute}", severity=Severity.WARNING))
        else:
            roster.diagnostics.append(codes.ROSTER_HEADER.at(
                span, f"the roster has no {attribute} column, which {why} needs", hint=f"add a column named {attribute}"))


def _check_sides(roster: Roster) -> None:
    if roster.errors:
        return
    roles = {p.role for p in roster.people}
    flexible = FLEXIBLE_ROLE in roles
    for side in ("mentor", "mentee"):
        if side not in roles and not flexible:
            roster.diagnostics.append(codes.ROSTER_EMPTY.at(
                Span(roster.file, 1, 1), f"the roster has nobody in the {side} role", hint=f"add people with role {side}"))


def _read_csv(text: str, roster: Roster, needs: Needs, delimiter: str) -> None:
    file = roster.file
    lines = text.split("\n")  # as csv counts lines; splitlines() would also break at \u2028 and friends
    if not any(line.strip() for line in lines):
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), "the roster is empty", hint="the first row names the columns"))
        return
    if delimiter == "," and "," not in lines[0] and "\t" in lines[0]:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 1
    columns: list[str | None] = []
    order: list[str] = []
    rows = _RowReader(roster, needs)
    last = 0
    try:
        for record in reader:
            start = last + 1
            last = reader.line_num
            while start <= len(lines) and not lines[start - 1].strip() and start < last:
                start += 1
            if not record or all(not cell.strip() for cell in record):
                continue
            if header is None:
                header, header_line = record, start
                seen: dict[str, int] = {}
                header_cells = _Cells(file, start, lines[start - 1] if start <= len(lines) else None, delimiter,
                                      order=[str(i) for i in range(len(record))])
                for i, cell in enumerate(record):
                    column = canonical_column(cell)
                    if column is not None and column in seen:
                        roster.diagnostics.append(codes.ROSTER_HEADER.at(
                            header_cells.span(str(i)), f"column {column_letter(i)} repeats the {column} column (also column {column_letter(seen[column])})",
                            hint="remove or rename one of them"))
                        column = None
                    elif column is None and cell.strip():
                        known = sorted(STANDARD)
                        roster.diagnostics.append(codes.ROSTER_UNKNOWN_COLUMN.at(
                            header_cells.span(str(i)), f"column {column_letter(i)} ({_shown(cell.strip())}) is not a roster attribute; it is ignored",
                            hint=f"{suggest(cell.strip(), known)}name custom attributes custom.NAME"))
                    if column is not None:
                        seen[column] = i
                    columns.append(column)
                order = [c if c is not None else f"#{i}" for i, c in enumerate(columns)]
                roster.columns = {c for c in columns if c is not None}
                for required in ("id", "name", "role"):
                    if required not in roster.columns:
                        roster.diagnostics.append(codes.ROSTER_HEADER.at(
                            Span(file, start, 1), f"the roster has no {required} column",
                            hint="the first row names the columns; id, name and role are required"))
                if not {"id", "name", "role"} <= roster.columns:
                    return
                continue
            cells = _Cells(file, start, lines[start - 1] if start <= len(lines) else None, delimiter, order=order)
            if rows.count >= limits.ROSTER_ROWS:
                rows.too_many(cells)
                break
            long_cell = next((i for i, cell in enumerate(record) if len(cell) > limits.ROSTER_CELL), None)
            if long_cell is not None:
                cells.order = order + [f"#{i}" for i in range(len(order), len(record))]
                rows.long_cell(cells, order[long_cell] if long_cell < len(order) else f"#{long_cell}",
                               f"line {start}", len(record[long_cell]))
                continue
            if len(record) > len(columns):
                extra = f"#{len(columns)}"
                cells.order = order + [extra]
                roster.diagnostics.append(codes.ROSTER_ROW_SHAPE.at(
                    cells.span(extra), f"line {start} has {len(record)} cells but the header names {len(columns)} columns",
                    hint="quote cells that contain commas, and separate list items with ';'"))
                continue
            raw = {column: record[i] for i, column in enumerate(columns) if column is not None and i < len(record)}
            rows.row(raw, cells, f"line {start}")
        rows.finish()
    except csv.Error as error:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(
            Span(file, reader.line_num or 1, 1), f"the roster is not well-formed CSV ({error})",
            hint="check for a quote that is opened and never closed"))
    if header is None:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), "the roster is empty", hint="the first row names the columns"))
    del header_line


def _read_yaml(text: str, roster: Roster, needs: Needs) -> None:
    file = roster.file
    # The program loader's limits on aliases and nesting, checked before anything is built.
    problem = expansion_problem(text, file, limits.ROSTER_VALUES)
    if problem is not None:
        roster.diagnostics.append(codes.ROSTER_EXPANSION.at(Span(problem.file, problem.line, problem.col),
                                                            problem.message, hint=problem.hint))
        return
    loader_class: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_class)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark is not None else Span(file, 1, 1)
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(span, f"the roster is not well-formed YAML ({(error.problem or 'malformed').strip()})",
                                                             hint="check indentation and quoting"))
        return
    except yaml.YAMLError as error:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), f"the roster is not well-formed YAML ({error})",
                                                             hint="check the file is a YAML roster"))
        return
    if node is None:
        roster.diagnostics.append(codes.ROSTER_UNREADABLE.at(Span(file, 1, 1), "the roster is empty", hint="list people under `people:`"))
        return
    people = node
    if isinstance(node, yaml.MappingNode):
        found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "people"]
        if not found:
            roster.diagnostics.append(codes.ROSTER_STRUCTURE.at(_mark(file, node), "a YAML roster must list people under `people:`",
                                                                hint="people:\n    - {id: p1, name: ..., role: mentor}"))
            return
        people = found[0][1]
    if not isinstance(people, yaml.SequenceNode):
        roster.diagnostics.append(codes.ROSTER_STRUCTURE.at(_mark(file, people), "`people` must be a list of people",
                                                            hint="start each person with '- '"))
        return
    rows = _RowReader(roster, needs)
    for index, item in enumerate(people.value):
        label = f"person {index + 1}"
        if index >= limits.ROSTER_ROWS:
            rows.too_many(_Cells(file, _mark(file, item).line, None, ",", spans={"": _mark(file, item)}))
            break
        if not isinstance(item, yaml.MappingNode):
            roster.diagnostics.append(codes.ROSTER_STRUCTURE.at(_mark(file, item), f"{label} is not a mapping of attributes",
                                                                hint="write each person as `- {id: ..., name: ..., role: ...}`"))
            continue
        raw: dict[str, Any] = {}
        spans: dict[str, Span] = {"": _mark(file, item)}
        bad = False
        for key_node, value_node in item.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            column = canonical_column(key) if isinstance(key, str) else None
            if column is None:
                roster.diagnostics.append(codes.ROSTER_UNKNOWN_COLUMN.at(
                    _mark(file, key_node), f"{label}: {_shown(str(key))} is not a roster attribute; it is ignored",
                    hint=f"{suggest(str(key), sorted(STANDARD))}name custom attributes custom.NAME"))
                continue
            if column in raw:
                roster.diagnostics.append(codes.ROSTER_STRUCTURE.at(_mark(file, key_node), f"{label} gives {column} twice",
                                                                    hint="remove one of them"))
                bad = True
                continue
            spans[column] = _mark(file, value_node)
            longest = max((len(v.value) for v in ([value_node] if isinstance(value_node, yaml.ScalarNode) else
                                                   value_node.value if isinstance(value_node, yaml.SequenceNode) else [])
                           if isinstance(v, yaml.ScalarNode)), default=0)
            if longest > limits.ROSTER_CELL:
                rows.long_cell(_Cells(file, spans[""].line, None, ",", spans=spans), column, label, longest)
                bad = True
                continue
            value = _yaml_value(value_node)
            if value is _BAD:
                roster.diagnostics.append(codes.ROSTER_BAD_VALUE.at(_mark(file, value_node), f"{label} has a nested value in {column}",
                                                                    hint="write a single value or a list of values"))
                bad = True
                continue
            raw[column] = value
            roster.columns.add(column)
        rows.row(raw, _Cells(file, spans[""].line, None, ",", spans=spans), label + f" (line {spans[''].line})", bad)
    rows.finish()


def _mark(file: str, node: Any) -> Span:
    return Span(file, node.start_mark.line + 1, node.start_mark.column + 1)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _yaml_value(node: Any) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                return _BAD
            items.append(_scalar(item))
        return items
    return _BAD


def _scalar(node: Any) -> Any:
    tag = node.tag.rsplit(":", 1)[-1]
    try:
        if tag == "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag == "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == "null":
            return None
    except (ValueError, yaml.YAMLError):
        pass
    return node.value


def participants(people: Iterable[Person]) -> list[Person]:
    return [p for p in people if p.participant]
