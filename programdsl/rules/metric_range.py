"""A computed metric's target, baseline and threshold lie inside the range it can take.

A scale scored by sum runs from items x min to items x max, by mean from min to max; a single
question takes its own range; a share is a percentage from 0 to 100. A target outside that range
can never be met, and a threshold outside the score's range counts everyone or no one.

Bad:
    scales:
      - id: confidence
        name: Confidence
        scoring: sum
        response: {min: 1, max: 5}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (2-10)
        baseline: 6
        target: 12
        compute: {kind: score, survey: closing-survey, scale: confidence}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {scale: confidence}

Good:
    scales:
      - id: confidence
        name: Confidence
        scoring: sum
        response: {min: 1, max: 5}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (2-10)
        baseline: 6
        target: 8
        compute: {kind: score, survey: closing-survey, scale: confidence}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {scale: confidence}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..measure.scoring import measured_question, measured_scale, metric_range, question_range
from ..model import ScoreComputation
from .context import Context

CODE = register("PD328", "metric-out-of-range", Severity.ERROR, "A metric's target, baseline or threshold lies outside the range it can take.")


def _words(value: float) -> str:
    return f"{value:g}"


def check(ctx: Context) -> Iterator[Diagnostic]:
    p = ctx.program
    for metric in p.metrics:
        span = metric_range(p, metric.compute)
        if span is not None:
            low, high = span
            for key, value in (("target", metric.target), ("baseline", metric.baseline)):
                if value is not None and not low <= value <= high:
                    yield CODE.at(ctx.span(metric.path + (key,)), f"metric '{metric.id}' has {key} {_words(value)}, "
                                  f"outside the {_words(low)}-{_words(high)} its computation can give",
                                  hint=f"set a {key} from {_words(low)} to {_words(high)}", path=metric.path + (key,))
        c = metric.compute
        if isinstance(c, ScoreComputation) and c.statistic == "share-at-least" and c.threshold is not None:
            scale = measured_scale(p, c)
            question = measured_question(p, c)
            bounds = scale.score_range if scale is not None else question_range(question) if question is not None else None
            if bounds is not None and not bounds[0] < c.threshold <= bounds[1]:
                where = c.path + ("threshold",)
                yield CODE.at(ctx.span(where), f"metric '{metric.id}' counts scores of at least {_words(c.threshold)}, "
                              f"but scores run from {_words(bounds[0])} to {_words(bounds[1])}",
                              hint=f"choose a threshold above {_words(bounds[0])} and at most {_words(bounds[1])}, "
                                   "so it tells respondents apart", path=where)
