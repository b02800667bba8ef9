"""Every objective is measured by at least one metric.

An objective nobody measures cannot be evaluated, and evaluation is one of the five things
every mentoring program must define.

Bad:
    objectives:
      - {id: retention, title: Keep early-career staff, beneficiary: organization}

Good:
    objectives:
      - {id: retention, title: Keep early-career staff, beneficiary: organization, metrics: [12-month-retention]}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD310", "objective-without-metric", Severity.ERROR, "An objective names no metric.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for objective in ctx.program.objectives:
        if not objective.metrics:
            yield CODE.at(ctx.span(objective.path + ("id",)), f"objective '{objective.id}' has no metric, so it cannot be evaluated",
                          hint="add `metrics: [METRIC-ID]` naming a metric under `metrics`", path=objective.path)
