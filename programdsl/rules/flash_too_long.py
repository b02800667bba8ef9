"""Flash programs are short.

Flash (micro) mentoring is one focused session or a handful; a flash program that runs for
more than three months is a different type of program wearing the wrong label.

Bad:
    type: flash
    schedule: {start: 2026-01-05, duration: 12 months}

Good:
    type: flash
    schedule: {start: 2026-01-05, duration: 6 weeks}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD308", "flash-too-long", Severity.ERROR, "A flash program runs longer than three months.")
# The dates this rule judges come from the whole schedule and the meetings: if the schema set part
# of either aside, the rule does not run (see rules.run).
READS: tuple[tuple[str, ...], ...] = (("schedule",), ("meetings",))
MAX_DAYS = 92


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.timeline.program
    if ctx.program.type != "flash" or program is None or program.days <= MAX_DAYS:
        return
    schedule = ctx.program.schedule
    key = "duration" if schedule.duration is not None else "end"
    path = schedule.path + (key,)
    yield CODE.at(ctx.span(path), f"a flash program runs {program.days} days here; flash mentoring is one to a few sessions within three months",
                  hint="shorten the program to three months or less, or choose type peer, near-peer or traditional", path=path)
