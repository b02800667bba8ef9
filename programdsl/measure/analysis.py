"""From checked responses, session logs and hand-entered values to every metric's result.

`analyse()` takes the measurement plan and the inputs already read and checked, and returns an
`Analysis`: per survey, who answered and how each item and scale came out; per metric, its value,
its status against the target and, for a before/after metric, the paired test; per meeting, how
many sessions were held; and what to change. It never reads files and never prints.

Privacy: any number computed from fewer people than `plan.minimum_group_size` is withheld and the
result says so (`suppressed`). The analysis names nobody; the coordinator's follow-up list
(`follow_up.py`) is separate.

Statuses: with a final report (no `as_of` before the end of the program), a metric with a value
and a target is `met` or `not met`, else `not measurable yet`. With `as_of` in the middle of the
program, a metric whose data is not due yet is `not due yet`; a sessions metric is `on track` or
`behind` by comparing the sessions held with those scheduled up to `as_of`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Iterable, Sequence, TypedDict

from ..diagnostics import Diagnostic, Span
from . import codes
from .plan import MeetingPlan, MetricPlan, Plan, ScalePlan, SurveyPlan
from .responses import Response, Responses
from .sessions import PAIRS, SessionLog
from .stats import Alpha, Descriptive, PairedChange, cronbach_alpha, describe, share, wilcoxon_signed_rank
from .values import Values

#: A survey whose response rate falls below this share (percent) is named in "what to change".
LOW_RESPONSE = 60.0
#: Share (percent) of the sessions due so far below which "sessions are not being held".
LOW_SESSIONS = 75.0
#: A pair may go this many times its cadence without a session before the coordinator hears of it.
CADENCE_GRACE = 1.5

MET, NOT_MET, NOT_MEASURABLE = "met", "not met", "not measurable yet"
ON_TRACK, BEHIND, NOT_DUE = "on track", "behind", "not due yet"
NO_TARGET = "no target"


# --- who takes part --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None


@dataclass(frozen=True)
class Pair:
    id: str
    members: tuple[Person, ...]


@dataclass
class Participants:
    """Who was expected to answer and meet: from a pairs file and/or a roster."""

    people: dict[str, Person] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)
    source: str = ""  # "pairs file", "roster", "pairs file and roster"

    def in_roles(self, roles: Iterable[str]) -> list[Person]:
        wanted = set(roles)
        return [p for p in self.people.values() if p.role in wanted]

    def partners(self, person: str) -> list[Person]:
        return [m for pair in self.pairs if any(x.id == person for x in pair.members) for m in pair.members if m.id != person]


# --- results ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSummary:
    column: str
    text: str
    type: str
    n: int
    stats: Descriptive | None  # None when suppressed or not numeric
    counts: tuple[tuple[int, int], ...]  # likert: (scale point, how many), every point listed
    low: float | None
    high: float | None
    labels: tuple[str, ...]
    suppressed: bool


@dataclass(frozen=True)
class ScaleSummary:
    scale: str
    name: str
    survey: str
    n: int  # respondents with a score
    stats: Descriptive | None
    alpha: Alpha | None
    score_range: tuple[float, float]
    suppressed: bool
    path: tuple[object, ...] = ()


@dataclass(frozen=True)
class FreeText:
    column: str
    text: str
    answered: int
    quotes: tuple[str, ...]  # only when the program allows quoting, and the group is large enough


@dataclass(frozen=True)
class SurveySummary:
    id: str
    title: str
    opens: dt.date | None
    closes: dt.date | None
    state: str  # closed | open | not yet open | not scheduled
    responses: int
    respondents: int  # distinct respondent keys (responses without a key count one each)
    expected: int | None
    rate: float | None
    by_role: tuple[tuple[str, int], ...]
    items: tuple[ItemSummary, ...]
    scales: tuple[ScaleSummary, ...]
    free_text: tuple[FreeText, ...]
    suppressed: bool
    path: tuple[object, ...] = ()


@dataclass(frozen=True)
class MetricResult:
    id: str
    name: str
    unit: str
    kind: str | None
    statistic: str | None
    baseline: float | None
    target: float | None
    direction: str | None
    value: float | None
    n: int  # people (or pairs) behind the value
    status: str
    reason: str  # why not measurable / suppressed, or how the value was reached
    due: dt.date | None
    change: PairedChange | None = None
    before: tuple[float, ...] = ()  # paired values, for the before/after plot (empty when suppressed)
    after: tuple[float, ...] = ()
    source: str | None = None  # manual values: where the value comes from
    suppressed: bool = False
    path: tuple[object, ...] = ()


@dataclass(frozen=True)
class MeetingSummary:
    id: str
    name: str
    planned: int | None  # sessions the program asks for
    due: int  # sessions scheduled up to the as-of date
    groups: int  # pairs (pair sessions) or people expected (group sessions)
    held: int  # sessions held (pairs: all pairs' sessions together)
    cancelled: int
    complete: int | None  # pairs with every planned session / people meeting the attendance minimum
    complete_share: float | None
    held_share_of_due: float | None  # sessions held as a share of those due so far
    mean_minutes: float | None
    suppressed: bool
    path: tuple[object, ...] = ()


@dataclass(frozen=True)
class Change:
    """One thing to change, in program terms, and where in the program file it is written."""

    subject: str  # metric | survey | scale | meeting
    id: str
    message: str
    file: str
    line: int


class Inputs(TypedDict, total=False):
    """What the report was computed from, as report.json's `inputs` gives it."""

    responseFiles: int
    rows: int
    responses: int
    sessionLog: bool
    values: bool
    participants: str | None


@dataclass
class Analysis:
    plan: Plan
    as_of: dt.date
    final: bool
    surveys: list[SurveySummary]
    metrics: list[MetricResult]
    meetings: list[MeetingSummary]
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)  # plain words, one per withheld result
    inputs: Inputs = field(default_factory=lambda: Inputs())


# --- scoring ----------------------------------------------------------------------------------------------


def scale_score(scale: ScalePlan, answers: dict[str, float | str]) -> float | None:
    """Sum or mean of the coded items; reverse-coded items count as (min + max) - answer; a sum
    with items missing (but at least `min_answered` answered) is prorated: the mean of the answered
    items times the number of items."""
    coded = []
    for item, reverse in scale.items:
        value = answers.get(item)
        if isinstance(value, float):
            coded.append(scale.low + scale.high - value if reverse else value)
    if not coded or len(coded) < scale.min_answered:
        return None
    mean = sum(coded) / len(coded)
    return mean if scale.scoring == "mean" else mean * len(scale.items)


def _coded_items(scale: ScalePlan, answers: dict[str, float | str]) -> list[float | None]:
    row: list[float | None] = []
    for item, reverse in scale.items:
        value = answers.get(item)
        row.append((scale.low + scale.high - value if reverse else value) if isinstance(value, float) else None)
    return row


def _value_of(metric: MetricPlan, plan: Plan, response: Response) -> float | None:
    """One respondent's score for what `metric` reads: a scale or a single numeric question."""
    if metric.scale is not None and metric.scale in plan.scales:
        return scale_score(plan.scales[metric.scale], response.answers)
    if metric.question is not None:
        value = response.answers.get(metric.question)
        return value if isinstance(value, float) else None
    return None


def _summarise(values: Sequence[float], statistic: str, threshold: float | None) -> float | None:
    if not values:
        return None
    if statistic == "median":
        return float(statistics.median(values))
    if statistic == "share-at-least":
        return share(sum(v >= (threshold if threshold is not None else 0) for v in values), len(values))
    if statistic == "share-yes":
        return share(sum(v == 1.0 for v in values), len(values))
    return statistics.fmean(values)


def _result(metric: MetricPlan, value: float | None, n: int, status: str, reason: str, change: PairedChange | None = None,
            before: tuple[float, ...] = (), after: tuple[float, ...] = (), source: str | None = None,
            suppressed: bool = False) -> MetricResult:
    return MetricResult(metric.id, metric.name, metric.unit, metric.kind, metric.statistic, metric.baseline, metric.target,
                        metric.direction, value, n, status, reason, metric.due, change, before, after, source, suppressed,
                        metric.path)


# --- the analysis -----------------------------------------------------------------------------------------


class _Analyser:
    def __init__(self, plan: Plan, responses: Responses, sessions: SessionLog | None, values: Values | None,
                 participants: Participants | None, as_of: dt.date, cutoff: dt.date) -> None:
        self.plan, self.responses, self.sessions, self.values = plan, responses, sessions, values
        self.participants = participants
        self.as_of = as_of
        # What is left out as not yet known: only with a date asked for (--as-of). A final report
        # keeps late answers, sessions logged after the last day and figures measured afterwards.
        self.cutoff = cutoff
        self.minimum = plan.minimum_group_size
        self.suppressed: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        self.by_survey: dict[str, list[Response]] = {s: [] for s in plan.surveys}
        for response in responses.responses:
            # As of a day, the report is what could be known that day: later submissions wait.
            if response.submitted is not None and response.submitted.date() > cutoff:
                continue
            self.by_survey.setdefault(response.survey, []).append(response)

    def withhold(self, what: str, n: int) -> None:
        self.suppressed.append(f"{what}: {n} {'person' if n == 1 else 'people'}, fewer than {self.minimum}")

    # surveys
    def survey(self, survey: SurveyPlan) -> SurveySummary:
        rows = self.by_survey.get(survey.id, [])
        keys = {r.respondent for r in rows if r.respondent is not None}
        respondents = len(keys) + sum(1 for r in rows if r.respondent is None)
        expected = self.expected(survey)
        by_role: dict[str, int] = {}  # respondents (not responses: a repeated survey has several each)
        for role in sorted({r.role or "unknown" for r in rows}):
            mine = [r for r in rows if (r.role or "unknown") == role]
            by_role[role] = len({r.respondent for r in mine if r.respondent is not None}) + sum(r.respondent is None for r in mine)
        items = []
        for column in survey.columns:
            if column.type == "text" or column.name in survey.self_code:
                continue
            asked = [r for r in rows if survey.asked(column, r.role)]
            answers = [r.answers[column.name] for r in asked if isinstance(r.answers.get(column.name), float)]
            numbers = [float(a) for a in answers if isinstance(a, float)]
            hidden = 0 < len(numbers) < self.minimum
            if hidden:
                self.withhold(f"survey {survey.id}, {column.name}", len(numbers))
            counts: tuple[tuple[int, int], ...] = ()
            if column.type == "likert" and column.low is not None and column.high is not None and not hidden:
                counts = tuple((point, sum(1 for v in numbers if v == point))
                               for point in range(int(column.low), int(column.high) + 1))
            stats = describe(numbers) if numbers and not hidden and column.type != "choice" else None
            if column.type == "choice" and numbers and not hidden:
                counts = tuple((i, sum(1 for v in numbers if v == i)) for i in range(1, len(column.labels) + 1))
            items.append(ItemSummary(column.name, column.text, column.type, len(numbers), stats, counts,
                                     column.low, column.high, column.labels, hidden))
        scales = [self.scale_summary(self.plan.scales[s], survey, rows) for s in self.scales_in(survey)]
        free = []
        for column in survey.columns:
            if column.type != "text" or column.name in survey.self_code:
                continue
            texts = [str(r.answers[column.name]) for r in rows if isinstance(r.answers.get(column.name), str)]
            quotes: tuple[str, ...] = ()
            if self.plan.quote_free_text and len(texts) >= self.minimum:
                quotes = tuple(sorted(texts))
            free.append(FreeText(column.name, column.text, len(texts), quotes))
        opens = survey.windows[0][0] if survey.windows else None
        closes = survey.closes
        # Without --as-of the report is final: every survey has closed by the time it is read.
        state = ("not scheduled" if closes is None or opens is None
                 else "closed" if self.cutoff == dt.date.max or closes < self.as_of
                 else "open" if opens <= self.as_of else "not yet open")
        return SurveySummary(
            survey.id, survey.title, opens, closes, state, len(rows), respondents, expected,
            share(min(respondents, expected), expected) if expected else None,
            tuple(sorted(by_role.items())), tuple(items), tuple(scales), tuple(free),
            0 < respondents < self.minimum, survey.path)

    def scales_in(self, survey: SurveyPlan) -> list[str]:
        present = [c.scale for c in survey.columns if c.scale is not None]
        return [s for s in dict.fromkeys(present) if s in self.plan.scales]

    def scale_summary(self, scale: ScalePlan, survey: SurveyPlan, rows: list[Response]) -> ScaleSummary:
        scores = [s for s in (scale_score(scale, r.answers) for r in rows) if s is not None]
        hidden = 0 < len(scores) < self.minimum
        if hidden:
            self.withhold(f"survey {survey.id}, scale {scale.id}", len(scores))
        alpha = None
        if len(scale.items) > 1 and not hidden:
            alpha = cronbach_alpha([_coded_items(scale, r.answers) for r in rows
                                    if any(isinstance(r.answers.get(i), float) for i, _ in scale.items)])
        return ScaleSummary(scale.id, scale.name, survey.id, len(scores), describe(scores) if scores and not hidden else None,
                            alpha, scale.score_range, hidden, scale.path)

    def expected(self, survey: SurveyPlan) -> int | None:
        if self.participants is None or not self.participants.people:
            return None
        people = self.participants.in_roles(survey.audience)
        if survey.about == "partner" and self.participants.pairs:
            return sum(len(self.participants.partners(p.id)) for p in people)
        return len(people)

    # metrics
    def metric(self, metric: MetricPlan) -> MetricResult:
        due_later = metric.due is not None and metric.due > self.as_of
        if metric.kind is None:
            return _result(metric, value=None, n=0, status=NOT_MEASURABLE,
                                reason="the program describes this metric in words but does not say how to compute it")
        if metric.kind == "manual":
            entry = self.values.values.get(metric.id) if self.values is not None else None
            if entry is not None and entry.as_of is not None and entry.as_of > self.cutoff:
                entry = None  # a figure from after the report's date is not known yet on that date
            if entry is None:
                return _result(metric, value=None, n=0,
                                    status=NOT_DUE if due_later and not self.final else NOT_MEASURABLE,
                                    reason="entered by hand: give it in a values file (--values)")
            return _result(metric, value=entry.value, n=0, status=self.status(metric, entry.value, False),
                                reason=f"entered by hand{', as of ' + str(entry.as_of) if entry.as_of else ''}",
                                source=entry.source)
        if metric.kind == "sessions":
            return self.sessions_metric(metric)
        if metric.kind == "change":
            return self.change_metric(metric)
        return self.score_metric(metric)

    @property
    def final(self) -> bool:
        return self.plan.end is None or self.as_of >= self.plan.end

    def status(self, metric: MetricPlan, value: float | None, due_later: bool) -> str:
        if value is None:
            return NOT_DUE if due_later and not self.final else NOT_MEASURABLE
        if metric.target is None:
            return NO_TARGET
        return MET if metric.met(value) else NOT_MET

    def _rows(self, survey: str | None, role: str | None) -> list[Response]:
        return [r for r in self.by_survey.get(survey or "", []) if role is None or r.role == role]

    def score_metric(self, metric: MetricPlan) -> MetricResult:
        due_later = metric.due is not None and metric.due > self.as_of
        rows = self._rows(metric.survey, metric.role)
        scores = [v for v in (_value_of(metric, self.plan, r) for r in rows) if v is not None]
        if not scores:
            return _result(metric, value=None, n=0, status=self.status(metric, None, due_later),
                                reason=f"no scored responses to survey {metric.survey} yet")
        if len(scores) < self.minimum:
            self.withhold(f"metric {metric.id}", len(scores))
            return _result(metric, value=None, n=len(scores), status=NOT_MEASURABLE, suppressed=True,
                                reason=f"withheld: {len(scores)} respondents, fewer than the minimum group size of {self.minimum}")
        value = _summarise(scores, metric.statistic, metric.threshold)
        status = self.status(metric, value, due_later)
        if due_later and not self.final:
            status = ON_TRACK if value is not None and metric.target is not None and metric.met(value) else \
                (BEHIND if metric.target is not None else NO_TARGET)
        return _result(metric, value=value, n=len(scores), status=status,
                            reason=f"{metric.statistic} of {len(scores)} respondents to survey {metric.survey}")

    def change_metric(self, metric: MetricPlan) -> MetricResult:
        due_later = metric.due is not None and metric.due > self.as_of
        # Paired by respondent, and by partner for evaluations written about each partner; a
        # survey asked more than once keeps each person's latest occasion.
        def keyed(survey: str | None) -> dict[tuple[str, str], Response]:
            rows = sorted((r for r in self._rows(survey, metric.role) if r.respondent is not None),
                          key=lambda r: (r.occasion or dt.date.min, r.order))
            return {(r.respondent or "", r.about or ""): r for r in rows}

        before, after = keyed(metric.baseline_survey), keyed(metric.survey)
        for side, other, survey in ((before, after, metric.survey), (after, before, metric.baseline_survey)):
            if not other and side is before and self.plan.surveys.get(metric.survey or "") and due_later:
                continue  # the follow-up has not happened yet: no one is unpaired
            for key, response in side.items():
                if key not in other:
                    self.diagnostics.append(codes.RESPONSES_UNPAIRED.at(
                        response.span(), f"this respondent answered survey '{response.survey}' but not survey '{survey}', "
                                         f"so metric '{metric.id}' cannot pair them; they are left out of the change",
                        hint="check the respondent key is written the same way in both surveys"))
        keys = sorted(set(before) & set(after))
        paired_before: list[float] = []
        paired_after: list[float] = []
        for key in keys:
            b, a = _value_of(metric, self.plan, before[key]), _value_of(metric, self.plan, after[key])
            if b is not None and a is not None:
                paired_before.append(b)
                paired_after.append(a)
        n = len(paired_before)
        if n == 0:
            return _result(metric, value=None, n=0, status=self.status(metric, None, due_later),
                                reason=f"nobody has answered both {metric.baseline_survey} and {metric.survey} yet")
        if n < self.minimum:
            self.withhold(f"metric {metric.id} (paired before and after)", n)
            return _result(metric, value=None, n=n, status=NOT_MEASURABLE, suppressed=True,
                                reason=f"withheld: {n} people answered both surveys, fewer than the minimum group size "
                                       f"of {self.minimum}")
        test = wilcoxon_signed_rank(paired_before, paired_after)
        value = _summarise(paired_after, metric.statistic, None)
        # The paired values go into the plot in a fixed order that reveals no key: sorted by change.
        order = sorted(range(n), key=lambda i: (paired_after[i] - paired_before[i], paired_before[i], paired_after[i]))
        return _result(metric, value=value, n=n, status=self.status(metric, value, due_later),
                            reason=f"{metric.statistic} at {metric.survey} of the {n} people who answered both surveys",
                            change=test, before=tuple(paired_before[i] for i in order),
                            after=tuple(paired_after[i] for i in order))

    def sessions_metric(self, metric: MetricPlan) -> MetricResult:
        meeting = self.plan.meetings.get(metric.meeting or PAIRS)
        if self.sessions is None or meeting is None:
            return _result(metric, value=None, n=0, status=NOT_MEASURABLE,
                                reason="computed from the session log: give it with --sessions")
        summary = self.meeting_summary(meeting)
        due_later = metric.due is not None and metric.due > self.as_of
        if summary.groups == 0:
            return _result(metric, value=None, n=0, status=NOT_MEASURABLE,
                                reason="no pairs or people to count: give --pairs or --roster, or log sessions")
        if summary.suppressed:
            return _result(metric, value=None, n=summary.groups, status=NOT_MEASURABLE, suppressed=True,
                                reason=f"withheld: {summary.groups}, fewer than the minimum group size of {self.minimum}")
        if metric.statistic == "share-attending-at-least" and meeting.id != PAIRS:
            needed = metric.at_least or meeting.minimum_attendance or 1
            counts = self.attendance(meeting, metric.role)
            reached = sum(1 for c in counts.values() if c >= needed)
            value = share(reached, len(counts))
            so_far = sum(1 for c in counts.values() if c >= min(needed, summary.due))
            track = share(so_far, len(counts))
            reason = f"{reached} of {len(counts)} attended at least {needed} sessions of {meeting.name}"
        else:
            value = summary.complete_share
            per_pair = self.pair_counts()
            track = share(sum(1 for c in per_pair.values() if c >= summary.due), len(per_pair))
            reason = (f"{summary.complete} of {summary.groups} pairs held all {meeting.sessions} sessions"
                      if meeting.sessions else f"{summary.groups} pairs")
        if due_later and not self.final:
            status = NO_TARGET if metric.target is None else (
                ON_TRACK if track is not None and metric.met(track) else BEHIND)
            reason += f"; {summary.due} sessions were due by {self.as_of}"
            return _result(metric, value=track, n=summary.groups, status=status, reason=reason)
        return _result(metric, value=value, n=summary.groups, status=self.status(metric, value, False),
                            reason=reason)

    # meetings
    def pair_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        if self.participants is not None:
            for pair in self.participants.pairs:
                counts[pair.id] = 0
        for s in self.sessions.sessions if self.sessions is not None else ():
            if s.meeting == PAIRS and s.held and s.pair is not None and s.date <= self.cutoff:
                counts[s.pair] = counts.get(s.pair, 0) + 1
        return counts

    def attendance(self, meeting: MeetingPlan, role: str | None) -> dict[str, int]:
        roles = [role] if role else [r for r in meeting.audience if r != "facilitator"] or list(meeting.audience)
        counts: dict[str, int] = {}
        if self.participants is not None and self.participants.people:
            for person in self.participants.in_roles(roles):
                counts[person.id] = 0
        known = bool(counts)
        for s in self.sessions.sessions if self.sessions is not None else ():
            if s.meeting == meeting.id and s.held and s.date <= self.cutoff:
                for attendee in s.attendees:
                    if attendee in counts or not known:
                        counts[attendee] = counts.get(attendee, 0) + 1
        return counts

    def meeting_summary(self, meeting: MeetingPlan) -> MeetingSummary:
        log = [s for s in (self.sessions.sessions if self.sessions is not None else ())
               if s.meeting == meeting.id and s.date <= self.cutoff]
        held = [s for s in log if s.held]
        due = sum(1 for day in meeting.planned if day <= self.as_of)
        minutes = [s.minutes for s in held if s.minutes is not None]
        if meeting.id == PAIRS:
            counts = self.pair_counts()
            groups = len(counts)
            complete = sum(1 for c in counts.values() if meeting.sessions is not None and c >= meeting.sessions)
            expected_sessions = groups * due
        else:
            attendance = self.attendance(meeting, None)
            groups = len(attendance)
            needed = meeting.minimum_attendance or meeting.sessions or 1
            complete = sum(1 for c in attendance.values() if c >= needed)
            expected_sessions = due
        hidden = 0 < groups < self.minimum
        if hidden:
            self.withhold(f"meeting {meeting.id}", groups)
        held_count = len({(s.pair, s.date) for s in held}) if meeting.id == PAIRS else len({s.date for s in held})
        return MeetingSummary(
            meeting.id, meeting.name, meeting.sessions, due, groups, held_count, len(log) - len(held),
            None if hidden or (meeting.id == PAIRS and meeting.sessions is None) else complete,
            None if hidden or (meeting.id == PAIRS and meeting.sessions is None) else share(complete, groups),
            share(min(held_count, expected_sessions), expected_sessions) if expected_sessions and not hidden else None,
            statistics.fmean(minutes) if minutes and not hidden else None, hidden, meeting.path)


def analyse(plan: Plan, responses: Responses, sessions: SessionLog | None = None, values: Values | None = None,
            participants: Participants | None = None, as_of: dt.date | None = None,
            where: "Locator | None" = None) -> Analysis:
    """Every survey, metric and meeting of the plan, as of `as_of` (default: the program's end,
    or its start when it has no end, so the same inputs always give the same report)."""
    day = as_of or plan.end or plan.start or dt.date(2000, 1, 1)
    work = _Analyser(plan, responses, sessions, values, participants, day, as_of or dt.date.max)
    surveys = [work.survey(s) for s in plan.surveys.values()]
    metrics = [work.metric(m) for m in plan.metrics]
    meetings = [work.meeting_summary(m) for m in plan.meetings.values()] if sessions is not None else []
    analysis = Analysis(plan, day, work.final, surveys, metrics, meetings, diagnostics=sorted(work.diagnostics, key=Diagnostic.sort_key),
                        suppressed=list(dict.fromkeys(work.suppressed)))
    analysis.changes = what_to_change(analysis, where or Locator(plan.file))
    return analysis


# --- what to change ---------------------------------------------------------------------------------------


class Locator:
    """Where a program value is written: file and line, from the loader's position map."""

    def __init__(self, file: str, loc: object | None = None) -> None:
        self.file, self.loc = file, loc

    def at(self, path: tuple[object, ...]) -> Span:
        find = getattr(self.loc, "find", None)
        if find is None:
            return Span(self.file, 1, 1)
        found, _ = find(path)
        span: Span = found.span
        return span


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "none"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))
    return text + ("%" if unit in ("percent", "%") else "")


def alpha_text(alpha: float, low: bool) -> str:
    """Alpha to two decimals, or three where two would round a low alpha up to the 0.70 bar."""
    return f"{alpha:.3f}" if low and round(alpha, 2) >= 0.7 else f"{alpha:.2f}"


def _advice(m: MetricResult) -> str:
    """What to look at for a metric off target, by how it is computed."""
    if m.kind == "change" and m.change is not None:
        change = m.change.mean_change or 0.0
        moved = f"rose by {_number(change)}" if change > 0 else f"fell by {_number(-change)}" if change < 0 else "did not change"
        return (f"It {moved} on average over {m.n} people: look at what the program gives them to build it "
                "(training, topics, sessions), or whether the target suits this cohort.")
    if m.kind == "sessions" and m.statistic == "share-attending-at-least":
        return ("Ask the people expected what kept them away; the sessions' timing, frequency, length or format "
                "may need to change.")
    if m.kind == "sessions":
        return ("Ask the pairs what got in the way; the meetings' frequency, length, format or who arranges them "
                "may need to change.")
    if m.kind == "manual":
        return "The figure comes from outside programdsl: check it covers the program's participants, then what feeds it."
    return "Look at what feeds it in the program, or whether the target suits this cohort."


def what_to_change(analysis: Analysis, where: Locator) -> list[Change]:
    found: list[Change] = []

    def add(subject: str, ident: str, path: tuple[object, ...], message: str) -> None:
        span = where.at(path)
        found.append(Change(subject, ident, message, span.file, span.line))

    for m in analysis.metrics:
        if m.status in (NOT_MET, BEHIND):
            gap = f"{_number(m.value, m.unit)} against a target of {_number(m.target, m.unit)}"
            word = "is behind" if m.status == BEHIND else "missed its target"
            add("metric", m.id, m.path, f"metric {m.id} ({m.name}) {word}: {gap}. {_advice(m)}")
    for s in analysis.surveys:
        if s.rate is not None and s.rate < LOW_RESPONSE and s.state == "closed":
            add("survey", s.id, s.path, f"survey {s.id} was answered by {_number(s.rate)}% of the people it was for. "
                                        "Consider a shorter form, a longer window (openDays) or a reminder.")
        for scale in s.scales:
            if scale.alpha is not None and scale.alpha.low and scale.alpha.alpha is not None:
                add("scale", scale.scale, scale.path,
                    f"scale {scale.scale} has a Cronbach's alpha of {alpha_text(scale.alpha.alpha, True)} at survey {s.id} (below 0.7): "
                    "its items may not measure one thing. Review the items, or report them separately.")
    for meeting in analysis.meetings:
        if meeting.held_share_of_due is not None and meeting.held_share_of_due < LOW_SESSIONS:
            add("meeting", meeting.id, meeting.path,
                f"{meeting.name}: {_number(meeting.held_share_of_due)}% of the sessions due by {analysis.as_of} were held. "
                "Ask pairs what gets in the way; a different frequency, length or format may fit better.")
    return found


__all__ = ["Analysis", "Change", "ItemSummary", "Locator", "MeetingSummary", "MetricResult", "Pair", "Participants",
           "Person", "ScaleSummary", "SurveySummary", "analyse", "scale_score", "what_to_change"]
