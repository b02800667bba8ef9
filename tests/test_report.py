"""`programdsl report`: checked inputs with exact locations, the analysis, privacy, golden output,
the command line, and random response files that must never produce a traceback."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programdsl.api import Validator
from programdsl.cli import main
from programdsl.measure.analysis import scale_score
from programdsl.measure.plan import Plan, plan_for
from programdsl.measure.responses import read_responses
from programdsl.measure.run import ReportRequest, make_report
from programdsl.measure.sessions import read_sessions
from programdsl.measure.values import read_values
from programdsl.schedule import build_schedule

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report"
EXPECTED = FIXTURE / "expected"
RESPONSES = ["mentors.csv", "consultant-baseline.csv", "consultant-closing.csv", "midpoint.csv"]
HEADER = "response_id,survey,role,occasion,respondent,raise-topic,specific-feedback,stay-calm,avoid-conflict,advice,submitted\n"
GOOD = "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,,2026-10-06T09:00:00\n"


@pytest.fixture(scope="module")
def loaded() -> tuple[object, object, Plan]:
    result = Validator().check_file(FIXTURE / "program.yaml")
    assert result.program is not None and not result.errors, result.diagnostics
    schedule = build_schedule(result.program)
    return result, schedule, plan_for(result.program, schedule)


@pytest.fixture(scope="module")
def plan(loaded: tuple[object, object, Plan]) -> Plan:
    return loaded[2]


def fixture_report(loaded: tuple[object, object, Plan], **changes: object) -> object:
    result, schedule, _ = loaded
    request = dict(responses=[str(FIXTURE / name) for name in RESPONSES], sessions=str(FIXTURE / "sessions.csv"),
                   pairs=str(FIXTURE / "pairs.yaml"), values=str(FIXTURE / "values.yaml"))
    request.update(changes)  # type: ignore[arg-type]
    return make_report(result.program, schedule, ReportRequest(**request), result.resolved.loc)  # type: ignore[attr-defined, arg-type]


def diagnostics(tmp_path: Path, plan: Plan, text: str | bytes, name: str = "answers.csv") -> list[tuple[str, int, int, str]]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    found = read_responses([path], plan, [name])
    return [(d.code, d.line, d.col, d.severity.value) for d in found.diagnostics]


# --- the plan ------------------------------------------------------------------------------------------------


def test_plan_reads_the_measurement_model(plan: Plan) -> None:
    assert plan.minimum_group_size == 5 and not plan.quote_free_text
    assert plan.surveys["mentor-closing"].windows == ((dt.date(2027, 3, 17), dt.date(2027, 3, 30)),)
    confidence = plan.scales["feedback-confidence"]
    assert confidence.score_range == (4.0, 20.0) and confidence.min_answered == 3
    assert [m.kind for m in plan.metrics] == ["change", "change", "score", "sessions", "sessions", "manual"]
    assert plan.metrics[0].due == dt.date(2027, 3, 30) and plan.metrics[0].baseline_survey == "mentor-baseline"
    assert plan.meetings["pairs"].sessions == 6 and len(plan.meetings["supervision"].planned) == 3
    midpoint = plan.surveys["midpoint"].by_name
    assert midpoint["changes-count"].audience == ("mentee",) and midpoint["continue"].labels[0] == "Happy"


def test_scale_score_reverses_and_prorates(plan: Plan) -> None:
    scale = plan.scales["feedback-confidence"]
    # reverse item: 6 - 4 = 2; sum 2 + 3 + 2 + 2
    assert scale_score(scale, {"raise-topic": 2.0, "specific-feedback": 3.0, "stay-calm": 2.0, "avoid-conflict": 4.0}) == 9.0
    # three of four answered (minAnswered 3): mean 3 x 4 items
    assert scale_score(scale, {"raise-topic": 2.0, "specific-feedback": 3.0, "stay-calm": 4.0}) == 12.0
    assert scale_score(scale, {"raise-topic": 2.0, "specific-feedback": 3.0}) is None


# --- every bad input, exactly where it is ----------------------------------------------------------------

CASES = {
    "clean": (HEADER + GOOD, []),
    "out-of-range": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,7,3,2,4,,2026-10-06\n", [("PD504", 2, 41, "error")]),
    "half-point": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3.5,2,4,,2026-10-06\n", [("PD504", 2, 43, "error")]),
    "text-for-number": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,often,4,,2026-10-06\n", [("PD505", 2, 45, "error")]),
    "label-for-number": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,Agree,3,2,4,,2026-10-06\n", []),
    "unknown-survey": (HEADER + "b1,mentor-baselin,mentor,2026-10-05,m1,2,3,2,4,,2026-10-06\n", [("PD501", 2, 4, "error")]),
    "unknown-role": (HEADER + "b1,mentor-baseline,boss,2026-10-05,m1,2,3,2,4,,2026-10-06\n", [("PD507", 2, 20, "error")]),
    "role-not-asked": (HEADER + "b1,mentor-baseline,mentee,2026-10-05,c1,2,3,2,4,,2026-10-06\n", [("PD507", 2, 20, "error")]),
    "unknown-column": (HEADER.replace("advice", "advise") + GOOD, [("PD502", 1, 100, "warning")]),
    "missing-column": (HEADER.replace(",stay-calm", "") + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,4,,2026-10-06\n",
                       [("PD503", 1, 1, "warning")]),
    "no-respondent-column": ("survey,raise-topic,specific-feedback,stay-calm,avoid-conflict,advice\nmentor-baseline,2,3,2,4,\n",
                             [("PD503", 1, 1, "warning")]),
    "empty-respondent": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,,2,3,2,4,,2026-10-06\n", [("PD510", 2, 38, "warning")]),
    "duplicate-later-counts": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,,2026-10-08\n"
                               "b2,mentor-baseline,mentor,2026-10-05,m1,3,3,3,3,,2026-10-06\n", [("PD506", 3, 38, "warning")]),
    "duplicate-last-row-counts": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,,\n"
                                  "b2,mentor-baseline,mentor,2026-10-05,m1,3,3,3,3,,\n", [("PD506", 2, 38, "warning")]),
    "outside-window": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,,2026-12-01\n", [("PD508", 2, 50, "warning")]),
    "bad-submission-time": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,,last tuesday\n", [("PD512", 2, 50, "warning")]),
    "too-many-cells": (HEADER + GOOD.rstrip("\n") + ",extra\n", [("PD511", 2, 70, "error")]),
    "quoted-comma-keeps-columns": (HEADER + 'f1,mentor-closing,mentor,2027-03-17,m1,2,3,2,4,"Yes, prepare",x\n',
                                   [("PD512", 2, 63, "warning")]),
    "answer-to-another-surveys-question": (HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,Plan ahead,\n",
                                           [("PD502", 2, 49, "warning")]),
    "unclosed-quote": (HEADER + 'b1,mentor-baseline,mentor,2026-10-05,m1,2,3,2,4,"never closed,\n', [("PD500", 2, 1, "error")]),
    "binary": (b"survey,respondent\nmentor-baseline,\x00m1\n", [("PD500", 2, 17, "error")]),
    "not-utf8": (b"survey,respondent\nmentor-baseline,m\xe91\n", [("PD500", 2, 18, "error")]),
    "empty": ("\n\n", [("PD500", 1, 1, "error")]),
    "no-survey-to-be-found": ("respondent,raise-topic\nm1,3\n", [("PD501", 1, 1, "error")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_responses_are_located(tmp_path: Path, plan: Plan, name: str) -> None:
    text, expected = CASES[name]
    assert diagnostics(tmp_path, plan, text) == expected


def test_wrong_role_for_one_question_and_choices(tmp_path: Path, plan: Plan) -> None:
    text = ("respondent,role,worthwhile,agreed-goals,continue,changes-count\n"
            "m1,mentor,4,yes,1,2\n"       # changes-count is asked only of mentees
            "c1,mentee,4,maybe,1,2\n"     # not yes or no
            "c2,mentee,4,no,Talk to the lead,1\n"  # an option's label reads as that option
            "c3,mentee,4,no,4,1\n")      # only three options
    assert diagnostics(tmp_path, plan, text, "midpoint.csv") == [
        ("PD507", 2, 19, "error"), ("PD505", 3, 13, "error"), ("PD504", 5, 16, "error")]


def test_odk_and_kobo_exports_read_like_the_codebook(plan: Plan) -> None:
    found = read_responses([FIXTURE / "consultant-baseline.csv", FIXTURE / "midpoint.csv"], plan)
    assert found.diagnostics == []
    first = found.of("consultant-baseline")[0]
    assert first.role == "mentee" and first.respondent == "c1" and first.answers == {
        "rota-pressures": 2.0, "speaking-up": 3.0, "wellbeing": 2.0}
    assert first.submitted == dt.datetime(2026, 10, 7, 8, 31, tzinfo=dt.timezone.utc)
    pulse = found.of("midpoint")
    assert len(pulse) == 10 and pulse[0].answers == {"worthwhile": 5.0, "agreed-goals": 1.0, "continue": 1.0}


def test_personal_data_is_never_quoted(tmp_path: Path, plan: Plan) -> None:
    secret = "zz-Jane-Doe"
    text = (HEADER + f"f1,mentor-closing,mentor,2027-03-17,{secret},2,3,{secret},4,{secret},2027-03-20\n"
            f"b2,mentor-baseline,mentor,2026-10-05,{secret},9,3,2,4,,2026-10-07\n")
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    found = read_responses([path], plan)
    assert {d.code for d in found.diagnostics} == {"PD504", "PD505"}
    assert all(secret not in d.message + d.hint for d in found.diagnostics)


def test_self_code_keys_are_recomputed(tmp_path: Path) -> None:
    text = (FIXTURE / "program.yaml").read_text(encoding="utf-8").replace("respondentKey: roster-id", "respondentKey: self-code")
    program_path = tmp_path / "program.yaml"
    program_path.write_text(text, encoding="utf-8")
    result = Validator().check_file(program_path)
    assert result.program is not None and not result.errors, result.diagnostics
    plan = plan_for(result.program, build_schedule(result.program))
    answers = tmp_path / "mentor-baseline.csv"
    answers.write_text("code-guardian,code-birthday,code-siblings,raise-topic,specific-feedback,stay-calm,avoid-conflict\n"
                       " ma ,07,0,2,3,2,4\nMA,7,0,3,3,3,3\n", encoding="utf-8")
    found = read_responses([answers], plan)
    assert [(d.code, d.line) for d in found.diagnostics] == [("PD506", 2)]  # the same person, written two ways
    assert [r.respondent for r in found.responses] == ["MA-7-0"] and "code-guardian" not in found.responses[0].answers


# --- session log and values ---------------------------------------------------------------------------------


SESSION_CASES = {
    "clean": ("meeting,pair,date,held,minutes,attendees\npairs,pair-1,2026-10-13,yes,45,\n", []),
    "no-date-column": ("meeting,pair,when\npairs,pair-1,2026-10-13\n", [("PD520", 1, 1, "error"), ("PD520", 1, 14, "warning")]),
    "bad-date": ("meeting,pair,date\npairs,pair-1,13/10/2026\n", [("PD521", 2, 14, "error")]),
    "bad-held": ("pair,date,held\npair-1,2026-10-13,perhaps\n", [("PD521", 2, 19, "error")]),
    "bad-minutes": ("pair,date,minutes\npair-1,2026-10-13,an hour\n", [("PD521", 2, 19, "error")]),
    "unknown-group": ("meeting,date,attendees\nsupervison,2026-10-27,m1\n", [("PD522", 2, 1, "error")]),
    "unknown-pair": ("pair,date\npair-9,2026-10-13\n", [("PD522", 2, 1, "error")]),
    "unknown-attendee": ("meeting,date,attendees\nsupervision,2026-10-27,m1;x9\n", [("PD522", 2, 24, "error")]),
    "outside-program": ("pair,date\npair-1,2027-06-01\n", [("PD523", 2, 8, "warning")]),
    "duplicate": ("pair,date\npair-1,2026-10-13\npair-1,2026-10-13\n", [("PD524", 3, 1, "warning")]),
}


@pytest.mark.parametrize("name", sorted(SESSION_CASES))
def test_bad_session_logs_are_located(tmp_path: Path, plan: Plan, name: str) -> None:
    text, expected = SESSION_CASES[name]
    path = tmp_path / "sessions.csv"
    path.write_text(text, encoding="utf-8")
    log = read_sessions(path, plan, {f"pair-{i}" for i in range(1, 7)}, {f"m{i}" for i in range(1, 7)}, "sessions.csv")
    assert [(d.code, d.line, d.col, d.severity.value) for d in log.diagnostics] == expected


VALUE_CASES = {
    "clean.yaml": ("values:\n  - {metric: staff-survey, value: 64, asOf: 2027-03-31}\n", []),
    "unknown.yaml": ("values:\n  - {metric: staff-survay, value: 64}\n", [("PD531", 2, 14, "error")]),
    "not-a-number.yaml": ("values:\n  - metric: staff-survey\n    value: high\n", [("PD532", 3, 12, "error")]),
    "bad-date.yaml": ("values:\n  - {metric: staff-survey, value: 64, asOf: March}\n", [("PD532", 2, 45, "error")]),
    "twice.yaml": ("values:\n  - {metric: staff-survey, value: 60, asOf: 2026-03-31}\n  - {metric: staff-survey, value: 64, asOf: 2027-03-31}\n",
                   [("PD533", 3, 5, "warning")]),
    "no-list.yaml": ("staff-survey: 64\n", [("PD530", 1, 1, "error")]),
    "broken.yaml": ("values: [\n", [("PD530", 2, 1, "error")]),
    # The program loader's alias and nesting limits hold for values files too.
    "alias-bomb.yaml": ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                        + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcde", "bcdef"))
                        + "values: [*f]\n", [("PD530", 5, 36, "error")]),
    "deep.yaml": ("values: " + "[" * 300 + "]" * 300 + "\n", [("PD530", 1, 56, "error")]),
    "clean.csv": ("metric,value,as_of,source\nstaff-survey,64%,2027-03-31,Staff survey\n", []),
    "unknown.csv": ("metric,value\nstaff,64\n", [("PD531", 2, 1, "error")]),
}


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_bad_values_are_located(tmp_path: Path, plan: Plan, name: str) -> None:
    text, expected = VALUE_CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    values = read_values(path, {m.id for m in plan.metrics}, name)
    assert [(d.code, d.line, d.col, d.severity.value) for d in values.diagnostics] == expected
    if not expected or name == "twice.yaml":
        assert values.values["staff-survey"].value == 64.0


def test_pairs_file_of_another_program(tmp_path: Path, loaded: tuple[object, object, Plan]) -> None:
    other = tmp_path / "pairs.yaml"
    other.write_text((FIXTURE / "pairs.yaml").read_text(encoding="utf-8").replace("report-fixture", "another"), encoding="utf-8")
    outcome = fixture_report(loaded, pairs=str(other))
    assert [(d.code, d.line) for d in outcome.diagnostics if d.severity.value == "error"] == [("PD540", 1)]  # type: ignore[attr-defined]
    assert outcome.files == {}  # type: ignore[attr-defined]


# --- the analysis -----------------------------------------------------------------------------------------


def test_fixture_analysis(loaded: tuple[object, object, Plan]) -> None:
    outcome = fixture_report(loaded)
    analysis = outcome.analysis  # type: ignore[attr-defined]
    metrics = {m.id: m for m in analysis.metrics}
    confidence = metrics["feedback-confidence"]
    # baseline sums 9 12 9 14 11 13 and closing sums 15 16 13 18 15 17 (reverse item counted as 6 - answer)
    assert confidence.n == 6 and confidence.value == pytest.approx(94 / 6) and confidence.status == "met"
    assert confidence.change.mean_change == pytest.approx(26 / 6) and confidence.change.p == pytest.approx(2 / 64)
    assert confidence.change.rank_biserial == 1.0 and confidence.change.method == "exact"
    assert metrics["worthwhile"].value == pytest.approx(70.0) and metrics["worthwhile"].status == "not met"
    assert metrics["pairs-completing"].value == pytest.approx(400 / 6) and metrics["pairs-completing"].status == "not met"
    assert metrics["supervision"].value == 100.0 and metrics["supervision"].status == "met"
    assert metrics["staff-survey"].value == 64.0 and metrics["staff-survey"].source == "Staff survey 2027, doctors in training"
    surveys = {s.id: s for s in analysis.surveys}
    assert surveys["midpoint"].expected == 12 and surveys["midpoint"].respondents == 10
    assert [c.subject for c in analysis.changes] == ["metric", "metric", "metric", "scale", "scale"]
    assert analysis.changes[0].file.endswith("program.yaml") and analysis.changes[0].line == 52
    unpaired = [(d.code, d.file.rsplit("/", 1)[-1], d.line) for d in outcome.diagnostics]  # type: ignore[attr-defined]
    assert unpaired == [("PD509", "consultant-baseline.csv", 6), ("PD509", "consultant-baseline.csv", 7)]


def test_small_groups_are_withheld(loaded: tuple[object, object, Plan]) -> None:
    analysis = fixture_report(loaded).analysis  # type: ignore[attr-defined]
    insight = next(m for m in analysis.metrics if m.id == "consultant-insight")
    assert insight.value is None and insight.suppressed and insight.n == 4 and insight.before == ()
    assert insight.status == "not measurable yet" and "minimum group size of 5" in insight.reason
    closing = next(s for s in analysis.surveys if s.id == "consultant-closing")
    assert closing.suppressed and all(i.stats is None and i.counts == () for i in closing.items)
    assert closing.scales[0].stats is None and closing.scales[0].alpha is None
    assert "metric consultant-insight (paired before and after): 4 people, fewer than 5" in analysis.suppressed
    data = json.loads(fixture_report(loaded).files["report.json"])  # type: ignore[attr-defined]
    insight_json = next(m for m in data["metrics"] if m["id"] == "consultant-insight")
    assert insight_json["value"] is None and insight_json["change"] is None and insight_json["suppressed"]


def test_mid_program_report(loaded: tuple[object, object, Plan]) -> None:
    analysis = fixture_report(loaded, as_of=dt.date(2027, 1, 31)).analysis  # type: ignore[attr-defined]
    assert not analysis.final
    status = {m.id: m.status for m in analysis.metrics}
    assert status["feedback-confidence"] == "not due yet" and status["worthwhile"] == "not met"
    assert status["staff-survey"] == "not due yet"  # the staff survey's figure is as of March
    # four monthly sessions were due by the end of January; pairs 1-5 held them, pair 6 only three: 5 of 6
    pairs = next(m for m in analysis.metrics if m.id == "pairs-completing")
    assert pairs.value == pytest.approx(500 / 6) and pairs.status == "behind"


def test_free_text_is_quoted_only_when_allowed(tmp_path: Path) -> None:
    text = (FIXTURE / "program.yaml").read_text(encoding="utf-8").replace("minimumGroupSize: 5", "minimumGroupSize: 3\n  quoteFreeText: true")
    program_path = tmp_path / "program.yaml"
    program_path.write_text(text, encoding="utf-8")
    result = Validator().check_file(program_path)
    assert result.program is not None and not result.errors
    answers = tmp_path / "mentors.csv"
    answers.write_text((FIXTURE / "mentors.csv").read_text(encoding="utf-8").replace(",,2027-03-20", ",Ask early,2027-03-20"),
                       encoding="utf-8")
    outcome = make_report(result.program, build_schedule(result.program), ReportRequest([str(answers)]), result.resolved.loc)
    closing = next(s for s in outcome.analysis.surveys if s.id == "mentor-closing")  # type: ignore[union-attr]
    assert closing.free_text[0].answered == 6 and closing.free_text[0].quotes[0] == "Ask early"

def test_free_text_stays_out_by_default(loaded: tuple[object, object, Plan]) -> None:
    outcome = fixture_report(loaded)
    closing = next(s for s in outcome.analysis.surveys if s.id == "mentor-closing")  # type: ignore[attr-defined]
    assert closing.free_text[0].answered == 2 and closing.free_text[0].quotes == ()
    assert not any(b"Prepare one example" in data for data in outcome.files.values())  # type: ignore[attr-defined]


# --- output ---------------------------------------------------------------------------------------------------


def expected_files(loaded: tuple[object, object, Plan]) -> dict[str, bytes]:
    files = fixture_report(loaded).files  # type: ignore[attr-defined]
    return {name: data for name, data in files.items() if name != "report.html"}


def test_golden_report(loaded: tuple[object, object, Plan]) -> None:
    """Regenerate with `python -m programdsl.render.golden` and review the diff."""
    for name, data in expected_files(loaded).items():
        assert (EXPECTED / name).read_bytes() == data, f"{name} differs from tests/fixtures/report/expected/{name}"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.svgs = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.svgs += tag == "svg"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_has_plots_and_is_deterministic(loaded: tuple[object, object, Plan]) -> None:
    first = fixture_report(loaded).files["report.html"]  # type: ignore[attr-defined]
    assert fixture_report(loaded).files["report.html"] == first  # type: ignore[attr-defined]
    parser = _Tags()
    parser.feed(first.decode("utf-8"))
    # progress, one before/after (the other change is withheld), and one distribution per survey with rating answers
    assert parser.svgs == 1 + 1 + 4
    assert "Wilcoxon signed-rank W = 0, p = 0.031 (exact, two-sided)" in "".join(parser.text)
    assert b"Ada Mensah" not in first and b"m1" not in first.replace(b"mentor", b"")


def test_html_plots_are_named_and_described_for_screen_readers(loaded: tuple[object, object, Plan]) -> None:
    """Every plot is an image with a title and a description that carries its numbers, and the
    likert bars are labelled with the question's wording and their percentages, not colour alone."""
    import xml.etree.ElementTree as ET

    text = fixture_report(loaded).files["report.html"].decode("utf-8")  # type: ignore[attr-defined]
    svgs = [text[start:text.index("</svg>", start) + 6] for start in _starts(text, "<svg")]
    assert len(svgs) == 6
    ns = "{http://www.w3.org/2000/svg}"
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert root[0].tag == ns + "title" and root[0].text
        assert root[1].tag == ns + "desc" and root[1].text
    titles = [ET.fromstring(svg)[0].text for svg in svgs]
    descriptions = [ET.fromstring(svg)[1].text or "" for svg in svgs]
    assert titles[0] == "Progress toward each target"
    assert descriptions[0].startswith("Mentor confidence in giving upward feedback: 15.7 against a target of 15, baseline 12 "
                                      "(met); Sessions rated worthwhile: 70% against a target of 80% (not met);")
    assert "6 people paired; mean 11.3 before and 15.7 after; target 15." in descriptions
    assert descriptions[2].startswith("Answers at each point of the scale. I feel confident raising a difficult topic with "
                                      "a consultant (6 answers): Strongly disagree 0, Disagree 2, Neither 3, Agree 1, "
                                      "Strongly agree 0; I can give")
    assert "I understand how hierarchy affects speaking up (6 answers): 0 at 1, 3 at 2, 3 at 3, 0 at 4, 0 at 5;" in descriptions[4]
    # the bars carry their shares as text (3 of 6 is 50%), and the question's wording labels each bar
    likert = svgs[4]
    assert ">50%</text>" in likert and ">I understand how hierarchy affects speaking<" in likert


def _starts(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def test_report_names_nobody(loaded: tuple[object, object, Plan]) -> None:
    files = fixture_report(loaded).files  # type: ignore[attr-defined]
    names = ["Ada Mensah", "Finn Walsh", "Dr Liam Shaw"]
    for name in ("report.json", "report.md", "report.html"):
        assert not any(person.encode() in files[name] for person in names), name
    assert b"Finn Walsh and Dr Liam Shaw" in files["coordinator-follow-up.md"]
    assert b"no-response,midpoint,m6,Finn Walsh,mentor" in files["coordinator-follow-up.csv"]


# --- the command ------------------------------------------------------------------------------------------


def _args(out: Path) -> list[str]:
    args = ["report", str(FIXTURE / "program.yaml")]
    for name in RESPONSES:
        args += ["--responses", str(FIXTURE / name)]
    return args + ["--sessions", str(FIXTURE / "sessions.csv"), "--pairs", str(FIXTURE / "pairs.yaml"),
                   "--values", str(FIXTURE / "values.yaml"), "--no-pdf", "-o", str(out)]


def test_cli_writes_the_report_byte_identically(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, _args(tmp_path / "a"))
    assert first.exit_code == 0, first.output
    assert "6 metrics: 2 met, 1 not measurable yet, 3 not met" in first.output
    second = runner.invoke(main, _args(tmp_path / "b"))
    assert second.exit_code == 0
    names = ["report.json", "report.md", "report.html", "coordinator-follow-up.md", "coordinator-follow-up.csv"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(names + [".programdsl-lock", ".programdsl-report"])


def test_cli_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "answers.csv"
    bad.write_text(HEADER + "b1,mentor-baseline,mentor,2026-10-05,m1,7,3,2,4,,2026-10-06\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(FIXTURE / "program.yaml"), "--responses", str(bad), "--no-pdf",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{bad}:2:41: error[PD504]: the answer to raise-topic is 7, outside its scale (1 to 5)" in result.output.replace(
        os.path.relpath(bad), str(bad))
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_cli_report_templates_can_be_overridden(tmp_path: Path) -> None:
    """--templates DIR replaces report.html.j2 / report.md.j2 like every other document's templates:
    what the template prints is autoescaped (HTML) or Markdown-escaped, the rest stays shipped."""
    own = tmp_path / "mine"
    own.mkdir()
    (own / "report.md.j2").write_text("# {{ program_name }} <b>\n{% for m in metrics %}- {{ m.name }}: {{ m.status }}\n"
                                      "{% endfor %}", encoding="utf-8")
    (own / "report.html.j2").write_text("<h1>{{ program_name }}</h1>{% for m in metrics %}<p>{{ m.sentence }}</p>"
                                        "{% endfor %}{{ '<script>' }}", encoding="utf-8")
    result = CliRunner().invoke(main, _args(tmp_path / "out") + ["--templates", str(own)])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Report fixture - reverse mentoring <b>\n")  # the template's own text is its own
    assert "- Mentor confidence in giving upward feedback: met\n" in md
    html_text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html_text.endswith("&lt;script&gt;\n") and "<script>" not in html_text
    assert "<p>met: 15.7 against a target of 15" in html_text
    # the JSON and follow-up are data, not templates: unchanged
    default = CliRunner().invoke(main, _args(tmp_path / "default"))
    assert default.exit_code == 0
    for name in ("report.json", "coordinator-follow-up.md"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "default" / name).read_bytes()


def test_cli_report_template_errors_are_located_and_write_nothing(tmp_path: Path) -> None:
    own = tmp_path / "mine"
    own.mkdir()
    (own / "report.md.j2").write_text("# {{ program_name }}\n\n{{ no_such_value }}\n", encoding="utf-8")
    (own / "report.html.j2").write_text("{{ ''.__class__ }}", encoding="utf-8")
    result = CliRunner().invoke(main, _args(tmp_path / "out") + ["--templates", str(own)])
    assert result.exit_code == 1
    assert "report.html.j2:1: error[" in result.output and "sandbox" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
    (own / "report.html.j2").unlink()
    result = CliRunner().invoke(main, _args(tmp_path / "out") + ["--templates", str(own)])
    assert result.exit_code == 1
    assert "report.md.j2:3: UndefinedError: 'no_such_value' is undefined" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(FIXTURE / "program.yaml"), "--responses", str(FIXTURE / "mentors.csv"),
                                       "--as-of", "31/01/2027", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is not a date in YYYY-MM-DD form" in result.output


def test_validation_does_not_load_the_report_libraries() -> None:
    code = ("import sys; from programdsl.cli import main; from programdsl.api import validate; "
            f"validate([{str(FIXTURE / 'program.yaml')!r}]); "
            "print(sorted(m for m in ('scipy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- no input produces a traceback ---------------------------------------------------------------------------

_COLUMNS = ["response_id", "survey", "role", "respondent", "submitted", "raise-topic", "stay-calm", "worthwhile", "continue",
            "SubmissionDate", "_uuid", "pulse/worthwhile", "insight-wellbeing", "advice", ""]
_CELLS = st.one_of(st.sampled_from(["mentor-baseline", "midpoint", "mentor", "mentee", "m1", "c1", "3", "7", "yes", "-1",
                                    "2027-01-14", "nan", "1e309", "", '"', "a,b", "Agree"]), st.text(max_size=8))


@st.composite
def _csv_like(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(_CELLS, max_size=len(header) + 1), max_size=6))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(sep.join(row) for row in [header, *rows])
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), _csv_like()), name=st.sampled_from(["answers.csv", "midpoint.csv", "x.tsv"]))
def test_random_response_files_never_raise(tmp_path: Path, loaded: tuple[object, object, Plan], data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result, schedule, _ = loaded
    outcome = make_report(result.program, schedule, ReportRequest([str(path)], sessions=str(path), values=str(path)),  # type: ignore[attr-defined]
                          result.resolved.loc)  # type: ignore[attr-defined]
    for d in outcome.diagnostics:
        assert d.code.startswith("PD5") and d.line >= 1 and d.col >= 1


# --- the examples ------------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_example_answers_are_up_to_date() -> None:
    """examples/responses/ is exactly what its seeded generator writes for the current examples."""
    finished = subprocess.run([sys.executable, str(EXAMPLES / "responses" / "generate.py"), "--check"],
                              capture_output=True, text=True)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def _example_report(name: str, program: str, **request: object) -> object:
    folder = EXAMPLES / "responses" / name
    result = Validator().check_file(EXAMPLES / program)
    assert result.program is not None and not result.errors
    responses = sorted(str(p) for p in folder.glob("*.csv") if p.name != "sessions.csv")
    return make_report(result.program, build_schedule(result.program),
                       ReportRequest(responses, str(folder / "sessions.csv"), str(folder / "pairs.yaml"), None,
                                     str(folder / "values.yaml"), **request),  # type: ignore[arg-type]
                       result.resolved.loc if result.resolved is not None else None)


def test_nhs_example_reproduces_the_study() -> None:
    outcome = _example_report("nhs", "reverse-nhs-clinical.yaml")
    assert outcome.errors == 0  # type: ignore[attr-defined]
    metrics = {m.id: m for m in outcome.analysis.metrics}  # type: ignore[attr-defined]
    mentors = metrics["feedback-confidence"]
    assert mentors.n == 6 and mentors.change.before.mean == 23.0 and mentors.change.after.mean == 29.0
    assert mentors.status == "met" and mentors.change.p == pytest.approx(2 / 64) and mentors.change.rank_biserial == 1.0
    consultants = metrics["consultant-insight-score"]
    assert consultants.n == 5 and not consultants.suppressed  # five consultants: exactly the minimum group size
    assert {m.status for m in metrics.values()} <= {"met", "not met"}
    # the consultant who left is followed up, and their baseline answer is reported as unpaired
    assert [d.code for d in outcome.diagnostics] == ["PD509"]  # type: ignore[attr-defined]
    follow = outcome.follow_up  # type: ignore[attr-defined]
    assert any(f.kind == "no-response" and f.subject == "consultant-closing" for f in follow)
    assert any(f.kind == "no-recent-session" for f in follow)
    html = outcome.files["report.html"].decode("utf-8")  # type: ignore[attr-defined]
    assert "Wilcoxon signed-rank W = 0, p = 0.031 (exact, two-sided), rank-biserial r = 1" in html


def test_traditional_example_reads_odk_export_with_grouped_identity() -> None:
    outcome = _example_report("traditional", "traditional-leadership.yaml")
    assert outcome.errors == 0 and not [d for d in outcome.diagnostics if d.code == "PD502"]  # type: ignore[attr-defined]
    metrics = {m.id: m for m in outcome.analysis.metrics}  # type: ignore[attr-defined]
    assert metrics["pipeline-retention"].value == 90.0 and metrics["pipeline-retention"].kind == "manual"


def test_every_sentence_of_the_examples_reports_is_true_of_them() -> None:
    """What the report says it did, it did: methods it did not use are not described, counts by
    role are people (not responses), a hand-entered value rests on no counted people, and the
    p-value and the smallest possible p are written the same way."""
    nhs = _example_report("nhs", "reverse-nhs-clinical.yaml")
    md = nhs.files["report.md"].decode("utf-8")  # type: ignore[attr-defined]
    assert "| Doctors in training who feel able to raise concerns (trainee-voice) | 61% | 66% | 64% | entered by hand | not met |" in md
    trainee = next(m for m in json.loads(nhs.files["report.json"])["metrics"] if m["id"] == "trainee-voice")  # type: ignore[attr-defined]
    assert trainee["n"] is None and trainee["value"] == 64
    assert "p = 0.063 (exact, two-sided)" in md and "the smallest possible p is 0.063)" in md  # 1/16, rounded half up
    assert "reverse-coded" not in md  # neither NHS scale has a reverse-coded item
    assert "Ask the people expected what kept them away" in md  # group supervision is not a pair's meeting
    assert "Counted: pairs for pair sessions and people expected to attend for group sessions." in md

    traditional = _example_report("traditional", "traditional-leadership.yaml")
    md = traditional.files["report.md"].decode("utf-8")  # type: ignore[attr-defined]
    assert "Wilcoxon" not in md and "reverse-coded" not in md and "group sessions" not in md  # none of them here
    assert "Scores follow each scale's scoring rule (Mentoring functions: the mean of its 9 items)." in md
    assert "| Development goals achieved (goals-achieved) | 62% | 70% | n/a |  | not measurable yet |" in md
    # the pulse is answered monthly: 18 people gave 66 answers; by role counts people
    assert "18 respondents of 18 expected (100%); by role mentee: 9, mentor: 9." in md
    assert "- support-needed: 1 free-text answer (not quoted)." in md


def test_nothing_to_change_says_only_what_was_checked(loaded: tuple[object, object, Plan]) -> None:
    from programdsl.render.report import nothing_to_change

    analysis = fixture_report(loaded).analysis  # type: ignore[attr-defined]
    assert nothing_to_change(analysis) == (
        "Nothing stands out: no metric that could be measured is off target, every closed survey was answered by at "
        "least 60% of those expected, every scale's items hang together (Cronbach's alpha of 0.7 or more) and every "
        "meeting held at least 75% of the sessions due.")
    bare = fixture_report(loaded, sessions=None, pairs=None).analysis  # type: ignore[attr-defined]
    assert "sessions due" not in nothing_to_change(bare) and "those expected" not in nothing_to_change(bare)


def test_a_value_for_a_computed_metric_is_ignored(tmp_path: Path, loaded: tuple[object, object, Plan]) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("values:\n  - {metric: worthwhile, value: 99}\n", encoding="utf-8")
    outcome = fixture_report(loaded, values=str(values))
    assert [(d.code, d.line) for d in outcome.diagnostics if d.code == "PD534"] == [("PD534", 2)]  # type: ignore[attr-defined]
    assert next(m for m in outcome.analysis.metrics if m.id == "worthwhile").value == pytest.approx(70.0)  # type: ignore[attr-defined]


def test_roster_gives_response_rates(tmp_path: Path, loaded: tuple[object, object, Plan]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,role\n" + "".join(f"m{i},Mentor {i},mentor\n" for i in range(1, 9))
                      + "".join(f"c{i},Consultant {i},mentee\n" for i in range(1, 7)), encoding="utf-8")
    outcome = fixture_report(loaded, pairs=None, roster=str(roster))
    surveys = {s.id: s for s in outcome.analysis.surveys}  # type: ignore[attr-defined]
    assert surveys["mentor-baseline"].expected == 8 and surveys["mentor-baseline"].rate == pytest.approx(75.0)
    assert surveys["midpoint"].expected == 14
    assert outcome.analysis.inputs["participants"] == "roster"  # type: ignore[attr-defined]


def test_pdf_report_is_reproducible(loaded: tuple[object, object, Plan]) -> None:
    from programdsl.render.pdf import pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint is not installed")
    import pypdf

    first = fixture_report(loaded, pdf=True).files["report.pdf"]  # type: ignore[attr-defined]
    assert fixture_report(loaded, pdf=True).files["report.pdf"] == first  # type: ignore[attr-defined]
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(first)).pages)
    assert "Outcomes report" in text and "Wilcoxon signed-rank" in text


def test_unknown_respondents_and_malformed_self_codes(tmp_path: Path, loaded: tuple[object, object, Plan]) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text(HEADER + "b1,mentor-baseline,mentor,2026-10-05,m9,2,3,2,4,,2026-10-06\n", encoding="utf-8")
    outcome = fixture_report(loaded, responses=[str(answers)])
    assert [(d.code, d.line, d.col) for d in outcome.diagnostics if d.code == "PD513"] == [("PD513", 2, 38)]  # type: ignore[attr-defined]
    text = (FIXTURE / "program.yaml").read_text(encoding="utf-8").replace("respondentKey: roster-id", "respondentKey: self-code")
    program_path = tmp_path / "program.yaml"
    program_path.write_text(text, encoding="utf-8")
    result = Validator().check_file(program_path)
    plan = plan_for(result.program, build_schedule(result.program))  # type: ignore[arg-type]
    codes = tmp_path / "mentor-baseline.csv"
    codes.write_text("code-guardian,code-birthday,code-siblings,raise-topic\nMA,45,0,2\n", encoding="utf-8")
    found = read_responses([codes], plan, ["mentor-baseline.csv"])
    assert [(d.code, d.line, d.col) for d in found.diagnostics if d.code == "PD514"] == [("PD514", 2, 4)]
    assert found.responses[0].respondent is None


def test_a_problem_on_every_row_is_listed_a_hundred_times_then_counted(tmp_path: Path, plan: Plan) -> None:
    rows = "".join(f"b{i},mentor-baseline,mentor,2026-10-05,m{i},often,3,2,4,,2026-10-06\n" for i in range(250))
    found = diagnostics(tmp_path, plan, HEADER + rows)
    assert found.count(("PD505", 2, 41, "error")) == 1 and len(found) == 101
    assert found[0] == ("PD505", 1, 1, "error")  # the closing count sorts first: "150 more problems like ..."


def test_a_final_report_keeps_late_answers_and_a_dated_one_leaves_them_out(tmp_path: Path,
                                                                              loaded: tuple[object, object, Plan]) -> None:
    late = tmp_path / "late.csv"
    late.write_text(HEADER + "f9,mentor-closing,mentor,2027-03-17,m1,5,5,5,1,,2027-04-20\n", encoding="utf-8")
    final = fixture_report(loaded, responses=[str(late)], pairs=None, values=None, sessions=None)
    closing = next(s for s in final.analysis.surveys if s.id == "mentor-closing")  # type: ignore[attr-defined]
    assert closing.responses == 1 and closing.state == "closed"
    assert sorted(d.code for d in final.diagnostics) == ["PD508", "PD509"]  # late, and no baseline to pair with  # type: ignore[attr-defined]
    dated = fixture_report(loaded, responses=[str(late)], pairs=None, values=None, sessions=None, as_of=dt.date(2027, 4, 4))
    assert next(s for s in dated.analysis.surveys if s.id == "mentor-closing").responses == 0  # type: ignore[attr-defined]


def test_evaluations_about_a_partner_pair_per_partner(tmp_path: Path) -> None:
    text = (FIXTURE / "program.yaml").read_text(encoding="utf-8").replace("minimumGroupSize: 5", "minimumGroupSize: 3")
    text = text.replace("    audience: [mentor]\n    when: {milestone: kickoff}", "    audience: [mentor]\n    about: partner\n    when: {milestone: kickoff}")
    text = text.replace("    audience: [mentor]\n    when: {milestone: closing", "    audience: [mentor]\n    about: partner\n    when: {milestone: closing")
    program_path = tmp_path / "program.yaml"
    program_path.write_text(text, encoding="utf-8")
    result = Validator().check_file(program_path)
    assert result.program is not None and not result.errors, result.diagnostics
    answers = tmp_path / "answers.csv"
    head = "survey,respondent,about,raise-topic,specific-feedback,stay-calm,avoid-conflict\n"
    rows = [f"mentor-baseline,m{i},c{i},2,3,2,4\n" for i in range(1, 5)] + [f"mentor-closing,m{i},c{i},4,4,4,2\n" for i in range(1, 4)]
    rows.append("mentor-closing,m4,c9,4,4,4,2\n")  # about someone else: not m4's change about c4
    answers.write_text(head + "".join(rows), encoding="utf-8")
    outcome = make_report(result.program, build_schedule(result.program), ReportRequest([str(answers)]), result.resolved.loc)
    change = next(m for m in outcome.analysis.metrics if m.id == "feedback-confidence")  # type: ignore[union-attr]
    assert change.n == 3 and change.change is not None and change.change.mean_change == pytest.approx(16 - 9)
    assert [(d.code, d.line) for d in outcome.diagnostics if d.code == "PD509"] == [("PD509", 5), ("PD509", 9)]


def test_a_session_log_with_a_problem_on_every_row_stops_after_a_hundred(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text("pair,date\n" + "pair-1,someday\n" * 300, encoding="utf-8")
    log = read_sessions(path, plan, None, None, "sessions.csv")
    assert len(log.diagnostics) == 102 and log.diagnostics[-1].code == "PD520" and log.diagnostics[-1].line == 103


def test_a_survey_for_two_roles_needs_its_role_column(tmp_path: Path, plan: Plan) -> None:
    text = "respondent,worthwhile,agreed-goals,continue,changes-count\nm1,4,yes,1,\n"
    assert diagnostics(tmp_path, plan, text, "midpoint.csv") == [("PD503", 1, 1, "warning")]
    assert diagnostics(tmp_path, plan, text, "midpoint-mentor.csv") == []
    found = read_responses([tmp_path / "midpoint-mentor.csv"], plan)
    assert found.responses[0].role == "mentor"
