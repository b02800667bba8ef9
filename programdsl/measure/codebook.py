"""The columns a survey's responses are collected under, for one role: the codebook.

`columns(program, survey, role)` is the contract between everything that collects answers (HTML
forms, printed forms, XLSForms) and everything that reads them back (`programdsl report`): the
HTML field names, the XLSForm `name`s and the CSV headers are these same strings, in this order.

Identity columns come first: response_id, survey, role, occasion; then either `respondent` (the
roster id) or, for a self-code survey, the self-code questions followed by `respondent` computed
from them; then `about` for a survey about each partner; then one column per question asked of
the role, scale items under their own ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from ..model import Program, Question, ScoreComputation, ChangeComputation, SelfCodeQuestion, Survey

IDENTITY = "identity"
SELF_CODE = "self-code"
QUESTION = "question"

# Self-code answers are compared after this normalisation, the same in forms, XLSForms and reports.
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Column:
    """One column of collected responses."""

    name: str  # the HTML field name, the XLSForm name and the CSV header
    label: str  # the question as asked, or what an identity column holds
    type: str  # text | date | likert | choice | number | yes-no
    kind: str  # identity | self-code | question
    required: bool
    values: tuple[tuple[str, str], ...] = ()  # (coded value, label) for likert, choice and yes-no
    fixed: str | None = None  # the one value every row holds (survey, role)
    pattern: str | None = None  # a self-code answer matches this in full
    low: int | None = None  # likert range
    high: int | None = None
    scale: str | None = None  # the scale a scale item belongs to
    reverse: bool = False
    audience: tuple[str, ...] = ()  # the roles asked this column (questions only)
    metrics: tuple[str, ...] = ()  # ids of the metrics computed from this column
    computed: bool = False  # filled from other answers (the self-code respondent), never typed in


def coded_values(question: Question) -> tuple[tuple[str, str], ...]:
    """(value, label) pairs a likert, choice or yes-no answer is recorded as."""
    if question.type == "likert":
        low = question.scale_min if question.scale_min is not None else 1
        high = question.scale_max if question.scale_max is not None else 5
        labels = list(question.labels)
        return tuple((str(v), labels[i] if i < len(labels) else str(v)) for i, v in enumerate(range(low, high + 1)))
    if question.type == "choice":
        return tuple((str(i), text) for i, text in enumerate(question.options, start=1))
    if question.type == "yes-no":
        return (("yes", "Yes"), ("no", "No"))
    return ()


def normalise_code_answer(answer: str) -> str:
    """One self-code answer as compared: without spaces, in capitals, numbers without leading zeros.

    "m a", " MA " and "ma" are one code, as are "07" and "7": the same person types their answers
    a little differently at the baseline and at the close. Leading zeros go as text, not through
    int(), so an answer of any length gives the same code here, in the form's script and in XPath."""
    text = "".join(answer.split()).upper()
    return (text.lstrip("0") or "0") if _DIGITS.fullmatch(text) else text


def self_code(questions: tuple[SelfCodeQuestion, ...], answers: Mapping[str, str | None]) -> str | None:
    """The respondent code built from the self-code answers (joined with '-'), None if one is blank."""
    parts = []
    for question in questions:
        answer = answers.get(question.id)
        if answer is None or not answer.strip():
            return None
        parts.append(normalise_code_answer(answer))
    return "-".join(parts)


def metric_columns(program: Program, survey: Survey) -> dict[str, tuple[str, ...]]:
    """Column name -> ids of the metrics computed from it in `survey` (in metric order)."""
    found: dict[str, list[str]] = {}

    def add(column: str, metric_id: str) -> None:
        if metric_id not in found.setdefault(column, []):
            found[column].append(metric_id)

    for question in survey.questions:
        if question.metric is not None:
            add(question.id, question.metric)
    for metric in program.metrics:
        compute = metric.compute
        if isinstance(compute, ScoreComputation):
            here = compute.survey == survey.id
        elif isinstance(compute, ChangeComputation):
            here = survey.id in (compute.baseline, compute.follow_up)
        else:
            continue
        if not here:
            continue
        if compute.question is not None:
            add(compute.question, metric.id)
        elif compute.scale is not None:
            scale = program.scale(compute.scale)
            part = scale.part(compute.subscale) if scale is not None and compute.subscale else scale
            for item in part.items if part is not None else ():
                add(item.id, metric.id)
    return {column: tuple(ids) for column, ids in found.items()}


def columns(program: Program, survey: Survey, role: str) -> tuple[Column, ...]:
    """The ordered columns of `survey`'s responses from respondents of `role` (see the module doc)."""
    result = [
        Column("response_id", "Identifier of one response, unique within the file", "text", IDENTITY, True),
        Column("survey", "Id of the survey", "text", IDENTITY, True, fixed=survey.id),
        Column("role", "Id of the respondent's role", "text", IDENTITY, True, fixed=role),
        Column("occasion", "Date the survey opened, YYYY-MM-DD (a survey sent more than once has several)", "date", IDENTITY, True),
    ]
    if survey.respondent_key == "self-code":
        codes = program.measurement.self_code
        result.extend(Column(q.id, q.text, "text", SELF_CODE, True, pattern=q.pattern) for q in codes)
        joined = ", ".join(q.id for q in codes)
        result.append(Column("respondent", f"Self-generated code: the answers to {joined}, in capitals, joined with '-'",
                             "text", IDENTITY, True, computed=True))
    else:
        result.append(Column("respondent", "Roster id of the respondent", "text", IDENTITY, True))
    if survey.about == "partner":
        result.append(Column("about", "Roster id (or name) of the partner this evaluation is about", "text", IDENTITY, True))
    metrics = metric_columns(program, survey)
    for question in survey.questions_for(role):
        audience = question.audience if question.audience is not None else survey.audience
        result.append(Column(
            question.id, question.text, question.type, QUESTION, question.required, coded_values(question),
            low=question.scale_min if question.type == "likert" else None,
            high=question.scale_max if question.type == "likert" else None,
            scale=question.scale, reverse=question.reverse, audience=tuple(audience), metrics=metrics.get(question.id, ()),
        ))
    return tuple(result)
