"""The session log: which meetings were held, when, and who came.

A CSV file, one row per meeting (held or called off), with a header row:

    meeting,pair,date,held,minutes,attendees
    pairs,m-3f2a9c1d04,2026-10-12,yes,50,
    pairs,m-3f2a9c1d04,2026-11-09,no,,
    mentor-supervision,,2026-10-26,yes,90,p01;p03;p04;p06

- `meeting`: `pairs` for a pair's own session, or the id of a group session in `meetings.groupSessions`.
  May be left out (column or cell): the row is then a pair session.
- `pair`: the pair's match id from the pairs file (`programdsl match` writes it); needed for pair sessions.
- `date`: the day it took place (or was due, when not held), YYYY-MM-DD.
- `held`: yes or no (1/0, true/false); empty means yes.
- `minutes`: how long it lasted; optional.
- `attendees`: ids of the people who came, separated by `;`; needed for group sessions'
  attendance, optional for pairs.

Columns may come in any order; unknown columns are ignored with a warning. Like responses, the
log holds personal data: diagnostics name the line and column, never an id.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from ..diagnostics import Diagnostic, Severity, Span
from ..positions import column_letter
from ..reporters.base import plural
from . import codes
from .plan import Plan
from .responses import CsvText, read_text, sniff_delimiter

COLUMNS = ("meeting", "pair", "date", "held", "minutes", "attendees")
PAIRS = "pairs"
MAX_LOG_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Session:
    meeting: str  # "pairs" or a group session id
    pair: str | None
    date: dt.date
    held: bool
    minutes: float | None
    attendees: tuple[str, ...]
    line: int


@dataclass
class SessionLog:
    file: str
    sessions: list[Session] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.ERROR)


def read_sessions(path: str | os.PathLike[str], plan: Plan, pair_ids: set[str] | None = None,
                  people: set[str] | None = None, display: str | None = None) -> SessionLog:
    """Read and check a session log. `pair_ids` and `people` (from a pairs file or roster) let
    unknown pairs and attendees be reported; without them any id is taken as given."""
    file = display if display is not None else os.fspath(path)
    log = SessionLog(file)
    text, problems = read_text(path, file, codes.SESSIONS_UNREADABLE, MAX_LOG_BYTES, what="session log")
    log.diagnostics += problems
    if text is None:
        return log
    source = CsvText(file, text, sniff_delimiter(text, os.fspath(path)))
    try:
        _read(source, log, plan, pair_ids, people)
    except csv.Error as error:
        line = source.reader.line_num if source.reader is not None else 1
        log.diagnostics.append(codes.SESSIONS_UNREADABLE.at(
            Span(file, max(line, 1), 1), f"the session log is not well-formed CSV ({error})",
            hint="check for a quote that is opened and never closed"))
    log.diagnostics.sort(key=Diagnostic.sort_key)
    return log


def _yes_no(text: str) -> bool | None:
    word = text.strip().casefold()
    if word in ("", "yes", "y", "true", "1", "held"):
        return True
    if word in ("no", "n", "false", "0", "cancelled", "canceled"):
        return False
    return None


def _read(source: CsvText, log: SessionLog, plan: Plan, pair_ids: set[str] | None, people: set[str] | None) -> None:
    file = source.file
    records = iter(source.records())
    first = next(records, None)
    if first is None:
        log.diagnostics.append(codes.SESSIONS_UNREADABLE.at(Span(file, 1, 1), "the session log has no header row",
                                                            hint=f"the first row names the columns: {', '.join(COLUMNS)}"))
        return
    header_line, header = first
    index: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().casefold().replace(" ", "_")
        name = {"session": "meeting", "pair_id": "pair", "match": "pair", "attended": "attendees",
                "people": "attendees"}.get(name, name)
        if name in COLUMNS and name not in index:
            index[name] = i
        elif name:
            log.diagnostics.append(codes.SESSIONS_UNREADABLE.at(
                source.span(header_line, i), f"column {column_letter(i)} is not a session log column; it is ignored",
                hint=f"the columns are {', '.join(COLUMNS)}", severity=Severity.WARNING))
    if "date" not in index:
        log.diagnostics.append(codes.SESSIONS_UNREADABLE.at(Span(file, header_line, 1), "the session log has no date column",
                                                            hint=f"the first row names the columns: {', '.join(COLUMNS)}"))
        return
    seen: dict[tuple[str, str | None, dt.date, tuple[str, ...]], int] = {}
    width = len(header)
    for line, record in records:
        if len(log.diagnostics) > MAX_PROBLEMS:
            log.diagnostics.append(codes.SESSIONS_UNREADABLE.at(
                Span(file, line, 1), f"more than {MAX_PROBLEMS} problems; the rest of the log is not checked",
                hint="a problem on every row usually means the columns are not the session log's; see docs/reporting.md"))
            return
        if len(record) > width:
            log.diagnostics.append(codes.SESSIONS_BAD_VALUE.at(
                source.span(line, width), f"line {line} has {len(record)} cells but the header names {width} columns",
                hint="quote cells that contain the separator"))
            continue

        def cell(name: str) -> str:
            i = index.get(name)
            return record[i].strip() if i is not None and i < len(record) else ""

        def at(name: str) -> Span:
            return source.span(line, index.get(name))

        meeting = cell("meeting") or PAIRS
        if meeting != PAIRS and meeting not in plan.meetings:
            log.diagnostics.append(codes.SESSIONS_UNKNOWN_MEETING.at(
                at("meeting"), "the row names a meeting the program does not have",
                hint=f"write {PAIRS} for a pair's session, or a group session id: "
                     f"{', '.join(m for m in sorted(plan.meetings) if m != PAIRS) or 'the program has none'}"))
            continue
        try:
            day = dt.date.fromisoformat(cell("date"))
        except ValueError:
            log.diagnostics.append(codes.SESSIONS_BAD_VALUE.at(at("date"), "the date is not a date in YYYY-MM-DD form",
                                                               hint="write the day the meeting took place, e.g. 2026-10-12"))
            continue
        held = _yes_no(cell("held"))
        if held is None:
            log.diagnostics.append(codes.SESSIONS_BAD_VALUE.at(at("held"), "held is not yes or no",
                                                               hint="write yes for a meeting that took place, no for one called off"))
            continue
        minutes: float | None = None
        if cell("minutes"):
            try:
                minutes = float(cell("minutes"))
                if not 0 <= minutes <= 24 * 60:
                    raise ValueError
            except ValueError:
                log.diagnostics.append(codes.SESSIONS_BAD_VALUE.at(at("minutes"), "minutes is not a number of minutes (0 to 1440)",
                                                                   hint="write the length in minutes, e.g. 45, or leave it empty"))
                continue
        pair = cell("pair") or None
        if meeting == PAIRS and pair is None:
            log.diagnostics.append(codes.SESSIONS_BAD_VALUE.at(at("pair"), "a pair session without the pair's id",
                                                               hint="write the match id from the pairs file"))
            continue
        if meeting == PAIRS and pair_ids is not None and pair not in pair_ids:
            log.diagnostics.append(codes.SESSIONS_UNKNOWN_MEETING.at(at("pair"), "the pair id is not in the pairs file",
                                                                     hint="use the match ids of the published pairs file"))
            continue
        attendees = tuple(sorted({a.strip() for a in cell("attendees").split(";") if a.strip()}))
        if people is not None and any(a not in people for a in attendees):
            log.diagnostics.append(codes.SESSIONS_UNKNOWN_MEETING.at(
                at("attendees"), f"{plural(sum(a not in people for a in attendees), 'attendee id')} not in the roster or pairs file",
                hint="attendees are person ids, separated by ';'"))
            continue
        if plan.start is not None and plan.end is not None and not plan.start <= day <= plan.end:
            log.diagnostics.append(codes.SESSIONS_OUTSIDE_PROGRAM.at(
                at("date"), f"the session is dated {day}, outside the program ({plan.start} to {plan.end}); it still counts",
                hint="check the date"))
        key = (meeting, pair, day, attendees)
        if key in seen and held:
            log.diagnostics.append(codes.SESSIONS_DUPLICATE.at(
                Span(file, line, 1), f"the same meeting is logged on line {seen[key]}; it counts once", hint="remove one of the rows"))
            continue
        if held:
            seen[key] = line
        log.sessions.append(Session(meeting, pair, day, held, minutes, attendees, line))


__all__ = ["COLUMNS", "PAIRS", "Session", "SessionLog", "read_sessions"]
