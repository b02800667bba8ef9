"""Questions carry what their type needs.

A likert question needs a scale whose lowest point is below its highest, of at most eleven
points, with one label per point when labels are given; a choice question needs options; other
types take neither. Question ids become column names in collected responses, so they may not
be one of the columns a response file carries for its own use (response_id, survey, role,
occasion, respondent, about, submitted): the report reads those columns as who answered, whom
about and when, and an answer under one of those names would be lost.

Bad:
    surveys:
      - id: closing
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: useful, text: Sessions were useful., type: likert, scale: {min: 1, max: 5, labels: [Disagree, Agree]}}

Good:
    surveys:
      - id: closing
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - id: useful
            text: Sessions were useful.
            type: likert
            scale: {min: 1, max: 5, labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

MAX_POINTS = 11  # a 0-10 scale is the longest in common use
# Columns a response file holds for its own use (see the form codebooks and measure/plan.py's
# IDENTITY_COLUMNS): a question may not shadow one, or the report would read its answers as identity.
RESERVED_IDS = ("response_id", "survey", "role", "occasion", "respondent", "about", "submitted")

CODE = register("PD313", "question-shape", Severity.ERROR, "A question lacks the scale or options its type needs.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for survey in ctx.program.surveys:
        for q in survey.questions:
            if q.scale is not None:
                continue  # a scale's items are checked with the scale (scale-shape) and columns (PD332)
            name = f"question '{q.id}' of survey '{survey.id}'"
            if q.id in RESERVED_IDS:
                yield CODE.at(ctx.span(q.path + ("id",)),
                              f"{name} uses an id that collected responses already use for a column of their own",
                              hint=f"choose another id; {', '.join(RESERVED_IDS)} are reserved", path=q.path + ("id",))
            if q.type == "likert":
                if q.scale_min is None or q.scale_max is None:
                    yield CODE.at(ctx.span(q.path + ("type",)), f"{name} is a likert question without a scale",
                                  hint="add `scale: {min: 1, max: 5}`", path=q.path)
                elif q.scale_min >= q.scale_max:
                    yield CODE.at(ctx.span(q.path + ("scale", "max")), f"{name} has a scale from {q.scale_min} to {q.scale_max}",
                                  hint="the highest point must be above the lowest", path=q.path + ("scale", "max"))
                elif q.scale_max - q.scale_min + 1 > MAX_POINTS:
                    yield CODE.at(ctx.span(q.path + ("scale", "max")),
                                  f"{name} has a scale of {q.scale_max - q.scale_min + 1} points",
                                  hint=f"use at most {MAX_POINTS} points (5 or 7 are usual)", path=q.path + ("scale", "max"))
                elif q.labels and len(q.labels) != q.scale_max - q.scale_min + 1:
                    points = q.scale_max - q.scale_min + 1
                    yield CODE.at(ctx.span(q.path + ("scale", "labels")), f"{name} has {points} points but {len(q.labels)} labels",
                                  hint="give one label per point, lowest first, or no labels", path=q.path + ("scale", "labels"))
            elif q.type == "choice" and not q.options:
                yield CODE.at(ctx.span(q.path + ("type",)), f"{name} is a choice question without options",
                              hint="add `options:` with at least two answers", path=q.path)
            if q.type != "likert" and q.scale_min is not None:
                yield CODE.at(ctx.span(q.path + ("scale",), key=True), f"{name} has a scale, but only likert questions use one",
                              hint="remove the scale or make the question likert", path=q.path + ("scale",))
            if q.type != "choice" and q.options:
                yield CODE.at(ctx.span(q.path + ("options",), key=True), f"{name} has options, but only choice questions use them",
                              hint="remove the options or make the question a choice", path=q.path + ("options",))
