"""Every measurement diagnostic at its exact code, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_text, describe

HEAD = """\
apiVersion: programdsl/v1
kind: Program
metadata: {id: pilot, name: Pilot program, timezone: Europe/London}
type: traditional
objectives:
  - {id: confidence, title: Mentees grow in confidence, beneficiary: mentee, metrics: [confidence-score]}
schedule: {start: 2026-01-05}
measurement:
  returnTo: {name: Programme office, email: mentoring@example.org}
"""  # 9 lines: the cases below start on line 10

SCALE = """\
scales:
  - id: confidence
    name: Confidence
    response: {min: 1, max: 5}
    items:
      - {id: raise-topic, text: I raise a difficult topic.}
      - {id: plan-talk, text: I plan a difficult conversation.}
      - {id: avoid-talk, text: I avoid difficult conversations., reverse: true}
"""  # lines 10-17

CHANGE = """\
metrics:
  - id: confidence-score
    name: Confidence
    unit: score (3-15)
    target: 12
    compute: {kind: change, scale: confidence, baseline: opening, followUp: closing}
"""

TWO_SURVEYS = """\
surveys:
  - id: opening
    title: Opening survey
    audience: [mentor, mentee]
    when: {milestone: kickoff}
    questions:
      - {scale: confidence}
  - id: closing
    title: Closing survey
    audience: [mentor, mentee]
    when: {milestone: closing}
    questions:
      - {scale: confidence}
"""

CASES: dict[str, tuple[str, list[tuple[str, int, int]]]] = {
    "valid": (SCALE + CHANGE + TWO_SURVEYS, []),
    "dangling scale in a survey": (SCALE + CHANGE + TWO_SURVEYS.replace("- {scale: confidence}\n  - id: closing",
                                                                         "- {scale: confidense}\n  - id: closing"),
                                   [("PD302", 30, 17)]),
    "dangling compute references": (SCALE + CHANGE.replace("scale: confidence, baseline: opening", "scale: confidenc, baseline: openin")
                                    + TWO_SURVEYS, [("PD302", 23, 36), ("PD302", 23, 57)]),
    "dangling subscale, role and subscale item": (
        SCALE + "    subscales:\n      - {id: courage, name: Courage, items: [raise-topic, avoid]}\n"
        + CHANGE.replace("followUp: closing}", "followUp: closing, subscale: bravery, role: mentr}") + TWO_SURVEYS,
        [("PD302", 19, 59), ("PD302", 25, 96), ("PD302", 25, 111)]),
    "dangling question audience role": (
        SCALE + CHANGE + TWO_SURVEYS + "      - {id: extra, text: Anything else?, type: text, audience: [mentr]}\n",
        [("PD302", 37, 66)]),
    "scale range upside down": (SCALE.replace("{min: 1, max: 5}", "{min: 5, max: 1}") + CHANGE + TWO_SURVEYS,
                                [("PD320", 13, 29)]),
    "scale labels miscounted": (SCALE.replace("{min: 1, max: 5}", "{min: 1, max: 5, labels: [Low, High]}") + CHANGE + TWO_SURVEYS,
                                [("PD320", 13, 40)]),
    "single-item scale": ("""\
scales:
  - id: confidence
    name: Confidence
    response: {min: 1, max: 5}
    items:
      - {id: raise-topic, text: I raise a difficult topic.}
""" + CHANGE.replace("(3-15)", "(1-5)").replace("target: 12", "target: 4") + TWO_SURVEYS, [("PD321", 15, 7)]),
    "minAnswered above the items": (SCALE.replace("    response:", "    minAnswered: 4\n    response:") + CHANGE + TWO_SURVEYS,
                                    [("PD322", 13, 18)]),
    "target outside the range": (SCALE + CHANGE.replace("target: 12", "target: 29\n    baseline: 2") + TWO_SURVEYS,
                                 [("PD328", 22, 13), ("PD328", 23, 15)]),
    "baseline after follow-up": (SCALE + CHANGE.replace("baseline: opening, followUp: closing", "baseline: closing, followUp: opening")
                                 + TWO_SURVEYS, [("PD327", 23, 58)]),
    "baseline is the follow-up": (SCALE + CHANGE.replace("followUp: closing", "followUp: opening") + TWO_SURVEYS,
                                  [("PD327", 23, 58)]),
    "follow-up does not ask the scale": (
        SCALE + CHANGE + TWO_SURVEYS.rsplit("      - {scale: confidence}\n", 1)[0]
        + "      - {id: rating, text: Rate the programme., type: likert, scale: {min: 1, max: 5}}\n",
        [("PD325", 23, 36)]),
    "role not in the survey's audience": (
        SCALE + CHANGE.replace("followUp: closing}", "followUp: closing, role: mentor}")
        + TWO_SURVEYS.replace("audience: [mentor, mentee]\n    when: {milestone: closing}", "audience: [mentee]\n    when: {milestone: closing}"),
        [("PD325", 23, 92)]),
    "scale asked of another role": (
        SCALE + CHANGE.replace("followUp: closing}", "followUp: closing, role: mentor}")
        + TWO_SURVEYS.replace("- {scale: confidence}\n  - id: closing", "- {scale: confidence, audience: [mentee]}\n  - id: closing"),
        [("PD325", 23, 92)]),
    "scale audience outside the survey's": (
        SCALE + CHANGE + TWO_SURVEYS.replace("audience: [mentor, mentee]\n    when: {milestone: kickoff}", "audience: [mentee]\n    when: {milestone: kickoff}")
        .replace("- {scale: confidence}\n  - id: closing", "- {scale: confidence, audience: [mentor]}\n  - id: closing"),
        [("PD330", 30, 40)]),
    "question asked differently": ("""\
metrics:
  - id: confidence-score
    name: Confidence
    unit: score (1-5)
    target: 4
    compute: {kind: change, question: confident, baseline: opening, followUp: closing}
surveys:
  - id: opening
    title: Opening survey
    audience: [mentee]
    when: {milestone: kickoff}
    questions:
      - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
  - id: closing
    title: Closing survey
    audience: [mentee]
    when: {milestone: closing}
    questions:
      - {id: confident, text: I feel very confident., type: likert, scale: {min: 1, max: 7}}
""", [("PD326", 28, 9)]),
    "share-yes of a rating": ("""\
metrics:
  - id: confidence-score
    name: Confidence
    unit: percent
    target: 80
    compute: {kind: score, survey: closing, question: confident, statistic: share-yes}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentee]
    when: {milestone: closing}
    questions:
      - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
""", [("PD329", 15, 77)]),
    "threshold outside the scores": (SCALE + """\
metrics:
  - id: confidence-score
    name: Confidence
    unit: percent
    target: 80
    compute: {kind: score, survey: closing, scale: confidence, statistic: share-at-least, threshold: 16}
""" + TWO_SURVEYS, [("PD328", 23, 102)]),
    "neither scale nor question": ("""\
metrics:
  - id: confidence-score
    name: Confidence
    unit: score
    target: 4
    compute: {kind: score, survey: closing}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentee]
    when: {milestone: closing}
    questions:
      - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
""", [("PD329", 15, 21)]),
    "attendance of pair sessions": ("""\
metrics:
  - id: confidence-score
    name: Sessions held
    unit: percent
    target: 80
    compute: {kind: sessions, meeting: pairs, statistic: share-attending-at-least, atLeast: 2}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentee]
    when: {milestone: closing}
    questions:
      - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
""", [("PD329", 15, 58)]),
    "reverse-coded number": ("""\
metrics:
  - id: confidence-score
    name: Confidence
    definition: Sessions missed
    unit: sessions
    target: 1
surveys:
  - id: closing
    title: Closing survey
    audience: [mentee]
    when: {milestone: closing}
    questions:
      - {id: missed, text: Sessions you missed, type: number, reverse: true}
""", [("PD324", 22, 72)]),
    "mixed ranges feeding one metric": ("""\
metrics:
  - id: confidence-score
    name: Confidence
    definition: Mean of two items
    unit: score
    target: 4
surveys:
  - id: closing
    title: Closing survey
    audience: [mentee]
    when: {milestone: closing}
    questions:
      - {id: a, text: One., type: likert, scale: {min: 1, max: 5}, metric: confidence-score}
      - {id: b, text: Two., type: likert, scale: {min: 0, max: 10}, metric: confidence-score}
""", [("PD323", 23, 77)]),
    "partner survey to a manager": ("""\
roles:
  manager: {label: Line manager}
metrics:
  - id: confidence-score
    name: Confidence
    definition: Mean rating
    unit: score
    target: 4
surveys:
  - id: closing
    title: Closing survey
    audience: [mentor, manager]
    about: partner
    when: {milestone: closing}
    questions:
      - {id: progress, text: My partner made progress., type: likert, scale: {min: 1, max: 5}}
""", [("PD331", 21, 24)]),
    "column collision with a scale item": (SCALE + CHANGE + TWO_SURVEYS
        + "      - {id: plan-talk, text: Did you plan?, type: yes-no}\n", [("PD332", 37, 14)]),
    "scale asked twice": (SCALE + CHANGE + TWO_SURVEYS + "      - {scale: confidence}\n", [("PD332", 37, 17)]),
    "question named about in a partner survey": (SCALE + CHANGE + TWO_SURVEYS.replace(
        "when: {milestone: closing}", "about: partner\n    when: {milestone: closing}")
        + "      - {id: about, text: About what?, type: text}\n", [("PD313", 38, 14)]),
    # The report reads `about` and `submitted` columns as whom and when, in any survey's file.
    "question named about in a survey about oneself": (SCALE + CHANGE + TWO_SURVEYS
        + "      - {id: about, text: About what?, type: text}\n", [("PD313", 37, 14)]),
    "question named submitted": (SCALE + CHANGE + TWO_SURVEYS
        + "      - {id: submitted, text: Have you submitted your plan?, type: yes-no}\n", [("PD313", 37, 14)]),
    "scale item named submitted": (SCALE.replace("{id: raise-topic,", "{id: submitted,") + CHANGE + TWO_SURVEYS,
                                   [("PD332", 30, 17), ("PD332", 36, 17)]),
    "self-code id collides with a question": (SCALE + CHANGE + TWO_SURVEYS.replace(
        "when: {milestone: closing}", "anonymous: true\n    when: {milestone: closing}")
        + "      - {id: code-birthday, text: Birthday?, type: text}\n", [("PD332", 38, 14)]),
    "anonymous survey keyed by roster id": (SCALE + CHANGE + TWO_SURVEYS.replace(
        "when: {milestone: closing}", "anonymous: true\n    respondentKey: roster-id\n    when: {milestone: closing}"),
        [("PD333", 35, 20)]),
    "id starting with a digit": (SCALE.replace("id: plan-talk", "id: 2-plan-talk") + CHANGE + TWO_SURVEYS,
                                 [("PD336", 16, 14)]),
    "self-code pattern": ("""\
metrics:
  - id: confidence-score
    name: Confidence
    definition: Mean rating
    unit: score
    target: 4
surveys:
  - id: closing
    title: Closing survey
    audience: [mentee]
    anonymous: true
    when: {milestone: closing}
    questions:
      - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
""".replace("metrics:", "  selfCode:\n    - {id: code-a, text: Two letters, pattern: '[A-Z'}\n    - {id: code-b, text: A digit, pattern: '^\\\\d$'}\nmetrics:"),
        [("PD335", 11, 48), ("PD335", 12, 44)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_measurement_diagnostics(tmp_path: Path, name: str) -> None:
    body, expected = CASES[name]
    result = check_text(tmp_path, HEAD + body)
    found = sorted((x.code, x.line, x.col) for x in result.diagnostics)
    assert found == sorted(expected), describe(result.diagnostics)


def test_form_return_warning_points_at_the_measurement_block(tmp_path: Path) -> None:
    text = HEAD.replace("  returnTo: {name: Programme office, email: mentoring@example.org}\n", "  minimumGroupSize: 5\n")
    result = check_text(tmp_path, text + SCALE + CHANGE + TWO_SURVEYS)
    assert [(x.code, x.line, x.col) for x in result.diagnostics] == [("PD334", 8, 1)], describe(result.diagnostics)


def test_form_return_warning_points_at_surveys_without_a_block(tmp_path: Path) -> None:
    text = HEAD.replace("measurement:\n  returnTo: {name: Programme office, email: mentoring@example.org}\n", "")
    result = check_text(tmp_path, text + SCALE + CHANGE + TWO_SURVEYS)
    assert [(x.code, x.line, x.col) for x in result.diagnostics] == [("PD334", 22, 1)], describe(result.diagnostics)


def test_a_program_without_measurement_is_not_warned(tmp_path: Path) -> None:
    """Older programs (no measurement block, scales or computed metrics) keep validating cleanly."""
    text = HEAD.replace("measurement:\n  returnTo: {name: Programme office, email: mentoring@example.org}\n", "")
    result = check_text(tmp_path, text + CASES["reverse-coded number"][0].replace(", reverse: true", ""))
    assert not result.diagnostics, describe(result.diagnostics)


def test_a_question_with_a_scale_id_is_told_how_to_write_a_range(tmp_path: Path) -> None:
    body = SCALE + CHANGE + TWO_SURVEYS + "      - {id: extra, text: Extra., type: likert, scale: confidence}\n"
    result = check_text(tmp_path, HEAD + body)
    found = sorted((x.code, x.line, x.col) for x in result.diagnostics)
    assert found == [("PD201", 37, 10), ("PD201", 37, 21), ("PD201", 37, 35)], describe(result.diagnostics)
    assert all("write its range: `scale: {min: 1, max: 5}`" in x.hint for x in result.diagnostics)
