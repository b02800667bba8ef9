"""A metric's computation fits what it reads.

`score` and `change` read exactly one of `scale` or `question` (`subscale` only with `scale`);
`share-yes` reads a yes-no question; mean, median and share-at-least read numbers (a scale, or a
likert, number or yes-no question), never free text or a choice. `sessions` with `share-complete`
reads the pairs' sessions (`meeting: pairs`); with `share-attending-at-least` it reads a group
session, and `atLeast` is no more than the sessions it holds.

Bad:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: percent
        target: 80
        compute: {kind: score, survey: closing-survey, question: confident, statistic: share-yes}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}

Good:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: percent
        target: 80
        compute: {kind: score, survey: closing-survey, question: confident, statistic: share-at-least, threshold: 4}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..measure.scoring import measured_question
from ..model import PAIR_MEETING, ChangeComputation, Metric, ScoreComputation, SessionsComputation
from .context import Context

CODE = register("PD329", "computation-fit", Severity.ERROR, "A metric's computation does not fit what it reads.")
NUMERIC = ("likert", "number", "yes-no")


def _reads(ctx: Context, metric: Metric, c: ScoreComputation | ChangeComputation) -> Iterator[Diagnostic]:
    name = f"metric '{metric.id}'"
    if (c.scale is None) == (c.question is None):
        both = "both `scale` and `question`" if c.scale is not None else "neither `scale` nor `question`"
        yield CODE.at(ctx.span(c.path + ("kind",)), f"{name} names {both}",
                      hint="name the scale it scores (`scale: id`) or the single question it reads (`question: id`)",
                      path=c.path)
        return
    if c.subscale is not None and c.scale is None:
        yield CODE.at(ctx.span(c.path + ("subscale",)), f"{name} names a subscale but no scale",
                      hint="add `scale:` with the scale the subscale belongs to", path=c.path + ("subscale",))
    statistic = c.statistic
    if c.scale is not None:
        if statistic == "share-yes":
            yield CODE.at(ctx.span(c.path + ("statistic",)), f"{name} counts yes answers, but reads a scale",
                          hint="use mean, median or share-at-least (with a threshold) for a scale score", path=c.path + ("statistic",))
        return
    question = measured_question(ctx.program, c)
    if question is None:
        return  # not asked, or a dangling survey: reported elsewhere
    if statistic == "share-yes" and question.type != "yes-no":
        yield CODE.at(ctx.span(c.path + ("statistic",)), f"{name} counts yes answers, but question '{question.id}' is a "
                      f"{question.type} question", hint="use share-yes only with a yes-no question; for a rating, use "
                      "share-at-least with a threshold", path=c.path + ("statistic",))
    elif question.type not in NUMERIC:
        yield CODE.at(ctx.span(c.path + ("question",)), f"{name} computes the {statistic} of question '{question.id}', "
                      f"a {question.type} question without numbers", hint="read a likert, number or yes-no question, or a scale",
                      path=c.path + ("question",))


def _sessions(ctx: Context, metric: Metric, c: SessionsComputation) -> Iterator[Diagnostic]:
    name = f"metric '{metric.id}'"
    where = c.path + ("statistic",)
    if c.meeting == PAIR_MEETING and c.statistic != "share-complete":
        yield CODE.at(ctx.span(where), f"{name} counts attendance of the pairs' sessions",
                      hint="for the pairs' own sessions use `statistic: share-complete`; attendance counts are for group sessions",
                      path=where)
    if c.meeting != PAIR_MEETING and c.statistic == "share-complete":
        yield CODE.at(ctx.span(where), f"{name} counts pairs completing group session '{c.meeting}'",
                      hint="use `statistic: share-attending-at-least` with `atLeast:` for a group session, or `meeting: pairs`",
                      path=where)
    group = next((g for g in ctx.program.meetings.group_sessions if g.id == c.meeting), None)
    if group is not None and group.sessions is not None and c.at_least is not None and c.at_least > group.sessions:
        yield CODE.at(ctx.span(c.path + ("atLeast",)), f"{name} asks for at least {c.at_least} of group session "
                      f"'{group.id}', which holds {group.sessions}", hint=f"set atLeast to at most {group.sessions}",
                      path=c.path + ("atLeast",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    for metric in ctx.program.metrics:
        c = metric.compute
        if isinstance(c, (ScoreComputation, ChangeComputation)):
            yield from _reads(ctx, metric, c)
        elif isinstance(c, SessionsComputation):
            yield from _sessions(ctx, metric, c)
