"""Every example's surveys, for every role, as XLSForms that pyxform converts without an error or
a warning, with the codebook's column names."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from programdsl.api import load_program
from programdsl.measure import codebook, xlsform
from programdsl.model import Program
from programdsl.render.documents import BuildOptions, render_documents

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
XFORMS = "{http://www.w3.org/2002/xforms}"


def _program(path: Path) -> Program:
    program, result = load_program(path)
    assert program is not None, result.diagnostics
    return program


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def built(request: pytest.FixtureRequest) -> tuple[Program, dict[str, bytes]]:
    program = _program(request.param)
    files = render_documents(program, BuildOptions(formats=("md",)))
    return program, files


def test_every_survey_and_role_has_an_xlsform_that_pyxform_converts_cleanly(built: tuple[Program, dict[str, bytes]],
                                                                           tmp_path: Path) -> None:
    program, files = built
    books = {path: data for path, data in files.items() if path.endswith(".xlsx")}
    assert len(books) == sum(len(s.audience) for s in program.surveys)
    for path, data in books.items():
        target = tmp_path / path.replace("/", "_")
        target.write_bytes(data)
        warnings: list[str] = []
        result = convert(xlsform=str(target), warnings=warnings)  # raises PyXFormError on an error
        assert warnings == [], f"{path}: {warnings}"
        survey_id, role = path.removeprefix("forms/").removesuffix(".xlsx").split("/")
        survey = program.survey(survey_id)
        assert survey is not None
        # The XForm's instance holds one element per codebook column, in the codebook's order.
        root = ET.fromstring(result.xform)
        instance = root.find(f".//{XFORMS}instance")
        assert instance is not None
        form = list(instance)[0]
        names = [child.tag.removeprefix(XFORMS) for child in form if child.tag.removeprefix(XFORMS) != "meta"]
        assert names == [c.name for c in codebook.columns(program, survey, role)], path


def test_workbooks_hold_the_codebook_names_and_choices() -> None:
    program = _program(Path(__file__).resolve().parents[1] / "examples" / "reverse-nhs-clinical.yaml")
    survey = program.survey("midpoint-pulse")
    assert survey is not None and survey.respondent_key == "self-code"
    book = openpyxl.load_workbook(io.BytesIO(xlsform.workbook(program, survey, "mentor", (("2027-01-13", "13 January 2027"),))))
    assert book.sheetnames == ["survey", "choices", "settings"]
    rows = [tuple(c.value for c in row) for row in book["survey"].iter_rows()]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["survey"][0] == "calculate" and by_name["survey"][7] == "'midpoint-pulse'"
    assert by_name["occasion"][7] == "'2027-01-13'"
    assert by_name["code-guardian"][0] == "text" and by_name["code-guardian"][5] == "regex(., '^([A-Za-z]{2})$')"
    assert by_name["respondent"][0] == "calculate" and "${code-birthday}" in by_name["respondent"][7]
    assert by_name["worthwhile"][0] == "select_one worthwhile" and by_name["worthwhile"][4] == "yes"
    assert by_name["sessions-so-far"][0] == "decimal"
    settings = [tuple(c.value for c in row) for row in book["settings"].iter_rows()]
    assert settings[1][1] == f"{program.id}-midpoint-pulse-mentor"


def test_several_rounds_are_a_choice_and_partner_surveys_ask_whom() -> None:
    program = _program(Path(__file__).resolve().parents[1] / "examples" / "traditional-leadership.yaml")
    survey = program.survey("mentor-midpoint")
    assert survey is not None and survey.about == "partner"
    sheets = xlsform.sheets(program, survey, "mentor", (("2027-01-05", "5 January 2027"), ("2027-03-16", "16 March 2027")),
                            "mentee")
    names = {row[1]: row for row in sheets["survey"][1:]}
    assert names["occasion"][0] == "select_one occasion"
    assert ("occasion", "2027-03-16", "Opened 16 March 2027") in sheets["choices"]
    assert names["about"][:3] == ("text", "about", "Which mentee is this evaluation about?")
    assert names["respondent"][:3] == ("text", "respondent", "Your participant ID")


def test_workbook_bytes_are_the_same_every_time() -> None:
    program = _program(Path(__file__).resolve().parents[1] / "examples" / "reverse-nhs-clinical.yaml")
    survey = program.surveys[0]
    first = xlsform.workbook(program, survey, survey.audience[0])
    assert first == xlsform.workbook(program, survey, survey.audience[0])
