"""A computed metric reads a scale or question its survey asks.

A `score` metric's survey, and both surveys of a `change` metric, must ask the scale or question
the metric reads, and ask it of the metric's `role` when it names one; otherwise there is nothing
to compute from.

Bad:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (1-5)
        target: 4
        compute: {kind: score, survey: closing-survey, question: confident, role: mentor}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}, audience: [mentee]}

Good:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (1-5)
        target: 4
        compute: {kind: score, survey: closing-survey, question: confident, role: mentee}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}, audience: [mentee]}
"""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..measure.scoring import asked
from ..model import ChangeComputation, Metric, ScoreComputation
from .context import Context

CODE = register("PD325", "metric-not-asked", Severity.ERROR, "A computed metric reads a scale or question its survey does not ask.")


def _check(ctx: Context, metric: Metric, c: ScoreComputation | ChangeComputation, survey_id: str,
           survey_key: str) -> Iterator[Diagnostic]:
    survey = ctx.program.survey(survey_id)
    if survey is None or (c.scale is None and c.question is None):
        return  # an unknown survey is a dangling reference; naming neither is computation-fit
    if c.scale is not None and ctx.program.scale(c.scale) is None:
        return
    if any(ctx.program.scale(use.scale) is None for use in survey.scale_uses):
        return  # the survey asks a scale that is not defined (a dangling reference): it may be this one
    what = f"scale '{c.scale}'" if c.question is None else f"question '{c.question}'"
    field: tuple[Any, ...] = c.path + (("question",) if c.question is not None else ("scale",))
    if c.role is not None and c.role not in ctx.program.roles:
        return  # a dangling role
    if c.role is not None and c.role not in survey.audience:
        yield CODE.at(ctx.span(c.path + ("role",)), f"metric '{metric.id}' reads answers from {c.role}s, "
                      f"but survey '{survey.id}' is not sent to them",
                      hint=f"survey '{survey.id}' goes to {', '.join(survey.audience)}; change the role or the survey",
                      path=c.path + ("role",))
        return
    if asked(survey, c, ctx.program):
        return
    everyone = asked(survey, ChangeComputation(c.scale, c.subscale, c.question, "", "", "mean", None), ctx.program)
    if everyone and c.role is not None:
        yield CODE.at(ctx.span(c.path + ("role",)), f"metric '{metric.id}' reads {what} from {c.role}s, but survey "
                      f"'{survey.id}' does not ask it of them", hint="widen the question's `audience`, or change the role",
                      path=c.path + ("role",))
        return
    how = " (write `- {scale: " + str(c.scale) + "}` among its questions)" if c.question is None else ""
    yield CODE.at(ctx.span(field), f"metric '{metric.id}' reads {what} at survey '{survey.id}' ({survey_key}), "
                  "which does not ask it", hint=f"ask it in survey '{survey.id}'{how}, or point the metric at the survey that does",
                  path=field)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for metric in ctx.program.metrics:
        c = metric.compute
        if isinstance(c, ScoreComputation):
            yield from _check(ctx, metric, c, c.survey, "survey")
        elif isinstance(c, ChangeComputation):
            yield from _check(ctx, metric, c, c.baseline, "baseline")
            if c.follow_up != c.baseline:
                yield from _check(ctx, metric, c, c.follow_up, "followUp")
