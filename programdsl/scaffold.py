"""Commented starting files for `programdsl init`: valid as written, meant to be edited."""

from __future__ import annotations

import datetime as dt
import json

from .model import TYPE_SUMMARIES
from .resources import preset_path

# What each type's preset already decides, said once at the top of a new file.
_PRESET_NOTES = {
    "reverse": "mentors at least 2 levels junior to their mentee, 6 monthly sessions, training for both sides",
    "reverse-shadowing": "a junior host at least 2 levels below the shadowing leader, 3 half-day visits over 6 weeks",
    "shadow-board": "a board of junior staff meeting the executive team monthly for 12 months",
    "flash": "one 45-minute session per pair within 4 weeks, mentors taking up to 3 mentees",
    "group": "circles of up to 6 members with one lead, meeting monthly for 6 months",
    "peer": "partners within one level of each other, meeting every two weeks for 6 months",
    "near-peer": "mentors exactly one level ahead, meeting every two weeks for 4 months",
    "reciprocal": "partners who each teach one topic and learn another, monthly for 12 months",
    "skill-swap": "partners who can each teach what the other wants to learn, weekly for 3 months",
    "traditional": "a more senior mentor outside the mentee's reporting line, monthly for 9 months",
}


def default_start(today: dt.date) -> dt.date:
    """The first Monday at least four weeks away (time to recruit and train), and not in the
    year-end holiday weeks, when a launch would be lost."""
    day = today + dt.timedelta(weeks=4)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    while (day.month, day.day) >= (12, 15) or (day.month, day.day) <= (1, 3):
        day += dt.timedelta(weeks=1)
    return day


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def starting_file(program_type: str, program_id: str, name: str, start: dt.date, schema_ref: str) -> str:
    if program_type not in TYPE_SUMMARIES:
        raise ValueError(f"unknown program type {program_type!r}")
    preset = preset_path(program_type).name
    return f"""# yaml-language-server: $schema={schema_ref}
#
# {name}: a {program_type} mentoring program.
# {TYPE_SUMMARIES[program_type]}
#
# The {program_type} preset ({preset}) already sets sensible defaults: {_PRESET_NOTES[program_type]}.
# Any key you write here overrides it; `programdsl validate` checks the result, and
# docs/format.md describes every field.
apiVersion: programdsl/v1
kind: Program
metadata:
  id: {program_id}
  name: {_quote(name)}
  owner:
    name: People Development Team
  version: "1.0"
  locale: en-GB
  timezone: Europe/London
type: {program_type}

schedule:
  start: {start.isoformat()}
  # duration: 6 months        # uncomment to change the preset's length
  # holidays: {{country: GB, subdivision: ENG}}

# Objectives for each side and for the organization, each measured by a metric below.
objectives:
  - id: mentee-growth
    title: Mentees make progress on the goals they set at the start
    beneficiary: mentee
    metrics: [goal-progress]
  - id: mentor-growth
    title: Mentors grow their own skills by mentoring
    beneficiary: mentor
    metrics: [mentor-confidence]
  - id: connection
    title: People build relationships across the organization
    beneficiary: organization
    metrics: [goal-progress, mentor-confidence]

metrics:
  - id: goal-progress
    name: Progress on goals
    unit: score (1-5)
    target: 4
    direction: increase
    # How the value is computed: here, the mean answer of mentees to one closing question.
    compute: {{kind: score, survey: closing, question: goal-progress, role: mentee, statistic: mean}}
    collectedAt: [closing]
  - id: mentor-confidence
    name: Mentor confidence giving feedback
    unit: score (1-5)
    baseline: 3
    target: 4
    direction: increase
    # The same scale asked before and after, each mentor's answers paired over time.
    compute: {{kind: change, scale: feedback-confidence, baseline: mentor-baseline, followUp: closing, role: mentor}}
    collectedAt: [kickoff, closing]

# How answers are collected and linked over time (docs/measurement.md).
measurement:
  respondentKey: roster-id   # or self-code: anonymous answers, linked by a code only the respondent knows
  returnTo: {{name: People Development Team, email: mentoring@example.org}}
  # submitTo: https://forms.example.org/mentoring   # a form service that receives the answers instead

# Questionnaires scored as one number; a survey asks one with `- {{scale: id}}`.
scales:
  - id: feedback-confidence
    name: Confidence giving feedback
    scoring: mean
    response: {{min: 1, max: 5, labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]}}
    items:
      - {{id: feedback-specific, text: I can give feedback that is specific and based on what I saw.}}
      - {{id: feedback-difficult, text: I can raise a difficult subject with a colleague.}}
      - {{id: feedback-put-off, text: I put off giving feedback I expect to be unwelcome., reverse: true}}

surveys:
  - id: mentor-baseline
    title: Before you start
    audience: [mentor]
    when: {{milestone: kickoff}}
    openDays: 7
    questions:
      - {{scale: feedback-confidence, required: true}}
  - id: fit-check
    title: How is your pairing going?
    audience: [mentor, mentee]
    when: {{milestone: kickoff, offsetDays: 21}}
    openDays: 7
    questions:
      - id: good-fit
        text: My partner and I work well together.
        type: likert
        scale: {{min: 1, max: 5, labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]}}
        required: true
      - id: anything-to-change
        text: Is there anything the program team should know?
        type: text
  - id: closing
    title: Closing survey
    audience: [mentor, mentee]
    when: {{milestone: closing}}
    openDays: 14
    questions:
      - id: goal-progress
        text: How much progress did you make on your goals?
        type: likert
        scale: {{min: 1, max: 5, labels: [None, A little, Some, Good, A great deal]}}
        audience: [mentee]
      - {{scale: feedback-confidence, audience: [mentor], required: true}}

contacts:
  - name: People Development Team
    role: Program coordinator
    email: mentoring@example.org

confidentiality: >-
  What is said in a session stays between the people in it, unless someone's safety is at
  risk or the law requires otherwise.
conduct: >-
  Treat each other with respect. If a pairing is not working, either person may ask the
  program coordinator for a new match, without needing to give a reason.
"""
