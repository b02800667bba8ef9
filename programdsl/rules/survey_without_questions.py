"""Every survey asks at least one question.

An empty survey produces an empty form and no data.

Bad:
    surveys:
      - {id: closing, title: Closing survey, audience: [mentor, mentee], when: {milestone: closing}}

Good:
    surveys:
      - id: closing
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: overall, text: The program was worth my time., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD312", "survey-without-questions", Severity.ERROR, "A survey has no questions.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for survey in ctx.program.surveys:
        if not survey.questions and not survey.scale_uses:  # an unknown scale is a dangling reference
            yield CODE.at(ctx.span(survey.path + ("id",)), f"survey '{survey.id}' has no questions",
                          hint="add `questions:` with at least one question, or remove the survey", path=survey.path)
