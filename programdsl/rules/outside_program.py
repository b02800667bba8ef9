"""Phases and milestones fall within the program.

A phase that starts before the program or ends after it, a milestone dated outside it, or pair
sessions set to begin (`meetings.from`) outside it, promise participants something the program
does not run for.

Bad:
    schedule:
      start: 2026-01-05
      duration: 3 months
      phases:
        - {id: wrap-up, name: Wrap-up, start: 2026-03-16, end: 2026-04-30}

Good:
    schedule:
      start: 2026-01-05
      duration: 3 months
      phases:
        - {id: wrap-up, name: Wrap-up, start: 2026-03-16, end: 2026-04-04}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD304", "outside-program", Severity.ERROR,
                "A phase, a milestone or the start of the pair sessions falls outside the program's dates.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.timeline.program
    if program is None:
        return
    bounds = f"the program runs {program.start} to {program.end}"
    for phase in ctx.program.schedule.phases:
        span = ctx.timeline.phases.get(phase.id)
        if span is None:
            continue
        if span.start < program.start:
            where = phase.path + ("start",) if phase.start else phase.path
            yield CODE.at(ctx.span(where), f"phase '{phase.id}' starts {span.start}, before the program starts",
                          hint=bounds, path=where)
        if span.end > program.end:
            where = next((phase.path + (k,) for k in ("end", "duration") if getattr(phase, k) is not None), phase.path)
            yield CODE.at(ctx.span(where), f"phase '{phase.id}' ends {span.end}, after the program ends",
                          hint=f"{bounds}; shorten the phase or lengthen the program", path=where)
    for milestone in ctx.program.schedule.milestones:
        day = ctx.timeline.milestones.get(milestone.id)
        if day is not None and not program.contains(day):
            key = "date" if milestone.date else "week" if milestone.week else "phase"
            yield CODE.at(ctx.span(milestone.path + (key,)), f"milestone '{milestone.id}' falls on {day}, outside the program",
                          hint=bounds, path=milestone.path + (key,))
    begin = ctx.program.meetings.begin
    day = ctx.timeline.anchor_date(begin) if begin is not None else None
    if begin is not None and day is not None and not program.contains(day):
        yield CODE.at(ctx.span(begin.path), f"the pair sessions would begin on {day}, outside the program",
                      hint=f"{bounds}; point meetings.from at a milestone or phase inside it", path=begin.path)
