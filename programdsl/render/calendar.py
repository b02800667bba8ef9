"""iCalendar (.ics) files built from the one shared schedule.

`calendar_files(program)` returns every calendar as `{relative path: bytes}`, ready for
`programdsl.output.write_outputs`:

- `program.ics`   milestones, phase boundaries, training and survey windows, for everyone;
- `meetings.ics`  the pairs' sessions and the group sessions, with no names;
- `roles/<role>.ics`  everything one role takes part in: milestones, phases, its training,
  surveys, group sessions and, for the two sides of a pair, the pairs' sessions (without names);
- `pairs/<pair>.ics`  with a pairs file: one pair's (or group's) sessions, with names;
- `people/<person>.ics`  with a pairs file: everything one matched person attends, their pairs'
  sessions with names (the person's handbook links it).

Role ids and pair ids become file names through `output.safe_name`; pair file names are also
made distinct ignoring case (`pair_file_names`), as `write_outputs` requires.

A participant imports their role's calendar, which holds everything they attend. Once pairs are
matched, each person has their own calendar instead: the same items, with their pairs' sessions
named. One UID is one event (RFC 5545): a role calendar's session stands for every pair's meeting
in that slot, so it cannot share a UID with any one pair's session; the personal calendar reuses
the pair calendars' UIDs for sessions and the role calendar's for everything else.

How events are written (docs/calendars.md explains it for users):

- A recurring series is one VEVENT with an RRULE (weekly/biweekly on a weekday, or
  monthly/bimonthly/quarterly on the n-th or last weekday of the month) and a COUNT. A date
  skipped for a holiday or a blackout is an EXDATE; a date moved to another day is an override
  (a VEVENT with the same UID and a RECURRENCE-ID naming the planned date), which Outlook, Google
  Calendar and Thunderbird all apply, while RDATE is ignored by Outlook. The pairs' sessions are
  split into one series per phase, so each session shows its own phase's topics. Where a rule
  would not reproduce the schedule exactly (checked by expanding it), the series is written as
  separate events instead.
- UIDs are `<ref>@<program-id>.programdsl` (plus `.<pair>` in a pair's calendar), so importing a
  changed program updates events rather than duplicating them; SEQUENCE is derived from
  `metadata.version` (1.2.3 -> 1002003), so a new version wins over the one already imported.
- DTSTAMP comes from the program's start date, never the clock: the same program gives
  byte-identical files.
- Timed events carry TZID and a VTIMEZONE written from the IANA database with yearly rules, as
  Outlook and Google write them; all-day items are floating dates and never shift.
- `calendar.reminders` become VALARMs on timed events; all-day items get only the reminders of a
  day or more, since "15 minutes before" an all-day item means 23:45 the evening before.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .. import limits
from ..model import PAIR_ROLES, WEEKDAY_NAMES, Program
from ..output import safe_name
from ..schedule import (MONTHS_PER_STEP, WEEKS_PER_STEP, Occurrence, ProgramSchedule, Series,
                        build_schedule)

from ..pairs import Match, Member, PairsFile
from .escape import is_plain_email
from .words import display_labels, duration, format_phrase, join_and, length, number_word, role_noun, spelling

if TYPE_CHECKING:
    import icalendar

PRODID = "-//programdsl//Mentoring program calendar//EN"
UID_DOMAIN = "programdsl"
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
PROGRAM_KINDS = ("milestone", "phase-start", "phase-end", "training", "survey")
MEETING_KINDS = ("session", "group-session")
ROLE_KINDS = PROGRAM_KINDS + MEETING_KINDS
UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"}
# An all-day item is one the file gives a day but no time (training, group sessions, and the pairs'
# sessions without `meetings.time`). The format has no field for a time or a place there, so the
# description says so rather than promising that someone will send them.
TIME_NOT_SET = "Time not set: this entry marks the day only."
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CalendarTooLarge(ValueError):
    """The calendars of one run would hold more text than `limits.CALENDAR_TEXT` (a long
    description is repeated in every event of its series, in every calendar that shows it)."""

    def __init__(self, uid: str) -> None:
        super().__init__(f"the calendars would hold more than {limits.CALENDAR_TEXT:,} characters of event text "
                         f"(the limit for one run was crossed at event {uid})")
        self.uid = uid


# Characters of event text written so far in this `calendar_files` run (None: not counting).
_TEXT_SO_FAR: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("calendar_text", default=None)
_SPACE = re.compile(r"\s+")


# --- Values shared by every calendar of a program -----------------------------------------------


def sequence_for(version: str) -> int:
    """SEQUENCE from `metadata.version`: 1.2.3 -> 1002003, each part capped at 999, so every
    raised version gives a larger number."""
    parts = [int(p) if p.isdigit() else 0 for p in version.split(".")[:3]]
    parts += [0] * (3 - len(parts))
    major, minor, patch = (min(p, 999) for p in parts)
    return min(major, 2146) * 1_000_000 + minor * 1_000 + patch


def stamp_for(program: Program) -> dt.datetime:
    """DTSTAMP: midnight UTC on the program's first day (`schedule.start`, which every program
    the validator accepts has)."""
    day = program.schedule.start
    if day is None:
        raise ValueError("a calendar needs the program's start date (schedule.start)")
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def event_uid(ref: str, program_id: str, pair: str | None = None) -> str:
    """`<ref>@<program-id>.programdsl`, with `.<pair>` after the ref in a pair's calendar."""
    local = f"{ref}.{safe_name(pair)}" if pair else ref
    return f"{local}@{safe_name(program_id or 'program')}.{UID_DOMAIN}"


def _line(text: str) -> str:
    """Text for a one-line property (SUMMARY, a CN): controls and line breaks become spaces."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def _text(text: str) -> str:
    """Text for DESCRIPTION and X-WR-CALDESC: line breaks kept, other control characters dropped.

    Written through icalendar's vText, which escapes line breaks as `\\n` (and commas,
    semicolons and backslashes), so a value never spills onto a line of its own.
    """
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


# --- VTIMEZONE ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Transition:
    local: dt.datetime  # onset as local wall time in the offset that was in force before it
    before: dt.timedelta
    after: dt.timedelta
    daylight: bool
    name: str


def _state(zone: dt.tzinfo, moment: dt.datetime) -> tuple[dt.timedelta, bool, str]:
    local = moment.astimezone(zone)
    return local.utcoffset() or dt.timedelta(0), bool(local.dst()), local.tzname() or ""


def _transitions(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> list[_Transition]:
    """Every change of offset, DST flag or abbreviation between two UTC instants, found day by
    day and then to the second by bisection."""
    found: list[_Transition] = []
    moment, state = start, _state(zone, start)
    step = dt.timedelta(hours=12)
    while moment < end:
        following = moment + step
        following_state = _state(zone, following)
        if following_state != state:
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            after = _state(zone, high)
            found.append(_Transition((high + state[0]).replace(tzinfo=None), state[0], after[0], after[1], after[2]))
            state = after
            moment = high
        else:
            moment, state = following, following_state
    return found


def _yearly_rule(onsets: Sequence[dt.datetime]) -> dict[str, Any] | None:
    """A yearly RRULE that yields exactly `onsets` (one a year, same month, weekday and time)."""
    first = onsets[0]
    if any(o.year != first.year + i for i, o in enumerate(onsets)):
        return None
    if any((o.month, o.weekday(), o.time()) != (first.month, first.weekday(), first.time()) for o in onsets):
        return None
    code = WEEKDAY_CODES[first.weekday()]

    def last(day: dt.datetime) -> bool:
        return (day + dt.timedelta(days=7)).month != day.month

    if all(last(o) for o in onsets):
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"-1{code}"}
    ordinals = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(ordinals) == 1 and ordinals <= {1, 2, 3, 4}:
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{ordinals.pop()}{code}"}
    return None


def _offset_text(offset: dt.timedelta) -> str:
    return f"UTC{'+' if offset >= dt.timedelta(0) else '-'}{abs(offset)}"


_EARLIEST = dt.datetime(1, 1, 2, tzinfo=dt.timezone.utc)
_LATEST = dt.datetime(dt.MAXYEAR, 12, 30, tzinfo=dt.timezone.utc)


@lru_cache(maxsize=32)
def vtimezone(name: str, first: dt.date, last: dt.date) -> "icalendar.Timezone":
    """A VTIMEZONE for the IANA zone `name`, exact for every instant from the year before `first`
    to the year after `last`.

    Each kind of change (the start and the end of summer time) becomes one STANDARD or DAYLIGHT
    block with a yearly RRULE when the zone followed one rule throughout, as Outlook and Google
    Calendar write them; otherwise each change is listed (DTSTART and RDATE). Onsets are local
    times in the offset in force before the change (TZOFFSETFROM), as RFC 5545 defines them.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = zoneinfo.ZoneInfo(name)
    # From two years back: then every instant from the year before `first` comes after the first
    # onset of each kind, in either hemisphere. Clamped to what a datetime can hold (years 1 to
    # 9999), with a day's margin so that no local time in range overflows.
    start = max(dt.datetime(max(first.year - 2, 1), 1, 1, tzinfo=dt.timezone.utc), _EARLIEST)
    end = min(dt.datetime(min(last.year + 2, dt.MAXYEAR), 1, 1, tzinfo=dt.timezone.utc), _LATEST)
    changes = _transitions(zone, start, end)
    groups: dict[tuple[dt.timedelta, dt.timedelta, bool, str], list[dt.datetime]] = {}
    for change in changes:
        groups.setdefault((change.before, change.after, change.daylight, change.name), []).append(change.local)
    rules = {key: _yearly_rule(onsets) for key, onsets in groups.items()}
    regular = bool(groups) and all(rule is not None for rule in rules.values())

    timezone = Timezone()
    timezone.add("tzid", name)
    timezone.add("x-lic-location", name)

    def block(daylight: bool, before: dt.timedelta, after: dt.timedelta, label: str, onset: dt.datetime) -> Any:
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("tzname", label or _offset_text(after))
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("dtstart", onset)
        return part

    if not changes or not regular:
        # The state at the start of the range, so no instant in it falls before every onset.
        offset, daylight, label = _state(zone, start)
        timezone.add_component(block(daylight, offset, offset, label, (start + offset).replace(tzinfo=None)))
    for (before, after, daylight, label), onsets in sorted(groups.items(), key=lambda item: item[1][0]):
        part = block(daylight, before, after, label, onsets[0])
        rule = rules[(before, after, daylight, label)]
        if regular and rule is not None:
            part.add("rrule", rule)
        else:
            for onset in onsets[1:]:
                part.add("rdate", onset)
        timezone.add_component(part)
    return timezone


# --- Events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Who a pair's calendar is for: the match's id and names, for the event text."""

    id: str
    mentors: tuple["Member", ...]
    mentees: tuple["Member", ...]

    @classmethod
    def of(cls, match: "Match") -> "Pair":
        return cls(match.id, tuple(match.mentors), tuple(match.mentees))

    @property
    def names(self) -> str:
        def join(members: Iterable["Member"]) -> str:
            names = [_line(m.name) for m in members if _line(m.name)]
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
        mentors, mentees = join(self.mentors), join(self.mentees)
        return f"{mentors} with {mentees}" if mentors and mentees else mentors or mentees


class _Writer:
    """Builds the calendars of one program from its schedule."""

    def __init__(self, program: Program, schedule: ProgramSchedule) -> None:
        from ..render.dates import style_for

        self.program = program
        self.schedule = schedule
        self.style = style_for(program.locale)
        self.words = spelling(program.locale)
        self.sequence = sequence_for(program.version)
        self.stamp = stamp_for(program)
        self.utc = program.timezone in UTC_NAMES
        self.phases = {p.id: p for p in program.schedule.phases}
        self.labels = display_labels(program)
        self.order = {o.uid: i for i, o in enumerate(schedule.occurrences)}
        self.totals: dict[tuple[str, str | None], int] = {}
        for occurrence in schedule.occurrences:
            key = (occurrence.kind, occurrence.ref)
            self.totals[key] = self.totals.get(key, 0) + 1

    # text

    def when(self, day: dt.date) -> str:
        return self.style.date(day, weekday=True)

    def moment(self, value: dt.datetime | dt.date) -> dt.datetime | dt.date:
        if isinstance(value, dt.datetime) and self.utc:
            return value.astimezone(dt.timezone.utc)
        return value

    def summary(self, occurrence: Occurrence, pair: Pair | None = None, phase: str | None = None) -> str:
        title = _line(occurrence.title)
        if occurrence.kind == "training":
            title = f"Training: {title}"
            total = self.totals.get(("training", occurrence.ref), 1)
            if occurrence.number is not None and total > 1:
                title = f"{title} ({occurrence.number} of {total})"
        elif occurrence.kind == "survey":
            title = f"Survey open: {title}"
            total = self.totals.get(("survey", occurrence.ref), 1)
            if occurrence.number is not None and total > 1:
                title = f"{title} ({occurrence.number} of {total})"
        elif occurrence.kind == "session":
            phase_id = phase if phase is not None else occurrence.phase
            if phase_id in self.phases:
                title = f"{title}: {_line(self.phases[phase_id].name)}"
            if pair is not None and pair.names:
                title = f"{title} ({pair.names})"
        return title

    def phase_lines(self, phase_id: str | None, topics_label: str = "Topics for this phase") -> list[str]:
        if phase_id not in self.phases:
            return []
        phase = self.phases[phase_id]
        span = self.schedule.timeline.phases.get(phase_id)
        lines = [f"Phase: {phase.name}" + (f" ({self.style.range(span.start, span.end)})" if span else "")]
        if phase.topics:
            lines.append(f"{topics_label}:")
            lines.extend(f"- {topic}" for topic in phase.topics)
        return lines

    def partner_form_lines(self, audience: Sequence[str]) -> list[str]:
        """How many forms each role fills in for a survey about each partner."""
        pairing = self.program.pairing
        capacity = {"mentor": pairing.mentor_capacity or 1, "mentee": pairing.mentee_capacity or 1}
        lines = []
        for role in audience:
            if role not in capacity:
                continue
            other = "mentee" if role == "mentor" else "mentor"
            mine, theirs = self.program.role_label(role), self.program.role_label(other).lower()
            most = capacity[role]
            count = f"one form about each {theirs} you are paired with (up to {most})" if most > 1 else f"one form about your {theirs}"
            lines.append(f"{mine}: {count}.")
        return lines

    def meeting_facts(self, minutes: int | None, group: bool, minutes_given: bool = True) -> str:
        meetings = self.program.meetings
        # The calendar needs an end time; when the file gives no length it says so rather than
        # presenting the block it holds as the session's length.
        given = meetings.minutes if not group else minutes_given
        facts = [(length(minutes, meetings.minutes_min if not group else None) if given else
                  f"length not set (the calendar holds {minutes} minutes)") if minutes else None]
        if not group:
            if meetings.format:
                facts.append(format_phrase(meetings.format))
            if meetings.initiator in ("mentor", "mentee") and meetings.initiator in self.labels:
                facts.append(f"arranged by the {role_noun(self.labels[meetings.initiator])}")
            elif meetings.initiator == "coordinator":
                facts.append(f"arranged by the {self.words['programme']} team")
            elif meetings.initiator == "either":
                facts.append("arranged by either partner")
        text = ", ".join(f for f in facts if f)
        return text[:1].upper() + text[1:] + "." if text else ""

    def description(self, occurrence: Occurrence, pair: Pair | None = None, series: Series | None = None,
                    phase: str | None = None, skipped: Sequence[tuple[dt.date, str]] = ()) -> str:
        program = self.program
        lines: list[str] = [program.name]
        kind = occurrence.kind
        audience = join_and([self.labels.get(r, r) for r in occurrence.audience])
        if kind in ("milestone", "phase-start", "phase-end", "training", "survey") and occurrence.description:
            lines += ["", occurrence.description]
        if kind == "training":
            facts = [duration(occurrence.minutes) if occurrence.minutes else None]
            module = next((t for t in program.training if t.id == occurrence.ref), None)
            if module is not None and module.format:
                facts.append(format_phrase(module.format))
            if module is not None:
                facts.append("required" if module.required else "optional")
            lines += ["", f"For: {audience}." if audience else "", ", ".join(f for f in facts if f).capitalize() + "."]
            if occurrence.topics:
                lines += ["Covers:"] + [f"- {t}" for t in occurrence.topics]
            if occurrence.all_day:
                lines.append(TIME_NOT_SET)
        elif kind == "survey":
            days = (occurrence.last_day - occurrence.day).days + 1
            survey = next((s for s in program.surveys if s.id == occurrence.ref), None)
            lines += ["", f"For: {audience}." if audience else "",
                      f"Open for {days} day{'s' if days != 1 else ''}, until {self.when(occurrence.last_day)}."]
            if survey is not None and survey.about == "partner":
                lines += self.partner_form_lines(survey.audience)
            if survey is not None and survey.respondent_key == "self-code":
                lines.append("Answers are anonymous, linked over time by a private code.")
        elif kind == "phase-start":
            lines += [""] + self.phase_lines(occurrence.ref, "Topics")
        elif kind in MEETING_KINDS:
            group = kind == "group-session"
            if pair is not None:
                mentor, mentee = (self.labels[r] if r in self.labels else r.capitalize() for r in PAIR_ROLES)
                lines += ["", *(f"{mentor}: {_line(m.name)}" for m in pair.mentors),
                          *(f"{mentee}: {_line(m.name)}" for m in pair.mentees)]
            if group and audience:
                lines += ["", f"For: {audience}."]
            block: list[str] = []
            if series is not None and len(series.planned) > 1:
                block.append(self.rhythm(series))
            given = next((g.minutes is not None for g in program.meetings.group_sessions if g.id == occurrence.ref), True)
            summary = self.meeting_facts(series.minutes if series else occurrence.minutes, group, given)
            if summary:
                block.append(summary)
            if occurrence.all_day:
                block.append(TIME_NOT_SET)
            lines += [""] + block
            # Phases and their topics belong to the pairs' conversations, not to group sessions.
            phase_lines = [] if group else self.phase_lines(phase if phase is not None else occurrence.phase)
            if phase_lines:
                lines += [""] + phase_lines
            if skipped:
                lines += [""] + [f"No session on {self.when(day)}: {reason}." for day, reason in skipped]
        for adjustment in occurrence.adjustments:
            if adjustment.actual is not None:
                lines += ["", f"Moved from {self.when(adjustment.planned)}: {adjustment.reason}."]
        text = "\n".join(lines)
        return _text(re.sub(r"\n{3,}", "\n\n", text))

    def rhythm(self, series: Series) -> str:
        day = WEEKDAY_NAMES[series.weekday]
        if series.frequency in WEEKS_PER_STEP:
            every = "Every week" if series.interval == 1 else f"Every {number_word(series.interval)} weeks"
            text = f"{every} on {day}"
        else:
            every = "Every month" if series.interval == 1 else f"Every {number_word(series.interval)} months"
            text = f"{every} on the {ORDINAL_WORDS.get(series.ordinal or 1, 'first')} {day}"
        if series.time is not None:
            text += f" at {self.style.time(series.time)} ({self.program.timezone})"
        planned = f"{series.target} planned" if series.target else f"{len(series.planned)} dates"
        return f"{text}; {planned}."

    # components

    def event(self, uid: str, summary: str, start: dt.datetime | dt.date, end: dt.datetime | dt.date,
              description: str, pair: Pair | None = None) -> "icalendar.Event":
        from icalendar import Event

        counted = _TEXT_SO_FAR.get()
        if counted is not None:  # checked before the event is built: a run past the limit stops here
            counted[0] += len(summary) + len(description) + len(uid)
            if counted[0] > limits.CALENDAR_TEXT:
                raise CalendarTooLarge(uid)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self.stamp)
        event.add("sequence", self.sequence)
        event.add("dtstart", self.moment(start))
        event.add("dtend", self.moment(end))
        event.add("summary", summary)
        if description:
            event.add("description", description)
        all_day = not isinstance(start, dt.datetime)
        event.add("transp", "TRANSPARENT" if all_day else "OPAQUE")
        if pair is not None:
            self.attendees(event, pair)
        self.alarms(event, summary, all_day)
        return event

    def attendees(self, event: "icalendar.Event", pair: Pair) -> None:
        from icalendar import vCalAddress

        for members, role in ((pair.mentors, "mentor"), (pair.mentees, "mentee")):
            for member in members:
                email = (member.email or "").strip()
                if not is_plain_email(email):
                    continue  # no address, or one that is not a plain address: the name is in the text
                address = vCalAddress(f"mailto:{email}")
                name = _line(member.name)[:200]
                if name:
                    address.params["cn"] = name.replace('"', "'")
                address.params["role"] = "REQ-PARTICIPANT"
                address.params["cutype"] = "INDIVIDUAL"
                event.add("attendee", address, encode=False)

    def alarms(self, event: "icalendar.Event", summary: str, all_day: bool) -> None:
        from icalendar import Alarm

        for minutes in sorted(set(self.program.reminders), reverse=True):
            if all_day and minutes < 24 * 60:
                continue
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", dt.timedelta(minutes=-minutes))
            event.add_component(alarm)

    def single(self, occurrence: Occurrence, pair: Pair | None = None, series: Series | None = None) -> "icalendar.Event":
        uid = event_uid(occurrence.uid, self.program.id, pair.id if pair else None)
        return self.event(uid, self.summary(occurrence, pair), occurrence.start, occurrence.end,
                          self.description(occurrence, pair, series), pair)

    def planned_moment(self, series: Series, day: dt.date) -> dt.datetime | dt.date:
        if series.time is None:
            return day
        return dt.datetime.combine(day, series.time, tzinfo=zoneinfo.ZoneInfo(self.program.timezone))

    def rule(self, series: Series, count: int) -> dict[str, Any]:
        code = WEEKDAY_CODES[series.weekday]
        if series.frequency in WEEKS_PER_STEP:
            return {"FREQ": "WEEKLY", "INTERVAL": series.interval, "BYDAY": code, "COUNT": count}
        return {"FREQ": "MONTHLY", "INTERVAL": series.interval, "BYDAY": f"{series.ordinal}{code}", "COUNT": count}

    def rule_matches(self, series: Series, dates: Sequence[dt.date]) -> bool:
        """Expand the RRULE we would write and check it gives exactly `dates`."""
        from dateutil import rrule

        weekday = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)[series.weekday]
        start = dt.datetime.combine(dates[0], dt.time())
        if series.frequency in WEEKS_PER_STEP:
            expanded = rrule.rrule(rrule.WEEKLY, dtstart=start, interval=series.interval, byweekday=weekday, count=len(dates))
        elif series.frequency in MONTHS_PER_STEP and series.ordinal is not None:
            expanded = rrule.rrule(rrule.MONTHLY, dtstart=start, interval=series.interval,
                                   byweekday=weekday(series.ordinal), count=len(dates))
        else:
            return False
        return [d.date() for d in expanded] == list(dates)

    def series_events(self, series: Series, pair: Pair | None = None) -> list[tuple[int, "icalendar.Event"]]:
        """The events for one series, each with its position in the schedule (for ordering)."""
        members = {o.slot: o for o in self.schedule.in_series(series)}
        if not members:
            return []
        base = "sessions" if series.kind == "session" else f"group-{series.ref}"
        chunks: list[tuple[str | None, list[int]]] = []
        for slot, day in enumerate(series.planned, start=1):
            phase = self.phase_of(day) if series.kind == "session" else None
            if chunks and chunks[-1][0] == phase:
                chunks[-1][1].append(slot)
            else:
                chunks.append((phase, [slot]))
        many_phases = len({phase for phase, _ in chunks}) > 1 or any(p is not None for p, _ in chunks)
        events: list[tuple[int, "icalendar.Event"]] = []
        for phase, slots in chunks:
            while slots and slots[0] not in members:
                slots.pop(0)
            while slots and slots[-1] not in members:
                slots.pop()
            if not slots:
                continue
            dates = [series.planned[s - 1] for s in slots]
            first = members[slots[0]]
            position = self.order.get(first.uid, 0)
            if len(slots) == 1 or series.frequency == "once" or not self.rule_matches(series, dates):
                for slot in slots:
                    if slot in members:
                        occurrence = members[slot]
                        events.append((self.order.get(occurrence.uid, 0), self.single(occurrence, pair, series)))
                continue
            ref = f"{base}-{phase}" if many_phases and phase is not None else base
            uid = event_uid(ref, self.program.id, pair.id if pair else None)
            skipped = [(series.planned[s - 1], self.skip_reason(series, s)) for s in slots if s not in members]
            start = self.planned_moment(series, dates[0])
            length = dt.timedelta(minutes=series.minutes) if isinstance(start, dt.datetime) else dt.timedelta(days=1)
            end = start + length
            template = Occurrence(series.kind, uid, series.title, start, end, audience=series.audience, ref=series.ref,
                                  phase=phase, topics=first.topics, minutes=series.minutes)
            summary = self.summary(template, pair, phase)
            master = self.event(uid, summary, start, end, self.description(template, pair, series, phase, skipped), pair)
            master.add("rrule", self.rule(series, len(slots)))
            for day, _ in skipped:
                master.add("exdate", self.moment(self.planned_moment(series, day)))
            events.append((position, master))
            for slot in slots:
                moved = members.get(slot)
                if moved is None or not moved.moved:
                    continue
                override = self.event(uid, self.summary(moved, pair), moved.start, moved.end,
                                      self.description(moved, pair, series), pair)
                override.add("recurrence-id", self.moment(self.planned_moment(series, series.planned[slot - 1])))
                events.append((position, override))
        return events

    def skip_reason(self, series: Series, slot: int) -> str:
        day = series.planned[slot - 1]
        for adjustment in self.schedule.skipped:
            if adjustment.planned == day and adjustment.kind == series.kind and adjustment.uid.endswith(f"-{slot}"):
                return adjustment.reason
        return "no free day"

    def extent(self) -> tuple[dt.date, dt.date]:
        """The first and last day anything in the schedule touches, planned or actual."""
        days = [o.day for o in self.schedule.occurrences] + [o.last_day for o in self.schedule.occurrences]
        days += [d for series in self.schedule.series for d in series.planned]
        span = self.schedule.timeline.program
        if span is not None:
            days += [span.start, span.end]
        return min(days), max(days)

    def phase_of(self, day: dt.date) -> str | None:
        for phase_id, span in self.schedule.timeline.phases.items():
            if span.contains(day):
                return phase_id
        return None

    # calendars

    def calendar(self, name: str, events: list[tuple[int, "icalendar.Event"]], description: str | None = None) -> bytes:
        from icalendar import Calendar, vText

        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        # icalendar does not know these properties' type and would write them unescaped: they
        # are TEXT, so vText escapes commas, semicolons, backslashes and line breaks.
        calendar.add("x-wr-calname", vText(_line(name)))
        calendar.add("name", vText(_line(name)))
        if description and _text(description):
            calendar.add("x-wr-caldesc", vText(_text(description)))
        calendar.add("x-wr-timezone", self.program.timezone)
        ordered = [event for _, event in sorted(enumerate(events), key=lambda item: (item[1][0], item[0]))]
        timed = any(isinstance(e.decoded("dtstart"), dt.datetime) for _, e in events)
        if timed and not self.utc:
            first, last = self.extent()
            calendar.add_component(vtimezone(self.program.timezone, first, last))
        for _, event in ordered:
            calendar.add_component(event)
        data: bytes = calendar.to_ical()
        return data

    def items(self, kinds: Sequence[str], role: str | None = None) -> list[tuple[int, "icalendar.Event"]]:
        events: list[tuple[int, "icalendar.Event"]] = []
        for index, occurrence in enumerate(self.schedule.occurrences):
            if occurrence.kind in kinds and occurrence.kind not in MEETING_KINDS:
                if role is None or not occurrence.audience or role in occurrence.audience:
                    events.append((index, self.single(occurrence)))
        for series in self.schedule.series:
            if series.kind in kinds and (role is None or not series.audience or role in series.audience):
                events.extend(self.series_events(series))
        return events


def program_calendar(program: Program, schedule: ProgramSchedule | None = None) -> bytes:
    """Milestones, phase boundaries, training and survey windows, for everyone."""
    writer = _Writer(program, schedule or build_schedule(program))
    return writer.calendar(program.name, writer.items(PROGRAM_KINDS), program.description)


def meetings_calendar(program: Program, schedule: ProgramSchedule | None = None) -> bytes:
    """The pairs' sessions and the group sessions, with no names."""
    writer = _Writer(program, schedule or build_schedule(program))
    return writer.calendar(f"{program.name} - sessions", writer.items(MEETING_KINDS))


def role_calendar(program: Program, role: str, schedule: ProgramSchedule | None = None) -> bytes:
    """Everything one role takes part in: milestones, phases, its training, surveys, group sessions
    and, for the two sides of a pair, the pairs' sessions (without names: the calendar is the same
    for everyone in the role; pair calendars carry the names)."""
    writer = _Writer(program, schedule or build_schedule(program))
    return writer.calendar(f"{program.name} - {writer.labels.get(role, role)}",
                           writer.items(ROLE_KINDS, role))


def pair_calendar(program: Program, match: "Match", schedule: ProgramSchedule | None = None) -> bytes:
    """One pair's (or group's) own sessions, with the members' names in every event."""
    writer = _Writer(program, schedule or build_schedule(program))
    pair = Pair.of(match)
    events: list[tuple[int, "icalendar.Event"]] = []
    for series in writer.schedule.series:
        if series.kind == "session":
            events.extend(writer.series_events(series, pair))
    title = f"{program.name} - {pair.names}" if pair.names else program.name
    return writer.calendar(title, events)


def people_of(matches: "Iterable[Match]") -> list[tuple["Member", str, list["Match"]]]:
    """Everyone in the matches, once per role they take (by id, else name), with their matches,
    in the order they first appear: mentors before mentees within a match."""
    found: dict[tuple[str, str], tuple["Member", str, list["Match"]]] = {}
    for match in matches:
        for members, role in ((match.mentors, "mentor"), (match.mentees, "mentee")):
            for member in members:
                found.setdefault((member.id or member.name, role), (member, role, []))[2].append(match)
    return list(found.values())


def person_file_stems(people: "Iterable[tuple[str, str]]") -> list[str]:
    """A file name for each (id or name, role): the id made safe, and the role added when the same
    id comes again (a person in both roles) or two ids differ only in case. A person's handbook and
    their calendar share it."""
    used: set[str] = set()
    stems = []
    for text, role in people:
        stem = safe_name(text)
        if stem.casefold() in used:
            stem = distinct_name(f"{text}-{role}", used)
        else:
            used.add(stem.casefold())
        stems.append(stem)
    return stems


def person_calendar(program: Program, role: str, matches: "Sequence[Match]", name: str,
                    schedule: ProgramSchedule | None = None) -> bytes:
    """Everything one matched person attends: their role's milestones, phases, training, surveys
    and group sessions, and each of their pairs' sessions with the names.

    The sessions carry the pair calendars' UIDs and everything else the role calendar's, so
    importing this file as well as either of those adds nothing twice. It is meant instead of the
    role calendar: that one's sessions stand for every pair in the role (one event a slot, however
    many partners someone has), so they cannot share a UID with any one pair's session."""
    writer = _Writer(program, schedule or build_schedule(program))
    events = writer.items(tuple(k for k in ROLE_KINDS if k != "session"), role)
    for match in matches:
        pair = Pair.of(match)
        for series in writer.schedule.series:
            if series.kind == "session":
                events.extend(writer.series_events(series, pair))
    return writer.calendar(f"{program.name} - {_line(name)}" if _line(name) else program.name, events)


def distinct_name(text: str, used: set[str]) -> str:
    """`safe_name(text)`, made distinct from every name in `used` ignoring case, and added to it.

    `write_outputs` refuses two names that differ only in case (a case-insensitive file system
    would merge them), so `Ana-Ben` after `ana-ben` becomes `Ana-Ben-2`. Deterministic: the
    same texts in the same order give the same names.
    """
    name = safe_name(text)
    number = 1
    while name.casefold() in used:
        number += 1
        name = safe_name(f"{text}-{number}")
    used.add(name.casefold())
    return name


def pair_file_names(matches: "Iterable[Match]") -> list[str]:
    """`pairs/<match-id>.ics` for each match in order, no two the same ignoring case."""
    used: set[str] = set()
    return [f"pairs/{distinct_name(match.id, used)}.ics" for match in matches]


def calendar_files(program: Program, schedule: ProgramSchedule | None = None,
                   pairs: "PairsFile | Iterable[Match] | None" = None, roles: bool = True) -> dict[str, bytes]:
    """Every calendar of a program as `{relative path: content}` (see the module's docstring).

    `pairs` is a PairsFile (or its matches); each match gets `pairs/<match-id>.ics`. A calendar
    that would hold no event at all is left out. Raises CalendarTooLarge once the events' text
    passes `limits.CALENDAR_TEXT`, before building more.
    """
    token = _TEXT_SO_FAR.set([0])
    try:
        return _calendar_files(program, schedule, pairs, roles)
    finally:
        _TEXT_SO_FAR.reset(token)


def _calendar_files(program: Program, schedule: ProgramSchedule | None,
                    pairs: "PairsFile | Iterable[Match] | None", roles: bool) -> dict[str, bytes]:
    schedule = schedule or build_schedule(program)
    files = {
        "program.ics": program_calendar(program, schedule),
        "meetings.ics": meetings_calendar(program, schedule),
    }
    if roles:
        for role in sorted(program.roles):
            files[f"roles/{safe_name(role)}.ics"] = role_calendar(program, role, schedule)
    if pairs is not None:
        matches = list(pairs.matches if isinstance(pairs, PairsFile) else pairs)
        for match, name in zip(matches, pair_file_names(matches)):
            files[name] = pair_calendar(program, match, schedule)
        people = [p for p in people_of(matches) if p[1] in program.roles]
        for (member, role, own), stem in zip(people, person_file_stems((m.id or m.name, r) for m, r, _ in people)):
            files[f"people/{stem}.ics"] = person_calendar(program, role, own, member.name, schedule)
    # RFC 5545 wants at least one component in a calendar, and an empty file helps nobody.
    return {name: data for name, data in files.items() if b"\r\nBEGIN:VEVENT\r\n" in data}


__all__ = ["CalendarTooLarge", "MEETING_KINDS", "PROGRAM_KINDS", "ROLE_KINDS", "Pair", "calendar_files", "event_uid",
           "meetings_calendar", "distinct_name", "pair_calendar", "pair_file_names", "people_of", "person_calendar",
           "person_file_stems",
           "program_calendar", "role_calendar", "sequence_for", "stamp_for", "vtimezone"]
