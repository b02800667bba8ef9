"""A scale's response range can be answered and scored.

Every item of a scale is answered on the scale's `response` range: its lowest point must be below
its highest, with at most eleven points, and one label per point when labels are given.

Bad:
    scales:
      - id: confidence
        name: Confidence
        response: {min: 5, max: 1}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}

Good:
    scales:
      - id: confidence
        name: Confidence
        response: {min: 1, max: 5, labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context
from .question_scale import MAX_POINTS

CODE = register("PD320", "scale-shape", Severity.ERROR, "A scale's response range cannot be answered or scored.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for scale in ctx.program.scales:
        name = f"scale '{scale.id}'"
        here = scale.path + ("response",)
        if scale.low is None or scale.high is None:
            continue  # the schema reports a missing range
        if scale.low >= scale.high:
            yield CODE.at(ctx.span(here + ("max",)), f"{name} has a response range from {scale.low} to {scale.high}",
                          hint="the highest point must be above the lowest, e.g. `response: {min: 1, max: 5}`", path=here + ("max",))
        elif scale.high - scale.low + 1 > MAX_POINTS:
            yield CODE.at(ctx.span(here + ("max",)), f"{name} has a response range of {scale.high - scale.low + 1} points",
                          hint=f"use at most {MAX_POINTS} points (5 or 7 are usual)", path=here + ("max",))
        elif scale.labels and len(scale.labels) != scale.high - scale.low + 1:
            yield CODE.at(ctx.span(here + ("labels",)),
                          f"{name} has {scale.high - scale.low + 1} response points but {len(scale.labels)} labels",
                          hint="give one label per point, lowest first, or no labels", path=here + ("labels",))
