"""Evaluation forms: one per survey and audience, as the templates see it, as JSON and as CSV.

Field names in the HTML form, keys in the JSON definition and columns in the CSV are the same
strings (question ids), so answers collected by any form handler drop straight into the CSV.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from ..model import Program, Question
from ..output import safe_name
from .context import RoleRef, SurveyView, View
from .escape import csv_cell
from .templating import view_type

FORMAT_ID = "programdsl-form/1"
QUESTION_TYPE_WORDS = {
    "likert": "rating scale", "choice": "single choice", "text": "free text", "number": "number", "yes-no": "yes or no",
}


@view_type
@dataclass(frozen=True)
class Option:
    value: str
    label: str
    input_id: str


@view_type
@dataclass(frozen=True)
class Field:
    """One question as a form field."""

    id: str
    name: str  # the form field's name and the CSV column
    input_id: str
    number: int
    text: str
    type: str
    required: bool
    options: tuple[Option, ...]  # likert, choice and yes-no
    scale_min: int | None
    scale_max: int | None
    metric: str | None  # metric name

    @property
    def grouped(self) -> bool:
        """Answered by picking one of several options: a radio group in a fieldset."""
        return bool(self.options)


@view_type
@dataclass(frozen=True)
class FormView:
    survey: SurveyView
    role: RoleRef
    fields: tuple[Field, ...]
    base: str  # "forms/<survey>/<role>" (each made a safe file name), without extension

    @property
    def anonymous(self) -> bool:
        return self.survey.anonymous

    @property
    def identity_columns(self) -> tuple[str, ...]:
        return ("response_id", "survey", "role", "occasion") + (() if self.anonymous else ("respondent",))

    @property
    def columns(self) -> tuple[str, ...]:
        return self.identity_columns + tuple(f.name for f in self.fields)


def _options(question: Question, prefix: str) -> tuple[Option, ...]:
    if question.type == "likert":
        low = question.scale_min if question.scale_min is not None else 1
        high = question.scale_max if question.scale_max is not None else 5
        values = list(range(low, high + 1))
        labels = list(question.labels)
        result = []
        for i, value in enumerate(values):
            label = labels[i] if i < len(labels) else str(value)
            result.append(Option(str(value), label, f"{prefix}-{value}".replace("--", "-minus-")))
        return tuple(result)
    if question.type == "choice":
        return tuple(Option(str(i), text, f"{prefix}-{i}") for i, text in enumerate(question.options, start=1))
    if question.type == "yes-no":
        return (Option("yes", "Yes", f"{prefix}-yes"), Option("no", "No", f"{prefix}-no"))
    return ()


def form_views(program: Program, view: View) -> list[FormView]:
    metric_names = {m.id: m.name for m in program.metrics}
    questions = {s.id: s.questions for s in program.surveys}
    result = []
    for survey in view.surveys:
        fields = tuple(
            Field(q.id, q.id, f"q-{q.id}", n, q.text, q.type, q.required, _options(q, f"q-{q.id}"),
                  q.scale_min, q.scale_max, metric_names.get(q.metric) if q.metric else None)
            for n, q in enumerate(questions[survey.id], start=1)
        )
        for role in survey.audience:
            result.append(FormView(survey, role, fields, f"forms/{safe_name(survey.id)}/{safe_name(role.id)}"))
    return result


def definition(program: Program, form: FormView) -> dict[str, Any]:
    """The machine-readable form: enough to rebuild it in any survey tool."""
    return {
        "format": FORMAT_ID,
        "program": {"id": program.id, "name": program.name, "version": program.version},
        "survey": {"id": form.survey.id, "title": form.survey.title, "description": form.survey.description,
                   "anonymous": form.anonymous, "repeatEvery": form.survey.repeat_every,
                   "openDays": form.survey.open_days},
        "audience": {"role": form.role.id, "label": form.role.label},
        "windows": [{"opens": w.opens.iso, "closes": (w.closes or w.opens).iso} for w in form.survey.windows],
        "columns": list(form.columns),
        "questions": [
            {
                "id": f.id, "column": f.name, "text": f.text, "type": f.type, "required": f.required,
                **({"scale": {"min": f.scale_min, "max": f.scale_max}} if f.type == "likert" else {}),
                **({"options": [{"value": int(o.value) if f.type != "yes-no" else o.value, "label": o.label}
                                for o in f.options]} if f.options else {}),
                "metric": f.metric,
            }
            for f in form.fields
        ],
    }


def definition_json(program: Program, form: FormView) -> bytes:
    return (json.dumps(definition(program, form), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def header_csv(form: FormView) -> bytes:
    """The header row responses are collected under."""
    return _csv([list(form.columns)])


IDENTITY_DESCRIPTIONS = {
    "response_id": ("Identifier of one response, unique within this file", "text", "yes", ""),
    "survey": ("Id of the survey", "text", "yes", ""),
    "role": ("Id of the respondent's role", "text", "yes", ""),
    "occasion": ("Date the survey opened, YYYY-MM-DD (surveys sent more than once have several)", "date", "yes", ""),
    "respondent": ("Name or email of the respondent", "text", "yes", ""),
}


def codebook_csv(form: FormView) -> bytes:
    """What each column holds: question text, type, whether required, coded values, metric."""
    rows: list[list[Any]] = [["column", "label", "type", "required", "values", "metric"]]
    for column in form.identity_columns:
        label, kind, required, values = IDENTITY_DESCRIPTIONS[column]
        if column == "survey":
            values = form.survey.id
        elif column == "role":
            values = form.role.id
        elif column == "occasion":
            values = "; ".join(w.opens.iso for w in form.survey.windows)
        rows.append([column, label, kind, required, values, ""])
    for f in form.fields:
        values = "; ".join(f"{o.value}={o.label}" for o in f.options)
        if f.type == "number":
            values = "a number"
        rows.append([f.name, f.text, f.type, "yes" if f.required else "no", values, f.metric or ""])
    return _csv(rows)
