"""Every phase that lists session topics has a pair session in it.

A phase's topics are what pairs talk about in the sessions that fall inside it. When the planned
sessions run out before a phase begins, or start after it ends, its topics appear in no agenda
and nobody notices until the program is over.

Bad:
    schedule:
      start: 2026-01-05
      duration: 6 months
      phases:
        - {id: settle-in, name: Settling in, duration: 3 months, topics: [Goals and ground rules]}
        - {id: reflect, name: Reflection and close, topics: [What each of us takes away]}
    meetings: {frequency: monthly, sessions: 3}

Good:
    schedule:
      start: 2026-01-05
      duration: 6 months
      phases:
        - {id: settle-in, name: Settling in, duration: 3 months, topics: [Goals and ground rules]}
        - {id: reflect, name: Reflection and close, topics: [What each of us takes away]}
    meetings: {frequency: monthly, sessions: 6}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..schedule import planned_session_dates
from .context import Context

CODE = register("PD318", "phase-without-sessions", Severity.WARNING,
                "A phase lists session topics, but no pair session falls in it.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    meetings = ctx.program.meetings
    if meetings.frequency is None:
        return
    planned = planned_session_dates(ctx.program, ctx.timeline)
    if meetings.sessions is not None:
        planned = planned[:meetings.sessions]
    if not planned:
        return
    when = f"the sessions run {planned[0]} to {planned[-1]}" if len(planned) > 1 else f"the one session is on {planned[0]}"
    for phase in ctx.program.schedule.phases:
        span = ctx.timeline.phases.get(phase.id)
        if not phase.topics or span is None or any(span.contains(day) for day in planned):
            continue
        path = phase.path + ("topics",)
        yield CODE.at(ctx.span(path, key=True),
                      f"phase '{phase.id}' ({span.start} to {span.end}) lists topics, but no pair session falls in it: {when}",
                      hint="plan more sessions, start them at this phase with meetings.from, or move the topics "
                           "to a phase that has sessions", path=path)
