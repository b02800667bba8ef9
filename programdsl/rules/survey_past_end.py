"""Survey windows close by the end of the program.

A survey that opens near the end and stays open past the program's last day asks people to
answer after the program has finished for them; the closing survey is the usual case. Open it
earlier, or for fewer days.

Bad:
    schedule:
      start: 2026-01-05
      duration: 6 months
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        openDays: 14

Good:
    schedule:
      start: 2026-01-05
      duration: 6 months
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing, offsetDays: -14}
        openDays: 14
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import Duration
from .context import Context

CODE = register("PD352", "survey-past-end", Severity.WARNING, "A survey stays open after the program has ended.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    span = ctx.timeline.program
    if span is None:
        return
    for survey in ctx.program.surveys:
        first = ctx.timeline.anchor_date(survey.when)
        if first is None or first > span.end:
            continue  # unplaced, or opening after the end: other rules and the schedule say so
        last_open = _last_opening(first, survey.repeat_every, span.end)
        closes = last_open + dt.timedelta(days=(survey.open_days or 1) - 1)
        if closes <= span.end:
            continue
        late = (closes - span.end).days
        key = "openDays" if survey.open_days else "when"
        path = survey.path + (key,)
        yield CODE.at(ctx.span(path), f"survey '{survey.id}' stays open until {closes}, {late} day{'s' if late != 1 else ''} "
                      f"after the program ends on {span.end}",
                      hint="open it earlier (a negative `offsetDays`) or for fewer days", path=path)


def _last_opening(first: dt.date, every: Duration | None, end: dt.date) -> dt.date:
    """The last time a survey opens: its first date, or its last repeat inside the program."""
    last = first
    if every is None:
        return last
    for count in range(1, 1100):
        try:
            following = Duration(every.amount * count, every.unit).after(first)
        except (OverflowError, ValueError):
            break
        if following > end or following <= last:
            break
        last = following
    return last
