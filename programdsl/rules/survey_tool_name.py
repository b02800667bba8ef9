"""Column names start with a letter, as survey tools require.

Question ids, scale item ids and self-code question ids are the names of their columns in the
XLSForm every survey is written as; ODK, KoboToolbox, Ona and SurveyCTO refuse a name that
starts with a digit.

Bad:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: 1st-goal, text: I met my first goal., type: yes-no}

Good:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: first-goal, text: I met my first goal., type: yes-no}
"""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD336", "survey-tool-name", Severity.WARNING, "A column name starts with a digit, which survey tools refuse.")


def _check(ctx: Context, what: str, name: str, path: tuple[Any, ...]) -> Iterator[Diagnostic]:
    if name[:1].isdigit():
        yield CODE.at(ctx.span(path + ("id",)), f"{what} '{name}' starts with a digit, so the XLSForm of its survey "
                      "cannot be loaded into ODK, KoboToolbox, Ona or SurveyCTO",
                      hint=f"start the id with a letter, e.g. 'q{name}'", path=path + ("id",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    p = ctx.program
    for code in p.measurement.self_code:
        yield from _check(ctx, "self-code question", code.id, code.path)
    for scale in p.scales:
        for item in scale.items:
            yield from _check(ctx, f"item of scale '{scale.id}'", item.id, item.path)
    for survey in p.surveys:
        for q in survey.questions:
            if q.scale is None:
                yield from _check(ctx, "question", q.id, q.path)
