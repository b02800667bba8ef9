"""The typed, resolved program that rules, renderers and the matcher consume.

Built only from data the schema has accepted, so construction never has to second-guess types.
Every element keeps `path`, its place in the document, so a check can point at it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

Path = tuple[Any, ...]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The two roles every program has; a session of the pairs is theirs.
PAIR_ROLES = ("mentor", "mentee")
PRIORITY_WEIGHTS = {"high": 3.0, "medium": 2.0, "low": 1.0}
# Average days between meetings for each frequency; months are 365.25 / 12 days long.
FREQUENCY_DAYS = {"weekly": 7.0, "biweekly": 14.0, "monthly": 30.4375, "bimonthly": 60.875, "quarterly": 91.3125}
TYPE_SUMMARIES = {
    "traditional": "An experienced colleague guides a less experienced one; top-down, 6-12 months.",
    "reverse": "A junior colleague mentors a senior leader, e.g. on technology or culture; about 6 months.",
    "reciprocal": "Each partner mentors the other on a different topic; knowledge flows both ways.",
    "peer": "Colleagues at the same level exchange experience as equals; often biweekly.",
    "near-peer": "A colleague one step ahead guides one preparing for that step; a few months.",
    "flash": "One focused session, or a handful, on a specific question.",
    "group": "One mentor meets a small circle of mentees; cohort-based.",
    "skill-swap": "Two colleagues trade complementary skills; weeks to months.",
    "shadow-board": "A board of junior staff advises the executive team on strategy; about 12 months.",
    "reverse-shadowing": "A senior leader shadows a junior colleague's daily work; a few sessions.",
}
BOTTOM_UP_TYPES = ("reverse", "reverse-shadowing", "shadow-board")


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # day | week | month | year

    _PATTERN = re.compile(r"^(\d+) (day|week|month|year)s?$")

    @classmethod
    def parse(cls, text: str) -> "Duration":
        match = cls._PATTERN.match(text)
        if not match:
            raise ValueError(f"not a duration: {text!r}")
        return cls(int(match.group(1)), match.group(2))

    def after(self, start: dt.date) -> dt.date:
        """The date this long after `start` (same day of month, clamped to the month's end)."""
        if self.unit == "day":
            return start + dt.timedelta(days=self.amount)
        if self.unit == "week":
            return start + dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "year" else 1)
        return add_months(start, months)

    def last_day_from(self, start: dt.date) -> dt.date:
        """The last day of a period of this length that begins on `start`."""
        return self.after(start) - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last_day))


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _int(value: Any) -> Any:
    """JSON Schema accepts 45.0 as an integer; the model holds it as 45."""
    return int(value) if isinstance(value, float) else value


def _duration(value: Any) -> Duration | None:
    return Duration.parse(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class Condition:
    attribute: str
    equals: Any = None
    in_: tuple[Any, ...] | None = None
    not_in: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None
    description: str | None = None
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    description: str | None
    responsibilities: tuple[str, ...]
    eligibility: tuple[Condition, ...]
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Objective:
    id: str
    title: str
    description: str | None
    beneficiary: str
    metrics: tuple[str, ...]
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class MetricSource:
    kind: str
    survey: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ScoreComputation:
    """A scale, subscale or single question at one survey, summarised by `statistic`."""

    survey: str
    scale: str | None
    subscale: str | None
    question: str | None
    statistic: str  # mean | median | share-at-least | share-yes
    threshold: float | None
    role: str | None
    path: Path = field(default=(), compare=False)
    kind: str = "score"


@dataclass(frozen=True)
class ChangeComputation:
    """The same scale or question at a baseline and a follow-up survey, paired by respondent key.

    The metric's value is the follow-up level (`statistic` of the paired respondents' follow-up
    scores); the report shows the baseline level and the change beside it."""

    scale: str | None
    subscale: str | None
    question: str | None
    baseline: str
    follow_up: str
    statistic: str  # mean | median
    role: str | None
    path: Path = field(default=(), compare=False)
    kind: str = "change"


@dataclass(frozen=True)
class SessionsComputation:
    """From the session log: `pairs` (the pairs' own sessions) or a group session's id."""

    meeting: str
    statistic: str  # share-complete | share-attending-at-least
    at_least: int | None
    role: str | None
    path: Path = field(default=(), compare=False)
    kind: str = "sessions"


@dataclass(frozen=True)
class ManualComputation:
    """A value entered by hand (`report --values`) for a source outside programdsl."""

    description: str | None
    path: Path = field(default=(), compare=False)
    kind: str = "manual"


Computation = ScoreComputation | ChangeComputation | SessionsComputation | ManualComputation
# `meeting: pairs` in a sessions computation: the pairs' own sessions rather than a group session.
PAIR_MEETING = "pairs"


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    definition: str | None  # optional when `compute` says how the value is computed
    unit: str
    baseline: float | None
    target: float | None
    direction: str | None
    source: MetricSource | None
    collected_at: tuple[str, ...]
    path: Path = field(default=(), compare=False)
    compute: Computation | None = None


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    description: str | None
    start: dt.date | None
    end: dt.date | None
    duration: Duration | None
    topics: tuple[str, ...]
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Milestone:
    id: str
    name: str
    kind: str
    date: dt.date | None
    week: int | None
    at: str | None
    phase: str | None
    edge: str
    description: str | None
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Anchor:
    milestone: str | None
    phase: str | None
    edge: str
    offset_days: int
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Blackout:
    start: dt.date
    end: dt.date
    reason: str | None
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Schedule:
    start: dt.date | None
    duration: Duration | None
    end: dt.date | None
    working_days: tuple[str, ...]
    holiday_country: str | None
    holiday_subdivision: str | None
    blackouts: tuple[Blackout, ...]
    phases: tuple[Phase, ...]
    milestones: tuple[Milestone, ...]
    path: Path = field(default=("schedule",), compare=False)


@dataclass(frozen=True)
class GroupSession:
    id: str
    name: str
    audience: tuple[str, ...]
    frequency: str
    sessions: int | None
    minutes: int | None
    minimum_attendance: int | None
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Meetings:
    frequency: str | None
    sessions: int | None
    begin: Anchor | None  # `from` in the file
    minutes: int | None
    format: str | None
    initiator: str | None
    day_of_week: str | None
    time: str | None
    group_sessions: tuple[GroupSession, ...]
    path: Path = field(default=("meetings",), compare=False)


@dataclass(frozen=True)
class PairingRule:
    rule: str
    hard: bool
    id: str | None = None
    description: str | None = None
    attribute: str | None = None
    direction: str | None = None
    min: int | None = None
    max: int | None = None
    mentor: str | None = None
    mentee: str | None = None
    hours: float | None = None
    priority: str | None = None
    weight: float | None = None
    path: Path = field(default=(), compare=False)

    @property
    def effective_weight(self) -> float:
        if self.weight is not None:
            return float(self.weight)
        return PRIORITY_WEIGHTS[self.priority or "medium"]


@dataclass(frozen=True)
class Pairing:
    mode: str
    mentor_capacity: int | None
    mentee_capacity: int | None
    minimum_score: float | None
    optimize: str
    constraints: tuple[PairingRule, ...]
    preferences: tuple[PairingRule, ...]
    path: Path = field(default=("pairing",), compare=False)


@dataclass(frozen=True)
class TrainingModule:
    id: str
    title: str
    description: str | None
    audience: tuple[str, ...]
    minutes: int | None
    format: str | None
    required: bool
    topics: tuple[str, ...]
    when: Anchor | None
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class ScaleItem:
    id: str
    text: str
    reverse: bool
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Subscale:
    id: str
    name: str
    items: tuple[str, ...]  # ids of the parent scale's items, as written
    min_answered: int | None
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Scale:
    """A multi-item instrument: likert items sharing one response range, scored as one number.

    A subscale is scored through `part(id)`, which gives a Scale of its items with the parent's
    response range and scoring, so one scoring function serves both.
    """

    id: str
    name: str
    description: str | None
    scoring: str  # sum | mean
    min_answered: int | None  # None: every item must be answered
    low: int | None  # the response range every item shares (None only in invalid programs)
    high: int | None
    labels: tuple[str, ...]
    items: tuple[ScaleItem, ...]
    subscales: tuple[Subscale, ...]
    path: Path = field(default=(), compare=False)

    @property
    def needed(self) -> int:
        """How many items must be answered for a score to count."""
        return len(self.items) if self.min_answered is None else self.min_answered

    @property
    def score_range(self) -> tuple[float, float] | None:
        """Lowest and highest possible score, or None when the response range is missing."""
        if self.low is None or self.high is None or self.low >= self.high:
            return None
        if self.scoring == "mean":
            return (float(self.low), float(self.high))
        return (float(len(self.items) * self.low), float(len(self.items) * self.high))

    def part(self, subscale_id: str) -> "Scale | None":
        """The subscale `subscale_id` as a Scale of its own (unknown item ids are left out)."""
        sub = next((x for x in self.subscales if x.id == subscale_id), None)
        if sub is None:
            return None
        by_id = {item.id: item for item in self.items}
        items = tuple(by_id[i] for i in sub.items if i in by_id)
        return Scale(sub.id, sub.name, None, self.scoring, sub.min_answered, self.low, self.high, self.labels, items, (), sub.path)


@dataclass(frozen=True)
class Question:
    """One asked question: written in the survey, or one item of a scale the survey asks."""

    id: str
    text: str
    type: str
    scale_min: int | None
    scale_max: int | None
    labels: tuple[str, ...]
    options: tuple[str, ...]
    required: bool
    metric: str | None
    path: Path = field(default=(), compare=False)
    audience: tuple[str, ...] | None = None  # None: everyone the survey is sent to
    scale: str | None = None  # for a scale item: the id of its scale
    reverse: bool = False  # for a scale item: reverse-coded

    def asked_of(self, role: str) -> bool:
        return self.audience is None or role in self.audience


@dataclass(frozen=True)
class ScaleUse:
    """`{scale: id}` in a survey's questions: every item of the scale, asked at that place."""

    scale: str
    audience: tuple[str, ...] | None
    required: bool
    path: Path = field(default=(), compare=False)


@dataclass(frozen=True)
class Survey:
    id: str
    title: str
    description: str | None
    audience: tuple[str, ...]
    when: Anchor
    repeat_every: Duration | None
    open_days: int | None
    anonymous: bool
    questions: tuple[Question, ...]  # flat and in order: scale uses are expanded into their items
    path: Path = field(default=(), compare=False)
    about: str = "self"  # self | partner: one form per partner, about that partner
    respondent_key: str = "roster-id"  # the effective key: the survey's own, else the program's
    scale_uses: tuple[ScaleUse, ...] = ()

    def questions_for(self, role: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.asked_of(role))


@dataclass(frozen=True)
class SelfCodeQuestion:
    id: str
    text: str
    pattern: str | None
    hint: str | None
    path: Path = field(default=(), compare=False)


# Written for programdsl: facts only the respondent knows, that do not change between surveys and
# that no one else can look up in a staff record.
DEFAULT_SELF_CODE = (
    SelfCodeQuestion("code-guardian", "The first two letters of the first name of a parent or guardian", "[A-Za-z]{2}",
                     "two letters, e.g. MA"),
    SelfCodeQuestion("code-birthday", "The day of the month of your birthday", "(0?[1-9]|[12][0-9]|3[01])",
                     "a number from 1 to 31"),
    SelfCodeQuestion("code-siblings", "How many older brothers and sisters you have", "[0-9]", "one digit, 0 if none"),
)


@dataclass(frozen=True)
class ReturnTo:
    name: str
    email: str | None
    address: str | None


@dataclass(frozen=True)
class Measurement:
    respondent_key: str  # roster-id | self-code
    self_code: tuple[SelfCodeQuestion, ...]
    submit_to: str | None
    return_to: ReturnTo | None
    minimum_group_size: int
    quote_free_text: bool
    path: Path = field(default=("measurement",), compare=False)
    respondent_key_written: bool = False  # whether the file set respondentKey (else the default applies)


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    description: str | None
    owner: str | None
    owner_email: str | None
    version: str
    locale: str
    timezone: str
    type: str
    knowledge_flow: str | None
    roles: dict[str, Role]
    objectives: tuple[Objective, ...]
    metrics: tuple[Metric, ...]
    schedule: Schedule
    meetings: Meetings
    pairing: Pairing
    training: tuple[TrainingModule, ...]
    surveys: tuple[Survey, ...]
    reminders: tuple[int, ...]
    contacts: tuple[Contact, ...]
    confidentiality: str | None
    conduct: str | None
    file: str = ""
    sources: tuple[str, ...] = field(default=())
    measurement: Measurement = field(default_factory=lambda: Measurement("roster-id", DEFAULT_SELF_CODE, None, None, 5, False))
    scales: tuple[Scale, ...] = ()

    def scale(self, scale_id: str) -> Scale | None:
        return next((s for s in self.scales if s.id == scale_id), None)

    def survey(self, survey_id: str) -> Survey | None:
        return next((s for s in self.surveys if s.id == survey_id), None)

    def role_label(self, role_id: str) -> str:
        role = self.roles.get(role_id)
        return role.label if role else role_id


def _anchor(raw: dict[str, Any] | None, path: Path, default_edge: str = "start") -> Anchor | None:
    if raw is None:
        return None
    return Anchor(raw.get("milestone"), raw.get("phase"), raw.get("edge", default_edge), _int(raw.get("offsetDays", 0)), path)


def _rule(raw: dict[str, Any], hard: bool, path: Path) -> PairingRule:
    return PairingRule(
        rule=raw["rule"], hard=hard, id=raw.get("id"), description=raw.get("description"),
        attribute=raw.get("attribute", "level" if raw["rule"] == "level-gap" else None),
        direction=raw.get("direction"), min=_int(raw.get("min")), max=_int(raw.get("max")),
        mentor=raw.get("mentor"), mentee=raw.get("mentee"), hours=raw.get("hours"),
        priority=raw.get("priority"), weight=raw.get("weight"), path=path,
    )


def _whole(value: Any) -> int | None:
    """A whole number, or None for anything else (the schema reports it)."""
    value = _int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list (a part the schema rejected is skipped, so rules can still run)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _dicts_or_not(value: Any) -> list[Any]:
    """A list's items, keeping their places (for paths), or nothing when it is not a list."""
    return value if isinstance(value, list) else []


def _computation(raw: Any, path: Path) -> Computation | None:
    if not isinstance(raw, dict):
        return None
    kind = raw.get("kind")
    scale, subscale, question, role = (_text(raw.get(k)) for k in ("scale", "subscale", "question", "role"))
    statistic = _text(raw.get("statistic"))
    if kind == "score":
        return ScoreComputation(_text(raw.get("survey")) or "", scale, subscale, question, statistic or "mean",
                                _number(raw.get("threshold")), role, path)
    if kind == "change":
        return ChangeComputation(scale, subscale, question, _text(raw.get("baseline")) or "", _text(raw.get("followUp")) or "",
                                 statistic or "mean", role, path)
    if kind == "sessions":
        return SessionsComputation(_text(raw.get("meeting")) or PAIR_MEETING, statistic or "share-complete",
                                   _whole(raw.get("atLeast")), role, path)
    if kind == "manual":
        return ManualComputation(_text(raw.get("description")), path)
    return None


def _scale(raw: dict[str, Any], path: Path) -> Scale:
    response = _dict(raw.get("response"))
    labels = response.get("labels")
    return Scale(
        id=_text(raw.get("id")) or "", name=_text(raw.get("name")) or "", description=_text(raw.get("description")),
        scoring="mean" if raw.get("scoring") == "mean" else "sum",
        min_answered=_whole(raw.get("minAnswered")),
        low=_whole(response.get("min")), high=_whole(response.get("max")),
        labels=tuple(x for x in labels if isinstance(x, str)) if isinstance(labels, list) else (),
        items=tuple(ScaleItem(_text(item.get("id")) or "", _text(item.get("text")) or "", item.get("reverse") is True,
                              path + ("items", j))
                    for j, item in enumerate(raw.get("items", ()) if isinstance(raw.get("items"), list) else ())
                    if isinstance(item, dict)),
        subscales=tuple(Subscale(_text(sub.get("id")) or "", _text(sub.get("name")) or "",
                                 tuple(x for x in sub.get("items", ()) if isinstance(x, str)) if isinstance(sub.get("items"), list) else (),
                                 _whole(sub.get("minAnswered")), path + ("subscales", j))
                        for j, sub in enumerate(raw.get("subscales", ()) if isinstance(raw.get("subscales"), list) else ())
                        if isinstance(sub, dict)),
        path=path,
    )


def _measurement(raw: dict[str, Any], surveys: Any) -> Measurement:
    written = raw.get("respondentKey") if raw.get("respondentKey") in ("roster-id", "self-code") else None
    # Surveys marked anonymous predate respondent keys: they are linked by a self-generated code.
    anonymous = any(s.get("anonymous") is True for s in _dicts(surveys))
    default = "self-code" if anonymous else "roster-id"
    back = raw.get("returnTo")
    codes = raw.get("selfCode")
    size = _whole(raw.get("minimumGroupSize"))
    return Measurement(
        respondent_key=written or default,
        self_code=tuple(SelfCodeQuestion(_text(q.get("id")) or "", _text(q.get("text")) or "", _text(q.get("pattern")),
                                         _text(q.get("hint")), ("measurement", "selfCode", i))
                        for i, q in enumerate(codes if isinstance(codes, list) else ()) if isinstance(q, dict))
        or DEFAULT_SELF_CODE,
        submit_to=_text(raw.get("submitTo")),
        return_to=ReturnTo(_text(back.get("name")) or "", _text(back.get("email")), _text(back.get("address")))
        if isinstance(back, dict) else None,
        minimum_group_size=size if size is not None else 5,
        quote_free_text=raw.get("quoteFreeText") is True,
        respondent_key_written=written is not None,
    )


def _question(q: dict[str, Any], path: Path) -> Question:
    scale = _dict(q.get("scale"))
    audience = q.get("audience") if isinstance(q.get("audience"), list) else None
    return Question(q.get("id", ""), q.get("text", ""), q.get("type", ""), _int(scale.get("min")), _int(scale.get("max")),
                    tuple(scale.get("labels", ())), tuple(q.get("options", ())), q.get("required", False),
                    q.get("metric"), path, tuple(audience) if audience is not None else None, None, bool(q.get("reverse", False)))


def _survey(s: dict[str, Any], path: Path, scales: dict[str, Scale], measurement: Measurement) -> Survey:
    questions: list[Question] = []
    uses: list[ScaleUse] = []
    for j, q in enumerate(_dicts_or_not(s.get("questions"))):
        if not isinstance(q, dict):
            continue
        if not isinstance(q.get("scale"), str):
            questions.append(_question(q, path + ("questions", j)))
            continue
        audience = tuple(q["audience"]) if isinstance(q.get("audience"), list) else None
        use = ScaleUse(q["scale"], audience, q.get("required") is True, path + ("questions", j))
        uses.append(use)
        scale = scales.get(use.scale)
        for item in scale.items if scale else ():
            questions.append(Question(item.id, item.text, "likert", scale.low, scale.high, scale.labels,  # type: ignore[union-attr]
                                      (), use.required, None, use.path, audience, use.scale, item.reverse))
    anonymous = s.get("anonymous") is True
    own = s.get("respondentKey") if s.get("respondentKey") in ("roster-id", "self-code") else None
    # `anonymous:` written either way says how the survey is keyed; unwritten, the program's key applies.
    said = {True: "self-code", False: "roster-id"}.get(s["anonymous"]) if isinstance(s.get("anonymous"), bool) else None
    key = own or said or measurement.respondent_key
    return Survey(
        s.get("id", ""), s.get("title", ""), s.get("description"), tuple(s.get("audience", ())),
        _anchor(s.get("when") or {}, path + ("when",)),  # type: ignore[arg-type]
        _duration(s.get("repeatEvery")), _int(s.get("openDays")), anonymous, tuple(questions), path,
        "partner" if s.get("about") == "partner" else "self", key, tuple(uses),
    )


def build(data: dict[str, Any], file: str = "", sources: tuple[str, ...] = ()) -> Program:
    """The typed program from schema-valid data."""
    meta = data.get("metadata", {})
    owner = meta.get("owner") or {}
    roles = {
        role_id: Role(
            id=role_id,
            label=raw.get("label", role_id.replace("-", " ").capitalize()),
            description=raw.get("description"),
            responsibilities=tuple(raw.get("responsibilities", ())),
            eligibility=tuple(
                Condition(c["attribute"], c.get("equals"), tuple(c["in"]) if "in" in c else None,
                          tuple(c["notIn"]) if "notIn" in c else None, c.get("min"), c.get("max"),
                          c.get("description"), ("roles", role_id, "eligibility", i))
                for i, c in enumerate(raw.get("eligibility", ()))
            ),
            path=("roles", role_id),
        )
        for role_id, raw in data.get("roles", {}).items()
    }
    objectives = tuple(
        Objective(o["id"], o["title"], o.get("description"), o["beneficiary"], tuple(o.get("metrics", ())), ("objectives", i))
        for i, o in enumerate(data.get("objectives", ()))
    )
    metrics = tuple(
        Metric(m["id"], m["name"], m.get("definition"), m["unit"], m.get("baseline"), m.get("target"), m.get("direction"),
               MetricSource(m["source"]["kind"], m["source"].get("survey"), m["source"].get("description")) if "source" in m else None,
               tuple(m.get("collectedAt", ())), ("metrics", i), _computation(m.get("compute"), ("metrics", i, "compute")))
        for i, m in enumerate(data.get("metrics", ()))
    )
    sched = data.get("schedule", {})
    holidays = sched.get("holidays") or {}
    schedule = Schedule(
        start=_date(sched.get("start")),
        duration=_duration(sched.get("duration")),
        end=_date(sched.get("end")),
        working_days=tuple(sched.get("workingDays", WEEKDAYS[:5])),
        holiday_country=holidays.get("country"),
        holiday_subdivision=holidays.get("subdivision"),
        blackouts=tuple(
            Blackout(dt.date.fromisoformat(b["start"]), dt.date.fromisoformat(b["end"]), b.get("reason"), ("schedule", "blackouts", i))
            for i, b in enumerate(sched.get("blackouts", ()))
        ),
        phases=tuple(
            Phase(p["id"], p["name"], p.get("description"), _date(p.get("start")), _date(p.get("end")),
                  _duration(p.get("duration")), tuple(p.get("topics", ())), ("schedule", "phases", i))
            for i, p in enumerate(sched.get("phases", ()))
        ),
        milestones=tuple(
            Milestone(m["id"], m["name"], m.get("kind", "other"), _date(m.get("date")), _int(m.get("week")), m.get("at"),
                      m.get("phase"), m.get("edge", "end"), m.get("description"), ("schedule", "milestones", i))
            for i, m in enumerate(sched.get("milestones", ()))
        ),
    )
    meet = data.get("meetings", {})
    meetings = Meetings(
        frequency=meet.get("frequency"), sessions=_int(meet.get("sessions")),
        begin=_anchor(meet.get("from"), ("meetings", "from")), minutes=_int(meet.get("minutes")),
        format=meet.get("format"), initiator=meet.get("initiator"), day_of_week=meet.get("dayOfWeek"),
        time=meet.get("time"),
        group_sessions=tuple(
            GroupSession(g["id"], g["name"], tuple(g["audience"]), g["frequency"], _int(g.get("sessions")), _int(g.get("minutes")),
                         _int(g.get("minimumAttendance")), ("meetings", "groupSessions", i))
            for i, g in enumerate(meet.get("groupSessions", ()))
        ),
    )
    pair = data.get("pairing", {})
    capacity = pair.get("capacity", {})
    pairing = Pairing(
        mode=pair.get("mode", "one-to-one"),
        mentor_capacity=_int(capacity.get("mentor")),
        mentee_capacity=_int(capacity.get("mentee")),
        minimum_score=pair.get("minimumScore"),
        optimize=pair.get("optimize", "quality"),
        constraints=tuple(_rule(r, True, ("pairing", "constraints", i)) for i, r in enumerate(pair.get("constraints", ()))),
        preferences=tuple(_rule(r, False, ("pairing", "preferences", i)) for i, r in enumerate(pair.get("preferences", ()))),
    )
    training = tuple(
        TrainingModule(t["id"], t["title"], t.get("description"), tuple(t["audience"]), _int(t.get("minutes")), t.get("format"),
                       t.get("required", True), tuple(t.get("topics", ())), _anchor(t.get("when"), ("training", i, "when")),
                       ("training", i))
        for i, t in enumerate(data.get("training", ()))
    )
    raw_scales = data.get("scales")
    scales = tuple(_scale(raw, ("scales", i)) for i, raw in enumerate(raw_scales if isinstance(raw_scales, list) else ())
                   if isinstance(raw, dict))
    raw_surveys = data.get("surveys", ())
    measurement = _measurement(_dict(data.get("measurement")), raw_surveys)
    surveys = tuple(_survey(raw, ("surveys", i), {x.id: x for x in scales}, measurement) for i, raw in enumerate(raw_surveys))
    return Program(
        id=meta.get("id", ""), name=meta.get("name", ""), description=meta.get("description"),
        owner=owner.get("name"), owner_email=owner.get("email"), version=meta.get("version", "1"),
        locale=meta.get("locale", "en-GB"), timezone=meta.get("timezone", "UTC"),
        type=data.get("type", ""), knowledge_flow=data.get("knowledgeFlow"),
        roles=roles, objectives=objectives, metrics=metrics, schedule=schedule, meetings=meetings, pairing=pairing,
        training=training, surveys=surveys, reminders=tuple(data.get("calendar", {}).get("reminders", ())),
        contacts=tuple(Contact(c["name"], c["role"], c.get("email"), c.get("phone")) for c in data.get("contacts", ())),
        confidentiality=data.get("confidentiality"), conduct=data.get("conduct"),
        file=file, sources=sources, measurement=measurement, scales=scales,
    )
