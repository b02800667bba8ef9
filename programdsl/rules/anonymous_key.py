"""An anonymous survey is not keyed by roster id.

`anonymous: true` promises respondents their answers carry no name; a roster id names them.
Anonymous surveys are linked over time by a self-generated code instead (`respondentKey:
self-code`, the default for them).

Bad:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        anonymous: true
        respondentKey: roster-id
        questions:
          - {id: confidence, text: I feel confident., type: likert, scale: {min: 1, max: 5}}

Good:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        anonymous: true
        questions:
          - {id: confidence, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD333", "anonymous-roster-id", Severity.ERROR, "An anonymous survey is keyed by the respondent's roster id.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for survey in ctx.program.surveys:
        if survey.anonymous and survey.respondent_key == "roster-id":
            where = survey.path + ("respondentKey",)
            yield CODE.at(ctx.span(where), f"survey '{survey.id}' is anonymous, but its answers carry the respondent's roster id",
                          hint="remove `respondentKey: roster-id` (anonymous surveys use a self-generated code), "
                               "or remove `anonymous: true`", path=where)
