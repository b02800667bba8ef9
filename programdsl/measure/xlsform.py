"""Every survey, for one role, as an XLSForm: the open spreadsheet standard that ODK Central,
KoboToolbox, Ona and SurveyCTO read.

The `name` of every row is the codebook's column name (`codebook.columns`), so a response export
from any of those tools has the columns `programdsl report` reads. Identity columns are
`calculate` rows (survey, role, a `uuid()` response id, the occasion when there is only one) or
questions (the participant ID, or the self-code questions with `respondent` calculated from them
exactly as `codebook.self_code` does).

`sheets()` gives the rows as plain data; `workbook()` writes them as .xlsx bytes that are the
same for the same program (fixed timestamps inside the file).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from ..model import Program, Survey
from . import codebook

SURVEY_HEADER = ("type", "name", "label", "hint", "required", "constraint", "constraint_message", "calculation")
CHOICES_HEADER = ("list_name", "name", "label")
SETTINGS_HEADER = ("form_title", "form_id", "version", "default_language")
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold: the same bytes on every build


def _literal(text: str) -> str:
    """An XPath string literal (ids and dates hold no quotes, but be safe)."""
    return "'" + text.replace("'", "") + "'"


def _code_part(name: str) -> str:
    """XPath for one self-code answer normalised as `codebook.normalise_code_answer` does."""
    # translate() drops the characters it has no counterpart for: the trailing space, so spaces go.
    clean = f"translate(normalize-space(${{{name}}}), '{_LOWER} ', '{_LOWER.upper()}')"
    return f"if(regex({clean}, '^[0-9]+$'), string(int({clean})), {clean})"


def form_id(program: Program, survey: Survey, role: str) -> str:
    return f"{program.id}-{survey.id}-{role}"


def sheets(program: Program, survey: Survey, role: str, occasions: tuple[tuple[str, str], ...] = (),
           partner_noun: str = "partner") -> dict[str, list[tuple[Any, ...]]]:
    """The survey, choices and settings sheets. `occasions` are (opening date, words) of each window."""
    rows: list[tuple[Any, ...]] = [SURVEY_HEADER]
    choices: list[tuple[Any, ...]] = [CHOICES_HEADER]

    def row(kind: str, name: str, label: str = "", hint: str = "", required: bool = False, constraint: str = "",
            message: str = "", calculation: str = "") -> None:
        rows.append((kind, name, label, hint, "yes" if required else "", constraint, message, calculation))

    for column in codebook.columns(program, survey, role):
        if column.name == "response_id":
            row("calculate", column.name, calculation="uuid()")
        elif column.fixed is not None:
            row("calculate", column.name, calculation=_literal(column.fixed))
        elif column.name == "occasion":
            if len(occasions) == 1:
                row("calculate", column.name, calculation=_literal(occasions[0][0]))
            else:
                row("select_one occasion", column.name, "Which round of this survey are you answering?", required=True)
                choices += [("occasion", day, f"Opened {words}") for day, words in occasions]
        elif column.kind == codebook.SELF_CODE:
            constraint = f"regex(., '^({column.pattern})$')" if column.pattern else ""
            code = next(q for q in program.measurement.self_code if q.id == column.name)
            row("text", column.name, column.label, code.hint or "The same answer every time: it is part of your private code.",
                True, constraint, f"Please answer as asked: {code.hint}" if code.hint else "")
        elif column.name == "respondent" and column.computed:
            parts = [_code_part(q.id) for q in program.measurement.self_code]
            row("calculate", column.name, calculation="concat(" + ", '-', ".join(parts) + ")")
        elif column.name == "respondent":
            row("text", column.name, "Your participant ID", "As the programme team gave it to you.", True)
        elif column.name == "about":
            row("text", column.name, f"Which {partner_noun} is this evaluation about?", "Their name.", True)
        elif column.type in ("likert", "choice", "yes-no"):
            row(f"select_one {column.name}", column.name, column.label, required=column.required)
            choices += [(column.name, value, label) for value, label in column.values]
        elif column.type == "number":
            row("decimal", column.name, column.label, required=column.required)
        else:
            row("text", column.name, column.label, required=column.required)
    title = survey.title if role == "" else f"{survey.title} ({program.role_label(role)})"
    settings: list[tuple[Any, ...]] = [SETTINGS_HEADER, (title, form_id(program, survey, role), program.version, "")]
    return {"survey": rows, "choices": choices, "settings": settings}


def workbook(program: Program, survey: Survey, role: str, occasions: tuple[tuple[str, str], ...] = (),
             partner_noun: str = "partner", created: dt.date | None = None) -> bytes:
    """The XLSForm as .xlsx bytes, the same bytes for the same input."""
    from openpyxl import Workbook

    book = Workbook()
    for index, (name, rows) in enumerate(sheets(program, survey, role, occasions, partner_noun).items()):
        sheet = book.worksheets[0] if index == 0 else book.create_sheet(name)
        sheet.title = name
        for values in rows:
            sheet.append(list(values))
    moment = dt.datetime.combine(created or dt.date(2000, 1, 1), dt.time())
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.creator = "programdsl"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry stamped with one fixed time, and the workbook's
    "modified" property (which openpyxl sets to the time of saving) equal to its "created"."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                created = _CREATED.search(content)
                if created is not None:
                    content = _MODIFIED.sub(lambda m: m.group(1) + created.group(1) + m.group(2), content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
