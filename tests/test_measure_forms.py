"""Forms as the measurement model asks: per role, per partner, truthful about the respondent key
and about where answers go; calendars count per-partner forms."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from programdsl.api import load_program
from programdsl.model import Program
from programdsl.pairs import Match, Member, PairsFile
from programdsl.render.calendar import calendar_files
from programdsl.render.documents import BuildOptions, render_documents

from conftest import deep_merge, minimal_data, write_program

SURVEYS: dict[str, Any] = {
    "scales": [{"id": "confidence", "name": "Confidence", "response": {"min": 1, "max": 5},
                "items": [{"id": "raise-topic", "text": "I raise a difficult topic."},
                          {"id": "avoid-talk", "text": "I avoid difficult talks.", "reverse": True}]}],
    "pairing": {"capacity": {"mentor": 2, "mentee": 1}},
    "surveys": [
        {"id": "closing-survey", "title": "Closing survey", "audience": ["mentor", "mentee"], "when": {"milestone": "closing"},
         "questions": [{"scale": "confidence", "audience": ["mentor"]},
                       {"id": "goal", "text": "I met my goal.", "type": "yes-no", "audience": ["mentee"]}]},
        {"id": "about-mentee", "title": "About your mentee", "audience": ["mentor"], "about": "partner",
         "when": {"milestone": "closing"},
         "questions": [{"id": "progress", "text": "My mentee made progress.", "type": "likert", "scale": {"min": 1, "max": 5}}]},
    ],
}


def program_with(tmp_path: Path, extra: dict[str, Any]) -> Program:
    data = deep_merge(deep_merge(minimal_data(), SURVEYS), extra)
    program, result = load_program(write_program(tmp_path, data))
    assert program is not None, result.diagnostics
    return program


def html(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


def test_each_role_gets_only_its_questions(tmp_path: Path) -> None:
    program = program_with(tmp_path, {"measurement": {"returnTo": {"name": "Programme office"}}})
    files = render_documents(program, BuildOptions(formats=("md", "html")))
    mentor, mentee = html(files, "forms/closing-survey/mentor.html"), html(files, "forms/closing-survey/mentee.html")
    assert 'name="raise-topic"' in mentor and 'name="goal"' not in mentor
    assert 'name="goal"' in mentee and 'name="raise-topic"' not in mentee
    assert files["forms/closing-survey/mentor.csv"] == b"response_id,survey,role,occasion,respondent,raise-topic,avoid-talk\r\n"
    assert files["forms/closing-survey/mentee.csv"] == b"response_id,survey,role,occasion,respondent,goal\r\n"
    book = list(csv.reader(io.StringIO(files["forms/closing-survey/mentor.codebook.csv"].decode())))
    assert book[0] == ["column", "label", "type", "required", "values", "scale", "reverse", "audience", "metrics", "kind"]
    assert book[-1] == ["avoid-talk", "I avoid difficult talks.", "likert", "no", "1=1; 2=2; 3=3; 4=4; 5=5", "confidence", "yes",
                        "mentor", "", "question"]
    definition = json.loads(files["forms/closing-survey/mentor.json"])
    assert [c["name"] for c in definition["codebook"]] == definition["columns"]
    assert definition["codebook"][-1]["reverse"] is True and definition["returnTo"]["name"] == "Programme office"


def test_a_form_without_submit_to_never_posts_and_saves_a_file_to_return(tmp_path: Path) -> None:
    program = program_with(tmp_path, {"measurement": {"returnTo": {"name": "Programme office", "email": "office@example.org"}}})
    page = html(render_documents(program, BuildOptions(formats=("html",))), "forms/closing-survey/mentor.html")
    form_tag = re.search(r"<form [^>]*>", page)
    assert form_tag is not None and "action=" not in form_tag.group() and "method=" not in form_tag.group()
    # Enter presses the first submit button: a disabled one, so nothing reloads and loses the answers.
    assert re.search(r'<form [^>]*>\s*(\{#.*?#\}\s*)?<button type="submit" disabled hidden', page)
    assert page.count('type="submit"') == 1
    assert "save your answers as a file and send the file to Programme office (office@example.org)" in page
    assert '<button type="button" class="save-answers" hidden>' in page and "<noscript>" in page
    columns = json.loads(re.search(r'id="form-columns">([^<]*)</script>', page).group(1))  # type: ignore[union-attr]
    assert columns == ["response_id", "survey", "role", "occasion", "respondent", "raise-topic", "avoid-talk"]


def test_a_form_with_submit_to_posts_there(tmp_path: Path) -> None:
    program = program_with(tmp_path, {"measurement": {"submitTo": "https://forms.example.org/in"}})
    page = html(render_documents(program, BuildOptions(formats=("html",))), "forms/closing-survey/mentor.html")
    assert '<form class="survey-form" method="post" action="https://forms.example.org/in" accept-charset="utf-8">' in page
    assert "save-answers" not in page and 'action=""' not in page


def test_no_return_address_is_said_plainly(tmp_path: Path) -> None:
    program = program_with(tmp_path, {})
    files = render_documents(program, BuildOptions(formats=("md",)))
    assert "has not set a return address" in files["forms/closing-survey/mentor.md"].decode()


def test_forms_state_the_respondent_key(tmp_path: Path) -> None:
    named = render_documents(program_with(tmp_path, {}), BuildOptions(formats=("md", "html")))
    assert "asks for your participant ID" in named["forms/closing-survey/mentee.md"].decode()
    assert "anonymous" not in named["forms/closing-survey/mentee.md"].decode()
    assert 'name="respondent"' in html(named, "forms/closing-survey/mentee.html")
    coded = render_documents(program_with(tmp_path, {"measurement": {"respondentKey": "self-code"}}),
                             BuildOptions(formats=("md", "html")))
    text = coded["forms/closing-survey/mentee.md"].decode()
    assert "Your answers are anonymous" in text and "participant ID:" not in text
    page = html(coded, "forms/closing-survey/mentee.html")
    assert 'name="code-guardian"' in page and 'pattern="[A-Za-z]{2}"' in page
    assert '<input type="hidden" name="respondent" value="">' in page
    charter = coded["charter.md"].decode()
    assert "Every survey asks for neither your name nor your participant ID" in charter


def test_with_pairs_each_mentor_gets_a_form_about_each_mentee(tmp_path: Path) -> None:
    program = program_with(tmp_path, {"measurement": {"returnTo": {"name": "Programme office"}}})
    pairs = PairsFile(program.id, "published", [
        Match("m1", (Member("ana", "Ana Silva"),), (Member("ben", "Ben Okafor"),), 1.0),
        Match("m2", (Member("ana", "Ana Silva"),), (Member("cy", "Cy Tan"),), 1.0),
    ])
    files = render_documents(program, BuildOptions(formats=("md", "html"), pairs=pairs))
    about_ben = html(files, "forms/about-mentee/mentor/ana--ben.html")
    assert "This evaluation is about <strong>Ben Okafor</strong>, your mentee." in about_ben
    assert '<input type="hidden" name="about" value="ben">' in about_ben
    assert '<input type="hidden" name="respondent" value="ana">' in about_ben
    assert "forms/about-mentee/mentor/ana--cy.html" in files
    handbook = files["handbooks/people/ana.md"].decode()
    assert "### About your mentee (Ben Okafor)" in handbook and "### About your mentee (Cy Tan)" in handbook
    assert "forms/about-mentee/mentor/ana--ben.json" not in files  # the data files are the survey's and role's
    generic = html(files, "forms/about-mentee/mentor.html")
    assert "one copy of this form for each mentee" in generic and 'id="about" name="about"' in generic


def test_calendars_count_forms_about_each_partner(tmp_path: Path) -> None:
    program = program_with(tmp_path, {"measurement": {"returnTo": {"name": "Programme office"}}})
    calendars = calendar_files(program)
    mentor = calendars["roles/mentor.ics"].decode().replace("\r\n ", "")
    assert "Mentor: one form about each mentee you are paired with (up to 2)." in mentor
