"""The program's pairing rules, executed: eligibility, hard constraints and weighted preferences.

Every rule is evaluated two ways that must agree (the tests check they do):

- `block(rows)`: vectorised with numpy over a block of mentees against every mentor, giving
  each pair's *degree* in 0..1. This is what the solver consumes.
- `pair(mentor, mentee)`: one pair in plain Python, giving the degree and a plain-language
  phrase. This is what explanations and reasons are made of.

A hard constraint passes when its degree is 1. A preference contributes its degree times its
weight. The score of a pair is

    score = sum(weight_p * degree_p) / sum(weight_p)        over the program's preferences

so it lies in 0..1 (1 when there are no preferences). Degrees:

- level-gap: 1 when the gap in the attribute (default `level`) is in range, else 0.
  mentor-senior: gap = mentor - mentee, must be >= min (default 1) and <= max if given;
  mentor-junior: gap = mentee - mentor, the same bounds; peer: |mentor - mentee| <= max (default 0).
- same / different: 1 when both people have the attribute and it is equal (same) or differs
  (different); compared case-insensitively; a missing value never meets the rule.
- overlap: min(1, shared / need) where shared counts values in both people's lists
  (case-insensitive) and need = max(1, min). As a hard rule: shared >= need.
- timezone-within: 1 when the two UTC offsets on the program's start date are at most `hours`
  apart, measured around the clock (UTC+12 and UTC-11 are 1 hour apart).
- not-reporting-line: 0 when either person is the other's manager, directly or further up the
  chain of `manager` ids through people on the roster.
- not-previously-paired / not-excluded: 0 when either person lists the other in
  `previousPairs` / `doNotPair`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from ..model import Condition, PairingRule, Program
from .roster import Person
from .sentences import attribute_noun, describe_condition, join_items, role_noun

#: Scores are fixed-point numbers with this many steps between 0 and 1; the solver works on
#: these integers, so totals are exact and ties are real ties.
SCALE = 1_000_000


def quantize(score: np.ndarray | float) -> Any:
    return np.rint(np.asarray(score, dtype=np.float64) * SCALE)


def _fold(value: Any) -> str:
    return str(value).strip().casefold()


def _category(value: Any) -> str | None:
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return ";".join(sorted(_fold(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _fold(value)


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _items(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    return tuple(x.strip() for x in str(value).split(";") if x.strip())


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


# --- eligibility ---------------------------------------------------------------------------------------


def condition_holds(cond: Condition, value: Any) -> bool:
    if value is None or value == ():
        return cond.not_in is not None and cond.equals is None and cond.in_ is None and cond.min is None and cond.max is None
    if isinstance(value, tuple):  # a list attribute: the condition is about membership
        folded = {_fold(v) for v in value}
        if cond.equals is not None:
            return _fold(cond.equals) in folded
        if cond.in_ is not None:
            return bool(folded & {_fold(v) for v in cond.in_})
        if cond.not_in is not None:
            return not folded & {_fold(v) for v in cond.not_in}
        return False
    if cond.min is not None or cond.max is not None:
        number = _number(value)
        if math.isnan(number):
            return False
        return (cond.min is None or number >= cond.min) and (cond.max is None or number <= cond.max)

    def same(literal: Any) -> bool:
        if isinstance(literal, bool) or isinstance(value, bool):
            return isinstance(value, bool) and isinstance(literal, bool) and value == literal
        if isinstance(literal, (int, float)):
            return _number(value) == float(literal)
        return _fold(literal) == _fold(value)

    if cond.equals is not None:
        return same(cond.equals)
    if cond.in_ is not None:
        return any(same(x) for x in cond.in_)
    if cond.not_in is not None:
        return not any(same(x) for x in cond.not_in)
    return True


def failed_conditions(program: Program, role_id: str, person: Person) -> list[Condition]:
    role = program.roles.get(role_id)
    if role is None:
        return []
    return [c for c in role.eligibility if not condition_holds(c, person.values.get(c.attribute))]


def eligibility_detail(conditions: Sequence[Condition], person: Person | None = None) -> str:
    """Why a person may not take a role: missing values first (they are a data problem, not a
    failure), then the conditions their values do not meet."""
    missing = [c for c in conditions if person is not None and person.values.get(c.attribute) in (None, ())]
    failing = [c for c in conditions if c not in missing]
    parts = []
    if missing:
        nouns = list(dict.fromkeys(attribute_noun(c.attribute) for c in missing))
        parts.append(f"no {' or '.join(nouns)} given, which the role needs ("
                     + "; ".join(describe_condition(c) for c in missing) + ")")
    if failing:
        parts.append("does not meet: " + "; ".join(describe_condition(c) for c in failing))
    return "; ".join(parts)


# --- evaluators -------------------------------------------------------------------------------------------

TABLE_LIMIT = 1_000_000


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (NaN kept as one value) and each entry's index into them."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return distinct, inverse.reshape(-1)


class _Table:
    """A rule that depends only on one number per person: evaluated once per pair of distinct
    values, then looked up, which is far cheaper than recomputing it for every pair."""

    def __init__(self, mentor_values: np.ndarray, mentee_values: np.ndarray, fn: Any) -> None:
        self.fn = fn
        self.mentor_values, self.mentee_values = mentor_values, mentee_values
        m_distinct, self.m_codes = _codes(mentor_values)
        e_distinct, self.e_codes = _codes(mentee_values)
        self.table = None
        if len(m_distinct) * len(e_distinct) <= TABLE_LIMIT:
            with np.errstate(invalid="ignore"):
                self.table = fn(m_distinct[None, :], e_distinct[:, None]).astype(np.float64)

    def block(self, start: int, stop: int) -> np.ndarray:
        out: np.ndarray
        if self.table is not None:
            out = self.table[self.e_codes[start:stop, None], self.m_codes[None, :]]
            return out
        with np.errstate(invalid="ignore"):
            out = np.asarray(self.fn(self.mentor_values[None, :], self.mentee_values[start:stop, None]), dtype=np.float64)
        return out



@dataclass
class Sides:
    """The two sides in solver order. A person whose role is `either` may be on both."""

    mentors: list[Person]
    mentees: list[Person]
    everyone: list[Person]


class Evaluator:
    rule: PairingRule

    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        self.rule, self.sides, self.program = rule, sides, program
        self.mentor_word = role_noun(program, "mentor")
        self.mentee_word = role_noun(program, "mentee")

    def block(self, start: int, stop: int) -> np.ndarray:
        """Degrees (float64) for mentees[start:stop] (rows) against every mentor (columns).
        Computed with the same float operations as `pair`, so both give identical scores."""
        raise NotImplementedError

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        raise NotImplementedError

    def missing(self, person: Person, side: str) -> str | None:
        """The attribute (as a noun) this rule reads and `person` on `side` lacks, if any."""
        return None


def _lacks(person: Person, attribute: str) -> str | None:
    return attribute_noun(attribute) if person.values.get(attribute) in (None, ()) else None


class LevelGap(Evaluator):
    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        super().__init__(rule, sides, program)
        self.attribute = rule.attribute or "level"
        self.mentor_levels = np.array([_number(p.values.get(self.attribute)) for p in sides.mentors], dtype=np.float64)
        self.mentee_levels = np.array([_number(p.values.get(self.attribute)) for p in sides.mentees], dtype=np.float64)
        self.direction = rule.direction or "mentor-senior"
        if self.direction == "peer":
            self.low, self.high = float(rule.min or 0), float(rule.max or 0)
        else:
            self.low = float(rule.min if rule.min is not None else 1)
            self.high = float(rule.max) if rule.max is not None else math.inf

        self.table = _Table(self.mentor_levels, self.mentee_levels, self._degree)

    def _ok(self, gap: Any) -> Any:
        return (gap >= self.low - 1e-9) & (gap <= self.high + 1e-9)

    def _degree(self, mentors: Any, mentees: Any) -> Any:
        if self.direction == "mentor-senior":
            gap = mentors - mentees
        elif self.direction == "mentor-junior":
            gap = mentees - mentors
        else:
            gap = np.abs(mentors - mentees)
        return self._ok(gap)

    def block(self, start: int, stop: int) -> np.ndarray:
        return self.table.block(start, stop)

    def missing(self, person: Person, side: str) -> str | None:
        return _lacks(person, self.attribute)

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        a, b = _number(mentor.values.get(self.attribute)), _number(mentee.values.get(self.attribute))
        noun = attribute_noun(self.attribute)
        if math.isnan(a) or math.isnan(b):
            who = self.mentor_word if math.isnan(a) else self.mentee_word
            return 0.0, f"the {who}'s {noun} is not known"
        gap = {"mentor-senior": a - b, "mentor-junior": b - a}.get(self.direction, abs(a - b))
        ok = bool(self._ok(gap))
        if self.direction == "peer":
            text = f"the {noun}s are {_shown(abs(a - b))} apart"
        elif a == b:
            text = f"both are at {noun} {_shown(a)}"
        else:
            higher = self.mentor_word if a > b else self.mentee_word
            text = f"the {higher} is {_shown(abs(a - b))} {noun}{'' if abs(a - b) == 1 else 's'} above"
        return (1.0 if ok else 0.0), text


class SameDifferent(Evaluator):
    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        super().__init__(rule, sides, program)
        self.attribute = rule.attribute or "department"
        codes: dict[str, int] = {}
        self.mentor_codes = np.array([self._code(codes, p) for p in sides.mentors], dtype=np.int64)
        self.mentee_codes = np.array([self._code(codes, p) for p in sides.mentees], dtype=np.int64)
        self.same = rule.rule == "same"

    def _code(self, codes: dict[str, int], person: Person) -> int:
        key = _category(person.values.get(self.attribute))
        if key is None:
            return -1
        return codes.setdefault(key, len(codes))

    def block(self, start: int, stop: int) -> np.ndarray:
        a = self.mentor_codes[None, :]
        b = self.mentee_codes[start:stop, None]
        known = (a >= 0) & (b >= 0)
        out: np.ndarray = (known & ((a == b) if self.same else (a != b))).astype(np.float64)
        return out

    def missing(self, person: Person, side: str) -> str | None:
        return _lacks(person, self.attribute)

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        a, b = mentor.values.get(self.attribute), mentee.values.get(self.attribute)
        noun = attribute_noun(self.attribute)
        if _category(a) is None or _category(b) is None:
            who = self.mentor_word if _category(a) is None else self.mentee_word
            return 0.0, f"the {who}'s {noun} is not known"
        equal = _category(a) == _category(b)
        text = f"same {noun}: {_shown(a)}" if equal else \
            f"{attribute_noun(self.attribute, True)}: {join_items([_shown(a), _shown(b)])}"
        return (1.0 if equal == self.same else 0.0), text


class Overlap(Evaluator):
    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        super().__init__(rule, sides, program)
        from scipy.sparse import csr_matrix

        self.mine, self.theirs = rule.mentor or "skills", rule.mentee or "interests"
        self.need = max(1, rule.min or 1)
        vocabulary: dict[str, int] = {}

        def incidence(people: list[Person], attribute: str) -> Any:
            indptr, indices = [0], []
            for person in people:
                for item in {_fold(x) for x in _items(person.values.get(attribute))}:
                    indices.append(vocabulary.setdefault(item, len(vocabulary)))
                indptr.append(len(indices))
            return indptr, indices

        mentor_ptr, mentor_idx = incidence(sides.mentors, self.mine)
        mentee_ptr, mentee_idx = incidence(sides.mentees, self.theirs)
        size = max(len(vocabulary), 1)
        self.mentor_sets = csr_matrix((np.ones(len(mentor_idx), np.float64), mentor_idx, mentor_ptr), shape=(len(sides.mentors), size))
        self.mentee_sets = csr_matrix((np.ones(len(mentee_idx), np.float64), mentee_idx, mentee_ptr), shape=(len(sides.mentees), size))
        self.mentor_sets_t = self.mentor_sets.T.tocsc()

    def block(self, start: int, stop: int) -> np.ndarray:
        shared = (self.mentee_sets[start:stop] @ self.mentor_sets_t).toarray()
        if self.need != 1:
            shared /= float(self.need)
        out: np.ndarray = np.minimum(shared, 1.0, out=shared)
        return out

    def missing(self, person: Person, side: str) -> str | None:
        return _lacks(person, self.mine if side == "mentor" else self.theirs)

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        offered = {_fold(x) for x in _items(mentor.values.get(self.mine))}
        shown: list[str] = []
        seen: set[str] = set()
        for item in _items(mentee.values.get(self.theirs)):
            folded = _fold(item)
            if folded in offered and folded not in seen:
                seen.add(folded)
                shown.append(item)
        shared = shown
        degree = min(1.0, len(shared) / self.need)
        if self.mine == self.theirs:
            what = f"shared {attribute_noun(self.mine, True)}"
        else:
            what = f"{attribute_noun(self.theirs, True)} the {self.mentor_word} can offer"
        if not shared:
            return 0.0, f"no {what}"
        if degree < 1.0:
            return degree, f"{what}: {join_items(shown)} ({len(shared)} of the {self.need} needed)"
        return degree, f"{what}: {join_items(shown)}"


class TimezoneWithin(Evaluator):
    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        super().__init__(rule, sides, program)
        self.hours = float(rule.hours or 0)
        self.mentor_offsets = np.array([np.nan if p.tz_offset is None else p.tz_offset for p in sides.mentors], dtype=np.float64)
        self.mentee_offsets = np.array([np.nan if p.tz_offset is None else p.tz_offset for p in sides.mentees], dtype=np.float64)

        self.table = _Table(self.mentor_offsets, self.mentee_offsets,
                            lambda a, b: self.apart(a, b) <= self.hours + 1e-9)

    @staticmethod
    def apart(a: Any, b: Any) -> Any:
        d = np.abs(a - b) % 24
        return np.minimum(d, 24 - d)

    def block(self, start: int, stop: int) -> np.ndarray:
        return self.table.block(start, stop)

    def missing(self, person: Person, side: str) -> str | None:
        return "time zone" if person.tz_offset is None else None

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        if mentor.tz_offset is None or mentee.tz_offset is None:
            who = self.mentor_word if mentor.tz_offset is None else self.mentee_word
            return 0.0, f"the {who}'s time zone is not known"
        d = abs(mentor.tz_offset - mentee.tz_offset) % 24
        d = min(d, 24 - d)
        text = "same time zone" if d == 0 else f"time zones {d:g} hour{'' if d == 1 else 's'} apart"
        return (1.0 if d <= self.hours + 1e-9 else 0.0), text


class Exceptions(Evaluator):
    """Rules broken only by a few listed pairs: reporting lines, previous pairs, exclusions."""

    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        super().__init__(rule, sides, program)
        mentor_pos = {p.id: i for i, p in enumerate(sides.mentors)}
        mentee_pos = {p.id: i for i, p in enumerate(sides.mentees)}
        pairs: set[tuple[int, int]] = set()
        for a_id, b_id in self.related(sides.everyone):
            for x, y in ((a_id, b_id), (b_id, a_id)):
                if x in mentee_pos and y in mentor_pos:
                    pairs.add((mentee_pos[x], mentor_pos[y]))
        self.pairs = pairs
        ordered = sorted(pairs)
        self.rows = np.array([r for r, _ in ordered], dtype=np.int64)
        self.cols = np.array([c for _, c in ordered], dtype=np.int64)
        self.mentor_pos, self.mentee_pos = mentor_pos, mentee_pos

    def related(self, people: list[Person]) -> list[tuple[str, str]]:
        raise NotImplementedError

    def block(self, start: int, stop: int) -> np.ndarray:
        out = np.ones((stop - start, len(self.sides.mentors)), dtype=np.float64)
        lo, hi = np.searchsorted(self.rows, start), np.searchsorted(self.rows, stop)
        out[self.rows[lo:hi] - start, self.cols[lo:hi]] = 0.0
        return out

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        key = (self.mentee_pos.get(mentee.id, -1), self.mentor_pos.get(mentor.id, -1))
        broken = key in self.pairs if min(key) >= 0 else \
            any({a, b} == {mentor.id, mentee.id} for a, b in self.related([mentor, mentee]))
        return (0.0 if broken else 1.0), self.phrase(broken)

    def phrase(self, broken: bool) -> str:
        raise NotImplementedError


class ReportingLine(Exceptions):
    """Every manager up each person's chain, however long; a chain that loops back stops at the
    first person seen twice."""

    def related(self, people: list[Person]) -> list[tuple[str, str]]:
        manager = self.__dict__.get("_managers")
        if manager is None:
            manager = self.__dict__["_managers"] = {p.id: p.values.get("manager") for p in self.sides.everyone}
        out = []
        for person in people:
            seen = {person.id}
            boss = manager.get(person.id)
            while boss and boss not in seen:
                out.append((person.id, boss))
                seen.add(boss)
                boss = manager.get(boss)
        return out

    def phrase(self, broken: bool) -> str:
        return "in the same reporting line" if broken else "in different reporting lines"


class PreviouslyPaired(Exceptions):
    attribute = "previousPairs"

    def related(self, people: list[Person]) -> list[tuple[str, str]]:
        return [(p.id, other) for p in people for other in _items(p.values.get(self.attribute)) if other != p.id]

    def phrase(self, broken: bool) -> str:
        return "paired before" if broken else "not paired before"


class Excluded(PreviouslyPaired):
    attribute = "doNotPair"

    def phrase(self, broken: bool) -> str:
        return "one asked not to be paired with the other" if broken else "no exclusion between them"


class Declined(Exceptions):
    """Pairs a coordinator took out of an earlier draft: never proposed again."""

    def __init__(self, rule: PairingRule, sides: Sides, program: Program, declined: Sequence[tuple[str, str]] = ()) -> None:
        self.declined = list(declined)
        super().__init__(rule, sides, program)

    def related(self, people: list[Person]) -> list[tuple[str, str]]:
        ids = {p.id for p in people}
        return [(a, b) for a, b in self.__dict__.get("declined", []) if a in ids or b in ids]

    def phrase(self, broken: bool) -> str:
        return "taken out of an earlier draft by a coordinator" if broken else "not taken out of an earlier draft"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class WishList(Evaluator):
    """The roster's ranked wishes as a preference: a person's k-th wish (of `most`) is met to
    degree (most - k + 1) / most, so a first choice counts fully. With wishes from both sides,
    a pair's degree is the mean of the two."""

    def __init__(self, rule: PairingRule, sides: Sides, program: Program) -> None:
        super().__init__(rule, sides, program)
        wishes = program.pairing.wishes
        assert wishes is not None
        self.most, self.sides_counted = wishes.most, wishes.sides
        self.mentor_pos = {p.id: i for i, p in enumerate(sides.mentors)}
        self.mentee_pos = {p.id: i for i, p in enumerate(sides.mentees)}
        cells: dict[tuple[int, int], list[float]] = {}
        for side in self.counted():
            own, other_pos = (sides.mentees, self.mentor_pos) if side == "mentee" else (sides.mentors, self.mentee_pos)
            for i, person in enumerate(own):
                for rank, wanted in enumerate(wished(person, self.most), start=1):
                    j = other_pos.get(wanted)
                    if j is None:
                        continue
                    key = (i, j) if side == "mentee" else (j, i)
                    cells.setdefault(key, [0.0, 0.0])[0 if side == "mentee" else 1] = self.degree_of(rank)
        ordered = sorted(cells)
        self.rows = np.array([r for r, _ in ordered], dtype=np.int64)
        self.cols = np.array([c for _, c in ordered], dtype=np.int64)
        self.values = np.array([self.combine(*cells[k]) for k in ordered], dtype=np.float64)

    def counted(self) -> tuple[str, ...]:
        return {"mentees": ("mentee",), "mentors": ("mentor",)}.get(self.sides_counted, ("mentee", "mentor"))

    def degree_of(self, rank: int) -> float:
        return (self.most - rank + 1) / self.most

    def combine(self, from_mentee: float, from_mentor: float) -> float:
        if self.sides_counted == "both":
            return (from_mentee + from_mentor) / 2
        return from_mentee if self.sides_counted == "mentees" else from_mentor

    def block(self, start: int, stop: int) -> np.ndarray:
        out = np.zeros((stop - start, len(self.sides.mentors)), dtype=np.float64)
        lo, hi = np.searchsorted(self.rows, start), np.searchsorted(self.rows, stop)
        out[self.rows[lo:hi] - start, self.cols[lo:hi]] = self.values[lo:hi]
        return out

    def ranks(self, mentor: Person, mentee: Person) -> tuple[int | None, int | None]:
        """Where each side ranks the other (1 = first choice), or None."""
        def rank(person: Person, other: Person) -> int | None:
            listed = wished(person, self.most)
            return listed.index(other.id) + 1 if other.id in listed else None
        return (rank(mentee, mentor) if "mentee" in self.counted() else None,
                rank(mentor, mentee) if "mentor" in self.counted() else None)

    def pair(self, mentor: Person, mentee: Person) -> tuple[float, str]:
        by_mentee, by_mentor = self.ranks(mentor, mentee)
        degree = self.combine(self.degree_of(by_mentee) if by_mentee else 0.0, self.degree_of(by_mentor) if by_mentor else 0.0)
        said = []
        if by_mentee:
            said.append(f"the {self.mentee_word}'s {ordinal(by_mentee)} choice")
        if by_mentor:
            said.append(f"the {self.mentor_word}'s {ordinal(by_mentor)} choice")
        return degree, "; ".join(said) if said else "not among their wishes"


def wished(person: Person, most: int) -> list[str]:
    """A person's wishes in rank order (ids), at most `most`, never themselves."""
    return [x for x in _items(person.values.get("wishes")) if x != person.id][:most]


WISH_RULE = PairingRule(rule="wishes", hard=False, description="Each person is paired with someone they chose.")


DECLINED_RULE = PairingRule(rule="not-declined", hard=True,
                            description="No pair a coordinator took out of an earlier draft is proposed again.")


class NotSelf(Exceptions):
    """A person whose role is `either` sits on both sides; they are never paired with themselves."""

    def related(self, people: list[Person]) -> list[tuple[str, str]]:
        return [(p.id, p.id) for p in people]

    def phrase(self, broken: bool) -> str:
        return "the same person" if broken else "two different people"


EVALUATORS: dict[str, type[Evaluator]] = {
    "level-gap": LevelGap,
    "same": SameDifferent,
    "different": SameDifferent,
    "overlap": Overlap,
    "timezone-within": TimezoneWithin,
    "not-reporting-line": ReportingLine,
    "not-previously-paired": PreviouslyPaired,
    "not-excluded": Excluded,
}


def priority_text(rule: PairingRule) -> str:
    if rule.weight is not None:
        return f"weight {rule.weight:g}"
    return f"{rule.priority or 'medium'} priority"


class Compiled:
    """A program's pairing rules bound to the two sides of one roster."""

    def __init__(self, program: Program, sides: Sides, minimum_score: float | None = None,
                 declined: Sequence[tuple[str, str]] = ()) -> None:
        self.program, self.sides = program, sides
        pairing = program.pairing
        self.hard: list[Evaluator] = [EVALUATORS[r.rule](r, sides, program) for r in pairing.constraints if r.rule in EVALUATORS]
        if declined:
            self.hard.append(Declined(DECLINED_RULE, sides, program, declined))
        flexible = {p.id for p in sides.mentors} & {p.id for p in sides.mentees}
        self.not_self = NotSelf(PairingRule(rule="not-self", hard=True), sides, program) if flexible else None
        self.preferences: list[Evaluator] = [EVALUATORS[r.rule](r, sides, program) for r in pairing.preferences if r.rule in EVALUATORS]
        if pairing.wishes is not None and pairing.wishes.weight is not None:
            self.preferences.append(WishList(replace(WISH_RULE, weight=pairing.wishes.weight), sides, program))
        self.weights = np.array([r.rule.effective_weight for r in self.preferences], dtype=np.float64)
        self.total_weight = float(self.weights.sum())
        self.last_degrees: list[float] = []  # the preferences' degrees for the pair explain() saw last
        minimum = pairing.minimum_score if minimum_score is None else minimum_score
        self.minimum_q = float(quantize(minimum or 0.0))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.sides.mentees), len(self.sides.mentors)

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """For mentees[start:stop] x mentors: (allowed by every hard rule, quantized score,
        each hard rule's own pass mask)."""
        rows, cols = stop - start, len(self.sides.mentors)
        allowed = np.ones((rows, cols), dtype=bool)
        passes = []
        for evaluator in self.hard:
            ok = evaluator.block(start, stop) >= 1.0
            passes.append(ok)
            allowed &= ok
        if self.not_self is not None:
            allowed &= self.not_self.block(start, stop) >= 1.0
        if self.total_weight > 0:
            score = np.zeros((rows, cols), dtype=np.float64)
            for weight, evaluator in zip(self.weights, self.preferences):
                degree = evaluator.block(start, stop)
                degree *= float(weight)
                score += degree
            score /= self.total_weight
            q = quantize(score)
        else:
            q = np.full((rows, cols), float(SCALE))
        return allowed, q, passes

    def score(self, mentor: Person, mentee: Person) -> float:
        if self.total_weight <= 0:
            return 1.0
        total = 0.0
        for w, e in zip(self.weights, self.preferences):
            total += float(w) * e.pair(mentor, mentee)[0]
        return float(quantize(total / self.total_weight)) / SCALE

    def broken(self, mentor: Person, mentee: Person) -> list[PairingRule]:
        """The hard rules this pair breaks (a pinned pair may break some)."""
        return [e.rule for e in self.hard if e.pair(mentor, mentee)[0] < 1.0]

    def explain(self, mentor: Person, mentee: Person) -> list[str]:
        """In plain words: the hard rules the pair meets (or breaks, for a pinned pair), then
        each preference met, partly met or not met, with what the pair has."""
        from .sentences import describe_rule

        lines = []
        for evaluator in self.hard:
            degree, text = evaluator.pair(mentor, mentee)
            if isinstance(evaluator, Declined) and degree >= 1.0:
                continue
            status = "rule" if degree >= 1.0 else "breaks rule"
            lines.append(f"{status}: {describe_rule(evaluator.rule, self.program).rstrip('.')} - {text}")
        self.last_degrees = []
        for evaluator in self.preferences:
            degree, text = evaluator.pair(mentor, mentee)
            self.last_degrees.append(degree)
            status = "met" if degree >= 1.0 else ("partly met" if degree > 0 else "not met")
            plain = replace(evaluator.rule, hard=True)
            lines.append(f"{status} ({priority_text(evaluator.rule)}): {describe_rule(plain, self.program).rstrip('.')} - {text}")
        return lines


__all__ = ["Compiled", "DECLINED_RULE", "WishList", "ordinal", "wished", "SCALE", "Sides", "condition_holds", "eligibility_detail", "failed_conditions", "quantize"]
