"""A question is given only to roles its survey is sent to.

A question's (or a scale's) `audience` narrows who in the survey's audience answers it; a role the
survey does not reach would never see it.

Bad:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}, audience: [mentor]}

Good:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}, audience: [mentor]}
"""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD330", "question-audience", Severity.ERROR, "A question is given to a role its survey is not sent to.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for survey in ctx.program.surveys:
        asked: list[tuple[str, tuple[str, ...], tuple[Any, ...]]] = [
            (f"question '{q.id}'", q.audience, q.path) for q in survey.questions if q.scale is None and q.audience]
        asked += [(f"scale '{u.scale}'", u.audience, u.path) for u in survey.scale_uses if u.audience]
        for what, audience, path in sorted(asked, key=lambda entry: entry[2]):
            for i, role in enumerate(audience):
                if role in survey.audience or role not in ctx.program.roles:
                    continue  # an unknown role is a dangling reference
                yield CODE.at(ctx.span(path + ("audience", i)), f"{what} of survey '{survey.id}' is for {role}s, "
                              f"but the survey is sent to {', '.join(survey.audience)}",
                              hint=f"add {role} to the survey's audience, or remove it here", path=path + ("audience", i))
