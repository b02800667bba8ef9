"""What a report measures, flattened from the resolved program: the measurement plan.

The response reader and the analysis read this plan, never the program model directly, so the
one place that knows how the program format spells scales, surveys and metric computations is
`plan_for()`. Every element keeps the path of its program value, so "what to change" can name
the line of the program file it comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Path = tuple[Any, ...]

#: Identity columns a response file may carry, in codebook order (`submitted` is programdsl's own
#: optional column for the submission time; survey tools name it themselves).
IDENTITY_COLUMNS = ("response_id", "survey", "role", "occasion", "respondent", "about", "submitted")


@dataclass(frozen=True)
class Column:
    """One answer column of a survey: a question, or one item of a scale."""

    name: str
    text: str
    type: str  # likert | number | yes-no | choice | text
    low: float | None = None
    high: float | None = None
    labels: tuple[str, ...] = ()  # likert labels from low upwards, or choice options in order
    audience: tuple[str, ...] | None = None  # None: everyone the survey is for
    scale: str | None = None  # the scale an item belongs to
    path: Path = ()

    @property
    def numeric(self) -> bool:
        return self.type in ("likert", "number", "yes-no")


@dataclass(frozen=True)
class SurveyPlan:
    id: str
    title: str
    audience: tuple[str, ...]
    columns: tuple[Column, ...]
    windows: tuple[tuple[dt.date, dt.date], ...] = ()  # inclusive (opens, closes), in date order
    about: str = "self"  # self | partner
    self_code: tuple[str, ...] = ()  # columns whose answers make an anonymous respondent's key
    path: Path = ()

    @property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @property
    def closes(self) -> dt.date | None:
        return self.windows[-1][1] if self.windows else None

    def asked(self, column: Column, role: str | None) -> bool:
        """Whether `column` was put to someone in `role` (an unknown role: to anyone)."""
        return role is None or column.audience is None or role in column.audience


@dataclass(frozen=True)
class ScalePlan:
    id: str
    name: str
    scoring: str  # sum | mean
    items: tuple[tuple[str, bool], ...]  # (item id = column name, reverse-coded)
    low: float
    high: float
    min_answered: int
    path: Path = ()

    @property
    def score_range(self) -> tuple[float, float]:
        if self.scoring == "sum":
            return self.low * len(self.items), self.high * len(self.items)
        return self.low, self.high


@dataclass(frozen=True)
class MetricPlan:
    id: str
    name: str
    unit: str
    baseline: float | None
    target: float | None
    direction: str | None  # increase | decrease | None
    kind: str | None  # score | change | sessions | manual | None (prose only: not computed)
    statistic: str = "mean"
    survey: str | None = None  # score: the survey; change: the follow-up
    baseline_survey: str | None = None  # change only
    scale: str | None = None
    question: str | None = None
    threshold: float | None = None
    role: str | None = None
    meeting: str | None = None  # sessions: "pairs" or a group session id
    at_least: int | None = None
    due: dt.date | None = None  # when the value can first be known (the survey's close, the program's end)
    path: Path = ()

    def met(self, value: float) -> bool:
        assert self.target is not None
        return value <= self.target if self.direction == "decrease" else value >= self.target


@dataclass(frozen=True)
class MeetingPlan:
    """A kind of meeting the session log records: the pairs' sessions or one group session."""

    id: str  # "pairs" or the group session id
    name: str
    sessions: int | None  # how many the program asks for
    every_days: float  # the cadence, in days, for "no session for longer than the cadence allows"
    audience: tuple[str, ...] = ()
    minimum_attendance: int | None = None
    planned: tuple[dt.date, ...] = ()  # scheduled dates, for "due by --as-of"
    path: Path = ()


@dataclass(frozen=True)
class Plan:
    program_id: str
    program_name: str
    file: str
    timezone: str
    start: dt.date | None
    end: dt.date | None
    surveys: dict[str, SurveyPlan]
    scales: dict[str, ScalePlan]
    metrics: tuple[MetricPlan, ...]
    meetings: dict[str, MeetingPlan]
    roles: dict[str, str]  # role id -> label
    minimum_group_size: int = 5
    quote_free_text: bool = False
    respondent_key: str = "roster-id"  # roster-id | self-code
    notes: tuple[str, ...] = field(default=())  # what the plan could not take from the program

    def survey_columns(self) -> dict[str, set[str]]:
        return {s.id: {c.name for c in s.columns} for s in self.surveys.values()}
