"""Only likert questions are reverse-coded.

Reverse coding scores an answer as (min + max) - answer; a question without a range (choice,
text, number, yes-no) has no opposite end to score from.

Bad:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: sessions-missed, text: "How many sessions did you miss?", type: number, reverse: true}

Good:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: felt-rushed, text: Our sessions felt rushed., type: likert, scale: {min: 1, max: 5}, reverse: true}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD324", "reverse-non-likert", Severity.ERROR, "A question that is not likert is reverse-coded.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for survey in ctx.program.surveys:
        for q in survey.questions:
            if q.reverse and q.scale is None and q.type != "likert":
                yield CODE.at(ctx.span(q.path + ("reverse",)),
                              f"question '{q.id}' of survey '{survey.id}' is a {q.type} question, so it cannot be reverse-coded",
                              hint="remove `reverse: true`, or make it a likert question with a scale",
                              path=q.path + ("reverse",))
