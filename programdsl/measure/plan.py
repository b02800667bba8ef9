"""What a report measures, flattened from the resolved program: the measurement plan.

The response reader and the analysis read this plan, never the program model directly, so the
one place that knows how the program format spells scales, surveys and metric computations is
`plan_for()`. Every element keeps the path of its program value, so "what to change" can name
the line of the program file it comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Program
    from ..schedule import ProgramSchedule

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
    pattern: str | None = None  # a self-code answer matches this in full

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

    @cached_property
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


# --- from the resolved program ----------------------------------------------------------------------


def plan_for(program: "Program", schedule: "ProgramSchedule") -> Plan:
    """The measurement plan of a validated program and its dated schedule."""
    from ..model import FREQUENCY_DAYS, ChangeComputation, ManualComputation, ScoreComputation, SessionsComputation

    windows: dict[str, list[tuple[dt.date, dt.date]]] = {}
    meeting_dates: dict[tuple[str, str], list[dt.date]] = {}
    for occurrence in schedule.occurrences:
        if occurrence.kind == "survey" and occurrence.ref is not None:
            windows.setdefault(occurrence.ref, []).append((occurrence.day, occurrence.last_day))
        elif occurrence.kind in ("session", "group-session") and occurrence.ref is not None:
            meeting_dates.setdefault((occurrence.kind, occurrence.ref), []).append(occurrence.day)
    surveys: dict[str, SurveyPlan] = {}
    for survey in program.surveys:
        questions = program.measurement.self_code if survey.respondent_key == "self-code" else ()
        code = tuple(q.id for q in questions)
        columns = [Column(q.id, q.text, "text", path=survey.path, pattern=q.pattern) for q in questions]
        for q in survey.questions:
            labels = q.options if q.type == "choice" else q.labels
            low = float(q.scale_min) if q.type == "likert" and q.scale_min is not None else None
            high = float(q.scale_max) if q.type == "likert" and q.scale_max is not None else None
            columns.append(Column(q.id, q.text, q.type, low, high, tuple(labels), q.audience, q.scale, q.path))
        surveys[survey.id] = SurveyPlan(survey.id, survey.title, survey.audience, tuple(columns),
                                        tuple(sorted(windows.get(survey.id, ()))), survey.about, code, survey.path)
    scales: dict[str, ScalePlan] = {}

    def add_scale(scale: Any, key: str) -> None:
        if scale is not None and scale.low is not None and scale.high is not None and scale.items:
            scales[key] = ScalePlan(key, scale.name, scale.scoring, tuple((i.id, i.reverse) for i in scale.items),
                                    float(scale.low), float(scale.high), scale.needed, scale.path)

    for scale in program.scales:
        add_scale(scale, scale.id)
        for sub in scale.subscales:
            add_scale(scale.part(sub.id), f"{scale.id}/{sub.id}")
    span_end = schedule.timeline.program.end if schedule.timeline.program is not None else None
    span_start = schedule.timeline.program.start if schedule.timeline.program is not None else None
    metrics = []
    for metric in program.metrics:
        compute = metric.compute
        common: dict[str, Any] = dict(id=metric.id, name=metric.name, unit=metric.unit, baseline=metric.baseline,
                                      target=metric.target, direction=metric.direction, path=metric.path)
        if isinstance(compute, ScoreComputation):
            metrics.append(MetricPlan(**common, kind="score", statistic=compute.statistic, survey=compute.survey,
                                      scale=_scale_key(compute.scale, compute.subscale), question=compute.question,
                                      threshold=compute.threshold, role=compute.role,
                                      due=surveys[compute.survey].closes if compute.survey in surveys else None))
        elif isinstance(compute, ChangeComputation):
            metrics.append(MetricPlan(**common, kind="change", statistic=compute.statistic, survey=compute.follow_up,
                                      baseline_survey=compute.baseline, scale=_scale_key(compute.scale, compute.subscale),
                                      question=compute.question, role=compute.role,
                                      due=surveys[compute.follow_up].closes if compute.follow_up in surveys else None))
        elif isinstance(compute, SessionsComputation):
            metrics.append(MetricPlan(**common, kind="sessions", statistic=compute.statistic, meeting=compute.meeting,
                                      at_least=compute.at_least, role=compute.role, due=span_end))
        elif isinstance(compute, ManualComputation) or (compute is None and metric.source is not None
                                                          and metric.source.kind != "survey"):
            # A prose metric from a source outside programdsl (HR data, a staff survey) takes a hand-entered value.
            metrics.append(MetricPlan(**common, kind="manual", due=span_end))
        else:
            metrics.append(MetricPlan(**common, kind=None, due=span_end))
    meetings: dict[str, MeetingPlan] = {}
    m = program.meetings
    if m.frequency is not None:
        meetings["pairs"] = MeetingPlan("pairs", "Pair sessions", m.sessions, FREQUENCY_DAYS.get(m.frequency, 30.4375),
                                        tuple(r for r in ("mentor", "mentee") if r in program.roles), None,
                                        tuple(sorted(meeting_dates.get(("session", "sessions"), ()))), m.path)
    for group in m.group_sessions:
        meetings[group.id] = MeetingPlan(group.id, group.name, group.sessions, FREQUENCY_DAYS.get(group.frequency, 30.4375),
                                         group.audience, group.minimum_attendance,
                                         tuple(sorted(meeting_dates.get(("group-session", group.id), ()))), group.path)
    return Plan(program.id, program.name, program.file, program.timezone, span_start, span_end, surveys, scales,
                tuple(metrics), meetings, {r: role.label for r, role in program.roles.items()},
                program.measurement.minimum_group_size, program.measurement.quote_free_text,
                program.measurement.respondent_key)


def _scale_key(scale: str | None, subscale: str | None) -> str | None:
    if scale is None:
        return None
    return f"{scale}/{subscale}" if subscale else scale
