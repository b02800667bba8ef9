"""A change's baseline survey opens before its follow-up.

A `change` metric compares answers before and after: on the program's schedule, the baseline
survey must open before the follow-up survey does.

Bad:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (1-5)
        target: 4
        compute: {kind: change, question: confident, baseline: closing-survey, followUp: opening-survey}
    surveys:
      - id: opening-survey
        title: Opening survey
        audience: [mentee]
        when: {milestone: kickoff}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
      - id: closing-survey
        title: Closing survey
        audience: [mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}

Good:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (1-5)
        target: 4
        compute: {kind: change, question: confident, baseline: opening-survey, followUp: closing-survey}
    surveys:
      - id: opening-survey
        title: Opening survey
        audience: [mentee]
        when: {milestone: kickoff}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
      - id: closing-survey
        title: Closing survey
        audience: [mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import ChangeComputation
from .context import Context

CODE = register("PD327", "change-order", Severity.ERROR, "A change metric's baseline survey does not open before its follow-up.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for metric in ctx.program.metrics:
        c = metric.compute
        if not isinstance(c, ChangeComputation):
            continue
        where = c.path + ("baseline",)
        if c.baseline == c.follow_up:
            yield CODE.at(ctx.span(where), f"metric '{metric.id}' uses survey '{c.baseline}' as both baseline and follow-up",
                          hint="a change needs two surveys: one before and one after", path=where)
            continue
        first, second = ctx.program.survey(c.baseline), ctx.program.survey(c.follow_up)
        if first is None or second is None or first.when is None or second.when is None:
            continue
        opens, closes = ctx.timeline.anchor_date(first.when), ctx.timeline.anchor_date(second.when)
        if opens is None or closes is None or opens < closes:
            continue
        yield CODE.at(ctx.span(where), f"metric '{metric.id}' has baseline survey '{first.id}' opening on {opens}, "
                      f"not before follow-up survey '{second.id}' on {closes}",
                      hint="swap baseline and followUp, or move the baseline survey earlier", path=where)
