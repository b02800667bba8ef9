"""Diagnostic codes for response files, session logs and hand-entered values (PD500-PD549).

Kept free of heavy imports: the CLI imports this module at start-up so that every code is in the
catalogue (and in docs/rules.md) whether or not a report is ever made.
"""

from __future__ import annotations

from ..diagnostics import Severity, register

E, W = Severity.ERROR, Severity.WARNING

# Response files (PD500-PD519).
RESPONSES_UNREADABLE = register("PD500", "responses-unreadable", E, "A response file cannot be read, is too large, or is not CSV text.")
RESPONSES_UNKNOWN_SURVEY = register("PD501", "responses-unknown-survey", E, "A response names a survey the program does not define, or the file does not say which survey it answers.")
RESPONSES_UNKNOWN_COLUMN = register("PD502", "responses-unknown-column", W, "A column that is neither a question of the survey nor a known export column; it is ignored.")
RESPONSES_MISSING_COLUMN = register("PD503", "responses-missing-column", W, "A response file has no column for a question the survey asks, for the respondent key, or for the role of a survey sent to several roles.")
RESPONSES_OUT_OF_RANGE = register("PD504", "response-out-of-range", E, "An answer outside the question's scale or options.")
RESPONSES_NOT_A_NUMBER = register("PD505", "response-not-a-number", E, "Text where a number, a scale point or yes/no belongs.")
RESPONSES_DUPLICATE = register("PD506", "response-duplicate", W, "Two responses from one respondent to one survey occasion; the latest one counts.")
RESPONSES_WRONG_ROLE = register("PD507", "response-wrong-role", E, "A response from a role the survey, or an answer from a role the question, was not for.")
RESPONSES_OUTSIDE_WINDOW = register("PD508", "response-outside-window", W, "A response submitted outside the survey's window.")
RESPONSES_UNPAIRED = register("PD509", "response-unpaired", W, "A respondent key seen at only one of the two surveys a change metric compares.")
RESPONSES_MISSING_VALUE = register("PD510", "response-missing-value", E, "A response without the respondent key or role it needs.")
RESPONSES_ROW_SHAPE = register("PD511", "responses-row-shape", E, "A CSV row has more cells than the header has columns.")
RESPONSES_BAD_DATE = register("PD512", "response-bad-date", W, "A submission time or occasion that is not a date; it is ignored.")
RESPONSES_UNKNOWN_RESPONDENT = register("PD513", "response-unknown-respondent", W, "A respondent key, or the partner a response is about, that the pairs file and roster do not know.")
RESPONSES_BAD_SELF_CODE = register("PD514", "response-bad-self-code", W, "A self-code answer that does not have the form the question asks for, so the response cannot be paired.")

# Session logs (PD520-PD529).
SESSIONS_UNREADABLE = register("PD520", "sessions-unreadable", E, "The session log cannot be read, or lacks a column it needs.")
SESSIONS_BAD_VALUE = register("PD521", "sessions-bad-value", E, "A session log cell holds a value of the wrong kind (a date, yes/no, minutes).")
SESSIONS_UNKNOWN_MEETING = register("PD522", "sessions-unknown-meeting", E, "A session log row names a group session, pair or person the program, pairs file or roster does not know.")
SESSIONS_OUTSIDE_PROGRAM = register("PD523", "sessions-outside-program", W, "A logged session dated outside the program's dates.")
SESSIONS_DUPLICATE = register("PD524", "sessions-duplicate", W, "The same meeting logged twice on the same day; it counts once.")

# Hand-entered values (PD530-PD539).
VALUES_UNREADABLE = register("PD530", "values-unreadable", E, "The values file cannot be read, or is not a list of metric values.")
VALUES_UNKNOWN_METRIC = register("PD531", "values-unknown-metric", E, "A value for a metric the program does not define.")
VALUES_BAD_VALUE = register("PD532", "values-bad-value", E, "A value that is not a number, or an as-of date that is not a date.")
VALUES_DUPLICATE = register("PD533", "values-duplicate", W, "Two values for one metric; the one with the latest as-of date counts.")
VALUES_COMPUTED = register("PD534", "values-computed-metric", W, "A hand-entered value for a metric the program computes from responses or the session log; it is ignored.")

# Inputs that disagree with each other (PD540-PD549).
REPORT_PARTICIPANTS = register("PD540", "report-participants", E, "The pairs file or roster cannot be read, or belongs to another program.")
