"""Every part of the time commitment has a length.

The charter's time-commitment table and each guide add up what every role gives: the pairs'
sessions, required training and group meetings. A part without a length cannot be added up, so
the documents say "not set" there and their totals leave it out; say how long it lasts instead.

Bad:
    training:
      - {id: induction, title: Mentor induction, audience: [mentor], required: true}

Good:
    training:
      - {id: induction, title: Mentor induction, audience: [mentor], required: true, minutes: 90}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD350", "length-not-set", Severity.WARNING,
                "A session, group meeting or required training module has no length, so time commitments cannot be totalled.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.program
    # Every preset gives the pairs' sessions a length, so only these can be missing.
    meetings = program.meetings
    for group in meetings.group_sessions:
        if group.minutes is None:
            yield CODE.at(ctx.span(group.path + ("id",)), f"group session '{group.id}' has no length, so the documents "
                          "cannot count the time it takes", hint="add `minutes:` to it", path=group.path)
    for module in program.training:
        if module.required and module.minutes is None:
            yield CODE.at(ctx.span(module.path + ("id",)), f"required training '{module.id}' has no length, so the "
                          "documents cannot count the time it takes", hint="add `minutes:` to it", path=module.path)
