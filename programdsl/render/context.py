"""The view of a program that document templates read.

Everything a template needs is computed here once per build: dates formatted for the program's
locale, the dated schedule, pairing rules as sentences (from the matcher's own sentence builder,
so the charter says exactly what the validator and matcher enforce), each role's time commitment,
and each session's agenda. Templates only arrange and word it; they never compute dates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..matching.sentences import describe_condition, describe_pairing, describe_rule
from ..measure.codebook import metric_columns
from .metric_words import describe as describe_metric
from ..model import FREQUENCY_DAYS, PAIR_ROLES, WEEKDAY_NAMES, PairingRule, Program, Question
from ..schedule import DEFAULT_MINUTES, Occurrence, ProgramSchedule
from .templating import view_type
from .dates import DateStyle, style_for, weekday_name
from .words import display_labels, figure, role_noun, spelling

ADMIN_ROLE_IDS = ("admin", "administrator", "coordinator", "program-admin", "programme-admin", "program-lead",
                  "programme-lead", "organizer", "organiser", "secretary")
MANAGER_ROLE_IDS = ("manager", "managers", "line-manager", "supervisor")


def role_kind(role_id: str) -> str:
    """Which family of guidance a role gets: mentor, mentee, admin, manager or other."""
    if role_id in PAIR_ROLES:
        return role_id
    if role_id in ADMIN_ROLE_IDS:
        return "admin"
    if role_id in MANAGER_ROLE_IDS:
        return "manager"
    return "other"


# --- sentences the matcher owns ----------------------------------------------------------------
# The charter's pairing rules and eligibility come from the matcher's sentence builder: the same
# rule objects the validator checks and the matcher executes, so the documents cannot drift.


def plain_sentence(rule: PairingRule, program: Program) -> str:
    """A preference as a plain statement, without "where possible" or its priority: the file's own
    description when it has one, else the matcher's sentence for the rule as if it were a must."""
    return describe_rule(replace(rule, hard=True), program)


# --- the schedule -------------------------------------------------------------------------------

def program_schedule(program: Program) -> ProgramSchedule:
    from ..schedule import build_schedule

    result: ProgramSchedule = build_schedule(program)
    return result


# --- view objects -----------------------------------------------------------------------------

@view_type
@dataclass(frozen=True)
class When:
    """A date or a moment, already written for the locale."""

    iso: str
    date: str  # "5 October 2026"
    long: str  # "Monday 5 October 2026"
    short: str  # "5 Oct 2026"
    time: str | None  # "12:30", or None for all-day items
    weekday: str


def when(style: DateStyle, value: dt.date | dt.datetime) -> When:
    day = value.date() if isinstance(value, dt.datetime) else value
    return When(day.isoformat(), style.date(day), style.date(day, weekday=True), style.short(day),
                style.time(value) if isinstance(value, dt.datetime) else None, WEEKDAY_NAMES[day.weekday()])


@view_type
@dataclass(frozen=True)
class RoleRef:
    id: str
    label: str  # as written in the file, for headings and table cells
    noun: str = ""  # as it reads mid-sentence (words.role_noun): "reverse mentor", but "CEO"


@view_type
@dataclass(frozen=True)
class Commitment:
    """A role's time over the program. Parts the file leaves without a length are counted, never
    guessed: the documents say they are not set, and totals say they leave them out."""

    sessions: int  # with each partner
    session_minutes: int | None  # None: the file gives no session length
    training_minutes: int  # required modules that have a length
    group_minutes: int  # group meetings that have a length
    # Most partners met separately (pairing capacity, outside group mode): a flash mentor with
    # capacity 4 may hold four conversations, so their time is up to four times the sessions.
    partners: int = 1
    partner_noun: str = ""  # the other side, as a noun: "question asker"
    in_pairs: bool = False
    training_modules: int = 0  # required modules (each occurrence of a repeating one)
    training_unset: int = 0  # of those, how many have no length
    group_series: int = 0  # group meeting series the role attends
    group_unset: int = 0  # of those, how many have no length or no number of meetings
    session_minutes_min: int | None = None  # the shorter end of a range such as 45-60 minutes

    @property
    def all_sessions(self) -> int:
        return self.sessions * self.partners

    @property
    def sessions_unset(self) -> bool:
        """A pair role whose number of sessions or their length the file does not give."""
        return self.in_pairs and (not self.sessions or self.session_minutes is None)

    @property
    def complete(self) -> bool:
        return not (self.sessions_unset or self.training_unset or self.group_unset)

    @property
    def total_minutes(self) -> int:
        """The most time the role can take (with every partner its capacity allows), from the
        parts that have a length; `complete` says whether that is all of it."""
        return self.all_sessions * (self.session_minutes or 0) + self.training_minutes + self.group_minutes

    @property
    def total_minutes_min(self) -> int:
        """The total with sessions at the short end of their range (the same without a range)."""
        shortest = self.session_minutes_min or self.session_minutes or 0
        return self.all_sessions * shortest + self.training_minutes + self.group_minutes


@view_type
@dataclass(frozen=True)
class RoleView:
    id: str
    label: str
    noun: str  # the label as it reads mid-sentence (words.role_noun)
    kind: str  # mentor | mentee | admin | manager | other
    description: str | None
    responsibilities: tuple[str, ...]
    eligibility: tuple[str, ...]
    in_pairs: bool
    commitment: Commitment
    training: tuple["TrainingView", ...]
    surveys: tuple["SurveyView", ...]
    group_sessions: tuple["GroupSessionView", ...]


@view_type
@dataclass(frozen=True)
class MetricView:
    id: str
    name: str
    definition: str
    unit: str
    baseline: str | None
    target: str | None
    direction: str | None
    source_kind: str | None
    source_survey: str | None  # title of the survey that measures it
    source_description: str | None
    collected_at: tuple[tuple[str, str | None], ...]  # (milestone name, date or None)


@view_type
@dataclass(frozen=True)
class ObjectiveView:
    id: str
    title: str
    description: str | None
    beneficiary: str  # role id or "organization"
    beneficiary_label: str
    metrics: tuple[MetricView, ...]


@view_type
@dataclass(frozen=True)
class RuleView:
    id: str | None
    sentence: str
    hard: bool
    priority: str | None
    weight: float
    own_words: bool  # the sentence is the file's own description (which says nothing of priority)


@view_type
@dataclass(frozen=True)
class PairingView:
    mode: str
    mentor_capacity: int | None
    mentee_capacity: int | None
    minimum_score: float | None
    optimize: str
    summary: tuple[str, ...]  # how people are matched, as a whole
    constraints: tuple[RuleView, ...]
    preferences: tuple[RuleView, ...]


@view_type
@dataclass(frozen=True)
class AgendaItem:
    minutes: int | None  # None when the file gives no session length: no step is timed
    title: str
    text: str
    topics: tuple[str, ...]


@view_type
@dataclass(frozen=True)
class SessionView:
    number: int
    total: int
    when: When
    end_time: str | None
    phase: str | None  # phase name
    topics: tuple[str, ...]
    position: str  # first | middle | midpoint | last | only
    agenda: tuple[AgendaItem, ...]
    moved: tuple[str, ...]  # why the date differs from the plan, in words


@view_type
@dataclass(frozen=True)
class PhaseView:
    id: str
    name: str
    description: str | None
    dates: str | None
    start: When | None
    end: When | None
    topics: tuple[str, ...]
    sessions: tuple[int, ...]


@view_type
@dataclass(frozen=True)
class MilestoneView:
    id: str
    name: str
    kind: str
    when: When | None
    description: str | None


@view_type
@dataclass(frozen=True)
class TrainingView:
    id: str
    title: str
    description: str | None
    audience: tuple[RoleRef, ...]
    minutes: int | None
    format: str | None
    required: bool
    topics: tuple[str, ...]
    when: When | None  # the first time it is held
    dates: tuple[When, ...] = ()  # every time it is held (more than one for repeating training)
    repeat: str | None = None  # how it repeats, in words ("every year"), or None


@view_type
@dataclass(frozen=True)
class GroupSessionView:
    id: str
    name: str
    audience: tuple[RoleRef, ...]
    frequency: str
    sessions: int | None
    minutes: int | None
    minimum_attendance: int | None
    dates: tuple[When, ...]
    # Who the minimum attendance applies to, and who is there for every meeting. The format does
    # not say who runs a group session; when pair roles meet with a supporting role (a
    # facilitator, a secretary), the meeting is for the pair roles and the supporting role runs
    # or serves it, so the minimum is theirs alone.
    attendees: tuple[RoleRef, ...] = ()
    hosts: tuple[RoleRef, ...] = ()

    @property
    def count(self) -> int | None:
        """How many meetings: as planned, else as scheduled."""
        return self.sessions or (len(self.dates) or None)

    def minimum_for(self, role_id: str) -> int | None:
        """The meetings `role_id` must attend at least, when fewer than all of them."""
        if self.minimum_attendance is None or role_id not in {r.id for r in self.attendees}:
            return None
        return self.minimum_attendance if self.count is None or self.minimum_attendance < self.count else None

    def hosted_by(self, role_id: str) -> bool:
        return role_id in {r.id for r in self.hosts}


@view_type
@dataclass(frozen=True)
class Window:
    opens: When
    closes: When | None


@view_type
@dataclass(frozen=True)
class SurveyView:
    id: str
    title: str
    description: str | None
    audience: tuple[RoleRef, ...]
    anonymous: bool  # keyed by a self-generated code: no name or id on its forms
    repeat_every: str | None
    open_days: int | None
    windows: tuple[Window, ...]
    questions: tuple[Question, ...]
    metrics: tuple[str, ...]  # names of the metrics its answers feed
    about_partner: bool = False  # one form per partner, about that partner
    respondent_key: str = "roster-id"  # roster-id | self-code
    partner_noun: str = "partner"  # whom a per-partner form is about: "mentee" when only mentors answer


@view_type
@dataclass(frozen=True)
class MeasurementView:
    """How answers are linked over time and reported, for the charter."""

    self_code: tuple[str, ...]  # the self-code questions' texts
    minimum_group_size: int
    quote_free_text: bool
    return_to: str | None  # "Medical Education Centre (mec@example.org)"
    submit_to: str | None


@view_type
@dataclass(frozen=True)
class Entry:
    """One line of a dated schedule."""

    kind: str
    title: str
    when: When
    until: When | None  # last day, for spans of several days
    audience: tuple[RoleRef, ...]
    moved: tuple[str, ...] = ()  # why it is not on its planned date


@view_type
@dataclass(frozen=True)
class ContactView:
    name: str
    role: str
    email: str | None
    phone: str | None


@view_type
@dataclass
class View:
    """Everything about the program that every document shares."""

    id: str
    name: str
    description: str | None
    type: str
    knowledge_flow: str | None
    owner: str | None
    owner_email: str | None
    version: str
    locale: str
    timezone: str
    start: When | None
    end: When | None
    dates: str | None
    duration: str | None
    roles: tuple[RoleView, ...]
    objectives: tuple[ObjectiveView, ...]
    metrics: tuple[MetricView, ...]
    pairing: PairingView
    meetings: Any
    sessions: tuple[SessionView, ...]
    phases: tuple[PhaseView, ...]
    milestones: tuple[MilestoneView, ...]
    training: tuple[TrainingView, ...]
    group_sessions: tuple[GroupSessionView, ...]
    surveys: tuple[SurveyView, ...]
    overview: tuple[Entry, ...]
    contacts: tuple[ContactView, ...]
    confidentiality: str | None
    conduct: str | None
    meeting_time: str | None
    meeting_day: str | None
    role_map: dict[str, RoleView] = field(default_factory=dict)
    entries_by_role: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    measurement: "MeasurementView | None" = None

    def role(self, role_id: str) -> RoleView:
        return self.role_map[role_id]

    def schedule_for(self, role_id: str) -> tuple[Entry, ...]:
        return self.entries_by_role.get(role_id, ())


@view_type
@dataclass(frozen=True)
class MeetingsView:
    frequency: str | None
    sessions: int | None
    minutes: int | None
    format: str | None
    initiator: str | None
    initiator_label: str | None
    initiator_noun: str | None = None
    # In group mode, who a group gathers around and who joins it ("circle lead", "circle member");
    # None for pairs.
    group_anchor: RoleRef | None = None
    group_members: RoleRef | None = None
    minutes_min: int | None = None  # the shorter end of a length range ("45-60 minutes")


# --- building the view ------------------------------------------------------------------------

def _fmt_value(value: float | None, unit: str) -> str | None:
    if value is None:
        return None
    number = figure(value)
    return f"{number}%" if unit.strip().lower() in ("percent", "%", "per cent") else number


def _session_count(program: Program, span_days: int | None) -> int:
    meetings = program.meetings
    if meetings.sessions is not None:
        return meetings.sessions
    if meetings.frequency == "once":
        return 1
    if meetings.frequency in FREQUENCY_DAYS and span_days:
        return max(1, math.floor(span_days / FREQUENCY_DAYS[meetings.frequency]))
    return 0


def _spread(topics: tuple[str, ...], count: int) -> list[tuple[str, ...]]:
    """A phase's topics shared out over the sessions held in it, in order."""
    if count <= 0:
        return []
    if not topics:
        return [()] * count
    if len(topics) <= count:
        # one topic per session; sessions beyond the topics return to the phase's themes
        return [(topics[i],) if i < len(topics) else () for i in range(count)]
    per = len(topics) / count
    return [tuple(topics[round(i * per):round((i + 1) * per)]) for i in range(count)]


def build_agenda(steps: list[dict[str, Any]], minutes: int, topics: tuple[str, ...]) -> tuple[AgendaItem, ...]:
    """Share a session's minutes between agenda steps in proportion to each step's share.

    Steps get whole 5-minute blocks, at least one each, and the last step takes what is left, so
    the agenda always adds up to exactly `minutes`. A session too short to give every step a
    block keeps only as many steps as it has blocks: the step with the session's topics first,
    then those with the larger shares, in their order (a 10-minute session has two steps of five).
    """
    minutes = int(minutes)
    if not steps or minutes <= 0:
        return ()
    blocks = max(1, minutes // 5)
    if len(steps) > blocks:
        ranked = sorted(range(len(steps)), key=lambda i: (not steps[i].get("topics"), -float(steps[i].get("share", 1)), i))
        steps = [steps[i] for i in sorted(ranked[:blocks])]
    shares = [float(s.get("share", 1)) for s in steps]
    total_share = sum(shares)
    raw = [share / total_share * blocks for share in shares]
    counts = [max(1, math.floor(r)) for r in raw]
    # hand out leftover blocks to the steps that lost most to rounding, first step first on ties
    order = sorted(range(len(steps)), key=lambda i: (-(raw[i] - math.floor(raw[i])), i))
    index = 0
    while sum(counts) < blocks:
        counts[order[index % len(order)]] += 1
        index += 1
    while sum(counts) > blocks:  # some step has more than one block: len(steps) <= blocks
        biggest = max(range(len(counts)), key=lambda i: (counts[i], -i))
        counts[biggest] -= 1
    lengths = [count * 5 for count in counts]
    lengths[-1] = minutes - sum(lengths[:-1])  # at least 5, or the whole of a session under 5 minutes
    items = []
    for step, length in zip(steps, lengths):
        # A step about the session's topics says something else when the session has none.
        plain = step.get("plain") if step.get("topics") and not topics else None
        wording = {**step, **plain} if plain else step
        items.append(AgendaItem(length, str(wording.get("title", "")), str(wording.get("text", "")),
                                topics if step.get("topics") else ()))
    return tuple(items)


def repeat_words(module: Any) -> str | None:
    """How a training module repeats, in words: "every year", "every 6 months", "before each kickoff"."""
    repeat = getattr(module, "repeat", None)
    if repeat is None:
        return None
    if repeat.every is not None:
        every = repeat.every
        return f"every {every.unit}" if every.amount == 1 else f"every {every}"
    return f"at each {repeat.each.replace('-', ' ')}"


def _untimed(agenda: tuple[AgendaItem, ...], untimed: bool) -> tuple[AgendaItem, ...]:
    return tuple(replace(item, minutes=None) for item in agenda) if untimed else agenda


def pick_agenda(guidance: dict[str, Any], program_type: str, position: str) -> list[dict[str, Any]]:
    agendas = guidance.get("agendas", {})
    own = agendas.get(program_type, {})
    default = agendas.get("default", {})
    for table, key in ((own, position), (own, "middle") if position != "only" else (own, "only"),
                       (default, position), (default, "middle")):
        steps = table.get(key)
        if steps:
            return list(steps)
    return []


def build_view(program: Program, guidance: dict[str, Any],
               schedule: ProgramSchedule | None = None) -> View:
    style = style_for(program.locale)
    schedule = schedule if schedule is not None else program_schedule(program)
    tl = schedule.timeline
    labels = display_labels(program)
    words = spelling(program.locale)

    def ref(role_id: str) -> RoleRef:
        label = labels.get(role_id, role_id)
        return RoleRef(role_id, label, role_noun(label))

    def refs(role_ids: tuple[str, ...]) -> tuple[RoleRef, ...]:
        return tuple(ref(r) for r in role_ids) if role_ids else tuple(ref(r) for r in program.roles)

    milestone_names = {m.id: m.name for m in program.schedule.milestones}
    survey_titles = {s.id: s.title for s in program.surveys}

    # metrics and objectives
    metrics = tuple(
        MetricView(
            m.id, m.name, m.definition or describe_metric(program, m) or "not set", m.unit, _fmt_value(m.baseline, m.unit), _fmt_value(m.target, m.unit),
            m.direction, m.source.kind if m.source else None,
            survey_titles.get(m.source.survey) if m.source and m.source.survey else None,
            m.source.description if m.source else None,
            tuple((milestone_names.get(a, a), style.date(tl.milestones[a]) if a in tl.milestones else None)
                  for a in m.collected_at),
        )
        for m in program.metrics
    )
    metric_map = {m.id: m for m in metrics}
    objectives = tuple(
        ObjectiveView(o.id, o.title, o.description, o.beneficiary,
                      labels.get(o.beneficiary, f"The {words['organisation']}" if o.beneficiary == "organization" else o.beneficiary),
                      tuple(metric_map[mid] for mid in o.metrics if mid in metric_map))
        for o in program.objectives
    )

    # pairing
    pairing = PairingView(
        program.pairing.mode, program.pairing.mentor_capacity, program.pairing.mentee_capacity,
        program.pairing.minimum_score, program.pairing.optimize, tuple(describe_pairing(program)),
        tuple(RuleView(r.id, describe_rule(r, program), True, None, r.effective_weight, bool(r.description))
              for r in program.pairing.constraints),
        tuple(RuleView(r.id, describe_rule(r, program), False, r.priority or ("medium" if r.weight is None else None),
                       r.effective_weight, bool(r.description)) for r in program.pairing.preferences),
    )

    occurrences = schedule.occurrences

    # phases and pair sessions
    phase_names = {p.id: p.name for p in program.schedule.phases}
    session_occ = [o for o in occurrences if o.kind == "session"]
    by_phase: dict[str | None, list[Occurrence]] = {}
    for occ in session_occ:
        by_phase.setdefault(occ.phase, []).append(occ)
    topics_for: dict[str, tuple[str, ...]] = {}
    for phase in program.schedule.phases:
        held = by_phase.get(phase.id, [])
        if not phase.topics:
            continue
        for occ, share in zip(held, _spread(phase.topics, len(held))):
            topics_for[occ.uid] = share
    # the midpoint session is the first on or after the (first) milestone of kind midpoint, whatever its id
    midpoint_day = next((tl.milestones[m.id] for m in program.schedule.milestones
                         if m.kind == "midpoint" and m.id in tl.milestones), None)
    midpoint_index = None
    if midpoint_day is not None and len(session_occ) > 2:
        after = [i for i, o in enumerate(session_occ) if o.day >= midpoint_day]
        if after and 0 < after[0] < len(session_occ) - 1:
            midpoint_index = after[0]
    # Without a length the agenda keeps its steps but times none of them.
    minutes = program.meetings.minutes
    sessions = []
    for index, occ in enumerate(session_occ):
        total = len(session_occ)
        if total == 1:
            position = "only"
        elif index == 0:
            position = "first"
        elif index == total - 1:
            position = "last"
        elif index == midpoint_index:
            position = "midpoint"
        else:
            position = "middle"
        topics = topics_for[occ.uid] if occ.uid in topics_for else occ.topics
        end_time = style.time(occ.end) if isinstance(occ.end, dt.datetime) else None
        sessions.append(SessionView(
            occ.number or index + 1, total, when(style, occ.start), end_time,
            phase_names.get(occ.phase) if occ.phase else None, topics, position,
            _untimed(build_agenda(pick_agenda(guidance, program.type, position), minutes or DEFAULT_MINUTES, topics),
                     minutes is None),
            tuple(a.reason for a in occ.adjustments),
        ))
    session_numbers: dict[str, list[int]] = {}
    for sv, occ in zip(sessions, session_occ):
        if occ.phase:
            session_numbers.setdefault(occ.phase, []).append(sv.number)
    phases = tuple(
        PhaseView(p.id, p.name, p.description,
                  style.range(tl.phases[p.id].start, tl.phases[p.id].end) if p.id in tl.phases else None,
                  when(style, tl.phases[p.id].start) if p.id in tl.phases else None,
                  when(style, tl.phases[p.id].end) if p.id in tl.phases else None,
                  p.topics, tuple(session_numbers.get(p.id, ())))
        for p in program.schedule.phases
    )
    milestones = tuple(
        MilestoneView(m.id, m.name, m.kind, when(style, tl.milestones[m.id]) if m.id in tl.milestones else None,
                      m.description)
        for m in program.schedule.milestones
    )

    def first_of(kind: str, ref_id: str) -> Occurrence | None:
        return next((o for o in occurrences if o.kind == kind and o.ref == ref_id), None)

    training = tuple(
        TrainingView(t.id, t.title, t.description, refs(t.audience), t.minutes, t.format, t.required, t.topics,
                     when(style, found.start) if (found := first_of("training", t.id)) else None,
                     tuple(when(style, o.start) for o in occurrences if o.kind == "training" and o.ref == t.id),
                     repeat_words(t))
        for t in program.training
    )
    def group_view(g: Any) -> GroupSessionView:
        audience = refs(g.audience)
        in_pairs = tuple(r for r in audience if r.id in PAIR_ROLES)
        hosts = tuple(r for r in audience if r.id not in PAIR_ROLES) if in_pairs else ()
        return GroupSessionView(
            g.id, g.name, audience, g.frequency, g.sessions, g.minutes, g.minimum_attendance,
            tuple(when(style, o.start) for o in occurrences if o.kind == "group-session" and o.ref == g.id),
            in_pairs or audience, hosts)

    group_sessions = tuple(group_view(g) for g in program.meetings.group_sessions)

    def window(occ: Occurrence) -> Window:
        last = occ.last_day
        return Window(when(style, occ.start), when(style, last) if last != occ.day else None)

    def partner_noun(audience: tuple[str, ...]) -> str:
        others = {"mentee" if r == "mentor" else "mentor" for r in audience if r in PAIR_ROLES}
        return ref(others.pop()).noun if len(others) == 1 else "partner"

    surveys = tuple(
        SurveyView(s.id, s.title, s.description, refs(s.audience), s.respondent_key == "self-code",
                   str(s.repeat_every) if s.repeat_every else None, s.open_days,
                   tuple(window(o) for o in occurrences if o.kind == "survey" and o.ref == s.id),
                   s.questions,
                   tuple(dict.fromkeys(metric_map[m].name for ids in metric_columns(program, s).values()
                                       for m in ids if m in metric_map)),
                   s.about == "partner", s.respondent_key, partner_noun(s.audience))
        for s in program.surveys
    )

    # each role's commitment
    count = len(session_occ) or _session_count(program, tl.program.days if tl.program else None)
    capacity = {"mentor": program.pairing.mentor_capacity or 1, "mentee": program.pairing.mentee_capacity or 1}
    roles = []
    for role_id, role in program.roles.items():
        in_pairs = role_id in PAIR_ROLES
        role_training = tuple(t for t in training if role_id in {a.id for a in t.audience})
        role_groups = tuple(g for g in group_sessions if role_id in {a.id for a in g.audience})
        group_minutes = group_unset = 0
        for g in role_groups:
            attended = g.minimum_for(role_id) or g.count or 0
            if g.minutes is None or not attended:
                group_unset += 1
            group_minutes += (g.minutes or 0) * attended
        # a module held more than once (repeating training) takes the role's time each time
        modules_held = [(module, max(1, len(module.dates))) for module in role_training if module.required]
        # outside group mode each partner is met separately, so capacity multiplies the sessions
        partners = capacity[role_id] if in_pairs and program.pairing.mode != "group" else 1
        other = "mentee" if role_id == "mentor" else "mentor"
        commitment = Commitment(
            count if in_pairs else 0, minutes if in_pairs else None,
            sum((module.minutes or 0) * times for module, times in modules_held), group_minutes,
            partners, ref(other).noun if in_pairs else "", in_pairs,
            sum(times for _, times in modules_held), sum(times for module, times in modules_held if module.minutes is None),
            len(role_groups), group_unset, program.meetings.minutes_min if in_pairs else None)
        roles.append(RoleView(
            role_id, labels[role_id], role_noun(labels[role_id]), role_kind(role_id), role.description, role.responsibilities,
            tuple(describe_condition(c) for c in role.eligibility), in_pairs, commitment, role_training,
            tuple(s for s in surveys if role_id in {a.id for a in s.audience}), role_groups))

    # the dated schedule: overview (without the pairs' individual sessions) and per role
    entries: list[tuple[Occurrence, Entry]] = []
    for occ in occurrences:
        until = None
        if occ.all_day and isinstance(occ.end, dt.date) and not isinstance(occ.end, dt.datetime):
            last_day = occ.end - dt.timedelta(days=1)
            until = when(style, last_day) if last_day > occ.day else None
        title = occ.title  # a survey's or training module's title, a milestone's name
        if occ.kind == "phase-start" and occ.ref in tl.phases:
            title = phase_names.get(occ.ref, occ.title)
            until = when(style, tl.phases[occ.ref].end)
        elif occ.kind in ("session", "group-session") and occ.number is not None:
            title = f"{occ.title} {occ.number}"
        entries.append((occ, Entry(occ.kind, title, when(style, occ.start), until, refs(occ.audience),
                                   tuple(a.reason for a in occ.adjustments))))
    overview = tuple(e for o, e in entries if o.kind not in ("session", "phase-end"))
    entries_by_role = {
        role_id: tuple(e for o, e in entries if (not o.audience or role_id in o.audience) and o.kind != "phase-end")
        for role_id in program.roles
    }

    span = tl.program
    meetings = program.meetings
    anchor = members = None
    if program.pairing.mode == "group":  # the side with room for several gathers the others around it
        gathers_mentors = capacity["mentee"] > 1 and capacity["mentor"] == 1
        anchor, members = (ref("mentee"), ref("mentor")) if gathers_mentors else (ref("mentor"), ref("mentee"))
    view = View(
        id=program.id, name=program.name, description=program.description, type=program.type,
        knowledge_flow=program.knowledge_flow, owner=program.owner, owner_email=program.owner_email,
        version=program.version, locale=program.locale, timezone=program.timezone,
        start=when(style, span.start) if span else None, end=when(style, span.end) if span else None,
        dates=style.range(span.start, span.end) if span else None,
        duration=str(program.schedule.duration) if program.schedule.duration else None,
        roles=tuple(roles), objectives=objectives, metrics=metrics, pairing=pairing,
        meetings=MeetingsView(meetings.frequency, count or meetings.sessions, meetings.minutes, meetings.format,
                              meetings.initiator,
                              labels.get(meetings.initiator) if meetings.initiator in labels else None,
                              ref(meetings.initiator).noun if meetings.initiator in labels else None,
                              anchor, members, meetings.minutes_min),
        sessions=tuple(sessions), phases=phases, milestones=milestones, training=training,
        group_sessions=group_sessions, surveys=surveys, overview=overview,
        contacts=tuple(ContactView(c.name, c.role, c.email, c.phone) for c in program.contacts),
        confidentiality=program.confidentiality, conduct=program.conduct,
        meeting_time=style.time(dt.time.fromisoformat(meetings.time)) if meetings.time else None,
        meeting_day=weekday_name(meetings.day_of_week) if meetings.day_of_week else None,
    )
    view.role_map = {r.id: r for r in roles}
    view.entries_by_role = entries_by_role
    m = program.measurement
    back = m.return_to
    view.measurement = MeasurementView(
        tuple(q.text for q in m.self_code), m.minimum_group_size, m.quote_free_text,
        f"{back.name} ({back.email})" if back and back.email else back.name if back else None, m.submit_to)
    return view


Linker = Callable[[str], str]
