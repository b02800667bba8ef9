"""Milestones and the start of the sessions fall on days people can attend.

A milestone dated on a public holiday or inside a blackout, or pair sessions set to begin on
one, names a day on which the program itself says nothing happens. Sessions, training and
surveys planned on such days are moved by the schedule; milestones are dates the file fixes, so
move them yourself.

Bad:
    schedule:
      start: 2026-01-05
      holidays: {country: GB, subdivision: ENG}
      milestones:
        - {id: midpoint, name: Midpoint review, kind: midpoint, date: 2026-04-06}

Good:
    schedule:
      start: 2026-01-05
      holidays: {country: GB, subdivision: ENG}
      milestones:
        - {id: midpoint, name: Midpoint review, kind: midpoint, date: 2026-04-07}
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..schedule import ScheduleError, holiday_calendar
from .context import Context

CODE = register("PD353", "on-day-off", Severity.WARNING,
                "A milestone, or the start of the sessions, falls on a public holiday or in a blackout.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.program
    schedule = program.schedule
    calendar: Any = None
    if schedule.holiday_country:
        try:
            calendar = holiday_calendar(schedule.holiday_country, schedule.holiday_subdivision, program.locale)
        except ScheduleError:
            calendar = None  # unknown-holidays reports it

    def why(day: dt.date) -> str | None:
        for blackout in schedule.blackouts:
            if blackout.start <= day <= blackout.end:
                return f"inside the blackout {blackout.start} to {blackout.end}"
        name = calendar.get(day) if calendar is not None else None
        return f"on {name}, a public holiday" if name else None

    for milestone in schedule.milestones:
        day = ctx.timeline.milestones.get(milestone.id)
        reason = why(day) if day is not None else None
        if reason:
            key = next(k for k, v in (("date", milestone.date), ("week", milestone.week), ("at", milestone.at),
                                      ("phase", milestone.phase), ("id", True)) if v)
            path = milestone.path + (key,)
            yield CODE.at(ctx.span(path), f"milestone '{milestone.id}' falls on {day}, {reason}",
                          hint="move it to a day when people are at work", path=path)
    begin = program.meetings.begin
    day = ctx.timeline.anchor_date(begin) if begin is not None else None
    reason = why(day) if day is not None else None
    if begin is not None and reason:
        yield CODE.at(ctx.span(begin.path), f"the pair sessions are set to begin on {day}, {reason}",
                      hint="change `meetings.from` (its `offsetDays`)", path=begin.path)
