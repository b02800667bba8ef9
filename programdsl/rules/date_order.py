"""Dates are in order and the program's length is known and at most ten years.

The program needs an end: give `schedule.duration` or `schedule.end` (a type preset usually
supplies a duration). When both are given they must agree. Every phase and blackout ends on or
after the day it starts, and every phase can be placed: a phase with no end or duration must be
the last one or be followed by a phase with a start date.

Bad:
    schedule:
      start: 2026-03-02
      duration: 6 months
      end: 2026-06-30

Good:
    schedule:
      start: 2026-03-02
      duration: 6 months   # ends 2026-09-01
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

MAX_DAYS = 3653  # ten years

CODE = register("PD303", "date-order", Severity.ERROR, "Dates out of order, contradicting, or missing.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))


def _last_day(ctx: Context) -> dt.date | None:
    """The program's last day by its duration, or None when that falls past 9999-12-31."""
    schedule = ctx.program.schedule
    if schedule.start is None or schedule.duration is None:
        return None
    try:
        return schedule.duration.last_day_from(schedule.start)
    except (OverflowError, ValueError):
        return None


def check(ctx: Context) -> Iterator[Diagnostic]:
    schedule = ctx.program.schedule
    path = schedule.path
    if schedule.start is not None:
        if schedule.end is None and schedule.duration is None:
            yield CODE.at(ctx.span(path, key=True), "the schedule has a start but neither a duration nor an end",
                          hint="add `duration: 6 months` (or the length you plan) or an `end` date", path=path)
        if schedule.end is not None and schedule.end < schedule.start:
            yield CODE.at(ctx.span(path + ("end",)), f"the program ends ({schedule.end}) before it starts ({schedule.start})",
                          hint="check the year and month of both dates", path=path + ("end",))
        elif schedule.end is not None and schedule.duration is not None:
            expected = _last_day(ctx)
            if expected is not None and expected != schedule.end:
                yield CODE.at(ctx.span(path + ("end",)),
                              f"end {schedule.end} does not match duration {schedule.duration} from {schedule.start}, which ends {expected}",
                              hint=f"remove one of them, or set end to {expected}", path=path + ("end",))
    for blackout in schedule.blackouts:
        if blackout.end < blackout.start:
            yield CODE.at(ctx.span(blackout.path + ("end",)), f"a blackout ends ({blackout.end}) before it starts ({blackout.start})",
                          hint="swap the two dates", path=blackout.path + ("end",))
    placed = ctx.timeline.phases
    span = None if ctx.dates_overflow else ctx.timeline.program
    if span is not None and span.days > MAX_DAYS:
        where = next((path + (k,) for k in ("end", "duration") if getattr(schedule, k) is not None), path)
        yield CODE.at(ctx.span(where), f"the program runs {span.days:,} days, more than the ten years a program may run",
                      hint="check the dates; a longer commitment is better run as successive programs", path=where)
        return
    if ctx.dates_overflow:
        runaway = schedule.start is not None and schedule.duration is not None and _last_day(ctx) is None
        where = path + ("duration",) if runaway else path
        yield CODE.at(ctx.span(where, key=where == path), "the schedule reaches past 9999-12-31, the last date a calendar can hold",
                      hint="check the start date, the durations and the milestone weeks", path=where)
        return
    phases = schedule.phases
    for index, phase in enumerate(phases):
        if phase.start is not None and phase.end is not None and phase.end < phase.start:
            yield CODE.at(ctx.span(phase.path + ("end",)), f"phase '{phase.id}' ends ({phase.end}) before it starts ({phase.start})",
                          hint="check the year and month of both dates", path=phase.path + ("end",))
            return
        if phase.end is not None and phase.duration is not None:
            yield CODE.at(ctx.span(phase.path + ("duration",), key=True), f"phase '{phase.id}' gives both an end and a duration",
                          hint="keep one of them", path=phase.path + ("duration",))
        if phase.id not in placed and ctx.timeline.program is not None:
            if all(earlier.id in placed for earlier in phases[:index]):
                yield CODE.at(ctx.span(phase.path, key=True), f"phase '{phase.id}' cannot be placed on the calendar",
                              hint="give it an end or a duration, or give the next phase a start date", path=phase.path)
            return
