"""The one computation of a program's dates, shared by the validator and every output.

`timeline()` places the program, its phases and milestones on the calendar. It is forgiving:
anything it cannot place is left out (None), and the rules report why.

`build_schedule()` turns the timeline into every dated thing participants are told about:
milestones, phase boundaries, training, survey windows, the pairs' sessions and group
sessions, each moved off days on which nothing may happen (non-working days, public holidays,
blackouts) with the reason recorded. Calendars, the charter and the handbooks all read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from . import limits
from .model import PAIR_ROLES, WEEKDAY_NAMES, WEEKDAYS, Anchor, Duration, Phase, Program, TrainingModule, add_months
from .zones import zone

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """An inclusive range of days."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Timeline:
    program: Span | None
    phases: dict[str, Span] = field(default_factory=dict)
    milestones: dict[str, dt.date] = field(default_factory=dict)

    def anchor_date(self, anchor: Anchor) -> dt.date | None:
        base: dt.date | None = None
        if anchor.milestone is not None:
            base = self.milestones.get(anchor.milestone)
        elif anchor.phase is not None:
            span = self.phases.get(anchor.phase)
            if span is not None:
                base = span.start if anchor.edge == "start" else span.end
        return base + dt.timedelta(days=anchor.offset_days) if base is not None else None


def program_span(program: Program) -> Span | None:
    schedule = program.schedule
    if schedule.start is None:
        return None
    if schedule.end is not None:
        end = schedule.end
    elif schedule.duration is not None:
        end = schedule.duration.last_day_from(schedule.start)
    else:
        return None
    return Span(schedule.start, end) if end >= schedule.start else None


def _phase_spans(phases: tuple[Phase, ...], program: Span | None) -> dict[str, Span]:
    spans: dict[str, Span] = {}
    previous_end: dt.date | None = None
    for index, phase in enumerate(phases):
        start = phase.start or (previous_end + ONE_DAY if previous_end else (program.start if program else None))
        if start is None:
            break
        if phase.end is not None:
            end = phase.end
        elif phase.duration is not None:
            end = phase.duration.last_day_from(start)
        else:
            following = phases[index + 1].start if index + 1 < len(phases) else None
            if following is not None:
                end = following - ONE_DAY
            elif index + 1 == len(phases) and program is not None:
                end = program.end
            else:
                break  # an open-ended phase in the middle: the phase-dates rule reports it
        if end < start:
            break
        spans[phase.id] = Span(start, end)
        previous_end = end
    return spans


def timeline(program: Program) -> Timeline:
    span = program_span(program)
    result = Timeline(program=span, phases=_phase_spans(program.schedule.phases, span))
    for milestone in program.schedule.milestones:
        day: dt.date | None = None
        if milestone.date is not None:
            day = milestone.date
        elif span is not None and milestone.week is not None:
            day = span.start + dt.timedelta(weeks=milestone.week - 1)
        elif span is not None and milestone.at is not None:
            day = {"start": span.start, "end": span.end,
                   "midpoint": span.start + dt.timedelta(days=(span.end - span.start).days // 2)}[milestone.at]
        elif milestone.phase is not None and milestone.phase in result.phases:
            phase = result.phases[milestone.phase]
            day = phase.start if milestone.edge == "start" else phase.end
        if day is not None:
            result.milestones.setdefault(milestone.id, day)
    return result


# --- The dated schedule every output shares (calendars, charter, handbooks) -----------------
# `build_schedule()` expands the timeline into concrete occurrences: kickoff and other milestones,
# phase boundaries, training sessions, each pair meeting, group sessions and survey windows,
# honouring the time zone, working days, public holidays and blackouts.

WEEKS_PER_STEP = {"weekly": 1, "biweekly": 2}
MONTHS_PER_STEP = {"monthly": 1, "bimonthly": 2, "quarterly": 3}
SESSION_TITLES = {
    "traditional": "Mentoring session",
    "reverse": "Reverse mentoring session",
    "reciprocal": "Reciprocal mentoring session",
    "peer": "Peer mentoring session",
    "near-peer": "Near-peer mentoring session",
    "flash": "Flash mentoring session",
    "group": "Mentoring circle",
    "skill-swap": "Skill swap session",
    "shadow-board": "Shadow board meeting",
    "reverse-shadowing": "Shadowing session",
}
DEFAULT_MINUTES = 60
# How far a training date or a survey opening may move to find a free day.
SEARCH_DAYS = 31
# Group sessions begin this long after the pairs' first session, so supervision follows practice.
GROUP_DELAY = dt.timedelta(days=14)
# A series with no fixed number of sessions stops here however long the program (20 years weekly).
MAX_SLOTS = 1100
KIND_ORDER = {k: i for i, k in enumerate(
    ("phase-start", "milestone", "training", "survey", "session", "group-session", "phase-end"))}


class ScheduleError(ValueError):
    """The program cannot be placed on the calendar (an unknown time zone or holiday calendar,
    or more dated items than `limits.OCCURRENCES`). `code` is set for a limit."""

    def __init__(self, message: str, code: str | None = None, occurrence: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.occurrence = occurrence  # the dated item that crossed a limit
        self.path: tuple[Any, ...] = ()  # where the program defines its series (build_schedule sets it)


class _Bounded(list):  # type: ignore[type-arg]
    """The schedule's occurrences, refused past `limit` while they are made (ten thousand daily
    group sessions would otherwise take minutes and gigabytes before anything could object)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, item: Any) -> None:
        if len(self) >= self.limit:
            raise ScheduleError(f"the schedule expands to more than {self.limit:,} dated items (sessions, surveys, "
                                "milestones, training), the limit for one program; run fewer or less frequent "
                                "recurring sessions, or split the program", code="PD031", occurrence=item)
        super().append(item)


@dataclass(frozen=True)
class Adjustment:
    """A planned date that had to move (or was dropped), and why."""

    planned: dt.date
    actual: dt.date | None  # None: skipped
    reason: str
    uid: str = ""  # the occurrence's uid (for a skipped one, the uid it would have had)
    title: str = ""  # what moved, as participants know it, e.g. "Reverse mentoring session"
    kind: str = ""  # the occurrence kind, as in Occurrence.kind

    @property
    def skipped(self) -> bool:
        return self.actual is None


@dataclass(frozen=True)
class Occurrence:
    """One dated thing participants are told about."""

    kind: str  # milestone | phase-start | phase-end | training | session | group-session | survey
    uid: str  # stable within the program: re-imported calendars update rather than duplicate
    title: str
    start: dt.datetime | dt.date  # aware datetime in the program's zone, or a date for all-day items
    end: dt.datetime | dt.date  # exclusive end for all-day items, as in iCalendar
    audience: tuple[str, ...] = ()  # role ids; empty means everyone
    ref: str | None = None  # id of the milestone, phase, training module, survey or group session
    number: int | None = None  # 1-based number of a session within its series
    phase: str | None = None  # id of the phase the occurrence falls in
    topics: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    slot: int | None = None  # for series members: 1-based index into Series.planned
    minutes: int | None = None  # planned length (training modules and meetings)
    description: str | None = None  # the milestone's, phase's, module's or survey's own description

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    @property
    def last_day(self) -> dt.date:
        """The last day the occurrence covers (inclusive)."""
        if isinstance(self.end, dt.datetime):
            return self.end.date()
        return max(self.end - ONE_DAY, self.day)

    @property
    def planned(self) -> dt.date:
        """The day it was planned for before any move."""
        return self.adjustments[0].planned if self.adjustments else self.day

    @property
    def moved(self) -> bool:
        return bool(self.adjustments)


@dataclass(frozen=True)
class Series:
    """A recurring meeting: the pairs' sessions (ref "sessions") or one group session series.

    `planned` holds every nominal date of the rule in order, including dates that were skipped
    or moved; the rule is exactly: every `interval` weeks on `weekday` (weekly kinds), or every
    `interval` months on the `ordinal`-th `weekday` of the month (monthly kinds; -1 = last).
    """

    kind: str  # session | group-session
    ref: str
    title: str
    frequency: str
    weekday: int  # 0 = Monday
    ordinal: int | None  # monthly kinds only: 1-4, or -1 for the last such weekday
    interval: int  # weeks (weekly kinds) or months (monthly kinds); 0 for `once`
    planned: tuple[dt.date, ...]
    time: dt.time | None  # local start time; None: all-day items
    minutes: int
    audience: tuple[str, ...]
    target: int | None  # sessions asked for, if the program fixes the number

    @property
    def unit(self) -> str:
        return "once" if self.frequency == "once" else "week" if self.frequency in WEEKS_PER_STEP else "month"


@dataclass
class ProgramSchedule:
    timeline: Timeline
    occurrences: list[Occurrence]
    timezone: str = "UTC"
    series: list[Series] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)  # every move and skip, by planned date

    def of_kind(self, *kinds: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.kind in kinds]

    def for_role(self, role: str) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.audience or role in o.audience]

    def in_series(self, series: Series) -> list[Occurrence]:
        return [o for o in self.occurrences if o.kind == series.kind and o.ref == series.ref]

    @property
    def skipped(self) -> list[Adjustment]:
        return [a for a in self.adjustments if a.actual is None]

    @property
    def moved(self) -> list[Adjustment]:
        return [a for a in self.adjustments if a.actual is not None]


# --- Days on which nothing may be scheduled ---------------------------------------------------


def holiday_language(supported: tuple[str, ...], default: str | None, locale: str) -> str | None:
    """The holiday names' language closest to the program's locale (English when it has no match)."""
    tag = locale.replace("-", "_")
    language = tag.split("_")[0]
    for candidate in (tag, language):
        if candidate in supported:
            return candidate
    for options in ([s for s in supported if s.split("_")[0] == language], [s for s in supported if s.startswith("en")]):
        if options:
            return sorted(options)[0] if default not in options else default
    return default


@lru_cache(maxsize=64)
def holiday_calendar(country: str, subdivision: str | None, locale: str = "en-GB") -> Any:
    """The `holidays` calendar for a country and subdivision (imported only when a program asks).

    Raises ScheduleError for a country or subdivision the `holidays` package does not know.
    """
    import holidays  # lazy: importing it costs time every program without holidays would pay

    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision)
        language = holiday_language(tuple(getattr(calendar, "supported_languages", ()) or ()),
                                    getattr(calendar, "default_language", None), locale)
        # Asked for explicitly even when it is the default: names are written in the default
        # language only when it is requested ("Labour Day" in en_AU, "Labor Day" otherwise).
        if language is not None:
            calendar = holidays.country_holidays(country, subdiv=subdivision, language=language)
    except NotImplementedError as error:
        where = f"{country}-{subdivision}" if subdivision else country
        raise ScheduleError(f"no public holiday calendar for '{where}' ({error})") from error
    return calendar


def check_holidays(country: str, subdivision: str | None) -> str | None:
    """Why the holiday calendar cannot be used, or None when it can (for a validation rule)."""
    try:
        holiday_calendar(country, subdivision)
    except ScheduleError as error:
        return str(error)
    return None


class Days:
    """Which days are free for scheduling, and why the others are not."""

    def __init__(self, program: Program) -> None:
        schedule = program.schedule
        self.working = frozenset(WEEKDAYS.index(day) for day in schedule.working_days)
        self.blackouts = tuple(sorted(schedule.blackouts, key=lambda b: (b.start, b.end)))
        self.country = schedule.holiday_country
        country, subdivision = schedule.holiday_country, schedule.holiday_subdivision
        self.region = f"{country}-{subdivision}" if subdivision else country
        self.holidays = (holiday_calendar(schedule.holiday_country, schedule.holiday_subdivision, program.locale)
                         if schedule.holiday_country else None)
        self._memo: dict[dt.date, str | None] = {}

    def blocked(self, day: dt.date) -> str | None:
        """Why nothing can be scheduled on `day`, or None when it is free."""
        if day in self._memo:
            return self._memo[day]
        # A blackout explains a long move best, so it comes before a holiday inside it.
        reason: str | None = None
        for blackout in self.blackouts:
            if blackout.start <= day <= blackout.end:
                period = f"blackout {blackout.start} to {blackout.end}"
                reason = f"{blackout.reason.rstrip('.')} ({period})" if blackout.reason else period.capitalize()
                break
        name = self.holidays.get(day) if self.holidays is not None and reason is None else None
        if name:
            reason = f"{name} ({self.region} public holiday)"
        if reason is None and day.weekday() not in self.working:
            reason = f"{WEEKDAY_NAMES[day.weekday()]} is not a working day"
        self._memo[day] = reason
        return reason

    def place(self, planned: dt.date, limit: dt.date, step: int = 1) -> tuple[dt.date | None, str | None]:
        """The first free day from `planned` towards `limit` (inclusive; step -1 searches backwards),
        and why `planned` itself was not free (None when it was)."""
        reason = self.blocked(planned)
        if reason is None:
            return planned, None
        day = planned
        while (day < limit) if step > 0 else (day > limit):
            day = shift(day, step)
            if self.blocked(day) is None:
                return day, reason
        return None, reason


# --- Recurrence ----------------------------------------------------------------------------------


def shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, stopping at the first and last representable dates."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _following(dates: Iterator[dt.date]) -> dt.date | None:
    try:
        return next(dates, None)
    except (OverflowError, ValueError):  # before 0001-01-01 or past 9999-12-31
        return None


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> dt.date:
    """The `ordinal`-th `weekday` of a month (1-4), or the last one (-1)."""
    if ordinal > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    last = add_months(dt.date(year, month, 1), 1) - ONE_DAY
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def monthly_ordinal(day: dt.date) -> int:
    """Which of the month's weekdays `day` is: 1-4, or -1 for a fifth (always the last)."""
    ordinal = (day.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def nominal_dates(first: dt.date, frequency: str) -> Iterator[dt.date]:
    """The series' planned dates from `first` on: endless, except for `once`."""
    yield first
    if frequency == "once":
        return
    if frequency in WEEKS_PER_STEP:
        step = dt.timedelta(weeks=WEEKS_PER_STEP[frequency])
        day = first
        while True:
            day += step
            yield day
    months, ordinal = MONTHS_PER_STEP[frequency], monthly_ordinal(first)
    count = 0
    while True:
        count += 1
        month_start = add_months(dt.date(first.year, first.month, 1), months * count)
        yield nth_weekday(month_start.year, month_start.month, first.weekday(), ordinal)


def series_start(program: Program, timeline: Timeline) -> tuple[dt.date, int] | None:
    """Where recurring meetings begin (`meetings.from`, else the kickoff, else the program's first
    day) and on which weekday."""
    span = timeline.program
    if span is None:
        return None
    meetings = program.meetings
    base = span.start
    chosen = timeline.anchor_date(meetings.begin) if meetings.begin is not None else None
    if chosen is not None and span.contains(chosen):
        base = chosen
    else:
        for milestone in program.schedule.milestones:
            day = timeline.milestones.get(milestone.id)
            if milestone.kind == "kickoff" and day is not None and span.contains(day):
                base = day
                break
    if meetings.day_of_week is not None:
        weekday = WEEKDAYS.index(meetings.day_of_week)
    else:
        working = {WEEKDAYS.index(day) for day in program.schedule.working_days}
        weekday = next((d.weekday() for d in (base + dt.timedelta(days=i) for i in range(7)) if d.weekday() in working),
                       base.weekday())
    return base, weekday


def first_session(base: dt.date, weekday: int) -> dt.date:
    """The first meeting: the series' weekday on or after its start."""
    return base + dt.timedelta(days=(weekday - base.weekday()) % 7)


def planned_session_dates(program: Program, timeline: Timeline) -> list[dt.date]:
    """The pair meetings' planned dates inside the program, before any move (at most MAX_SLOTS)."""
    start = series_start(program, timeline)
    frequency = program.meetings.frequency
    if start is None or frequency is None or timeline.program is None:
        return []
    dates: list[dt.date] = []
    for day in nominal_dates(first_session(*start), frequency):
        if day > timeline.program.end or len(dates) >= MAX_SLOTS:
            break
        dates.append(day)
    return dates


def training_dates(program: Program, timeline: Timeline, module: TrainingModule) -> list[dt.date]:
    """Every planned date of a training module, before any move: its `when`, and with `repeat`,
    each `every` after it while the program runs, or the same offset from each milestone of the
    kind `repeat.each` names (in date order, without duplicates)."""
    if module.when is None:
        return []
    first = timeline.anchor_date(module.when)
    repeat, span = module.repeat, timeline.program
    if first is None:
        return []
    if repeat is None or span is None:
        return [first]
    if repeat.each is not None:
        offset = dt.timedelta(days=module.when.offset_days)
        days = {first} | {timeline.milestones[m.id] + offset for m in program.schedule.milestones
                          if m.kind == repeat.each and m.id in timeline.milestones}
        return sorted(days)
    assert repeat.every is not None
    dates = [first]
    for count in range(1, MAX_SLOTS):
        try:
            following = Duration(repeat.every.amount * count, repeat.every.unit).after(first)
        except (OverflowError, ValueError):
            break
        if following > span.end:
            break
        dates.append(following)
    return dates


# --- The computation ----------------------------------------------------------------------------


def _zone(name: str) -> dt.tzinfo:
    found = zone(name)
    if found is None:
        raise ScheduleError(f"'{name}' is not a known time zone")
    return found


def _time(text: str | None) -> dt.time | None:
    if not text:
        return None
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


class _Builder:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.timeline = timeline(program)
        self.zone = _zone(program.timezone)
        self.days = Days(program)
        self.occurrences: list[Occurrence] = _Bounded(limits.OCCURRENCES)
        self.adjustments: list[Adjustment] = []
        self.series: list[Series] = []
        self.phases = {p.id: p for p in program.schedule.phases}

    # helpers

    def phase_at(self, day: dt.date) -> str | None:
        for phase_id, span in self.timeline.phases.items():
            if span.contains(day):
                return phase_id
        return None

    def topics_at(self, day: dt.date) -> tuple[str, ...]:
        phase = self.phase_at(day)
        return self.phases[phase].topics if phase is not None else ()

    def moment(self, day: dt.date, time: dt.time | None, minutes: int) -> tuple[dt.datetime | dt.date, dt.datetime | dt.date]:
        if time is None:
            return day, day + ONE_DAY
        start = dt.datetime.combine(day, time, tzinfo=self.zone)
        # Wall-clock arithmetic: an hour-long session that crosses a clock change still lasts an hour
        # of local time, which is how people plan it.
        return start, start + dt.timedelta(minutes=minutes)

    def adjust(self, planned: dt.date, actual: dt.date | None, reason: str, uid: str, title: str, kind: str) -> Adjustment:
        adjustment = Adjustment(planned, actual, reason, uid, title, kind)
        self.adjustments.append(adjustment)
        return adjustment

    # parts

    def milestones_and_phases(self) -> None:
        for milestone in self.program.schedule.milestones:
            day = self.timeline.milestones.get(milestone.id)
            if day is None:
                continue
            self.occurrences.append(Occurrence(
                "milestone", f"milestone-{milestone.id}", milestone.name, day, day + ONE_DAY,
                ref=milestone.id, phase=self.phase_at(day), description=milestone.description))
        for phase in self.program.schedule.phases:
            span = self.timeline.phases.get(phase.id)
            if span is None:
                continue
            for kind, day in (("phase-start", span.start), ("phase-end", span.end)):
                title = f"{phase.name} {'begins' if kind == 'phase-start' else 'ends'}"
                self.occurrences.append(Occurrence(
                    kind, f"phase-{phase.id}-{kind.split('-')[1]}", title, day, day + ONE_DAY,
                    ref=phase.id, phase=phase.id, topics=phase.topics if kind == "phase-start" else (),
                    description=phase.description))

    def training(self) -> None:
        for module in self.program.training:
            if module.when is None:
                continue
            dates = training_dates(self.program, self.timeline, module)
            for number, planned in enumerate(dates, start=1):
                uid = f"training-{module.id}" if number == 1 else f"training-{module.id}-{number}"
                # Preparation before its anchor moves earlier, so it still comes first; anything else moves later.
                step = -1 if module.when.offset_days < 0 else 1
                day, reason = self.days.place(planned, shift(planned, step * SEARCH_DAYS), step)
                adjustments: tuple[Adjustment, ...] = ()
                if reason is not None:
                    adjustments = (self.adjust(planned, day, reason, uid, module.title, "training"),)
                if day is None:
                    continue
                self.occurrences.append(Occurrence(
                    "training", uid, module.title, day, day + ONE_DAY, audience=module.audience, ref=module.id,
                    number=number if len(dates) > 1 else None, phase=self.phase_at(day), topics=module.topics,
                    adjustments=adjustments, minutes=module.minutes, description=module.description))

    def surveys(self) -> None:
        span = self.timeline.program
        for survey in self.program.surveys:
            first = self.timeline.anchor_date(survey.when)
            if first is None:
                continue
            pulses = [first]
            if survey.repeat_every is not None and span is not None:
                count = 1
                while True:
                    step = survey.repeat_every
                    try:
                        nxt = Duration(step.amount * count, step.unit).after(first)
                    except (OverflowError, ValueError):
                        break
                    if nxt > span.end or nxt <= pulses[-1] or len(pulses) >= MAX_SLOTS:
                        break
                    pulses.append(nxt)
                    count += 1
            window = dt.timedelta(days=survey.open_days or 1)
            for index, planned in enumerate(pulses):
                number = index + 1
                uid = f"survey-{survey.id}" if number == 1 else f"survey-{survey.id}-{number}"
                limit = pulses[index + 1] - ONE_DAY if index + 1 < len(pulses) else shift(planned, SEARCH_DAYS)
                inside = span is not None and span.contains(planned)
                if inside:
                    assert span is not None
                    limit = min(limit, span.end)
                day, reason = self.days.place(planned, limit)
                if day is None and inside:  # at the very end: open on the last free day instead
                    assert span is not None
                    earliest = max(span.start, shift(pulses[index - 1], 1)) if index else span.start
                    day, _ = self.days.place(planned, earliest, step=-1)
                adjustments: tuple[Adjustment, ...] = ()
                if reason is not None:
                    adjustments = (self.adjust(planned, day, reason, uid, survey.title, "survey"),)
                if day is None:
                    continue
                self.occurrences.append(Occurrence(
                    "survey", uid, survey.title, day, shift(day, window.days), audience=survey.audience, ref=survey.id,
                    number=number if len(pulses) > 1 else None, phase=self.phase_at(day),
                    adjustments=adjustments, description=survey.description))

    def series_start(self) -> tuple[dt.date, int] | None:
        return series_start(self.program, self.timeline)

    def recurring(self, kind: str, ref: str, uid_prefix: str, title: str, frequency: str, target: int | None,
                  first: dt.date, time: dt.time | None, minutes: int, audience: tuple[str, ...]) -> None:
        span = self.timeline.program
        assert span is not None
        planned: list[dt.date] = []
        held = 0
        dates = nominal_dates(first, frequency)
        nominal = next(dates)
        most = 2 * target if target is not None else MAX_SLOTS  # room to make up skipped sessions, never endless
        while nominal <= span.end and (target is None or held < target) and len(planned) < most:
            following = _following(dates)
            slot = len(planned) + 1
            planned.append(nominal)
            uid = f"{uid_prefix}-{slot}"
            limit = min(following - ONE_DAY, span.end) if following is not None else span.end
            day, reason = self.days.place(nominal, limit)
            if reason is not None:
                adjustment = self.adjust(nominal, day, reason, uid, title, kind)
            if day is not None:
                held += 1
                start, end = self.moment(day, time, minutes)
                self.occurrences.append(Occurrence(
                    kind, uid, title, start, end, audience=audience, ref=ref, number=held,
                    phase=self.phase_at(day), topics=self.topics_at(day) if kind == "session" else (),
                    adjustments=(adjustment,) if reason is not None else (), slot=slot, minutes=minutes))
            if following is None:
                break
            nominal = following
        if target is not None and held < target and frequency != "once":
            # The sessions the program asks for that no longer fit: recorded, never placed.
            beyond: dt.date | None = nominal
            for missing in range(held + 1, target + 1):
                day = beyond or dt.date.max
                why = (f"would fall after the program ends on {span.end}" if day > span.end
                       else "could not be placed: too many of the series' dates are days off")
                self.adjust(day, None, f"session {missing} of {target} {why}",
                            f"{uid_prefix}-{len(planned) + missing - held}", title, kind)
                beyond = _following(dates)
        ordinal = monthly_ordinal(first) if frequency in MONTHS_PER_STEP else None
        interval = WEEKS_PER_STEP.get(frequency) or MONTHS_PER_STEP.get(frequency) or 0
        self.series.append(Series(kind, ref, title, frequency, first.weekday(), ordinal, interval, tuple(planned),
                                  time, minutes, audience, target))

    def meetings(self) -> None:
        start = self.series_start()
        if start is None:
            return
        first = first_session(*start)
        meetings = self.program.meetings
        audience = tuple(r for r in PAIR_ROLES if r in self.program.roles)
        if meetings.frequency is not None:
            self.recurring("session", "sessions", "session", SESSION_TITLES.get(self.program.type, "Mentoring session"),
                           meetings.frequency, meetings.sessions, first, _time(meetings.time),
                           meetings.minutes or DEFAULT_MINUTES, audience)
        span = self.timeline.program
        assert span is not None
        group_first = first + GROUP_DELAY if first + GROUP_DELAY <= span.end else first
        for group in meetings.group_sessions:
            # The format gives group sessions no time of their own: they are all-day items whose
            # hour the coordinator sends, so they never collide with the pairs' own sessions.
            self.recurring("group-session", group.id, f"group-{group.id}", group.name, group.frequency,
                           group.sessions, group_first, None, group.minutes or DEFAULT_MINUTES, group.audience)

    def build(self) -> ProgramSchedule:
        self.milestones_and_phases()
        self.training()
        self.surveys()
        self.meetings()
        self.occurrences.sort(key=_order)
        self.adjustments.sort(key=lambda a: (a.planned, KIND_ORDER.get(a.kind, 99), a.uid))
        return ProgramSchedule(self.timeline, self.occurrences, self.program.timezone, self.series, self.adjustments)


def _order(occurrence: Occurrence) -> tuple[Any, ...]:
    start = occurrence.start
    clock = (start.hour, start.minute) if isinstance(start, dt.datetime) else (-1, -1)
    return (occurrence.day, clock, KIND_ORDER.get(occurrence.kind, 99), occurrence.uid)


def build_schedule(program: Program) -> ProgramSchedule:
    """Every dated thing in the program, in date order: milestones, phase boundaries, training,
    survey windows, the pairs' sessions and group sessions.

    Meetings fall on `meetings.dayOfWeek` (else the weekday of the kickoff, or of the first
    working day after it) at `meetings.time` in the program's zone; without a time they are
    all-day items. Weekly kinds repeat every one or two weeks; monthly kinds on the same weekday
    of the month (the first Tuesday, the last Friday...). A date that falls on a day off (not a
    working day, a public holiday or a blackout) moves to the next free day before the following
    planned date, or is skipped; with a fixed number of sessions a skipped one is made up at the
    end of the series while the program lasts. Every move and skip is recorded with its reason.

    Raises ScheduleError when the time zone or the holiday calendar is unknown. A program without
    a start date gives an empty schedule.
    """
    try:
        return _Builder(program).build()
    except ScheduleError as error:
        if error.occurrence is not None:
            error.path = _series_path(program, error.occurrence)
        raise
    except OverflowError as error:
        raise ScheduleError(f"the program's dates reach outside the years 1 to 9999 ({error})") from error


def _series_path(program: Program, occurrence: Occurrence) -> tuple[Any, ...]:
    """Where the program defines the series `occurrence` belongs to, for locating a problem with it."""
    kind, ref = occurrence.kind, occurrence.ref
    by_kind: dict[str, list[Any]] = {
        "milestone": list(program.schedule.milestones),
        "phase-start": list(program.schedule.phases),
        "phase-end": list(program.schedule.phases),
        "training": list(program.training),
        "survey": list(program.surveys),
        "group-session": list(program.meetings.group_sessions),
    }
    for item in by_kind.get(kind, []):
        if getattr(item, "id", None) == ref:
            return tuple(item.path)
    return (*program.meetings.path, "frequency")  # the pairs' own sessions
