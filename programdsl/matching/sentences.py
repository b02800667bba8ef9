"""Pairing rules in plain sentences, for the charter, the handbooks and the matcher's explanations.

Pure functions of the typed program: `describe_rule(rule, program)` is the sentence a participant
reads for one rule (the rule's own `description` when the file gives one), `describe_condition`
does the same for an eligibility condition, and `describe_pairing(program)` says how people are
matched as a whole. They use the program's role labels, so a reverse program says "Each reverse
mentor is at least 2 levels junior to their senior leader."
"""

from __future__ import annotations

from typing import Any

from ..model import Condition, PairingRule, Program
from ..render.words import counted, number_word, plural as plural_noun

# How to speak of an attribute: (noun, noun plural, "the same ..." phrase, "different ..." phrase).
_ATTRIBUTES: dict[str, tuple[str, str, str, str]] = {
    "level": ("level", "levels", "are at the same level", "are at different levels"),
    "department": ("department", "departments", "work in the same department", "work in different departments"),
    "team": ("team", "teams", "work in the same team", "work in different teams"),
    "location": ("location", "locations", "are based in the same location", "are based in different locations"),
    "timezone": ("time zone", "time zones", "are in the same time zone", "are in different time zones"),
    "languages": ("language", "languages", "speak the same languages", "speak different languages"),
    "skills": ("skill", "skills", "have the same skills", "have different skills"),
    "interests": ("interest", "interests", "have the same interests", "have different interests"),
    "generation": ("generation", "generations", "belong to the same generation", "belong to different generations"),
    "careerStage": ("career stage", "career stages", "are at the same career stage", "are at different career stages"),
    "manager": ("manager", "managers", "have the same manager", "have different managers"),
    "tenureMonths": ("tenure in months", "tenures in months", "have the same tenure", "have different tenures"),
}


def attribute_noun(attribute: str, plural: bool = False) -> str:
    known = _ATTRIBUTES.get(attribute)
    if known:
        return known[1] if plural else known[0]
    name = attribute.split(".", 1)[1] if attribute.startswith("custom.") else attribute
    return name.replace("_", " ").replace("-", " ")


def role_noun(program: Program | None, role_id: str) -> str:
    """The role's label as a common noun: 'Reverse mentor' -> 'reverse mentor'; 'CEO' stays."""
    label = program.role_label(role_id) if program is not None else role_id
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def join_items(items: list[str] | tuple[str, ...]) -> str:
    """Values people wrote (topics, skills) joined so that none can be misread: each in quotes
    when there are several ('"diversity and inclusion", "data"')."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(f'"{item}"' for item in items)


def rule_name(rule: PairingRule, program: Program | None = None) -> str:
    """A rule as participants and coordinators read it: its sentence in quotes, never its id."""
    return '"' + describe_rule(rule, program).rstrip(".") + '"'


def _a(noun: str) -> str:
    """'a mentor', 'an emerging leader'."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _sides(program: Program | None) -> tuple[str, str]:
    """The two role nouns; when both sides share a label ("Peer partner"), the second is "partner"."""
    mentor, mentee = role_noun(program, "mentor"), role_noun(program, "mentee")
    return (mentor, "partner") if mentor == mentee else (mentor, mentee)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _with_priority(sentence: str, rule: PairingRule) -> str:
    if rule.hard:
        return sentence
    if rule.weight is not None:
        weight = f"{rule.weight:g}"
        return f"Where possible, {sentence[0].lower()}{sentence[1:-1]} (weight {weight})."
    return f"Where possible, {sentence[0].lower()}{sentence[1:-1]} ({rule.priority or 'medium'} priority)."


def _level_gap(rule: PairingRule, mentor: str, mentee: str) -> str:
    attribute = rule.attribute or "level"
    unit_one, unit_many = ("level", "levels") if attribute == "level" else (attribute_noun(attribute), attribute_noun(attribute, True))
    direction = rule.direction or "mentor-senior"
    if direction == "peer":
        most = rule.max or 0
        if most == 0:
            return f"Each {mentor} is at the same {unit_one} as their {mentee}."
        return f"Each {mentor} is within {_count(most, unit_one, unit_many)} of their {mentee}."
    word = "senior" if direction == "mentor-senior" else "junior"
    above = "above" if direction == "mentor-senior" else "below"
    low = max(rule.min if rule.min is not None else 1, 0)
    high = rule.max
    if high is not None:
        if high == low:
            return f"Each {mentor} is exactly {_count(low, unit_one, unit_many)} {above} their {mentee}."
        if low == 1:
            return f"Each {mentor} is {word} to their {mentee}, by at most {_count(high, unit_one, unit_many)}."
        if low == 0:
            return f"Each {mentor} is at most {_count(high, unit_one, unit_many)} {above} their {mentee}."
        return f"Each {mentor} is between {low} and {high} {unit_many} {above} their {mentee}."
    if low == 0:
        return f"No {mentor} is {'junior' if direction == 'mentor-senior' else 'senior'} to their {mentee}."
    if low == 1 and attribute == "level":
        return f"Each {mentor} is {word} to their {mentee}."
    return f"Each {mentor} is at least {_count(low, unit_one, unit_many)} {word} to their {mentee}."


def _overlap(rule: PairingRule, mentor: str, mentee: str) -> str:
    least = max(rule.min or 1, 1)
    mine, theirs = rule.mentor or "skills", rule.mentee or "interests"
    if mine == theirs:
        return f"Each {mentor} and their {mentee} share at least {_count(least, attribute_noun(mine), attribute_noun(mine, True))}."
    what = f"at least one of their {mentee}'s {attribute_noun(theirs, True)}" if least == 1 else \
        f"at least {least} of their {mentee}'s {attribute_noun(theirs, True)}"
    return f"Each {mentor}'s {attribute_noun(mine, True)} include {what}."


def describe_rule(rule: PairingRule, program: Program | None = None) -> str:
    """One plain sentence for a pairing rule, using the program's role labels."""
    if rule.description:
        return rule.description.strip()
    mentor, mentee = _sides(program)
    kind = rule.rule
    if kind == "level-gap":
        sentence = _level_gap(rule, mentor, mentee)
    elif kind in ("same", "different"):
        attribute = rule.attribute or "department"
        known = _ATTRIBUTES.get(attribute)
        if known:
            phrase = known[2] if kind == "same" else known[3]
        else:
            noun = attribute_noun(attribute)
            phrase = f"have the same {noun}" if kind == "same" else f"have a different {noun}"
        sentence = f"Each {mentor} and their {mentee} {phrase}."
    elif kind == "overlap":
        sentence = _overlap(rule, mentor, mentee)
    elif kind == "timezone-within":
        hours = rule.hours if rule.hours is not None else 0
        shown = f"{hours:g} hour{'' if hours == 1 else 's'}"
        sentence = f"Each {mentor} and their {mentee} are in time zones at most {shown} apart."
    elif kind == "not-reporting-line":
        sentence = f"No {mentor} is paired with {_a(mentee)} in their own reporting line: neither manages the other, directly or further up."
    elif kind == "not-previously-paired":
        sentence = f"No {mentor} is paired again with {_a(mentee)} they were paired with before."
    elif kind == "not-excluded":
        sentence = "Nobody is paired with someone they asked not to be paired with."
    else:
        sentence = f"Pairs follow the {kind} rule."
    return _with_priority(sentence, rule)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _or_list(values: tuple[Any, ...] | None) -> str:
    items = [_literal(v) for v in values or ()]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def describe_condition(cond: Condition) -> str:
    """An eligibility condition as a short phrase: 'level at least 6', 'department is not Legal'."""
    if cond.description:
        return cond.description.strip().rstrip(".")
    noun = attribute_noun(cond.attribute)
    if cond.equals is not None:
        if isinstance(cond.equals, bool):
            return f"{noun}: {_literal(cond.equals)}"
        return f"{noun} is {_literal(cond.equals)}"
    if cond.in_ is not None:
        return f"{noun} is {_or_list(cond.in_)}"
    if cond.not_in is not None:
        return f"{noun} is not {_or_list(cond.not_in)}"
    if cond.min is not None and cond.max is not None:
        return f"{noun} between {_literal(cond.min)} and {_literal(cond.max)}"
    if cond.min is not None:
        return f"{noun} at least {_literal(cond.min)}"
    if cond.max is not None:
        return f"{noun} at most {_literal(cond.max)}"
    return noun


def describe_pairing(program: Program) -> list[str]:
    """How people are matched, as sentences: mode and capacity, minimum score, objective."""
    pairing = program.pairing
    mentor, mentee = _sides(program)
    out: list[str] = []
    cap_mentor, cap_mentee = pairing.mentor_capacity or 1, pairing.mentee_capacity or 1
    mentees = "mentees" if mentee == "mentee" else f"{mentee}s"
    mentors = "mentors" if mentor == "mentor" else f"{mentor}s"
    if pairing.mode == "group":
        if cap_mentee > 1 and cap_mentor == 1:
            out.append(f"Each {mentee} is joined by a group of up to {number_word(cap_mentee)} {mentors}.")
        else:
            out.append(f"Each {mentor} leads a group of up to {number_word(cap_mentor)} {mentees}.")
    elif cap_mentor == 1 and cap_mentee == 1:
        out.append(f"Each {mentor} is paired with one {mentee}.")
    else:
        if cap_mentor > 1:
            out.append(f"Each {mentor} is paired with up to {number_word(cap_mentor)} {mentees}, meeting each separately.")
        if cap_mentee > 1:
            out.append(f"Each {mentee} is paired with up to {number_word(cap_mentee)} {mentors}.")
    if pairing.circles is not None:
        circles = pairing.circles
        size = f"{circles.min} to {circles.max}" if circles.min != circles.max else f"{circles.max}"
        led = f"each around one {mentor}" if circles.lead else "without a lead"
        out.append(f"People meet in circles of {size} members, {led}.")
        if circles.balance:
            nouns = [attribute_noun(a, True) for a in circles.balance]
            listed = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " and " + nouns[-1]
            out.append(f"Each circle mirrors the whole group's mix of {listed} as closely as the rules allow.")
    if pairing.spread is True and (cap_mentor > 1 or cap_mentee > 1):
        out.append("Everyone who can take several partners gets one before anyone gets a second.")
    if pairing.minimum_load:
        out.append(f"Each {mentor} is given at least {number_word(pairing.minimum_load)} {mentee if pairing.minimum_load == 1 else mentees} where the rules allow.")
    if pairing.wishes is not None:
        whose = {"mentees": f"The {mentees}'", "mentors": f"The {mentors}'"}.get(pairing.wishes.sides, "Everyone's")
        if pairing.wishes.first:
            out.append(f"{whose} own ranked choices are tried first, in order, before anyone else is placed.")
        else:
            out.append(f"{whose} own ranked choices count alongside the other preferences.")
    if pairing.waitlist_first:
        out.append("People who waited without a partner last round are matched first.")
    if pairing.no_shows_last:
        out.append("People who did not take part after being matched last round are matched after everyone else.")
    if pairing.minimum_score is not None and pairing.minimum_score > 0:
        out.append(f"A pair is made only if it meets at least {pairing.minimum_score:.0%} of the weighted preferences.")
    if not pairing.preferences and pairing.wishes is None:
        # Without preferences or wishes every pairing that meets the conditions fits as well as another.
        out.append("Pairs are chosen to match as many people as possible." if pairing.optimize == "coverage" else
                   "Any pairing that meets the conditions below may be made: the program sets no preferences.")
    elif pairing.optimize == "coverage":
        out.append("Pairs are chosen to match as many people as possible, then for the best fit.")
    else:
        out.append("Pairs are chosen for the best overall fit across everyone, not first come, first served.")
    return out


__all__ = ["attribute_noun", "counted", "join_items", "plural_noun", "rule_name", "describe_condition", "describe_pairing", "describe_rule", "role_noun"]
