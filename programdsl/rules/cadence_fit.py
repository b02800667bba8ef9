"""The meeting cadence fits the program's length.

The planned number of sessions must fit between the first session (at `meetings.from`, else the
kickoff, on the meeting weekday) and the program's last day at the chosen frequency, and a single-meeting frequency cannot hold several sessions. The same holds for
group sessions such as mentor supervision.

Bad:
    schedule: {start: 2026-01-05, duration: 6 months}
    meetings: {frequency: monthly, sessions: 12}

Good:
    schedule: {start: 2026-01-05, duration: 6 months}
    meetings: {frequency: monthly, sessions: 6}
"""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import FREQUENCY_DAYS
from ..schedule import planned_session_dates
from .context import Context

CODE = register("PD306", "cadence-fit", Severity.ERROR, "The meeting cadence does not fit the program's length.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))


def capacity(days: int, frequency: str) -> int:
    """How many meetings fit in `days` days when the first is on day one."""
    if frequency == "once":
        return 1
    return int((days - 1) / FREQUENCY_DAYS[frequency]) + 1


def _fit(ctx: Context, what: str, frequency: str | None, sessions: int | None, path: tuple[Any, ...],
         room: int | None = None) -> Iterator[Diagnostic]:
    """`room`: how many meetings the schedule can place, when known exactly."""
    program = ctx.timeline.program
    if program is None or frequency is None:
        return
    if frequency == "once" and sessions is not None and sessions > 1:
        yield CODE.at(ctx.span(path + ("sessions",)), f"{what} happen once, yet {sessions} sessions are planned",
                      hint="choose a recurring frequency, or plan one session", path=path + ("sessions",))
        return
    if room is None:
        room = capacity(program.days, frequency)
    if sessions is not None and sessions > room:
        yield CODE.at(ctx.span(path + ("sessions",)),
                      f"{sessions} {frequency} {what} do not fit in the program's {program.days} days; at most {room} do",
                      hint=f"plan {room} sessions, meet more often, or lengthen the program", path=path + ("sessions",))
    elif sessions is None and room < 2 and frequency != "once":
        yield CODE.at(ctx.span(path + ("frequency",)),
                      f"{what} are {frequency}, but the program's {program.days} days leave room for only one",
                      hint="meet more often, or set the frequency to once", path=path + ("frequency",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    meetings = ctx.program.meetings
    # Pair sessions follow the schedule's own dates (from the kickoff, on the meeting weekday), so
    # the charter can never promise more sessions than the calendar holds.
    room = len(planned_session_dates(ctx.program, ctx.timeline)) if meetings.frequency else None
    yield from _fit(ctx, "sessions", meetings.frequency, meetings.sessions, meetings.path, room)
    for group in meetings.group_sessions:
        yield from _fit(ctx, f"'{group.id}' meetings", group.frequency, group.sessions, group.path)
        if group.minimum_attendance and group.sessions and group.minimum_attendance > group.sessions:
            yield CODE.at(ctx.span(group.path + ("minimumAttendance",)),
                          f"attendance of {group.minimum_attendance} is required, but only {group.sessions} '{group.id}' meetings are planned",
                          hint="lower minimumAttendance or plan more meetings", path=group.path + ("minimumAttendance",))
