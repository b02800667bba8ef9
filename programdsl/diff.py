"""A change between two versions of a program, said in program terms for reviewers.

Both versions are resolved and validated first, so the diff compares what participants would
actually get (presets and `extends` included), not YAML text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from .model import (
    PAIR_ROLES,
    Anchor,
    ChangeComputation,
    ManualComputation,
    Metric,
    MetricSource,
    PairingRule,
    Program,
    ReturnTo,
    ScaleItem,
    Schedule,
    ScoreComputation,
    SelfCodeQuestion,
    SessionsComputation,
    Subscale,
)
from .schedule import timeline
from .reporters.base import plural

EVERYONE = ("everyone",)


@dataclass(frozen=True)
class Change:
    section: str
    text: str
    audiences: tuple[str, ...]  # role ids whose documents change, or ("everyone",)


T = TypeVar("T")


def _by_id(items: Iterable[T]) -> dict[str, T]:
    return {getattr(item, "id"): item for item in items}


ARROW = " -> "  # between the old and the new value; Markdown output shows it as an arrow


def _change(was: Any, now: Any) -> str:
    return f"{_show(was)}{ARROW}{_show(now)}"


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Anchor):
        return _anchor_words(value)
    if isinstance(value, MetricSource):
        survey = f" {value.survey}" if value.survey else ""
        return f"{value.kind}{survey}"
    if isinstance(value, (ScoreComputation, ChangeComputation, SessionsComputation, ManualComputation)):
        return _computation_words(value)
    if isinstance(value, ReturnTo):
        return value.name + (f" ({value.email})" if value.email else "")
    if isinstance(value, (ScaleItem, Subscale, SelfCodeQuestion)):
        return value.id + (" (reversed)" if isinstance(value, ScaleItem) and value.reverse else "")
    if isinstance(value, tuple):
        return ", ".join(_show(v) if not isinstance(v, str) else v for v in value) or "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _computation_words(c: ScoreComputation | ChangeComputation | SessionsComputation | ManualComputation) -> str:
    """A computation in review terms, e.g. 'change of scale feedback-confidence, mentor-baseline to mentor-closing (mean, mentor)'."""
    if isinstance(c, ManualComputation):
        return "entered by hand"
    if isinstance(c, SessionsComputation):
        least = f" {c.at_least}" if c.at_least is not None else ""
        return f"sessions of {c.meeting}: {c.statistic}{least}" + (f" ({c.role})" if c.role else "")
    what = f"question {c.question}" if c.question else f"scale {c.scale}" + (f" subscale {c.subscale}" if c.subscale else "")
    details = ", ".join(x for x in (c.statistic, f"threshold {_show(c.threshold)}" if isinstance(c, ScoreComputation)
                                    and c.threshold is not None else "", c.role or "") if x)
    if isinstance(c, ChangeComputation):
        return f"change of {what}, {c.baseline} to {c.follow_up} ({details})"
    return f"{what} at {c.survey} ({details})"


def _anchor_words(anchor: Anchor) -> str:
    point = f"milestone {anchor.milestone}" if anchor.milestone else f"the {anchor.edge} of phase {anchor.phase}"
    days = abs(anchor.offset_days)
    if not days:
        return f"at {point}"
    return f"{plural(days, 'day')} {'before' if anchor.offset_days < 0 else 'after'} {point}"


def rule_phrase(rule: PairingRule) -> str:
    """Short wording for a rule in a review, e.g. 'different department'."""
    if rule.rule in ("same", "different"):
        return f"{rule.rule} {rule.attribute}"
    if rule.rule == "level-gap":
        bounds = [f"at least {rule.min}" if rule.min is not None else "", f"at most {rule.max}" if rule.max is not None else ""]
        gap = " and ".join(b for b in bounds if b)
        widest = rule.max if rule.max is not None else rule.min
        return f"level gap {rule.direction}" + (f" ({gap} level{'' if widest == 1 else 's'})" if gap else "")
    if rule.rule == "overlap":
        return f"overlap of mentor {rule.mentor} with mentee {rule.mentee}" + (f" (at least {rule.min})" if rule.min else "")
    if rule.rule == "timezone-within":
        return f"time zones within {_show(rule.hours)} hours"
    return rule.rule.replace("-", " ")


def _rule_key(rule: PairingRule) -> str:
    return rule.id or rule_phrase(rule)


def _collection(section: str, noun: str, old: Sequence[T], new: Sequence[T], audiences: Callable[[T], tuple[str, ...]],
                title: Callable[[T], str], compare: Sequence[str]) -> Iterator[Change]:
    before, after = _by_id(old), _by_id(new)
    for key, item in after.items():
        if key not in before:
            yield Change(section, f"new {noun} {key}: {title(item)}", audiences(item))
    for key, item in before.items():
        if key not in after:
            yield Change(section, f"removed {noun} {key}", audiences(item))
    for key in [k for k in after if k in before]:  # the new version's order: stable output
        for name in compare:
            was, now = getattr(before[key], name), getattr(after[key], name)
            if was != now:
                label = name.replace("_", " ")
                # A difference the short form does not show (a source's description) is only named.
                shown = f": {_change(was, now)}" if _show(was) != _show(now) else " changed"
                yield Change(section, f"{noun} {key} {label}{shown}",
                             tuple(sorted(set(audiences(before[key])) | set(audiences(after[key])))))


def _holidays(schedule: Schedule) -> str | None:
    """The holiday calendar as one code (GB, US-NY; ISO 3166-2 joins a subdivision with a hyphen)."""
    if schedule.holiday_country is None:
        return None
    return "-".join(filter(None, (schedule.holiday_country, schedule.holiday_subdivision)))


def diff(old: Program, new: Program) -> list[Change]:
    changes: list[Change] = []
    add = changes.append
    for name, label in (("name", "name"), ("type", "type"), ("version", "version"), ("owner", "owner"),
                        ("timezone", "time zone"), ("locale", "locale")):
        was, now = getattr(old, name), getattr(new, name)
        if was != now:
            add(Change("program", f"{label}: {_change(was, now)}", EVERYONE))

    old_span, new_span = timeline(old).program, timeline(new).program
    if old_span and new_span:
        if old_span.start != new_span.start:
            add(Change("schedule", f"start date moved from {old_span.start} to {new_span.start}", EVERYONE))
        if old_span.end != new_span.end:
            add(Change("schedule", f"end date moved from {old_span.end} to {new_span.end}", EVERYONE))
    old_s, new_s = old.schedule, new.schedule
    if old_s.working_days != new_s.working_days:
        add(Change("schedule", f"working days: {_change(old_s.working_days, new_s.working_days)}", EVERYONE))
    if _holidays(old_s) != _holidays(new_s):
        add(Change("schedule", f"public holidays: {_change(_holidays(old_s), _holidays(new_s))}", EVERYONE))
    if old_s.blackouts != new_s.blackouts:
        add(Change("schedule", "blackout periods changed", EVERYONE))
    changes.extend(_collection("schedule", "phase", old_s.phases, new_s.phases, lambda p: EVERYONE, lambda p: p.name,
                               ("name", "start", "end", "duration", "topics")))
    old_days, new_days = timeline(old).milestones, timeline(new).milestones
    changes.extend(_collection("schedule", "milestone", old_s.milestones, new_s.milestones, lambda m: EVERYONE,
                               lambda m: m.name, ("name",)))
    for key in sorted(old_days.keys() & new_days.keys()):
        if old_days[key] != new_days[key]:
            add(Change("schedule", f"milestone {key} moved from {old_days[key]} to {new_days[key]}", EVERYONE))

    for name, label in (("frequency", "meeting cadence"), ("sessions", "planned sessions"), ("minutes", "session length (minutes)"),
                        ("begin", "sessions begin"), ("format", "meeting format"), ("initiator", "who arranges sessions"),
                        ("day_of_week", "meeting day"),
                        ("time", "meeting time")):
        was, now = getattr(old.meetings, name), getattr(new.meetings, name)
        if was != now:
            add(Change("meetings", f"{label}: {_change(was, now)}", PAIR_ROLES))
    changes.extend(_collection("meetings", "group session", old.meetings.group_sessions, new.meetings.group_sessions,
                               lambda g: g.audience, lambda g: g.name, ("name", "audience", "frequency", "sessions", "minutes",
                                                                       "minimum_attendance")))

    for role_id in sorted(old.roles.keys() | new.roles.keys()):
        was, now = old.roles.get(role_id), new.roles.get(role_id)
        if was is None:
            add(Change("roles", f"new role {role_id}", (role_id,)))
        elif now is None:
            add(Change("roles", f"removed role {role_id}", (role_id,)))
        else:
            for name in ("label", "description", "responsibilities", "eligibility"):
                if getattr(was, name) != getattr(now, name):
                    shown = f": {_change(getattr(was, name), getattr(now, name))}" if name == "label" else " changed"
                    add(Change("roles", f"role {role_id} {name}{shown}", EVERYONE if name == "label" else (role_id,)))

    changes.extend(_collection("objectives", "objective", old.objectives, new.objectives, lambda o: EVERYONE,
                               lambda o: o.title, ("title", "beneficiary", "metrics")))
    changes.extend(_collection("metrics", "metric", old.metrics, new.metrics, lambda m: EVERYONE, lambda m: m.name,
                               [f.name for f in fields(Metric) if f.name not in ("id", "path")]))

    _pairing(old, new, add)

    changes.extend(_collection("training", "training module", old.training, new.training, lambda t: t.audience,
                               lambda t: t.title, ("title", "audience", "minutes", "format", "required", "topics", "when")))
    changes.extend(_collection("scales", "scale", old.scales, new.scales, lambda x: EVERYONE, lambda x: x.name,
                               ("name", "description", "scoring", "min_answered", "low", "high", "labels", "items", "subscales")))
    for name in ("respondent_key", "self_code", "submit_to", "return_to", "minimum_group_size", "quote_free_text"):
        was, now = getattr(old.measurement, name), getattr(new.measurement, name)
        if was != now:
            shown = f": {_change(was, now)}" if _show(was) != _show(now) else " changed"
            add(Change("measurement", f"{name.replace('_', ' ')}{shown}", EVERYONE))
    changes.extend(_collection("surveys", "survey", old.surveys, new.surveys, lambda s: s.audience, lambda s: s.title,
                               ("title", "audience", "when", "repeat_every", "open_days", "anonymous", "about",
                                "respondent_key")))
    old_surveys, new_surveys = _by_id(old.surveys), _by_id(new.surveys)
    for key in sorted(old_surveys.keys() & new_surveys.keys()):
        audience = new_surveys[key].audience
        changes.extend(_collection("surveys", f"survey {key} question", old_surveys[key].questions, new_surveys[key].questions,
                                   lambda q: audience, lambda q: q.text,
                                   ("text", "type", "scale_min", "scale_max", "labels", "options", "required", "metric",
                                    "audience", "scale", "reverse")))
    for name, label in (("confidentiality", "confidentiality"), ("conduct", "conduct"), ("contacts", "contacts"),
                        ("reminders", "calendar reminders")):
        if getattr(old, name) != getattr(new, name):
            add(Change("program", f"{label} changed", EVERYONE))
    return changes


def _pairing(old: Program, new: Program, add: Callable[[Change], None]) -> None:
    coordinators = ("everyone",)  # the charter states the pairing rules to every participant
    p, q = old.pairing, new.pairing
    for name, label in (("mode", "mode"), ("mentor_capacity", "mentor capacity"), ("mentee_capacity", "mentee capacity"),
                        ("minimum_score", "minimum match score"), ("optimize", "optimise for")):
        if getattr(p, name) != getattr(q, name):
            add(Change("pairing", f"{label}: {_change(getattr(p, name), getattr(q, name))}", coordinators))
    for kind, was_rules, now_rules in (("constraint", p.constraints, q.constraints), ("preference", p.preferences, q.preferences)):
        before = {_rule_key(r): r for r in was_rules}
        after = {_rule_key(r): r for r in now_rules}
        for key, rule in after.items():
            if key not in before:
                add(Change("pairing", f"added {kind} {rule_phrase(rule)}", coordinators))
        for key, rule in before.items():
            if key not in after:
                add(Change("pairing", f"removed {kind} {rule_phrase(rule)}", coordinators))
        for key in sorted(before.keys() & after.keys()):
            a, b = before[key], after[key]
            if rule_phrase(a) != rule_phrase(b):
                add(Change("pairing", f"{kind} {key}: {rule_phrase(a)}{ARROW}{rule_phrase(b)}", coordinators))
            if kind == "preference" and a.effective_weight != b.effective_weight:
                add(Change("pairing", f"preference {key} weight: {_change(a.effective_weight, b.effective_weight)}",
                           coordinators))


def affected_documents(changes: Sequence[Change], program: Program) -> list[str]:
    """Which participants' documents a change set touches, in plain words."""
    roles: set[str] = set()
    for change in changes:
        roles.update(program.roles if "everyone" in change.audiences else change.audiences)
    affected = ["the charter"] if any("everyone" in c.audiences for c in changes) else []
    touched = [f"{role} ({program.role_label(role)})" for role in program.roles if role in roles]
    if touched:
        affected.append("the training guides and handbooks of " + ", ".join(touched))
    return affected


def _markdown(text: str) -> str:
    """User text as inert Markdown for a pull-request comment: no HTML, links, images or @mentions.
    Each side of a change is escaped on its own and joined by a real arrow, which needs no escape
    (`->` would read `-\\>` in the raw comment, since `>` is escaped everywhere)."""
    from .render.escape import md_escape

    return " \u2192 ".join(md_escape(part).replace("@", "&#64;") for part in text.split(ARROW))


def render_text(changes: Sequence[Change], program: Program, markdown: bool = False) -> str:
    if not changes:
        return "No changes in program terms.\n"
    affected = affected_documents(changes, program)
    if markdown:
        changes = [Change(c.section, _markdown(c.text), c.audiences) for c in changes]
        affected = [_markdown(a) for a in affected]
    sections: dict[str, list[Change]] = {}
    for change in changes:
        sections.setdefault(change.section, []).append(change)
    lines: list[str] = []
    if markdown:
        count = plural(len(changes), 'change')
        lines += [f"### programdsl: {count} to {_markdown(program.name)}", ""]
        for section, items in sections.items():
            lines += [f"**{section}**", "", *(f"- {c.text}" for c in items), ""]
        lines.append("**Documents affected:** " + "; ".join(affected) + ".")
    else:
        for section, items in sections.items():
            lines.extend(f"{section}: {c.text}" for c in items)
        lines.append("documents affected: " + "; ".join(affected))
    return "\n".join(lines) + "\n"
