"""The one computation of a program's dates, shared by the validator and every output.

`timeline()` places the program, its phases and milestones on the calendar. It is forgiving:
anything it cannot place is left out (None), and the rules report why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import Anchor, Phase, Program

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


@dataclass(frozen=True)
class Adjustment:
    """A planned date that had to move (or was dropped), and why."""

    planned: dt.date
    actual: dt.date | None  # None: skipped
    reason: str


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

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start


@dataclass
class ProgramSchedule:
    timeline: Timeline
    occurrences: list[Occurrence]

    def of_kind(self, *kinds: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.kind in kinds]

    def for_role(self, role: str) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.audience or role in o.audience]
