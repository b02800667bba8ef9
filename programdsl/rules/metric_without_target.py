"""Every metric has a target.

Without a target, nobody can say at the close whether the program met its objective.

Bad:
    metrics:
      - {id: retention, name: Retention, definition: Share of mentees still employed after 12 months, unit: percent}

Good:
    metrics:
      - {id: retention, name: Retention, definition: Share of mentees still employed after 12 months, unit: percent, baseline: 82, target: 90}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD311", "metric-without-target", Severity.WARNING, "A metric has no target.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for metric in ctx.program.metrics:
        if metric.target is None:
            yield CODE.at(ctx.span(metric.path + ("id",)), f"metric '{metric.id}' has no target",
                          hint="add `target:` with the value the program aims for (and `baseline:` if you know it)", path=metric.path)
