"""Phases do not overlap.

Each day of the program belongs to at most one phase, so a session's topics are never in doubt.

Bad:
    schedule:
      phases:
        - {id: discover, name: Discover, start: 2026-01-05, end: 2026-02-15}
        - {id: practise, name: Practise, start: 2026-02-01, end: 2026-04-30}

Good:
    schedule:
      phases:
        - {id: discover, name: Discover, start: 2026-01-05, end: 2026-02-15}
        - {id: practise, name: Practise, start: 2026-02-16, end: 2026-04-30}
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD305", "phase-overlap", Severity.ERROR, "Two phases cover the same days.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    # The timeline holds one span per id: a repeated id (reported by duplicate-id) is compared once,
    # not with itself.
    phases = {p.id: p for p in reversed(ctx.program.schedule.phases)}
    placed = [(ctx.timeline.phases[p.id], p) for p in phases.values() if p.id in ctx.timeline.phases]
    placed.sort(key=lambda item: (item[0].start, item[1].path))
    for (before, first), (after, second) in zip(placed, placed[1:]):
        if after.start <= before.end:
            where = second.path + ("start",) if second.start else second.path
            fix = f"start '{second.id}' on {before.end + dt.timedelta(days=1)} or " if before.end < dt.date.max else ""
            yield CODE.at(ctx.span(where),
                          f"phase '{second.id}' starts {after.start}, while phase '{first.id}' runs until {before.end}",
                          hint=f"{fix}end '{first.id}' earlier", path=where)
