"""Every column of a survey's responses has its own name.

A survey's answers are collected one column per question, under the question's id; a scale's
items under their own ids; a self-code survey also has a column per self-code question, and a
survey about each partner an `about` column. Two of these with one name would overwrite each
other's answers.

Bad:
    scales:
      - id: confidence
        name: Confidence
        response: {min: 1, max: 5}
        items:
          - {id: confident, text: I feel confident.}
          - {id: prepared, text: I feel prepared.}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {scale: confidence}
          - {id: confident, text: I am confident in my next step., type: likert, scale: {min: 1, max: 5}}

Good:
    scales:
      - id: confidence
        name: Confidence
        response: {min: 1, max: 5}
        items:
          - {id: confident, text: I feel confident.}
          - {id: prepared, text: I feel prepared.}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {scale: confidence}
          - {id: next-step, text: I am confident in my next step., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import Question, Survey
from .context import Context
from .question_scale import RESERVED_IDS

CODE = register("PD332", "column-collision", Severity.ERROR, "Two answers of one survey would share a column name.")


def _origin(q: Question) -> str:
    return f"item '{q.id}' of scale '{q.scale}'" if q.scale is not None else f"question '{q.id}'"


def _survey(ctx: Context, survey: Survey) -> Iterator[Diagnostic]:
    taken: dict[str, str] = {name: "a column every response has" for name in RESERVED_IDS}
    if survey.about == "partner":
        taken["about"] = "the column naming the partner an evaluation is about"
    if survey.respondent_key == "self-code":
        for code in ctx.program.measurement.self_code:
            taken.setdefault(code.id, f"self-code question '{code.id}'")
    reported: set[tuple[Any, ...]] = set()
    for q in survey.questions:
        earlier = taken.get(q.id)
        taken.setdefault(q.id, _origin(q))
        if earlier is None:
            continue
        plain_duplicate = q.scale is None and earlier.startswith("question ")
        reserved = q.scale is None and q.id in RESERVED_IDS
        if plain_duplicate or reserved or q.path in reported:
            continue  # duplicate-id and question-shape report these
        reported.add(q.path)
        where = q.path + (("id",) if q.scale is None else ("scale",))
        yield CODE.at(ctx.span(where), f"{_origin(q)} in survey '{survey.id}' would be collected in column '{q.id}', "
                      f"which {earlier} already uses", hint="rename one of them: every column of a survey needs its own name",
                      path=where)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for code in ctx.program.measurement.self_code:
        if code.id in RESERVED_IDS:
            where = code.path + ("id",)
            yield CODE.at(ctx.span(where), f"self-code question '{code.id}' would be collected in a column every response has",
                          hint=f"choose another id; {', '.join(RESERVED_IDS)} are reserved", path=where)
    for survey in ctx.program.surveys:
        yield from _survey(ctx, survey)
