"""Forms say where answers go.

A fillable form either sends its answers to `measurement.submitTo`, or lets the participant save
them as a file to return to `measurement.returnTo`. With neither, forms can only say that the
return address is not set, and answers may never arrive. The warning is given once a program
describes its measurement (a `measurement` block, a scale, or a metric with `compute`); forms of
older programs say plainly that no return address is set.

Bad:
    measurement: {minimumGroupSize: 5}

Good:
    measurement:
      returnTo: {name: Programme office, email: mentoring@example.org}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD334", "form-return-not-set", Severity.WARNING, "Forms say neither where to send answers nor whom to return them to.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    p = ctx.program
    m = p.measurement
    if not p.surveys or m.submit_to is not None or m.return_to is not None:
        return
    _, depth = ctx.loc.find(("measurement",))
    if depth != 1 and not p.scales and not any(metric.compute is not None for metric in p.metrics):
        return
    at = ctx.span(("measurement",), key=True) if depth == 1 else ctx.span(("surveys",), key=True)
    yield CODE.at(at, "the program's forms have nowhere to send answers and no one to return them to",
                  hint="add `measurement: {submitTo: https://...}` for a form service that accepts the answers, or "
                       "`measurement: {returnTo: {name: ..., email: ...}}` for whoever collects saved answers",
                  path=("measurement",))
