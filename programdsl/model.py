"""The typed, resolved program that rules, renderers and the matcher consume.

Built only from data the schema has accepted (a file with schema errors is built from the parts
that passed, see prune.py), so construction never has to second-guess types.
Every element keeps `path`, its place in the document, so a check can point at it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .prune import indexed

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
class Metric:
    id: str
    name: str
    definition: str
    unit: str
    baseline: float | None
    target: float | None
    direction: str | None
    source: MetricSource | None
    collected_at: tuple[str, ...]
    path: Path = field(default=(), compare=False)


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
class Question:
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
    questions: tuple[Question, ...]
    path: Path = field(default=(), compare=False)


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
                for i, c in indexed(raw.get("eligibility", ()))
            ),
            path=("roles", role_id),
        )
        for role_id, raw in data.get("roles", {}).items()
    }
    objectives = tuple(
        Objective(o["id"], o["title"], o.get("description"), o["beneficiary"], tuple(o.get("metrics", ())), ("objectives", i))
        for i, o in indexed(data.get("objectives", ()))
    )
    metrics = tuple(
        Metric(m["id"], m["name"], m["definition"], m["unit"], m.get("baseline"), m.get("target"), m.get("direction"),
               MetricSource(m["source"]["kind"], m["source"].get("survey"), m["source"].get("description")) if "source" in m else None,
               tuple(m.get("collectedAt", ())), ("metrics", i))
        for i, m in indexed(data.get("metrics", ()))
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
            for i, b in indexed(sched.get("blackouts", ()))
        ),
        phases=tuple(
            Phase(p["id"], p["name"], p.get("description"), _date(p.get("start")), _date(p.get("end")),
                  _duration(p.get("duration")), tuple(p.get("topics", ())), ("schedule", "phases", i))
            for i, p in indexed(sched.get("phases", ()))
        ),
        milestones=tuple(
            Milestone(m["id"], m["name"], m.get("kind", "other"), _date(m.get("date")), _int(m.get("week")), m.get("at"),
                      m.get("phase"), m.get("edge", "end"), m.get("description"), ("schedule", "milestones", i))
            for i, m in indexed(sched.get("milestones", ()))
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
            for i, g in indexed(meet.get("groupSessions", ()))
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
        constraints=tuple(_rule(r, True, ("pairing", "constraints", i)) for i, r in indexed(pair.get("constraints", ()))),
        preferences=tuple(_rule(r, False, ("pairing", "preferences", i)) for i, r in indexed(pair.get("preferences", ()))),
    )
    training = tuple(
        TrainingModule(t["id"], t["title"], t.get("description"), tuple(t["audience"]), _int(t.get("minutes")), t.get("format"),
                       t.get("required", True), tuple(t.get("topics", ())), _anchor(t.get("when"), ("training", i, "when")),
                       ("training", i))
        for i, t in indexed(data.get("training", ()))
    )
    surveys = tuple(
        Survey(
            s["id"], s["title"], s.get("description"), tuple(s["audience"]),
            _anchor(s["when"], ("surveys", i, "when")),  # type: ignore[arg-type]
            _duration(s.get("repeatEvery")), _int(s.get("openDays")), s.get("anonymous", False),
            tuple(
                Question(q["id"], q["text"], q["type"], _int(q.get("scale", {}).get("min")), _int(q.get("scale", {}).get("max")),
                         tuple(q.get("scale", {}).get("labels", ())), tuple(q.get("options", ())), q.get("required", False),
                         q.get("metric"), ("surveys", i, "questions", j))
                for j, q in indexed(s.get("questions", ()))
            ),
            ("surveys", i),
        )
        for i, s in indexed(data.get("surveys", ()))
    )
    return Program(
        id=meta.get("id", ""), name=meta.get("name", ""), description=meta.get("description"),
        owner=owner.get("name"), owner_email=owner.get("email"), version=meta.get("version", "1"),
        locale=meta.get("locale", "en-GB"), timezone=meta.get("timezone", "UTC"),
        type=data.get("type", ""), knowledge_flow=data.get("knowledgeFlow"),
        roles=roles, objectives=objectives, metrics=metrics, schedule=schedule, meetings=meetings, pairing=pairing,
        training=training, surveys=surveys, reminders=tuple(data.get("calendar", {}).get("reminders", ())),
        contacts=tuple(Contact(c["name"], c["role"], c.get("email"), c.get("phone")) for c in data.get("contacts", ())),
        confidentiality=data.get("confidentiality"), conduct=data.get("conduct"),
        file=file, sources=sources,
    )
