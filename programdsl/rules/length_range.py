"""A session length range runs from the shorter length to the longer.

`meetings.minutes: 45-60` says sessions run between 45 and 60 minutes: documents show the range
and calendars hold the longer end. Both ends are between 5 and 480 minutes, the shorter first.

Bad:
    meetings:
      minutes: 60-45

Good:
    meetings:
      minutes: 45-60
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD356", "length-range", Severity.ERROR,
                "A session length range is not a shorter and a longer length between 5 and 480 minutes.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    meetings = ctx.program.meetings
    low, high = meetings.minutes_min, meetings.minutes
    if low is None or high is None or 5 <= low < high <= 480:
        return
    path = ("meetings", "minutes")
    shorter, longer = max(5, min(low, high)), min(480, max(low, high))
    hint = f"e.g. minutes: {shorter}-{longer}" if shorter < longer else f"write one length, e.g. minutes: {longer}"
    yield CODE.at(ctx.span(path), f"the session length {low}-{high} must run from the shorter length to the longer, "
                  "each between 5 and 480 minutes", hint=hint, path=path)
