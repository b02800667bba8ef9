"""Generated documents: golden files, structure, escaping, safety, determinism, following the program.

PDF tests live in test_documents_pdf.py (one small program only, so the suite stays quick).
Regenerate the golden files with `python -m programdsl.render.golden` (see tests/README.md).
"""

from __future__ import annotations

import copy

import csv
import io
import json
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from programdsl.api import Validator
from programdsl.cli import main
from programdsl.model import Program
from programdsl.output import safe_path, write_outputs
from programdsl.pairs import Match, Member, PairsFile
from programdsl.render import golden
from programdsl.render.dates import style_for
from programdsl.render.documents import BuildOptions, render_documents
from programdsl.render.escape import csv_cell, md_escape

from conftest import deep_merge, minimal_data, write_program

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
FAST = BuildOptions(formats=("md", "html"))
SCRIPT = "<script>alert(1)</script>"


def program_from(directory: Path, data: dict[str, Any], name: str = "program.yaml") -> Program:
    result = Validator().check_file(write_program(directory, data, name))
    assert result.program is not None and not result.errors, [d.message for d in result.diagnostics]
    return result.program


def rich_data() -> dict[str, Any]:
    """The minimal program with the parts documents render: phases, contacts, group sessions, an admin."""
    return deep_merge(minimal_data(), {
        "metadata": {"description": "Helping new leaders find their feet.", "owner": {"name": "Learning team"},
                     "version": "1.2.0", "locale": "en-GB"},
        "roles": {"admin": {"label": "Programme administrator", "responsibilities": ["Review the matches."]}},
        "schedule": {"phases": [
            {"id": "start", "name": "Getting going", "duration": "3 months", "topics": ["Goals", "Ground rules"]},
            {"id": "deepen", "name": "Going deeper", "topics": ["Feedback", "Networks", "Next steps"]},
        ]},
        "meetings": {"frequency": "monthly", "minutes": 60, "time": "10:00",
                     "groupSessions": [{"id": "lunch", "name": "Mentor lunch", "audience": ["mentor"],
                                        "frequency": "quarterly", "sessions": 2, "minutes": 60}]},
        "surveys": [{"id": "closing-survey", "title": "Closing survey", "audience": ["mentor", "mentee"],
                     "when": {"milestone": "closing"}, "questions": [
                         {"id": "confidence", "text": "I feel confident.", "type": "likert",
                          "scale": {"min": 1, "max": 5, "labels": ["Not at all", "A little", "Somewhat", "Mostly", "Fully"]},
                          "required": True, "metric": "confidence-score"},
                         {"id": "format", "text": "Which format suited you?", "type": "choice",
                          "options": ["In person", "Video call"]},
                         {"id": "again", "text": "Would you take part again?", "type": "yes-no"},
                         {"id": "sessions", "text": "How many sessions did you hold?", "type": "number"},
                         {"id": "comments", "text": "Anything else?", "type": "text"},
                     ]}],
        "contacts": [{"name": "Learning team", "role": "Questions about the programme", "email": "learning@example.org"}],
        "confidentiality": "What is said in sessions stays between the pair.",
        "conduct": "Be kind, be on time.",
    })


@pytest.fixture(scope="module")
def rich_program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    return program_from(tmp_path_factory.mktemp("rich"), rich_data())


@pytest.fixture(scope="module")
def rich_files(rich_program: Program) -> dict[str, bytes]:
    return render_documents(rich_program, FAST)


# --- golden files ---------------------------------------------------------------------------

@pytest.mark.parametrize("example", golden.example_files(), ids=[p.stem for p in golden.example_files()])
def test_golden_files(example: Path) -> None:
    """Every example's documents match tests/golden; on purpose changes: python -m programdsl.render.golden."""
    files = golden.expected_files(example)
    problems = golden.differences(example.stem, files)
    assert not problems, ("documents differ from the golden files; review the change and run "
                          "`python -m programdsl.render.golden`:\n" + "\n".join(problems[:20]))


def test_every_example_has_all_four_kinds_and_an_index() -> None:
    for example in EXAMPLES:
        folder = REPO / "tests" / "golden" / example.stem
        names = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
        assert {"index.md", "index.html", "charter.md", "charter.html"} <= names, example
        for kind in ("guides", "handbooks"):
            assert any(n.startswith(f"{kind}/") and n.endswith(".md") for n in names), (example, kind)
        assert any(n.startswith("forms/") and n.endswith(".print.html") for n in names), example


# --- HTML structure -----------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class FormAudit(HTMLParser):
    """Collects labels, inputs and fieldsets, and checks that tags nest properly."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.controls: list[dict[str, Any]] = []  # every user-facing input, with its fieldset context
        self.fieldsets: list[dict[str, Any]] = []
        self._open_fieldsets: list[dict[str, Any]] = []
        self._in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(str(attributes["id"]))
        if tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))
        if tag == "fieldset":
            record: dict[str, Any] = {"legend": "", "radios": []}
            self.fieldsets.append(record)
            self._open_fieldsets.append(record)
        if tag == "legend":
            self._in_legend = True
        if tag in ("input", "textarea", "select") and attributes.get("type") != "hidden":
            control = {"tag": tag, **attributes, "fieldset": self._open_fieldsets[-1] if self._open_fieldsets else None}
            self.controls.append(control)
            if attributes.get("type") == "radio" and self._open_fieldsets:
                self._open_fieldsets[-1]["radios"].append(attributes.get("name"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag == "fieldset":
            self._open_fieldsets.pop()
        if tag == "legend":
            self._in_legend = False

    def handle_data(self, data: str) -> None:
        if self._in_legend and self._open_fieldsets:
            self._open_fieldsets[-1]["legend"] += data


def audit(html: str) -> FormAudit:
    parser = FormAudit()
    parser.feed(html)
    parser.close()
    return parser


def test_every_html_document_is_well_nested_with_unique_ids(rich_files: dict[str, bytes]) -> None:
    for path, data in rich_files.items():
        if path.endswith(".html"):
            result = audit(data.decode("utf-8"))
            assert not result.errors, (path, result.errors[:5])
            assert not result.stack, (path, result.stack)
            duplicates = {i for i in result.ids if result.ids.count(i) > 1}
            assert not duplicates, (path, duplicates)


def test_form_inputs_are_labelled_and_likert_scales_are_fieldsets(rich_files: dict[str, bytes]) -> None:
    html = rich_files["forms/closing-survey/mentor.html"].decode("utf-8")
    result = audit(html)
    assert result.controls, "the form has inputs"
    for control in result.controls:
        assert control.get("id") in result.label_for, f"unlabelled {control['tag']} {control.get('name')}"
    radios = [c for c in result.controls if c.get("type") == "radio"]
    assert radios and all(c["fieldset"] is not None for c in radios), "every radio sits in a fieldset"
    for fieldset in result.fieldsets:
        assert fieldset["legend"].strip(), "every fieldset has a legend"
        assert len(set(fieldset["radios"])) == 1, "one radio group per fieldset"
    likert = next(f for f in result.fieldsets if "I feel confident." in f["legend"])
    assert likert["radios"] == ["confidence"] * 5
    names = {c.get("name") for c in result.controls}
    assert {"confidence", "format", "again", "sessions", "comments", "respondent"} <= names


def test_form_data_files_agree_with_the_form(rich_files: dict[str, bytes]) -> None:
    definition = json.loads(rich_files["forms/closing-survey/mentee.json"])
    assert definition["format"] == "programdsl-form/1"
    assert definition["audience"] == {"role": "mentee", "label": "Mentee"}
    columns = next(csv.reader(io.StringIO(rich_files["forms/closing-survey/mentee.csv"].decode())))
    assert columns == definition["columns"]
    assert columns[-5:] == ["confidence", "format", "again", "sessions", "comments"]
    likert = definition["questions"][0]
    assert likert["scale"] == {"min": 1, "max": 5} and likert["options"][0] == {"value": 1, "label": "Not at all"}
    assert likert["metric"] == "Confidence score"
    codebook = list(csv.DictReader(io.StringIO(rich_files["forms/closing-survey/mentee.codebook.csv"].decode())))
    assert [row["column"] for row in codebook] == columns
    assert codebook[-5]["values"] == "1=Not at all; 2=A little; 3=Somewhat; 4=Mostly; 5=Fully"


def test_handbook_has_a_table_of_contents_that_links_to_its_sections(rich_files: dict[str, bytes]) -> None:
    html = rich_files["handbooks/mentor.html"].decode("utf-8")
    targets = re.findall(r'<nav class="toc".*?</nav>', html, flags=re.S)[0]
    links = re.findall(r'href="#([^"]+)"', targets)
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert {"charter", "guide", "schedule", "forms"} <= set(links)
    assert set(links) <= ids
    markdown = rich_files["handbooks/mentor.md"].decode("utf-8")
    assert "## Contents" in markdown and "[Your guide](#your-guide)" in markdown
    # the handbook bundles the charter, the role's guide, its schedule and its forms
    for part in ("## The programme charter", "## Your guide", "## Your schedule", "## Your evaluation forms",
                 "### Session by session", "### Closing survey"):
        assert part in markdown


def test_index_links_every_generated_document(rich_files: dict[str, bytes]) -> None:
    html = rich_files["index.html"].decode("utf-8")
    links = set(re.findall(r'href="([^"#:]+)"', html))
    assert set(rich_files) - {"index.html", "index.md"} <= links, "every generated file is linked"
    for link in links:
        assert link in rich_files, f"index links to {link}, which was not generated"


def test_guides_are_tailored_to_role_and_type(rich_files: dict[str, bytes], tmp_path: Path) -> None:
    mentor = rich_files["guides/mentor.md"].decode()
    admin = rich_files["guides/admin.md"].decode()
    assert "## Session by session" in mentor and "## Session by session" not in admin
    assert "## Running the programme" in admin
    reverse = program_from(tmp_path, deep_merge(rich_data(), {"type": "reverse"}))
    files = render_documents(reverse, BuildOptions(formats=("md",)))
    assert "## Giving feedback upwards" in files["guides/mentor.md"].decode()
    assert "## Listening without defending" in files["guides/mentee.md"].decode()
    flash = program_from(tmp_path, deep_merge(minimal_data(), {"type": "flash"}), "flash.yaml")
    text = render_documents(flash, BuildOptions(formats=("md",)))["guides/mentor.md"].decode()
    assert "## Making one session count" in text and "Frame the question" in text


def test_agendas_fill_each_session_exactly(rich_program: Program) -> None:
    from programdsl.render.documents import DocumentBuild

    view = DocumentBuild(rich_program, FAST).view
    assert view.sessions
    for session in view.sessions:
        assert sum(item.minutes for item in session.agenda) == 60
        assert all(item.minutes % 5 == 0 for item in session.agenda)
    assert view.sessions[0].position == "first" and view.sessions[-1].position == "last"
    # the phases' topics are shared out over the phases' sessions, in order
    topics = [t for s in view.sessions for t in s.topics]
    assert topics[:2] == ["Goals", "Ground rules"]


# --- escaping --------------------------------------------------------------------------------

FREE_TEXT = {"name", "description", "label", "title", "text", "definition", "unit", "role", "phone", "reason",
             "confidentiality", "conduct"}
TEXT_LISTS = {"responsibilities", "topics", "options", "labels"}


def poison(value: Any, key: str | None = None) -> Any:
    """Every free-text field of a program, with a script tag added."""
    if isinstance(value, dict):
        return {k: poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in TEXT_LISTS:
            return [f"{item} {SCRIPT}" if isinstance(item, str) else item for item in value]
        return [poison(item) for item in value]
    if isinstance(value, str) and key in FREE_TEXT:
        return f"{value} {SCRIPT} & \"quotes\" 'too'"
    return value


def test_script_in_any_text_field_is_escaped_everywhere(tmp_path: Path) -> None:
    data = poison(rich_data())
    data["metadata"]["owner"]["name"] = f"Owner {SCRIPT}"
    program = program_from(tmp_path, data)
    files = render_documents(program, FAST)
    seen_in = 0
    for path, content in files.items():
        if path.endswith(".xlsx"):
            continue  # tests/test_xlsform.py reads the workbooks
        text = content.decode("utf-8")
        if path.endswith(".html"):
            # The only scripts are the form's own: its column list and the code that saves answers.
            text_outside = re.sub(r'(<script type="application/json" id="form-columns">[^<]*</script>\n)?<script>\n'
                                  r'// Builds the private code.*?</script>', "", text, flags=re.S)
            assert "<script" not in text_outside.lower(), path
            seen_in += "&lt;script&gt;" in text
        elif path.endswith(".md"):
            assert not re.search(r"(?<!\\)<(/?)script", text), path  # only ever as \<script\>
            seen_in += "\\<script\\>" in text
        elif path.endswith(".json"):
            assert SCRIPT in text  # JSON is data: kept exactly, for the consuming tool to escape
    assert seen_in >= 10, "the hostile text does appear, escaped"
    charter = files["charter.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in charter


def test_csv_cells_cannot_start_a_formula(tmp_path: Path) -> None:
    data = rich_data()
    questions = data["surveys"][0]["questions"]
    questions[0]["text"] = '=HYPERLINK("http://evil.example","click")'
    questions[1]["options"] = ["@SUM(1+1)", "+1 then -1", "-2", "\tTabbed"]
    program = program_from(tmp_path, data)
    files = render_documents(program, BuildOptions(formats=("md",)))
    rows = list(csv.reader(io.StringIO(files["forms/closing-survey/mentor.codebook.csv"].decode())))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("\rX") == "'\rX" and csv_cell("plain") == "plain"
    assert csv_cell(3) == "3"


def test_markdown_escaping_keeps_text_readable() -> None:
    assert md_escape("Don't panic: 6-12 months & more") == "Don't panic: 6-12 months & more"
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("a | b [x](y) *z* <b>") == "a \\| b \\[x\\](y) \\*z\\* \\<b\\>"
    assert md_escape("version 1.0.0") == "version 1.0.0"


# --- output safety ---------------------------------------------------------------------------

HOSTILE = ["../../etc/passwd", "/absolute", "..", "con", "a/b\\c", "name\x00nul", "ünïcödé name", "x" * 300, ""]


def test_person_handbooks_never_escape_the_output_directory(rich_program: Program, tmp_path: Path) -> None:
    matches = [
        Match(f"m{i}", (Member(hostile, f"Mentor {SCRIPT}", "a@example.org"),), (Member(f"mentee-{i}", "Mentee"),), 0.9)
        for i, hostile in enumerate(HOSTILE)
    ]
    pairs = PairsFile(rich_program.id, "draft", matches)
    files = render_documents(rich_program, BuildOptions(formats=("md", "html"), pairs=pairs))
    people = [p for p in files if p.startswith("handbooks/people/")]
    assert len(people) == 2 * 2 * len(HOSTILE)  # mentor and mentee of each match, md and html
    assert len(set(people)) == len(people)
    out = tmp_path / "out"
    for relative in files:
        target = safe_path(out, relative)  # raises for anything unsafe
        assert out.resolve() in target.parents
    write_outputs(out, files)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".programdsl-lock"}
    assert written == set(files)
    assert not any(tmp_path.glob("etc*")) and not (tmp_path / "passwd").exists()
    page = files[next(p for p in people if p.endswith(".html") and "etc" in p)].decode()
    assert "&lt;script&gt;" in page and "These matches are a draft" in page


def test_writer_refuses_hostile_paths(tmp_path: Path) -> None:
    from programdsl.output import OutputError

    for bad in ("../escape.md", "/etc/passwd", "guides/../../x.md", "a\\b.md", "guides//x.md"):
        with pytest.raises(OutputError):
            write_outputs(tmp_path / "out", {"index.md": b"ok", bad: b"bad"})
    assert not (tmp_path / "out" / "index.md").exists(), "nothing is written when one path is refused"
    assert not (tmp_path / "escape.md").exists()


# --- determinism and atomicity -----------------------------------------------------------------

def test_two_builds_are_byte_identical(rich_program: Program, rich_files: dict[str, bytes]) -> None:
    again = render_documents(rich_program, FAST)
    assert list(again) == list(rich_files)
    assert again == rich_files


def test_cli_builds_then_a_template_error_leaves_the_previous_output(tmp_path: Path) -> None:
    program = write_program(tmp_path, rich_data())
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(program), "-o", str(out), "--format", "md,html"])
    assert first.exit_code == 0, first.output
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert out / "index.html" in before and out / "calendars" / "program.ics" in before

    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "handbook.md.j2").write_text("# {{ program.name }}\n\n{{ no_such_variable }}\n", encoding="utf-8")
    changed = write_program(tmp_path, deep_merge(rich_data(), {"metadata": {"name": "Renamed"}}))
    second = runner.invoke(main, ["build", str(changed), "-o", str(out), "--format", "md,html",
                                  "--templates", str(broken)])
    assert second.exit_code == 1
    assert f"{broken / 'handbook.md.j2'}:3:" in second.output
    assert "no_such_variable" in second.output
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "a failed build changes nothing"


def test_user_templates_are_sandboxed_and_override_single_files(tmp_path: Path, rich_program: Program) -> None:
    from programdsl.render.templating import TemplateFailure

    own = tmp_path / "tpl"
    own.mkdir()
    (own / "charter.md.j2").write_text("# Our charter for {{ program.name }}\n", encoding="utf-8")
    files = render_documents(rich_program, BuildOptions(formats=("md",), templates=own))
    assert files["charter.md"].decode().startswith("# Our charter for Pilot program")
    assert "## Your guide" in files["handbooks/mentee.md"].decode()  # the rest is still shipped

    (own / "charter.md.j2").write_text("ok\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    with pytest.raises(TemplateFailure) as caught:
        render_documents(rich_program, BuildOptions(formats=("md",), templates=own))
    assert caught.value.file.endswith("charter.md.j2") and caught.value.line == 2

    (own / "charter.md.j2").write_text("{% for x in %}\n", encoding="utf-8")
    with pytest.raises(TemplateFailure) as caught:
        render_documents(rich_program, BuildOptions(formats=("md",), templates=own))
    assert caught.value.line == 1 and "syntax" in str(caught.value)


def test_html_templates_autoescape_and_undefined_is_an_error(tmp_path: Path, rich_program: Program) -> None:
    from programdsl.render.templating import TemplateFailure

    own = tmp_path / "tpl"
    own.mkdir()
    (own / "index.html.j2").write_text("<p>{{ '<b>' }}</p>\n", encoding="utf-8")
    files = render_documents(rich_program, BuildOptions(formats=("html",), templates=own))
    assert files["index.html"] == b"<p>&lt;b&gt;</p>\n"
    (own / "index.html.j2").write_text("<p>{{ program.nmae }}</p>\n", encoding="utf-8")
    with pytest.raises(TemplateFailure):
        render_documents(rich_program, BuildOptions(formats=("html",), templates=own))


# --- documents follow the program ------------------------------------------------------------

def test_changing_cadence_or_an_objective_changes_the_documents(tmp_path: Path, rich_files: dict[str, bytes]) -> None:
    base_guide = rich_files["guides/mentor.md"].decode()
    assert "every month" in base_guide
    biweekly = program_from(tmp_path, deep_merge(rich_data(), {"meetings": {"frequency": "biweekly"}}), "a.yaml")
    guide = render_documents(biweekly, FAST)["guides/mentor.md"].decode()
    assert "every two weeks" in guide and "every month" not in guide
    assert guide.count("### Session ") > base_guide.count("### Session ")

    data = rich_data()
    data["objectives"][0]["title"] = "Mentees lead their first project"
    renamed = program_from(tmp_path, data, "b.yaml")
    files = render_documents(renamed, FAST)
    for path in ("charter.md", "charter.html", "handbooks/mentee.md", "handbooks/mentor.html"):
        assert "Mentees lead their first project" in files[path].decode(), path
        assert "Mentees grow in confidence" not in files[path].decode(), path


def test_dates_follow_the_locale(tmp_path: Path) -> None:
    us = program_from(tmp_path, deep_merge(rich_data(), {"metadata": {"locale": "en-US"}}), "us.yaml")
    files = render_documents(us, BuildOptions(formats=("md",)))
    charter = files["charter.md"].decode()
    assert "January 5" in charter and "## About the program\n" in charter and "the programme team" not in charter
    assert "10:00 AM" in files["guides/mentor.md"].decode()
    gb = style_for("en-GB")
    import datetime as dt

    day = dt.date(2026, 10, 5)
    assert gb.date(day, weekday=True) == "Monday 5 October 2026"
    assert style_for("en-US").date(day, weekday=True) == "Monday, October 5, 2026"
    assert style_for("en-AU").time(dt.time(14, 5)) == "2:05 pm"
    assert style_for("fr-FR") is gb


# --- the command -----------------------------------------------------------------------------

def test_cli_reports_validation_errors_like_validate(tmp_path: Path) -> None:
    bad = write_program(tmp_path, deep_merge(minimal_data(), {"objectives": [{"id": "x", "title": "X",
                                                                             "beneficiary": "mentee",
                                                                             "metrics": ["nope"]}]}))
    result = CliRunner().invoke(main, ["build", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert re.search(r"program\.yaml:\d+:\d+: error\[PD\d+\]", result.output)
    assert not (tmp_path / "out").exists()


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    program = write_program(tmp_path, minimal_data())
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(program), "-o", str(tmp_path / "o"), "--format", "docx"]).exit_code == 2
    assert runner.invoke(main, ["build", str(program)]).exit_code == 2
    assert runner.invoke(main, ["build", str(tmp_path / "missing.yaml"), "-o", "x"]).exit_code == 2


def test_cli_writes_only_the_chosen_formats(tmp_path: Path) -> None:
    program = write_program(tmp_path, rich_data())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(program), "-o", str(out), "--format", "md", "--no-calendars"])
    assert result.exit_code == 0, result.output
    suffixes = {p.suffix for p in out.rglob("*") if p.is_file() and p.name not in (".programdsl-build", ".programdsl-lock")}
    assert suffixes == {".md", ".json", ".csv", ".xlsx"}  # the data files come with every format
    assert os.path.exists(out / "index.md") and not (out / "calendars").exists()


def test_a_rebuild_removes_what_the_program_no_longer_produces_and_nothing_else(tmp_path: Path) -> None:
    data = rich_data()
    pulse = copy.deepcopy(data["surveys"][0])
    pulse.update(id="pulse", title="Pulse check", audience=["mentee"])
    data["surveys"].append(pulse)
    program = write_program(tmp_path, data)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(program), "-o", str(out), "--format", "md,html"]).exit_code == 0
    pulse_files = sorted(str(p.relative_to(out)) for p in (out / "forms" / "pulse").iterdir())
    assert pulse_files == [f"forms/pulse/mentee.{kind}" for kind in ("codebook.csv", "csv", "html", "json", "md", "print.html",
                                                                     "xlsx")]
    (out / "notes.txt").write_text("the coordinator's own file")
    (out / "forms" / "closing-survey" / "mentor.csv").write_text("responses collected by hand\n")
    (tmp_path / "victim.txt").write_text("outside the output directory")
    record = out / ".programdsl-build"
    record.write_text(record.read_text() + f"{'0' * 64}  ../victim.txt\n{'0' * 64}  forms\n")

    data["surveys"] = [survey for survey in data["surveys"] if survey["id"] != "pulse"]
    data["surveys"][0]["audience"] = ["mentee"]
    write_program(tmp_path, data)
    second = runner.invoke(main, ["build", str(program), "-o", str(out), "--format", "md"])
    assert second.exit_code == 0, second.output

    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert not (out / "forms" / "pulse").exists()  # its directory went with its files
    assert not any(name.endswith(".html") for name in left)
    assert "notes.txt" in left and (tmp_path / "victim.txt").exists()
    assert (out / "forms" / "closing-survey" / "mentor.csv").read_text() == "responses collected by hand\n"
    assert "forms/closing-survey/mentor.md" not in left  # unchanged since written, so removed
    assert re.search(r"^removed 23 files an earlier build wrote that this one no longer produces: charter.html, "
                     r"forms/closing-survey/mentee.html, .* and 18 more$", second.output, re.M)
    assert ("kept 1 file an earlier build wrote that this one no longer produces, because it was changed since: "
            "forms/closing-survey/mentor.csv") in second.output
    recorded = [line.split("  ")[1] for line in record.read_text().splitlines() if not line.startswith("#")]
    assert recorded == sorted(name for name in left if name not in ("notes.txt", "forms/closing-survey/mentor.csv",
                                                                   ".programdsl-build", ".programdsl-lock"))


def test_guidance_wording_can_be_overridden_and_errors_are_located(tmp_path: Path, rich_program: Program) -> None:
    from programdsl.render.templating import TemplateFailure

    own = tmp_path / "tpl"
    own.mkdir()
    (own / "guidance.yaml").write_text(
        "types: {}\ncommon:\n  mentor:\n    - title: Our own advice for the {programme}\n      text: Be curious.\n"
        "agendas: {}\n", encoding="utf-8")
    guide = render_documents(rich_program, BuildOptions(formats=("md",), templates=own))["guides/mentor.md"].decode()
    assert "## Our own advice for the programme" in guide and "Be curious." in guide
    assert "## Listening and asking good questions" not in guide

    (own / "guidance.yaml").write_text("types: {}\ncommon: [unclosed\n", encoding="utf-8")
    with pytest.raises(TemplateFailure) as caught:
        render_documents(rich_program, BuildOptions(formats=("md",), templates=own))
    assert caught.value.file.endswith("guidance.yaml") and caught.value.line is not None


# --- review regressions: paths, names, guidance, escaping, wording, agendas ------------------------

LINK = re.compile(r'(?:\]\(|href=")([^)"#]+)[)"#]')


def local_links(text: str) -> list[str]:
    return [t for t in LINK.findall(text) if not t.startswith(("http:", "https:", "mailto:", "data:"))]


def test_ids_that_are_windows_device_names_get_safe_paths_and_working_links(tmp_path: Path) -> None:
    data = deep_merge(rich_data(), {"roles": {"aux": {"label": "Auxiliary"}, "con": {"label": "Console"}}})
    data["surveys"][0]["id"] = "com1"
    data["surveys"][0]["audience"] = ["mentor", "aux"]
    program = write_program(tmp_path, data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(program), "-o", str(out), "--format", "md,html"])
    assert result.exit_code == 0, result.output
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert not any(part.split(".")[0] in ("aux", "con", "com1") for p in written for part in p.split("/"))
    assert any(p.startswith("guides/aux-") for p in written) and any(p.startswith("forms/com1-") for p in written)
    assert any(p.startswith("calendars/roles/con-") for p in written)
    for page in [p for p in written if p.endswith((".md", ".html")) and p.startswith(("index", "handbooks/"))]:
        folder = posixpath.dirname(page)
        for target in local_links((out / page).read_text(encoding="utf-8")):
            assert posixpath.normpath(posixpath.join(folder, target)) in written, (page, target)
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[Everything for auxiliaries](calendars/roles/aux-" in index  # the role's label, not its file name


def test_people_and_pairs_that_differ_only_in_case_get_distinct_files(rich_program: Program, tmp_path: Path) -> None:
    from programdsl.render.calendar import calendar_files

    matches = [Match("Ana-Ben", (Member("Ana", "Ana One", "ana1@example.org"),), (Member("ben", "Ben One"),), 0.9),
               Match("ana-ben", (Member("ana", "Ana Two", "ana2@example.org"),), (Member("Ben", "Ben Two"),), 0.8)]
    pairs = PairsFile(rich_program.id, "published", matches)

    def build() -> dict[str, bytes]:
        calendars = {f"calendars/{p}": d for p, d in calendar_files(rich_program, pairs=pairs).items()}
        return {**render_documents(rich_program, BuildOptions(formats=("html",), pairs=pairs), list(calendars)),
                **calendars}

    files = build()
    assert build() == files  # the same names every time
    write_outputs(tmp_path / "out", files)  # refuses names that differ only in case
    people = sorted(p for p in files if p.startswith("handbooks/people/"))
    assert len(people) == 4 and len({p.casefold() for p in people}) == 4
    assert len([p for p in files if p.startswith("calendars/pairs/")]) == 2
    assert len([p for p in files if p.startswith("calendars/people/")]) == 4
    for path in people:  # each handbook links its own calendar, whose sessions are its pair's
        page = files[path].decode()
        person = re.search(r'<p class="lede">Handbook for ([^,]+),', page).group(1)  # type: ignore[union-attr]
        link = re.search(r'<a href="([^"]+\.ics)">Add everything you attend', page).group(1)  # type: ignore[union-attr]
        own = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
        assert own.startswith("calendars/people/") and own.removeprefix("calendars/people/") == posixpath.basename(path).replace(".html", ".ics")
        calendar = files[own].decode().replace("\r\n ", "")
        assert person in calendar, (path, link)
        sessions = {u for u in re.findall(r"\r\nUID:(sessions?[^\r]*)", calendar)}
        pair_uids = [set(re.findall(r"\r\nUID:([^\r]*)", files[p].decode().replace("\r\n ", "")))
                     for p in files if p.startswith("calendars/pairs/")]
        assert sessions and any(sessions == uids for uids in pair_uids), path


@pytest.mark.parametrize("text, key, line", [
    ("types: oops\n", "types: expected a mapping", 1),
    ("- just\n- a list\n", "expected a mapping with types, common and agendas", None),
    ("agendas:\n  default:\n    middle:\n      - {title: Talk, share: lots}\n",
     "agendas.default.middle[0].share: share must be a positive number", 4),
    ("agendas:\n  default:\n    middle: {title: Talk}\n", "agendas.default.middle: expected a list of agenda steps", 3),
    ("agendas:\n  default:\n    sometimes: []\n", "agendas.default.sometimes: unknown key 'sometimes'", 3),
    ("common:\n  mentor:\n    - text: A section without a title\n", "common.mentor[0]: a section needs a title", 3),
    ("common:\n  mentor:\n    - title: Tips\n      tips: {a: b}\n", "common.mentor[0].tips: expected text", 4),
    ("types:\n  reverse:\n    intro: Just one text\n", "types.reverse.intro: expected a mapping", 3),
    ("typos: {}\n", "typos: unknown key 'typos'", 1),
])
def test_a_malformed_guidance_file_is_a_located_template_failure(tmp_path: Path, rich_program: Program,
                                                                 text: str, key: str, line: int | None) -> None:
    from programdsl.render.templating import TemplateFailure

    own = tmp_path / "tpl"
    own.mkdir()
    (own / "guidance.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateFailure) as caught:
        render_documents(rich_program, BuildOptions(formats=("md",), templates=own))
    assert caught.value.file.endswith("guidance.yaml")
    assert key in caught.value.message
    if line is not None:
        assert caught.value.line == line


def test_cli_reports_a_malformed_guidance_file_without_a_traceback(tmp_path: Path) -> None:
    program = write_program(tmp_path, rich_data())
    own = tmp_path / "tpl"
    own.mkdir()
    (own / "guidance.yaml").write_text("types: {}\nagendas:\n  default:\n    first:\n      - {share: '2'}\n")
    result = CliRunner().invoke(main, ["build", str(program), "-o", str(tmp_path / "out"), "--format", "md",
                                       "--templates", str(own)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "guidance.yaml:5: agendas.default.first[0].share: share must be a positive number" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_markdown_escaping_stops_rules_setext_headings_lists_and_code() -> None:
    assert md_escape("---") == "\\---" and md_escape("===") == "\\==="
    assert md_escape("***") == "\\*\\*\\*" and md_escape("___") == "\\_\\_\\_"
    assert md_escape("- - -") == "\\- - -" and md_escape("+ plus") == "\\+ plus"
    assert md_escape("## two") == "\\## two" and md_escape(" # spaced") == " \\# spaced"
    assert md_escape("1) first") == "1\\) first" and md_escape("12. twelfth") == "12\\. twelfth"
    assert md_escape("> quote") == "\\> quote" and md_escape("```fence") == "\\`\\`\\`fence"
    assert md_escape("        indented code") == " indented code"  # never four spaces: no code block
    assert md_escape("a | b") == "a \\| b"
    # ordinary text stays as it is
    for plain in ("-2 degrees", "--verbose", "#hashtag", "1.5 hours", "a-b", "x = y"):
        assert md_escape(plain) == plain


RULE_OR_UNDERLINE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)")


def test_values_cannot_become_rules_or_headings_in_markdown_documents(tmp_path: Path) -> None:
    data = deep_merge(rich_data(), {"metadata": {"description": "==="}, "conduct": "---", "confidentiality": "***"})
    data["roles"]["admin"]["responsibilities"] = ["___", "1) numbered", "+ plus", "# hash", "- - -"]
    data["schedule"]["phases"][0]["topics"] = ["---", "==="]
    program = program_from(tmp_path, data)
    files = render_documents(program, BuildOptions(formats=("md",)))
    for path, content in files.items():
        if not path.endswith(".md"):
            continue
        for number, line in enumerate(content.decode().splitlines(), start=1):
            item = re.sub(r"^(?:- |\d+\. )", "", line)  # what a list item holds
            assert not RULE_OR_UNDERLINE.fullmatch(line) and not RULE_OR_UNDERLINE.fullmatch(item), (path, number, line)
    charter = files["charter.md"].decode()
    assert "\n\\===\n" in charter and "\n\\---\n" in charter


def test_only_plain_addresses_become_mailto_links(tmp_path: Path) -> None:
    data = rich_data()
    data["metadata"]["owner"] = {"name": "Owner", "email": "owner@example.org?cc=spy%40evil.example"}
    data["contacts"] = [{"name": "Evil", "role": "Help", "email": "help@example.org?bcc=spy%40evil.example"},
                        {"name": "Good", "role": "Help", "email": "good@example.org"}]
    program = program_from(tmp_path, data)
    pairs = PairsFile(program.id, "published", [
        Match("m1", (Member("a", "Ann", "a@b.example?bcc=evil@x.example"),), (Member("b", "Bo", "bo@example.org"),), 0.9)])
    files = render_documents(program, BuildOptions(formats=("html",), pairs=pairs))
    links = [href for path, content in files.items() if not path.endswith(".xlsx")
             for href in re.findall(r'href="mailto:([^"]*)"', content.decode())]
    assert links and all(not re.search(r"[?&%#]", href) for href in links), links
    assert "good@example.org" in links and "bo@example.org" in links
    charter = files["charter.html"].decode()
    assert "help@example.org?bcc=spy%40evil.example" in charter  # still shown, as text
    assert "owner@example.org?cc=spy%40evil.example" in charter
    person = files["handbooks/people/b.html"].decode()
    assert "a@b.example?bcc=evil@x.example" in person and 'href="mailto:a@b' not in person


def test_wording_follows_the_locale_in_documents_and_calendars(tmp_path: Path) -> None:
    from programdsl.render.calendar import calendar_files

    def build(locale: str) -> tuple[dict[str, bytes], dict[str, str]]:
        data = deep_merge(rich_data(), {"metadata": {"locale": locale}, "meetings": {"format": "virtual"}})
        data["objectives"].append({"id": "retention", "title": "People stay", "beneficiary": "organization",
                                   "metrics": ["confidence-score"]})
        data["training"] = [{"id": "intro", "title": "Introduction", "audience": ["mentor", "mentee"],
                             "when": {"milestone": "kickoff"}, "format": "virtual"}]
        del data["meetings"]["time"]  # all-day sessions, like the group sessions and the training
        program = program_from(tmp_path, data, f"{locale}.yaml")
        calendars = {name: data.decode().replace("\r\n ", "").replace("\\,", ",")
                     for name, data in calendar_files(program).items()}
        return render_documents(program, BuildOptions(formats=("md",))), calendars

    us, us_calendars = build("en-US")
    assert "*Mainly benefits: The organization*" in us["charter.md"].decode()
    assert "organizer" not in us_calendars["program.ics"] + us_calendars["meetings.ics"]
    gb, gb_calendars = build("en-GB")
    assert "*Mainly benefits: The organisation*" in gb["charter.md"].decode()
    assert "organiser" not in gb_calendars["program.ics"] + gb_calendars["meetings.ics"]
    for documents, calendars in ((us, us_calendars), (gb, gb_calendars)):
        assert "by video call" in documents["guides/mentor.md"].decode()  # the same phrase everywhere
        assert "By video call" in calendars["program.ics"] and "by video call" in calendars["meetings.ics"]
        assert "online" not in calendars["program.ics"] + calendars["meetings.ics"]


@pytest.mark.parametrize("minutes", [5, 10, 15, 20, 25, 47, 60, 95])
def test_agendas_add_up_to_the_session_length_however_short(tmp_path: Path, minutes: int) -> None:
    from programdsl.render.documents import DocumentBuild

    program = program_from(tmp_path, deep_merge(rich_data(), {"meetings": {"minutes": minutes}}))
    view = DocumentBuild(program, FAST).view
    assert view.sessions
    for session in view.sessions:
        assert sum(item.minutes for item in session.agenda) == minutes, session.agenda
        assert all(item.minutes > 0 for item in session.agenda)
    guide = render_documents(program, BuildOptions(formats=("md",)))["guides/mentor.md"].decode()
    first = guide.split("### Session 1 ", 1)[1].split("###", 1)[0]
    assert sum(int(m) for m in re.findall(r"\*\*(\d+) min,", first)) == minutes


def test_a_short_session_keeps_the_step_with_its_topics() -> None:
    from programdsl.render.context import build_agenda

    steps = [{"title": "Check in", "share": 1}, {"title": "Talk", "share": 3, "topics": True},
             {"title": "Wrap up", "share": 1}, {"title": "Plan", "share": 2}]
    agenda = build_agenda(steps, 10, ("Feedback",))
    assert [(i.title, i.minutes) for i in agenda] == [("Talk", 5), ("Plan", 5)]
    assert agenda[0].topics == ("Feedback",)
    assert [i.minutes for i in build_agenda(steps, 5, ())] == [5]
    assert [i.minutes for i in build_agenda(steps, 60, ())] == [10, 25, 10, 15]


@pytest.mark.parametrize("locale, paper", [("en-US", "letter"), ("en-CA", "letter"), ("en-PH", "letter"),
                                           ("es-MX", "letter"), ("en-GB", "A4"), ("en-AU", "A4"), ("en-IN", "A4"),
                                           ("fr-FR", "A4"), ("en-Latn-US", "letter")])
def test_pdf_paper_size_follows_the_locale(tmp_path: Path, locale: str, paper: str) -> None:
    program = program_from(tmp_path, deep_merge(rich_data(), {"metadata": {"locale": locale}}))
    charter = render_documents(program, BuildOptions(formats=("html",)))["charter.html"].decode()
    assert f"@page {{ size: {paper}; }}" in charter


def test_the_midpoint_session_follows_the_milestone_of_kind_midpoint(tmp_path: Path) -> None:
    from programdsl.render.documents import DocumentBuild
    import datetime as dt

    data = deep_merge(rich_data(), {"meetings": {"frequency": "weekly", "sessions": 12}})
    data["schedule"]["milestones"] = [
        {"id": "kickoff", "name": "Kickoff", "kind": "kickoff", "at": "start"},
        {"id": "midpoint", "name": "Early review", "kind": "review", "week": 3},  # an id, not a kind
        {"id": "halfway", "name": "Halfway", "kind": "midpoint", "week": 8},
        {"id": "closing", "name": "Closing", "kind": "closing", "at": "end"},
    ]
    program = program_from(tmp_path, data)
    view = DocumentBuild(program, FAST).view
    halfway = next(m for m in view.milestones if m.id == "halfway")
    middle = [s for s in view.sessions if s.position == "midpoint"]
    assert len(middle) == 1
    earlier = [s for s in view.sessions if s.when.iso < halfway.when.iso]  # type: ignore[union-attr]
    assert middle[0].number == len(earlier) + 1
    for session in view.sessions:  # the weekday comes from the date itself
        day = dt.date.fromisoformat(session.when.iso)
        assert session.when.weekday == day.strftime("%A")


def test_whole_number_floats_render_like_ints(tmp_path: Path) -> None:
    from programdsl.render.calendar import calendar_files

    as_ints = deep_merge(rich_data(), {"meetings": {"minutes": 45, "sessions": 4}, "calendar": {"reminders": [15]}})
    as_floats = deep_merge(rich_data(), {"meetings": {"minutes": 45.0, "sessions": 4.0},
                                         "calendar": {"reminders": [15.0]}})
    as_floats["metrics"][0].update({"baseline": 3.0, "target": 4.0})
    as_floats["surveys"][0]["questions"][0]["scale"].update({"min": 1.0, "max": 5.0})
    first = program_from(tmp_path, as_ints, "ints.yaml")
    second = program_from(tmp_path, as_floats, "floats.yaml")
    assert render_documents(first, FAST) == render_documents(second, FAST)
    assert calendar_files(first) == calendar_files(second)


def test_the_build_example_in_the_docs_prints_what_the_command_prints(tmp_path: Path) -> None:
    """docs/documents.md quotes a build; its figures must be the ones the command gives today."""
    text = (REPO / "docs" / "documents.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ programdsl (build [^\n]+)\n(.*?)```", text, re.S)
    assert block is not None
    args = block.group(1).split()
    out = args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(tmp_path / "out")
    args = [str(REPO / a) if a.startswith("examples/") else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    expected = block.group(2).replace(f"{out.rstrip('/')}", "OUT")
    assert result.output.replace(str(tmp_path / "out"), "OUT") == expected


# --- wording: sentences built from the file's values ----------------------------------------------

def test_word_helpers_write_lengths_counts_and_articles_as_prose() -> None:
    from programdsl.render import words

    assert [words.duration(m) for m in (30, 50, 60, 80, 90, 120, 125)] == [
        "30 minutes", "50 minutes", "1 hour", "1 hour 20 minutes", "1 hour 30 minutes", "2 hours", "2 hours 5 minutes"]
    assert [words.approximate_duration(m) for m in (20, 50, 80, 140, 150, 870, 885)] == [
        "about 20 minutes", "about 50 minutes", "about 1 hour 20 minutes", "about 2½ hours", "about 2½ hours",
        "about 14½ hours", "about 15 hours"]
    assert [words.times(n) for n in (1, 2, 3, 14)] == ["once", "twice", "three times", "14 times"]
    assert [words.with_article(n) for n in ("reverse mentor", "executive partner", "HR adviser", "CEO",
                                            "university lecturer", "hour-long guest")] == [
        "a reverse mentor", "an executive partner", "an HR adviser", "a CEO", "a university lecturer",
        "an hour-long guest"]
    # sentence-case labels are ordinary nouns; title case, acronyms and names keep their capitals
    assert [words.role_noun(label) for label in ("Reverse mentor", "Host's supervisor", "Near-peer mentor",
                                                 "Chief Operating Officer", "CEO", "HR partner")] == [
        "reverse mentor", "host's supervisor", "near-peer mentor", "Chief Operating Officer", "CEO", "HR partner"]
    assert [words.plural(n) for n in ("host", "board secretary", "coach", "day")] == [
        "hosts", "board secretaries", "coaches", "days"]


def _no_decimal_hours(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        if path.endswith((".md", ".html")):
            assert not re.search(r"\b\d+\.\d+ hours?\b", data.decode()), path


def test_a_group_session_run_by_a_supporting_role_asks_the_minimum_only_of_the_participants(tmp_path: Path) -> None:
    data = deep_merge(rich_data(), {
        "roles": {"mentor": {"label": "Reverse mentor"}, "mentee": {"label": "Consultant mentee"},
                  "facilitator": {"label": "Supervision facilitator", "responsibilities": ["Run the sessions."]}},
        "meetings": {"initiator": "mentee", "groupSessions": [
            {"id": "supervision", "name": "Group supervision", "audience": ["mentor", "facilitator"],
             "frequency": "bimonthly", "sessions": 3, "minutes": 90, "minimumAttendance": 2},
            {"id": "hosts", "name": "Mentors' get-together", "audience": ["mentor"], "frequency": "once",
             "sessions": 1, "minutes": 60}]},
    })
    files = render_documents(program_from(tmp_path, data), FAST)
    charter = files["charter.md"].decode()
    assert ("**Group supervision.** Reverse mentors and supervision facilitators meet every two months, three "
            "times in all, for 1 hour 30 minutes each time. Each reverse mentor attends at least two of the three.\n") in charter
    # no field says how often the role that runs the meetings attends, so no sentence claims it
    assert "attend all of them" not in charter and "please be at every one" not in files["guides/facilitator.md"].decode()
    assert "**Mentors' get-together.** Reverse mentors meet once, for 1 hour.\n" in charter
    assert "Sessions are arranged by the consultant mentee." in charter
    assert "As a reverse mentor, you agree to:" in charter and "As a supervision facilitator, you agree to:" in charter
    # the facilitator's time counts every meeting they run: 3 × 90 minutes
    assert "| Supervision facilitator | none | none | 4 hours 30 minutes | about 4½ hours |" in charter
    facilitator = files["guides/facilitator.md"].decode()
    assert ("**Group supervision.** With reverse mentors: three meetings of 1 hour 30 minutes. The meetings are for "
            "reverse mentors, who each attend at least two of the three.\n") in facilitator
    assert "Please attend at least" not in facilitator
    assert "This guide is for you as a supervision facilitator in Pilot program." in facilitator
    mentor = files["guides/mentor.md"].decode()
    assert ("**Group supervision.** With other reverse mentors and supervision facilitators: three meetings of "
            "1 hour 30 minutes. Please attend at least two of the three.") in mentor
    assert "- **Who arranges them:** your consultant mentee" in mentor
    assert "*Guide for reverse mentors*" in mentor
    _no_decimal_hours(files)


def test_a_mentors_time_counts_every_partner_their_capacity_allows(tmp_path: Path) -> None:
    data = deep_merge(rich_data(), {
        "type": "flash",
        "schedule": {"phases": []},  # the preset's weeks are too short for the rich program's phases
        "roles": {"mentee": {"label": "Question asker"}},
        "meetings": {"frequency": "once", "sessions": 1, "minutes": 30, "format": "virtual", "initiator": "mentee",
                     "groupSessions": []},
        "pairing": {"mode": "one-to-many", "capacity": {"mentor": 4, "mentee": 1}},
    })
    files = render_documents(program_from(tmp_path, data), FAST)
    charter = files["charter.md"].decode()
    assert "Each pair meets once, for 30 minutes, by video call. The question asker arranges it." in charter
    # four 30-minute conversations and 30 minutes' training; the mentee holds one conversation
    assert ("| Flash mentor | 1 × 30 minutes with each of up to four question askers | 30 minutes | none | "
            "about 2½ hours, with four question askers |") in charter
    assert "| Question asker | 1 × 30 minutes | 20 minutes | none | about 50 minutes |" in charter
    assert "| Programme administrator | none | none | none | none |" in charter
    guide = files["guides/mentor.md"].decode()
    assert "- **Sessions:** one session of 30 minutes with each of up to four question askers, by video call" in guide
    assert "- **Who arranges them:** each of your question askers" in guide
    assert "## The session" in guide and "Session 1 of 1" not in guide
    _no_decimal_hours(files)


def test_measures_name_their_survey_without_doubled_punctuation(tmp_path: Path) -> None:
    data = rich_data()
    data["surveys"][0]["title"] = "How was your conversation?"
    data["metrics"] = [dict(data["metrics"][0], source={"kind": "survey", "survey": "closing-survey"}),
                       {**data["metrics"][0], "id": "staff-survey", "name": "Staff survey score",
                        "source": {"kind": "other", "description": "The annual staff survey"}},
                       {**data["metrics"][0], "id": "vague", "name": "Vague", "source": {"kind": "other"}}]
    data["objectives"][0]["metrics"] = ["confidence-score", "staff-survey", "vague"]
    charter = render_documents(program_from(tmp_path, data), FAST)["charter.md"].decode()
    assert "Measured by the survey “How was your conversation?”\n" in charter
    assert "Source: The annual staff survey.\n" in charter
    assert "another source" not in charter and "?." not in charter
    assert "- **Vague:** Self-rated confidence at the closing survey\n" in charter


@pytest.mark.parametrize("program_type, absent", [
    ("group", ("your partner's view", "Not every pairing clicks", "with your partner")),
    ("shadow-board", ("your partner's view", "Not every pairing clicks", "with your partner")),
    ("flash", ("Agree at the first session", "If sessions keep being moved", "months of meetings",
               "last ten minutes", "since last time")),
])
def test_shared_guidance_is_worded_for_the_type(tmp_path: Path, program_type: str, absent: tuple[str, ...]) -> None:
    data = deep_merge(rich_data(), {"type": program_type, "meetings": {"groupSessions": []}})
    if program_type == "flash":
        data = deep_merge(data, {"schedule": {"phases": []}, "meetings": {"frequency": "once", "sessions": 1}})
    if program_type != "flash":
        data["pairing"] = deep_merge(data.get("pairing", {}), {"mode": "group", "capacity": {"mentor": 5, "mentee": 1}})
    files = render_documents(program_from(tmp_path, data), FAST)
    for role in ("mentor", "mentee"):
        guide = files[f"guides/{role}.md"].decode()
        assert "## When things are not working" in guide and "## Confidentiality and trust" in guide
        for phrase in absent:
            assert phrase not in guide, (role, phrase)
    if program_type == "group":
        assert "Each circle lead and their circle members meet every month, six times in all," in files["charter.md"].decode()
        assert "one question you would like the circle's view on" in files["guides/mentee.md"].decode()


def test_a_person_with_two_partners_gets_one_handbook_naming_both_and_why_in_plain_words(
        rich_program: Program) -> None:
    from programdsl.render.calendar import calendar_files

    why = ("met: skills-match (high priority) - interests the mentor can offer: finance",
           "not met: shared-language (medium priority) - no language in common",
           "met: retired-rule (low priority) - a rule the program no longer has")
    ana = Member("p1", "Ana Silva", "ana@example.org")
    matches = [Match("m-1", (ana,), (Member("p2", "Ben Okafor"),), 0.5, why),
               Match("m-2", (ana,), (Member("p3", "Chen Wei"),), 0.5, why[::-1])]
    pairs = PairsFile(rich_program.id, "published", matches)
    calendars = [f"calendars/{p}" for p in calendar_files(rich_program, pairs=pairs)]
    files = render_documents(rich_program, BuildOptions(formats=("md", "html"), pairs=pairs), calendars)
    people = sorted(p for p in files if p.startswith("handbooks/people/") and p.endswith(".md"))
    assert people == ["handbooks/people/p1.md", "handbooks/people/p2.md", "handbooks/people/p3.md"]
    handbook = files["handbooks/people/p1.md"].decode()
    assert "*Handbook for Ana Silva, mentor*" in handbook and "## Your mentees" in handbook
    assert "- **Ben Okafor**, mentee\n" in handbook and "- **Chen Wei**, mentee\n" in handbook
    assert ("[Add everything you attend to your calendar](../../calendars/people/p1.ics) (an .ics file for Outlook, "
            "Google Calendar and others). It holds what the calendar for mentors holds, with your partners' names on "
            "your sessions, so use it instead of that one.") in handbook
    assert "with your partner's name on your sessions" in files["handbooks/people/p2.md"].decode()
    own = calendar_files(rich_program, pairs=pairs)["people/p1.ics"].decode().replace("\r\n ", "")
    assert "(Ana Silva with Ben Okafor)" in own and "(Ana Silva with Chen Wei)" in own  # both pairs' sessions
    assert "Chen Wei" not in calendar_files(rich_program, pairs=pairs)["people/p2.ics"].decode()
    sentence = "Each mentor's skills include at least one of their mentee's interests."
    assert f"- With Ben Okafor:\n  - {sentence}\n- With Chen Wei:\n  - {sentence}\n" in handbook
    partner = files["handbooks/people/p2.md"].decode()
    assert "## Your mentor\n" in partner and f"yours also meets these preferences:\n\n- {sentence}\n" in partner
    for page in (handbook, partner, files["handbooks/people/p1.html"].decode()):
        text = re.sub(r'\]\([^)]*\)|href="[^"]*"', "", page)  # file names may hold match ids; the words may not
        for raw in ("not met", "skills-match", "shared-language", "language", "retired", "m-1", "m-2", "priority"):
            assert raw not in text.split("## The programme charter")[0].split('id="charter"')[0], raw
    index = files["index.md"].decode()
    assert index.count("Ana Silva, mentor:") == 1
    assert "[Sessions for Ana Silva and Ben Okafor](calendars/pairs/m-1.ics)" in index
    assert "Sessions for pair" not in index
