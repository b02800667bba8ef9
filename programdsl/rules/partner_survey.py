"""A survey about each partner goes only to roles that have partners.

`about: partner` gives each respondent one form per partner: mentors about each mentee, mentees
about each mentor. Roles outside the pairs (an admin, a line manager) have no partner to evaluate.

Bad:
    roles:
      manager: {label: Line manager}
    surveys:
      - id: closing-survey
        title: How is your partner doing?
        audience: [mentor, manager]
        about: partner
        when: {milestone: closing}
        questions:
          - {id: progress, text: My partner made progress on their goals., type: likert, scale: {min: 1, max: 5}}

Good:
    surveys:
      - id: closing-survey
        title: How is your partner doing?
        audience: [mentor, mentee]
        about: partner
        when: {milestone: closing}
        questions:
          - {id: progress, text: My partner made progress on their goals., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import PAIR_ROLES
from .context import Context

CODE = register("PD331", "partner-survey-roles", Severity.ERROR, "A survey about each partner goes to a role without partners.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for survey in ctx.program.surveys:
        if survey.about != "partner":
            continue
        for i, role in enumerate(survey.audience):
            if role in PAIR_ROLES or role not in ctx.program.roles:
                continue
            where = survey.path + ("audience", i)
            yield CODE.at(ctx.span(where), f"survey '{survey.id}' is about each partner, but {role}s have no partners",
                          hint="send per-partner evaluations to mentors and mentees only; give other roles a survey of "
                               "their own (about: self)", path=where)
