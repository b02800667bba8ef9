"""The preferred meeting day is a working day.

Sessions on `meetings.dayOfWeek` that is not in `schedule.workingDays` can never happen on that
day: every one of them would be moved, so the calendar would not show the rhythm the program
promises.

Bad:
    schedule: {workingDays: [mon, tue, wed, thu, fri]}
    meetings: {frequency: weekly, dayOfWeek: sat}

Good:
    schedule: {workingDays: [mon, tue, wed, thu, fri]}
    meetings: {frequency: weekly, dayOfWeek: thu}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD317", "meeting-day-not-working", Severity.WARNING, "Meetings are planned on a day that is not a working day.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    day = ctx.program.meetings.day_of_week
    working = ctx.program.schedule.working_days
    if day is None or day in working:
        return
    path = ctx.program.meetings.path + ("dayOfWeek",)
    yield CODE.at(ctx.span(path), f"meetings are planned on {day}, which is not one of the working days ({', '.join(working)})",
                  hint="choose a working day, or add this day to schedule.workingDays", path=path)
