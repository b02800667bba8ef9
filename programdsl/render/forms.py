"""Evaluation forms: one per survey and audience (and, with a pairs file, one per partner for a
survey about each partner), as the templates see them, as JSON, CSV and a codebook.

Field names in the HTML form, keys in the JSON definition, columns in the CSV and names in the
XLSForm are the codebook's column names (`measure.codebook.columns`), so answers collected by any
of them read back the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, Iterable

from ..measure import codebook, xlsform
from ..model import Program, Question
from ..output import safe_name
from .context import RoleRef, SurveyView, View
from .escape import csv_cell
from .templating import view_type

FORMAT_ID = "programdsl-form/1"  # later additions (codebook, respondentKey, about, submitTo, returnTo) are additive
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
    metric: str | None  # names of the metrics computed from it, joined

    @property
    def grouped(self) -> bool:
        """Answered by picking one of several options: a radio group in a fieldset."""
        return bool(self.options)


@view_type
@dataclass(frozen=True)
class CodeQuestion:
    """One question of the self-generated code."""

    name: str
    text: str
    pattern: str | None
    hint: str | None
    input_id: str


@view_type
@dataclass(frozen=True)
class Recipient:
    """Who receives saved answers (measurement.returnTo)."""

    name: str
    email: str | None
    address: str | None


@view_type
@dataclass(frozen=True)
class Someone:
    """A person a form is for, or about (from a pairs file)."""

    id: str
    name: str


@view_type
@dataclass(frozen=True)
class FormView:
    survey: SurveyView
    role: RoleRef
    fields: tuple[Field, ...]
    base: str  # "forms/<survey>/<role>" (each made a safe file name), without extension
    codebook: tuple[codebook.Column, ...] = ()
    respondent_key: str = "roster-id"  # roster-id | self-code
    self_code: tuple[CodeQuestion, ...] = ()
    about_partner: bool = False  # one form per partner, about that partner
    partner_noun: str = ""  # what the partner is called, e.g. "mentee"
    submit_to: str | None = None
    return_to: Recipient | None = None
    respondent: Someone | None = None  # with a pairs file: whose form this is
    partner: Someone | None = None  # with a pairs file: the partner it is about
    data_base: str = ""  # a per-partner form's data files are its survey and role's: their base
    owner: str = ""  # a per-partner form's person (pairs-file id or name), also when it does not show them

    @property
    def data(self) -> str:
        """Where the JSON definition, CSV header and codebook of this form's answers are."""
        return self.data_base or self.base

    @property
    def anonymous(self) -> bool:
        """No name or id on the form: answers are linked by the self-generated code."""
        return self.respondent_key == "self-code"

    @property
    def identity_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.codebook if c.kind != codebook.QUESTION)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.codebook)

    @property
    def file_name(self) -> str:
        """The name a saved copy of the answers is given."""
        return f"{safe_name(self.survey.id)}-{safe_name(self.role.id)}-answers.csv"


def _options(question: Question, prefix: str) -> tuple[Option, ...]:
    return tuple(Option(value, label, f"{prefix}-{value}".replace("--", "-minus-"))
                 for value, label in codebook.coded_values(question))


def form_views(program: Program, view: View, people: Iterable[Any] = ()) -> list[FormView]:
    """A form per survey and role; with `people` (documents.Person), also one per partner for each
    person answering a survey about each partner."""
    metric_names = {m.id: m.name for m in program.metrics}
    measurement = program.measurement
    back = measurement.return_to
    recipient = Recipient(back.name, back.email, back.address) if back is not None else None
    code_questions = tuple(CodeQuestion(q.id, q.text, q.pattern, q.hint, f"q-{q.id}") for q in measurement.self_code)
    result = []
    generic: dict[tuple[str, str], FormView] = {}
    for survey in view.surveys:
        model = program.survey(survey.id)
        if model is None:
            continue
        for role in survey.audience:
            columns = codebook.columns(program, model, role.id)
            metrics = {c.name: c.metrics for c in columns}
            fields = tuple(
                Field(q.id, q.id, f"q-{q.id}", n, q.text, q.type, q.required, _options(q, f"q-{q.id}"), q.scale_min, q.scale_max,
                      ", ".join(metric_names.get(m, m) for m in metrics.get(q.id, ())) or None)
                for n, q in enumerate(model.questions_for(role.id), start=1)
            )
            other = "mentee" if role.id == "mentor" else "mentor"
            form = FormView(
                survey, role, fields, f"forms/{safe_name(survey.id)}/{safe_name(role.id)}", columns,
                model.respondent_key, code_questions if model.respondent_key == "self-code" else (),
                model.about == "partner", view.role_map[other].noun if other in view.role_map else other,
                measurement.submit_to, recipient)
            generic[(survey.id, role.id)] = form
            result.append(form)
    for person in people:
        for (survey_id, role_id), form in generic.items():
            if not form.about_partner or role_id != person.role:
                continue
            for partner in person.partners:
                respondent = Someone(person.id, person.name) if form.respondent_key == "roster-id" else None
                about = Someone(partner.id or partner.name, partner.name)
                base = f"{form.base}/{safe_name(person.id or person.name)}--{safe_name(partner.id or partner.name)}"
                result.append(FormView(form.survey, form.role, form.fields, base, form.codebook, form.respondent_key,
                                       form.self_code, True, form.partner_noun, form.submit_to, form.return_to,
                                       respondent, about, form.base, person.id or person.name))
    return result


def _column(column: codebook.Column) -> dict[str, Any]:
    return {
        "name": column.name, "label": column.label, "type": column.type, "kind": column.kind, "required": column.required,
        **({"values": [{"value": v, "label": label} for v, label in column.values]} if column.values else {}),
        **({"value": column.fixed} if column.fixed is not None else {}),
        **({"pattern": column.pattern} if column.pattern else {}),
        **({"range": {"min": column.low, "max": column.high}} if column.low is not None else {}),
        **({"scale": column.scale, "reverse": column.reverse} if column.scale else {}),
        **({"audience": list(column.audience)} if column.kind == codebook.QUESTION else {}),
        **({"metrics": list(column.metrics)} if column.metrics else {}),
        **({"computed": True} if column.computed else {}),
    }


def definition(program: Program, form: FormView) -> dict[str, Any]:
    """The machine-readable form: enough to rebuild it in any survey tool and read its answers back."""
    back = form.return_to
    return {
        "format": FORMAT_ID,
        "program": {"id": program.id, "name": program.name, "version": program.version},
        "survey": {"id": form.survey.id, "title": form.survey.title, "description": form.survey.description,
                   "anonymous": form.anonymous, "respondentKey": form.respondent_key,
                   "about": "partner" if form.about_partner else "self",
                   "repeatEvery": form.survey.repeat_every, "openDays": form.survey.open_days},
        "audience": {"role": form.role.id, "label": form.role.label},
        "windows": [{"opens": w.opens.iso, "closes": (w.closes or w.opens).iso} for w in form.survey.windows],
        "submitTo": form.submit_to,
        "returnTo": {"name": back.name, "email": back.email, "address": back.address} if back else None,
        "columns": list(form.columns),
        "codebook": [_column(c) for c in form.codebook],
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


def xlsform_bytes(program: Program, form: FormView) -> bytes:
    """The form as an XLSForm workbook (.xlsx), its names the codebook's columns."""
    survey = program.survey(form.survey.id)
    assert survey is not None
    occasions = tuple((w.opens.iso, w.opens.date) for w in form.survey.windows)
    start = program.schedule.start or dt.date(2000, 1, 1)
    return xlsform.workbook(program, survey, form.role.id, occasions, form.partner_noun, start)


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def header_csv(form: FormView) -> bytes:
    """The header row responses are collected under."""
    return _csv([list(form.columns)])


CODEBOOK_HEADER = ["column", "label", "type", "required", "values", "scale", "reverse", "audience", "metrics", "kind"]


def codebook_csv(form: FormView) -> bytes:
    """What each column holds: its question or meaning, type, whether required, coded values, the
    scale it belongs to and whether it is reverse-coded, who is asked it, and the metrics it feeds."""
    occasions = "; ".join(w.opens.iso for w in form.survey.windows)
    rows: list[list[Any]] = [CODEBOOK_HEADER]
    for c in form.codebook:
        if c.fixed is not None:
            values = c.fixed
        elif c.name == "occasion":
            values = occasions
        elif c.values:
            values = "; ".join(f"{value}={label}" for value, label in c.values)
        elif c.type == "number":
            values = "a number"
        elif c.pattern:
            values = f"matches {c.pattern}"
        else:
            values = ""
        rows.append([c.name, c.label, c.type, "yes" if c.required else "no", values, c.scale or "",
                     ("yes" if c.reverse else "no") if c.scale else "", "; ".join(c.audience), "; ".join(c.metrics), c.kind])
    return _csv(rows)
