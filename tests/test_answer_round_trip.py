"""No answer is lost between a built form and the report.

For every form built from three programs (scales with a reverse-coded item, per-partner
evaluations built with a pairs file, self-coded anonymous surveys), the HTML form is parsed and
filled the way a browser submits it, the save script is run in Node on those fields, each XLSForm
is converted with pyxform, and the answers go back through the response reader in the codebook's
layout and in ODK Central's and KoboToolbox's export shapes: every field is a codebook column,
every answer lands in its question, unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from programdsl.api import Validator
from programdsl.measure.analysis import scale_score
from programdsl.measure.codebook import normalise_code_answer
from programdsl.measure.plan import Plan, plan_for
from programdsl.measure.responses import read_responses
from programdsl.measure.run import ReportRequest, make_report
from programdsl.pairs import read_pairs
from programdsl.render.documents import BuildOptions, render_documents
from programdsl.schedule import build_schedule

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = {
    "nhs": (ROOT / "examples" / "reverse-nhs-clinical.yaml", ROOT / "examples" / "responses" / "nhs" / "pairs.yaml"),
    "traditional": (ROOT / "examples" / "traditional-leadership.yaml",
                    ROOT / "examples" / "responses" / "traditional" / "pairs.yaml"),
    "fixture": (ROOT / "tests" / "fixtures" / "report" / "program.yaml", None),
    "posting": (ROOT / "tests" / "fixtures" / "report" / "program.yaml", None),
}
# The fixture again, with forms that send their answers (submitTo) and an anonymous pulse.
CHANGES = {"posting": (("  returnTo:", "  submitTo: https://forms.example.org/answers\n  returnTo:"),
                       ("    title: Midpoint pulse\n", "    title: Midpoint pulse\n    anonymous: true\n"))}
SCRIPT = ROOT / "templates" / "partials" / "form-save.js"
NODE = shutil.which("node")
XFORMS = "{http://www.w3.org/2002/xforms}"
# What a participant may type: non-ASCII, the CSV separator, quotes, a line break, a leading sign.
FREE_TEXT = 'Café – “naïve”, said "she"\nthen ; left, 100%'
# A self-code typed with stray spaces and lower case; the same person at another survey types it tidily.
CODE_ANSWERS = (" m a ", "07", " 0")


class FormFields(HTMLParser):
    """The successful controls of the first form, as a browser would submit them once filled."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str]] = []  # in document order
        self.in_form = False
        self.in_code = 0
        self.textarea: dict[str, str] | None = None
        self.select: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "survey-form" in a.get("class", ""):
            self.in_form = True
            self.form = a
        if not self.in_form:
            return
        if tag == "fieldset" and "self-code" in a.get("class", ""):
            self.in_code = 1
        elif tag == "fieldset" and self.in_code:
            self.in_code += 1
        if tag in ("input", "textarea", "select") and a.get("name"):
            control = {"tag": tag, **a, "code": "yes" if self.in_code else ""}
            self.controls.append(control)
            if tag == "textarea":
                self.textarea = control
            if tag == "select":
                self.select = control
        if tag == "option" and self.select is not None and "chosen" not in self.select:
            self.select["chosen"] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        if tag == "fieldset" and self.in_code:
            self.in_code -= 1
        if tag == "select":
            self.select = None


def fill(html: str, person: str, partner: str, turn: int) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """(submitted name -> value, self-code field names in page order, the form's attributes)."""
    parser = FormFields()
    parser.feed(html)
    values: dict[str, str] = {}
    codes: list[str] = []
    radios: dict[str, list[str]] = {}
    for control in parser.controls:
        name, kind = control["name"], control.get("type", "text")
        if control["tag"] == "select":
            values[name] = control["chosen"]
        elif control["tag"] == "textarea":
            values[name] = FREE_TEXT
        elif kind == "radio":
            radios.setdefault(name, []).append(control["value"])
        elif kind == "hidden":
            values[name] = control.get("value", "")
        elif kind == "number":
            values[name] = str(turn + 2)
        elif control["code"]:
            codes.append(name)
            values[name] = CODE_ANSWERS[len(codes) - 1] if len(codes) <= len(CODE_ANSWERS) else "x"
        elif name == "respondent":
            values[name] = person
        elif name == "about":
            values[name] = partner
        else:
            raise AssertionError(f"a control the test does not know how to fill: {control}")
    for name, options in radios.items():
        assert name not in values
        # Vary the answer between forms so an item read into another item's column shows.
        values[name] = options[(turn + len(name)) % len(options)]
    return values, codes, parser.form


@pytest.fixture(scope="module", params=sorted(PROGRAMS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[str, object, Plan, dict[str, bytes], Path | None]:
    path, pairs = PROGRAMS[request.param]
    if request.param in CHANGES:
        text = path.read_text(encoding="utf-8")
        for old, new in CHANGES[request.param]:
            assert old in text
            text = text.replace(old, new)
        path = tmp_path_factory.mktemp(request.param) / "program.yaml"
        path.write_text(text, encoding="utf-8")
    result = Validator().check_file(path)
    assert result.program is not None and not result.errors, result.diagnostics
    program = result.program
    options = BuildOptions(formats=("html",), pairs=read_pairs(pairs)) \
        if pairs else BuildOptions(formats=("html",))
    files = render_documents(program, options)
    return request.param, program, plan_for(program, build_schedule(program)), files, pairs


def _forms(files: dict[str, bytes]) -> list[str]:
    return sorted(p for p in files if p.startswith("forms/") and p.endswith(".html") and not p.endswith(".print.html"))


def _columns(files: dict[str, bytes], form_path: str) -> list[str]:
    base = form_path.removesuffix(".html")
    data = base.rsplit("/", 1)[0] if "--" in base.rsplit("/", 1)[-1] else base
    return list(json.loads(files[data + ".json"])["columns"])


def _save_in_node(tmp_path: Path, values: dict[str, str], columns: list[str], codes: list[str]) -> str:
    """The form's own save script, run on the filled fields; the CSV text it would download."""
    from test_form_script import HARNESS  # the DOM stand-in already used for one form

    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    assert NODE is not None
    run = subprocess.run([NODE, str(harness), json.dumps(values), json.dumps(columns), json.dumps(codes), str(SCRIPT)],
                         capture_output=True, text=True, check=True, timeout=60)
    text: str = json.loads(run.stdout)["csv"]
    assert text.startswith("\ufeff")
    return text[1:]


def _expected(plan: Plan, survey: str, values: dict[str, str]) -> dict[str, float | str]:
    """What the reader must hold for the filled answers: numbers for coded values, text unchanged."""
    columns = plan.surveys[survey].by_name
    expected: dict[str, float | str] = {}
    for name, value in values.items():
        column = columns.get(name)
        if column is None or name in plan.surveys[survey].self_code:
            continue
        if column.type == "text":
            expected[name] = value.strip()
        elif column.type == "yes-no":
            expected[name] = 1.0 if value == "yes" else 0.0
        else:
            expected[name] = float(value)
    return expected


def _person_and_partner(path: str, turn: int) -> tuple[str, str]:
    stem = path.rsplit("/", 1)[-1].removesuffix(".html")
    if "--" in stem:
        return stem.split("--")[0], stem.split("--")[1]
    return f"p{turn}", f"q{turn}"


def test_every_html_form_submits_the_codebook_columns_and_its_saved_file_reads_back(
        built: tuple[str, object, Plan, dict[str, bytes], Path | None], tmp_path: Path) -> None:
    name, program, plan, files, _ = built
    forms = _forms(files)
    assert forms
    saved_in_node: set[tuple[str, ...]] = set()
    for turn, path in enumerate(forms):
        html = files[path].decode("utf-8")
        person, partner = _person_and_partner(path, turn)
        values, codes, attributes = fill(html, person, partner, turn)
        columns = _columns(files, path)
        # What a browser sends is exactly the codebook's columns, nothing more, nothing lost.
        assert sorted(values) == sorted(columns), path
        if "action" not in attributes:
            # Nowhere to send: Enter must not submit (the default button is disabled), and a save button exists.
            assert re.search(r"<button type=\"submit\" disabled", html), path
            assert 'class="save-answers"' in html, path
        else:
            # Sent: by POST, as UTF-8, to the program's address; the private code is filled in before it goes.
            assert (attributes["method"], attributes["action"], attributes["accept-charset"]) == \
                ("post", "https://forms.example.org/answers", "utf-8"), path
            assert ('addEventListener("submit", fillCode)' in html) == bool(codes), path
            continue  # the save script does not run in a form that sends (no file is saved)
        # The script is the same in every copy of a form: run it once per form and kind of copy, to stay fast.
        shape = (values["survey"], values["role"], str("--" in path), str("action" in attributes))
        if NODE is None or shape in saved_in_node:
            continue
        saved_in_node.add(shape)
        text = _save_in_node(tmp_path, values, columns, codes)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == columns and len(rows) == 2, path
        saved = tmp_path / (path.replace("/", "_").removesuffix(".html") + ".csv")
        saved.write_text(text, encoding="utf-8-sig")
        found = read_responses([saved], plan, [path])
        assert [d for d in found.diagnostics if d.severity.value == "error"] == [], (path, found.diagnostics)
        assert len(found.responses) == 1, (path, found.diagnostics)
        response = found.responses[0]
        survey = values["survey"]
        assert response.survey == survey and response.role == values["role"]
        assert response.answers == _expected(plan, survey, values), path
        if codes:
            assert response.respondent == "MA-7-0", path  # spaces and case do not change the code
        else:
            assert response.respondent == person, path
        if "about" in values:
            assert response.about == partner, path


def _html_shape(html: str) -> tuple[dict[str, list[str]], set[str]]:
    """The HTML form's radio values per question, and the names of its required controls."""
    parser = FormFields()
    parser.feed(html)
    options: dict[str, list[str]] = {}
    for control in parser.controls:
        if control.get("type") == "radio":
            options.setdefault(control["name"], []).append(control["value"])
    return options, {c["name"] for c in parser.controls if "required" in c}


def _sheet_shape(data: bytes) -> tuple[dict[str, list[str]], set[str]]:
    """The XLSForm's choice names per question, and the names of its required questions."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    survey = list(book["survey"].iter_rows(values_only=True))
    head = list(survey[0])
    lists: dict[str, list[str]] = {}
    for list_name, choice, *_ in list(book["choices"].iter_rows(values_only=True))[1:]:
        lists.setdefault(str(list_name), []).append(str(choice))
    options, required = {}, set()
    for row in survey[1:]:
        cells = dict(zip(head, row))
        kind, name = str(cells["type"]), str(cells["name"])
        if kind.startswith("select_one "):
            options[name] = lists[kind.removeprefix("select_one ")]
        if cells.get("required") == "yes":
            required.add(name)
    return options, required


def _xform_names(tmp_path: Path, data: bytes) -> list[str]:
    book = tmp_path / "form.xlsx"
    book.write_bytes(data)
    warnings: list[str] = []
    xform = convert(xlsform=str(book), warnings=warnings).xform
    assert warnings == []
    root = ET.fromstring(xform)
    instance = root.find(f".//{XFORMS}instance")
    assert instance is not None
    return [child.tag.removeprefix(XFORMS) for child in list(instance)[0] if child.tag.removeprefix(XFORMS) != "meta"]


def _export(layout: str, names: list[str], values: dict[str, str], turn: int) -> str:
    """One submission as ODK Central's or KoboToolbox's CSV export writes it."""
    key = f"uuid:0000000{turn}-aaaa-4bbb-8ccc-dddddddddddd"
    when = "2026-10-07T10:15:00.000Z"
    out = io.StringIO()
    if layout == "odk":
        header = ["SubmissionDate", *names, "meta-instanceID", "KEY", "SubmitterID", "SubmitterName",
                  "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
        row = [when, *(values.get(n, "") for n in names), key, key, "5", "Collector", "0", "0", "", "", "", "0", "1"]
        writer = csv.writer(out, lineterminator="\r\n")
    else:
        header = [*names, "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
                  "_status", "_submitted_by", "__version__", "_tags", "_index"]
        row = [*(values.get(n, "") for n in names), key, str(100 + turn), key[5:], when[:19], "", "", "submitted_via_web",
               "", "vAbc", "", str(turn + 1)]
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize("layout", ["odk", "kobo"])
def test_every_xlsform_export_reads_back_every_answer(built: tuple[str, object, Plan, dict[str, bytes], Path | None],
                                                      tmp_path: Path, layout: str) -> None:
    name, program, plan, files, _ = built
    books = sorted(p for p in files if p.endswith(".xlsx"))
    assert books
    for turn, path in enumerate(books):
        names = _xform_names(tmp_path, files[path])
        html = files[path.removesuffix(".xlsx") + ".html"].decode("utf-8")
        assert names == _columns(files, path.removesuffix(".xlsx") + ".html"), path
        # The same coded values and the same required questions as the HTML form, so answers agree.
        html_options, html_required = _html_shape(html)
        sheet_options, sheet_required = _sheet_shape(files[path])
        if "occasion" in sheet_options and "occasion" not in html_options:
            sheet_options.pop("occasion")  # a round chosen from a list in both; the HTML form uses a <select>
        assert sheet_options == html_options, path
        assert sheet_required == html_required, path
        values, _, _ = fill(files[path.removesuffix(".xlsx") + ".html"].decode("utf-8"), f"p{turn}", f"q{turn}", turn)
        survey_id, role = path.removeprefix("forms/").removesuffix(".xlsx").split("/")
        survey = plan.surveys[survey_id]
        values["response_id"] = f"uuid-{turn}"
        if survey.self_code:
            values["respondent"] = "whatever the tool computed"  # recomputed by the reader, never trusted
        export = tmp_path / f"{survey_id}-{role}.csv"
        export.write_text(_export(layout, names, values, turn), encoding="utf-8")
        found = read_responses([export], plan, [export.name])
        assert [d for d in found.diagnostics if d.severity.value == "error"] == [], (path, found.diagnostics)
        assert [(d.code, d.line, d.message) for d in found.diagnostics if d.code in ("PD502", "PD503")] == [], path
        assert len(found.responses) == 1, path
        response = found.responses[0]
        assert response.answers == _expected(plan, survey_id, values), path
        assert response.respondent == ("MA-7-0" if survey.self_code else f"p{turn}"), path
        assert response.submitted is not None, path


def test_a_reverse_coded_item_is_scored_reversed_after_the_round_trip(tmp_path: Path) -> None:
    path, _ = PROGRAMS["fixture"]
    result = Validator().check_file(path)
    assert result.program is not None
    program = result.program
    plan = plan_for(program, build_schedule(program))
    files = render_documents(program, BuildOptions(formats=("html",)))
    html = files["forms/mentor-baseline/mentor.html"].decode("utf-8")
    values, _, _ = fill(html, "m1", "", 0)
    values.update({"raise-topic": "2", "specific-feedback": "3", "stay-calm": "2", "avoid-conflict": "4"})
    saved = tmp_path / "mentor-baseline.csv"
    with saved.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(values))
        writer.writerow(list(values.values()))
    found = read_responses([saved], plan, ["mentor-baseline.csv"])
    assert len(found.responses) == 1
    # The reverse-coded item (avoid-conflict, 1-5) counts as 6 - 4 = 2: 2 + 3 + 2 + 2.
    assert scale_score(plan.scales["feedback-confidence"], found.responses[0].answers) == 9.0



def test_the_report_counts_every_form_returned(built: tuple[str, object, Plan, dict[str, bytes], Path | None],
                                               tmp_path: Path) -> None:
    """Every form filled once and saved (as the save script writes it, checked in Node above), all
    handed to `report` together: each survey counts each of its forms, none is lost as a duplicate."""
    name, program, plan, files, pairs = built
    expected: dict[str, int] = {}
    paths = []
    for turn, path in enumerate(_forms(files)):
        person, partner = _person_and_partner(path, turn)
        values, _, _ = fill(files[path].decode("utf-8"), person, partner, turn)
        values["response_id"] = f"r{turn}"
        columns = _columns(files, path)
        saved = tmp_path / (path.replace("/", "_").removesuffix(".html") + ".csv")
        with saved.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(columns)
            writer.writerow([values[c] for c in columns])
        paths.append(str(saved))
        expected[values["survey"]] = expected.get(values["survey"], 0) + 1
    result = make_report(program, build_schedule(program), ReportRequest(paths), None)  # type: ignore[arg-type]
    assert result.errors == 0, result.diagnostics
    # A mentor and a mentee may choose the same private code: they are still two responses.
    assert [d for d in result.diagnostics if d.code == "PD506"] == []
    report = json.loads(result.files["report.json"])
    assert report["inputs"]["responses"] == len(paths)
    assert {s["id"]: s["responses"] for s in report["surveys"] if s["responses"]} == expected


def _fixture_plan(tmp_path: Path, old: str = "", new: str = "") -> Plan:
    """The report fixture with its midpoint pulse made anonymous (self-coded), and one change."""
    path, _ = PROGRAMS["fixture"]
    target = tmp_path / "program.yaml"
    text = path.read_text(encoding="utf-8").replace("    title: Midpoint pulse\n", "    title: Midpoint pulse\n    anonymous: true\n")
    assert old in text and "anonymous: true" in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    result = Validator().check_file(target)
    assert result.program is not None and not result.errors, result.diagnostics
    return plan_for(result.program, build_schedule(result.program))


def test_a_question_named_like_a_survey_tools_metadata_column_keeps_its_answers(tmp_path: Path) -> None:
    questions = ("      - {id: email, text: Where may we write to you?, type: text}\n"
                 "      - {id: start, text: When did you start?, type: text}\n"
                 "      - {id: today, text: How was today?, type: likert, scale: {min: 1, max: 5}}\n")
    plan = _fixture_plan(tmp_path, "      - {id: agreed-goals,", questions + "      - {id: agreed-goals,")
    answers = tmp_path / "midpoint-mentor.csv"
    answers.write_text("code-guardian,code-birthday,code-siblings,email,start,today,worthwhile\n"
                       "ma,7,0,me@example.org,In May,4,5\n", encoding="utf-8")
    found = read_responses([answers], plan, ["midpoint-mentor.csv"])
    assert [(d.code, d.line, d.col) for d in found.diagnostics if d.code != "PD503"] == []
    assert found.responses[0].answers == {"email": "me@example.org", "start": "In May", "today": 4.0, "worthwhile": 5.0}


def test_a_file_misses_only_the_questions_its_role_was_asked(tmp_path: Path) -> None:
    plan = _fixture_plan(tmp_path)
    header = "code-guardian,code-birthday,code-siblings,worthwhile,agreed-goals,continue\n"
    for role, warned in (("mentor", []), ("mentee", [("PD503", 1, 1)])):
        answers = tmp_path / f"midpoint-{role}.csv"
        answers.write_text(header + "ma,7,0,4,yes,1\n", encoding="utf-8")
        found = read_responses([answers], plan, [answers.name])
        assert [(d.code, d.line, d.col) for d in found.diagnostics] == warned, role
    assert "changes-count" in found.diagnostics[0].message


def test_a_self_code_typed_differently_at_two_surveys_is_one_person(tmp_path: Path) -> None:
    plan = _fixture_plan(tmp_path)
    answers = tmp_path / "midpoint-mentor.csv"
    # The pulse opens once: the same person typing their code three ways is one respondent, kept once.
    answers.write_text("code-guardian,code-birthday,code-siblings,worthwhile,submitted\n"
                       " m a ,07,0,2,2027-01-14\nMA,7, 0,3,2027-01-15\nMa, 7 ,0,4,2027-01-16\n", encoding="utf-8")
    found = read_responses([answers], plan, [answers.name])
    assert [(d.code, d.line, d.col) for d in found.diagnostics if d.code != "PD503"] == [("PD506", 2, 1), ("PD506", 3, 1)]
    assert [(r.respondent, r.answers["worthwhile"]) for r in found.responses] == [("MA-7-0", 4.0)]
    long_number = "0" * 5000 + "12"
    assert normalise_code_answer(long_number) == "12"  # no int() limit, the same as the form's script


def test_a_reserved_name_cannot_become_a_question(tmp_path: Path) -> None:
    path, _ = PROGRAMS["fixture"]
    target = tmp_path / "program.yaml"
    target.write_text(path.read_text(encoding="utf-8").replace(
        "      - {id: agreed-goals,", "      - {id: submitted, text: Submitted?, type: yes-no}\n      - {id: agreed-goals,"),
        encoding="utf-8")
    result = Validator().check_file(target)
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("PD313", 128, 14)]
