"""Scales, scoring and the codebook: the measurement model issue 10's report reads through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from programdsl.measure import codebook, scoring
from programdsl.model import DEFAULT_SELF_CODE, ChangeComputation, Program, Scale, ScaleItem, ScoreComputation, build
from conftest import check_data, describe, minimal_data, deep_merge

CONFIDENCE = {
    "id": "confidence", "name": "Confidence", "scoring": "sum", "minAnswered": 3,
    "response": {"min": 1, "max": 5, "labels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]},
    "items": [
        {"id": "raise", "text": "I raise difficult topics."},
        {"id": "avoid", "text": "I avoid difficult conversations.", "reverse": True},
        {"id": "plan", "text": "I plan a conversation."},
        {"id": "calm", "text": "I stay calm."},
    ],
    "subscales": [{"id": "courage", "name": "Courage", "items": ["raise", "avoid"]}],
}


def program(overrides: dict[str, Any] | None = None) -> Program:
    data = deep_merge(minimal_data(), {
        "scales": [CONFIDENCE],
        "surveys": [
            {"id": "before", "title": "Before", "audience": ["mentor", "mentee"], "when": {"milestone": "kickoff"},
             "questions": [{"scale": "confidence", "audience": ["mentee"], "required": True},
                           {"id": "hopes", "text": "What do you hope for?", "type": "text", "audience": ["mentor"]}]},
            {"id": "after", "title": "After", "audience": ["mentee"], "when": {"milestone": "closing"}, "about": "partner",
             "questions": [{"scale": "confidence"},
                           {"id": "helped", "text": "My mentor helped.", "type": "yes-no"}]},
        ],
        "metrics": [{"id": "confidence-score", "name": "Confidence", "unit": "score (4-20)",
                     "compute": {"kind": "change", "scale": "confidence", "baseline": "before", "followUp": "after"}},
                    {"id": "helped-share", "name": "Helped", "unit": "percent",
                     "compute": {"kind": "score", "survey": "after", "question": "helped", "statistic": "share-yes"}}],
    })
    return build(deep_merge(data, overrides or {}))


def scale(scoring_rule: str = "sum", min_answered: int | None = 3) -> Scale:
    raw = {k: v for k, v in CONFIDENCE.items() if k != "minAnswered"}
    found = program({"scales": [{**raw, "scoring": scoring_rule, **({"minAnswered": min_answered} if min_answered else {})}]})
    result = found.scale("confidence")
    assert result is not None
    if min_answered is None:
        assert result.min_answered is None
    return result


class TestScore:
    def test_all_answered_sum_reverse_codes(self) -> None:
        # raise 4, avoid 2 -> 6 - 2 = 4, plan 5, calm 3: 4 + 4 + 5 + 3 = 16
        assert scoring.score(scale(), {"raise": 4, "avoid": 2, "plan": 5, "calm": 3}) == 16

    def test_missing_answer_is_prorated(self) -> None:
        # answered: 4, 4 (reversed 2), 5 -> mean 13/3, times four items
        assert scoring.score(scale(), {"raise": 4, "avoid": 2, "plan": 5, "calm": None}) == pytest.approx(52 / 3)
        assert scoring.score(scale(), {"raise": 4, "avoid": 2, "plan": 5}) == pytest.approx(52 / 3)

    def test_nan_counts_as_missing(self) -> None:
        assert scoring.score(scale(), {"raise": 4, "avoid": 2, "plan": 5, "calm": float("nan")}) == pytest.approx(52 / 3)

    def test_too_few_answers_give_no_score(self) -> None:
        assert scoring.score(scale(), {"raise": 4, "avoid": 2}) is None
        assert scoring.score(scale(), {}) is None

    def test_default_needs_every_item(self) -> None:
        whole = scale(min_answered=None)
        assert whole.needed == 4
        assert scoring.score(whole, {"raise": 4, "avoid": 2, "plan": 5}) is None
        assert scoring.score(whole, {"raise": 1, "avoid": 5, "plan": 1, "calm": 1}) == 4

    def test_mean_scoring(self) -> None:
        assert scoring.score(scale("mean"), {"raise": 4, "avoid": 2, "plan": 5, "calm": None}) == pytest.approx(13 / 3)
        assert scoring.score(scale("mean"), {"raise": 5, "avoid": 1, "plan": 5, "calm": 5}) == 5

    def test_answer_outside_range_is_refused(self) -> None:
        with pytest.raises(ValueError, match="outside the scale's range 1-5"):
            scoring.score(scale(), {"raise": 6, "avoid": 2, "plan": 5, "calm": 3})

    def test_subscale_scores_its_own_items(self) -> None:
        courage = scale().part("courage")
        assert courage is not None and [i.id for i in courage.items] == ["raise", "avoid"]
        assert courage.needed == 2  # its own default: all of its items
        assert scoring.score(courage, {"raise": 3, "avoid": 1, "plan": 1}) == 8  # 3 + (6 - 1)
        assert scoring.score(courage, {"raise": 3}) is None
        assert scale().part("nope") is None

    def test_ranges(self) -> None:
        assert scoring.score_range(scale()) == (4, 20)
        assert scoring.score_range(scale("mean")) == (1, 5)
        courage = scale().part("courage")
        assert courage is not None and courage.score_range == (2, 10)
        broken = Scale("x", "X", None, "sum", None, None, None, (), (ScaleItem("a", "A", False),), ())
        assert scoring.score_range(broken) is None and scoring.score(broken, {"a": 1}) is None

    def test_metric_ranges(self) -> None:
        p = program()
        change, share = (m.compute for m in p.metrics)
        assert isinstance(change, ChangeComputation) and isinstance(share, ScoreComputation)
        assert scoring.metric_range(p, change) == (4, 20)
        assert scoring.metric_range(p, share) == (0, 100)
        single = ScoreComputation("before", None, None, "hopes", "mean", None, None)
        assert scoring.metric_range(p, single) is None  # free text has no range
        assert scoring.metric_range(p, None) is None


class TestModel:
    def test_scale_uses_expand_into_items(self) -> None:
        p = program()
        before = p.survey("before")
        assert before is not None
        assert [(q.id, q.scale, q.audience, q.required) for q in before.questions] == [
            ("raise", "confidence", ("mentee",), True), ("avoid", "confidence", ("mentee",), True),
            ("plan", "confidence", ("mentee",), True), ("calm", "confidence", ("mentee",), True),
            ("hopes", None, ("mentor",), False)]
        assert [q.reverse for q in before.questions] == [False, True, False, False, False]
        assert before.questions[0].path == ("surveys", 0, "questions", 0)
        assert [q.id for q in before.questions_for("mentor")] == ["hopes"]
        assert before.scale_uses[0].scale == "confidence"

    def test_respondent_key_defaults(self) -> None:
        p = program()
        assert p.measurement.respondent_key == "roster-id" and not p.measurement.respondent_key_written
        assert p.measurement.self_code == DEFAULT_SELF_CODE and p.measurement.minimum_group_size == 5
        anonymous = program({"surveys": [{**minimal_data()["surveys"][0], "anonymous": True}]})
        assert anonymous.measurement.respondent_key == "self-code"
        assert anonymous.surveys[0].respondent_key == "self-code"

    def test_anonymous_false_is_keyed_by_roster_id(self) -> None:
        surveys = [{**minimal_data()["surveys"][0], "anonymous": True},
                   {**minimal_data()["surveys"][0], "id": "named", "anonymous": False},
                   {**minimal_data()["surveys"][0], "id": "unsaid"}]
        p = program({"surveys": surveys})
        assert [s.respondent_key for s in p.surveys] == ["self-code", "roster-id", "self-code"]

    def test_survey_key_overrides_program_key(self) -> None:
        p = program({"measurement": {"respondentKey": "self-code"},
                     "surveys": [{**minimal_data()["surveys"][0], "respondentKey": "roster-id"}]})
        assert p.measurement.respondent_key == "self-code" and p.surveys[0].respondent_key == "roster-id"

    def test_metric_without_definition_but_with_compute_is_valid(self, tmp_path: Path) -> None:
        result = check_data(tmp_path, {"metrics": [{"id": "confidence-score", "name": "Confidence", "unit": "score", "target": 4,
                                                    "compute": {"kind": "manual"}}],
                                       "measurement": {"returnTo": {"name": "Programme office"}}})
        assert not result.diagnostics, describe(result.diagnostics)
        bare = check_data(tmp_path, {"metrics": [{"id": "confidence-score", "name": "Confidence", "unit": "score", "target": 4}]})
        assert [(x.code, x.line, x.col) for x in bare.diagnostics] == [("PD203", 15, 3)], describe(bare.diagnostics)


class TestCodebook:
    def test_roster_id_columns(self) -> None:
        p = program()
        before = p.survey("before")
        assert before is not None
        mentee = codebook.columns(p, before, "mentee")
        assert [c.name for c in mentee] == ["response_id", "survey", "role", "occasion", "respondent",
                                            "raise", "avoid", "plan", "calm"]
        avoid = mentee[6]
        assert (avoid.scale, avoid.reverse, avoid.low, avoid.high, avoid.audience, avoid.metrics) == (
            "confidence", True, 1, 5, ("mentee",), ("confidence-score",))
        assert avoid.values[0] == ("1", "Strongly disagree")
        assert [c.name for c in codebook.columns(p, before, "mentor")][4:] == ["respondent", "hopes"]
        assert mentee[1].fixed == "before" and mentee[2].fixed == "mentee"

    def test_self_code_and_partner_columns(self) -> None:
        p = program({"measurement": {"respondentKey": "self-code"}})
        after = p.survey("after")
        assert after is not None
        names = [c.name for c in codebook.columns(p, after, "mentee")]
        assert names == ["response_id", "survey", "role", "occasion", "code-guardian", "code-birthday", "code-siblings",
                         "respondent", "about", "raise", "avoid", "plan", "calm", "helped"]
        cols = {c.name: c for c in codebook.columns(p, after, "mentee")}
        assert cols["respondent"].computed and cols["code-guardian"].kind == codebook.SELF_CODE
        assert cols["helped"].values == (("yes", "Yes"), ("no", "No")) and cols["helped"].metrics == ("helped-share",)

    def test_self_code(self) -> None:
        answers = {"code-guardian": " ma ", "code-birthday": "07", "code-siblings": "0"}
        assert codebook.self_code(DEFAULT_SELF_CODE, answers) == "MA-7-0"
        assert codebook.self_code(DEFAULT_SELF_CODE, {**answers, "code-siblings": " "}) is None
        assert codebook.self_code(DEFAULT_SELF_CODE, {"code-guardian": "ma"}) is None


PARTIAL = """\
metrics:
  - {id: m, name: M, unit: u, target: x, compute: {kind: change, scale: [1], baseline: 3, followUp: {a: 1}, role: 7}}
  - {id: n, name: N, unit: u, compute: {kind: sessions, meeting: g, atLeast: many, statistic: share-attending-at-least}}
  - {id: o, name: O, unit: u, compute: [score]}
measurement: {respondentKey: 5, selfCode: "abc", returnTo: [x], minimumGroupSize: big}
scales:
  - {id: s, name: S, response: {min: one, max: 5, labels: yes}, items: "abc", minAnswered: "2", subscales: [{id: t, items: 3}]}
  - just text
surveys:
  - {id: a, title: A, audience: [mentor], when: {milestone: closing}, about: sideways, respondentKey: maybe,
     questions: [{scale: s, audience: mentor}, {scale: 5}, 7, {id: q, text: Q, type: likert, scale: [1, 5], audience: mentor}]}
"""


def test_rules_survive_partial_measurement_data() -> None:
    """Rules may run on data the schema rejected (issue 12): the model takes what it can use."""
    from programdsl.loader import parse
    from programdsl import rules

    document = parse(PARTIAL, "partial.yaml")
    assert document.data is not None and document.loc is not None
    built = build(document.data, "partial.yaml")
    assert built.measurement.respondent_key == "roster-id" and built.measurement.minimum_group_size == 5
    assert built.scales[0].low is None and built.scales[0].items == () and built.scales[0].min_answered is None
    assert built.surveys[0].about == "self" and [q.id for q in built.surveys[0].questions] == ["", "q"]
    list(rules.run(rules.Context(built, document.loc)))  # no exception


def test_diff_speaks_of_measurement_in_program_terms() -> None:
    from programdsl.diff import diff

    old = program()
    new = program({
        "measurement": {"respondentKey": "self-code", "returnTo": {"name": "Office", "email": "office@example.org"}},
        "scales": [{**CONFIDENCE, "scoring": "mean", "items": CONFIDENCE["items"][:3]}],
        "metrics": [{"id": "confidence-score", "name": "Confidence", "unit": "score (1-5)",
                     "compute": {"kind": "score", "survey": "after", "scale": "confidence", "statistic": "share-at-least",
                                 "threshold": 4, "role": "mentee"}}],
    })
    texts = [c.text for c in diff(old, new)]
    assert "metric confidence-score compute: change of scale confidence, before to after (mean) -> " \
           "scale confidence at after (share-at-least, threshold 4, mentee)" in texts
    assert "scale confidence scoring: sum -> mean" in texts
    assert "scale confidence items: raise, avoid (reversed), plan, calm -> raise, avoid (reversed), plan" in texts
    assert "respondent key: roster-id -> self-code" in texts
    assert "return to: (none) -> Office (office@example.org)" in texts
    assert "survey before respondent key: roster-id -> self-code" in texts
    assert not any("Computation(" in t or "ScaleItem(" in t for t in texts)
