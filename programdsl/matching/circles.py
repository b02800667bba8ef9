"""Circles: groups of a size range, around one lead each or leaderless (peers), balanced on the
attributes the program names.

Forming balanced groups under pairwise rules is NP-hard in general (it contains graph
colouring), so this is a stated heuristic with a bound, not an exact solver:

1. How many circles: with leads, one per lead that can take members, at most as many as the
   members fill to the minimum size; leaderless, the fewest circles of at most `max` members
   (fewer when they could not all reach `min`). Target sizes differ by at most one.
2. A first assignment deals members out in a snake order sorted by their balance attributes
   (so each value is spread across circles), skipping a circle where a member would break a
   rule: with a lead, the lead-member pair must meet every hard rule; every two members must
   meet the relation rules (reporting line, do-not-pair, paired before, declined); leaderless,
   every two members must meet every hard rule in at least one orientation.
3. A local search then moves members into free places and swaps members between circles while
   that lowers, in this order: people left out, imbalance, and (with leads) raises the total
   lead-member score.

*Imbalance* is, over every balance attribute and value, how far each circle's count is from
its share of the pool (count in the pool x circle size / people placed), summed. Its lower
bound rounds each of those shares to whole people independently (no plan can do better, since
the terms are separate), and the summary reports both, so the gap is visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from ..model import Program
from .roster import Person
from .rules import Compiled, Exceptions, _category

#: Rules that relate two particular people; they apply between members of a circle too.
RELATIONS = (Exceptions,)


@dataclass
class Circle:
    lead: Person | None
    members: list[Person] = field(default_factory=list)


@dataclass
class Circles:
    circles: list[Circle]
    left_out: dict[str, str]  # person id -> why
    imbalance: float
    bound: float


def _value(person: Person, attribute: str) -> str:
    return _category(person.values.get(attribute)) or "(not given)"


def _pool_counts(attributes: tuple[str, ...], pool: list[Person]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for attribute in attributes:
        counts = out.setdefault(attribute, {})
        for person in pool:
            counts[_value(person, attribute)] = counts.get(_value(person, attribute), 0) + 1
    return out


def _circle_imbalance(members: list[Person], counts: dict[str, dict[str, int]], n: int) -> float:
    total = 0.0
    for attribute, values in counts.items():
        have: dict[str, int] = {}
        for person in members:
            have[_value(person, attribute)] = have.get(_value(person, attribute), 0) + 1
        for value, count in values.items():
            total += abs(have.get(value, 0) - count * len(members) / n)
    return total


def imbalance(circles: list[Circle], attributes: tuple[str, ...], pool: list[Person]) -> float:
    """How far the circles' mixes are from the pool's, summed (see the module docstring)."""
    if not pool:
        return 0.0
    counts = _pool_counts(attributes, pool)
    return round(sum(_circle_imbalance(c.members, counts, len(pool)) for c in circles), 6)


def lower_bound(sizes: list[int], attributes: tuple[str, ...], pool: list[Person]) -> float:
    """The least imbalance any plan with these circle sizes can have: every (attribute, value,
    circle) term on its own can do no better than the whole number nearest its share, so the
    sum of those distances bounds every plan from below."""
    n = len(pool)
    total = 0.0
    for attribute in attributes:
        counts: dict[str, int] = {}
        for person in pool:
            counts[_value(person, attribute)] = counts.get(_value(person, attribute), 0) + 1
        for count in counts.values():
            for size in sizes:
                share = count * size / n
                total += abs(share - min(size, round(share)))
    return round(total, 6)


def form(program: Program, compiled: Compiled, leads: list[Person], members: list[Person], low: int, high: int,
         attributes: tuple[str, ...], order: Callable[[Person], str], led: bool = True, rounds: int = 30) -> Circles:
    """Circles of `low`..`high` members, around `leads` when `led`, else leaderless."""
    relations = [e for e in compiled.hard if isinstance(e, RELATIONS)]
    pool = sorted(members, key=order)

    known: dict[tuple[str, str], bool] = {}  # the rules are checked once per two people

    def members_ok(a: Person, b: Person) -> bool:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if key not in known:
            if led:
                known[key] = all(e.pair(a, b)[0] >= 1.0 for e in relations)
            else:
                known[key] = not compiled.broken(a, b) or not compiled.broken(b, a)
        return known[key]

    leads_ok: dict[tuple[str, str], bool] = {}

    def lead_ok(lead: Person | None, person: Person) -> bool:
        if lead is None:
            return True
        key = (lead.id, person.id)
        if key not in leads_ok:
            leads_ok[key] = not compiled.broken(lead, person)
        return leads_ok[key]

    def fits(circle: Circle, person: Person, besides: Person | None = None) -> bool:
        return lead_ok(circle.lead, person) and all(members_ok(other, person) for other in circle.members
                                                      if other is not besides and other is not person)

    n = len(pool)
    if led:
        usable = sorted((lead for lead in leads if any(lead_ok(lead, p) for p in pool)), key=order)
        count = min(len(usable), n // low) if low else len(usable)
        chosen_leads: list[Person | None] = list(sorted(usable, key=lambda lead: (-sum(lead_ok(lead, p) for p in pool), order(lead)))[:count])
    else:
        count = math.ceil(n / high) if n else 0
        if count * low > n:
            count = n // low
        chosen_leads = [None] * count
    circles = [Circle(lead) for lead in chosen_leads]
    if not circles:
        why = "no lead can take them" if led else "there are not enough people for one circle"
        return Circles([], {p.id: why for p in pool}, 0.0, 0.0)
    seats = min(n, count * high)
    sizes = [seats // count + (1 if i < seats % count else 0) for i in range(count)]
    # Snake order over people sorted by their balance values spreads each value across circles.
    ranked = sorted(pool, key=lambda p: (tuple(_value(p, a) for a in attributes), order(p)))
    left: list[Person] = []
    turn = list(range(count)) + list(reversed(range(count)))
    position = 0
    for person in ranked:
        placed = False
        for step in range(len(turn)):
            i = turn[(position + step) % len(turn)]
            if len(circles[i].members) < sizes[i] and fits(circles[i], person):
                circles[i].members.append(person)
                position = (position + step + 1) % len(turn)
                placed = True
                break
        if not placed:
            left.append(person)

    counts = _pool_counts(attributes, pool)
    scores: dict[tuple[str, str], float] = {}

    def score_of(circle: Circle) -> float:
        if circle.lead is None:
            return 0.0
        lead = circle.lead
        return sum(scores.setdefault((lead.id, p.id), compiled.score(lead, p)) for p in circle.members)

    def part(circle: Circle) -> tuple[float, float]:
        return _circle_imbalance(circle.members, counts, n), -score_of(circle)

    parts = [part(c) for c in circles]

    def cost() -> tuple[int, float, float]:
        return (len(left), round(sum(x for x, _ in parts), 6), round(sum(y for _, y in parts), 6))

    best = cost()
    for _ in range(rounds):
        improved = False
        # Free places first: anyone left out who now fits somewhere goes in.
        for person in list(left):
            for i, circle in enumerate(circles):
                if len(circle.members) < high and fits(circle, person):
                    circle.members.append(person)
                    left.remove(person)
                    parts[i] = part(circle)
                    best = cost()
                    improved = True
                    break
        for i, a in enumerate(circles):
            for j in range(i + 1, len(circles)):
                b = circles[j]
                for x in list(a.members):
                    for y in list(b.members):
                        if x not in a.members or y not in b.members:
                            continue
                        if not (fits(a, y, besides=x) and fits(b, x, besides=y)):
                            continue
                        a.members[a.members.index(x)] = y
                        b.members[b.members.index(y)] = x
                        before = parts[i], parts[j]
                        parts[i], parts[j] = part(a), part(b)
                        now = cost()
                        if now < best:
                            best, improved = now, True
                        else:
                            a.members[a.members.index(y)] = x
                            b.members[b.members.index(x)] = y
                            parts[i], parts[j] = before
        if not improved:
            break
    # A circle that could not reach its minimum is dissolved; its people are left out.
    out: dict[str, str] = {p.id: "no circle could take them without breaking a rule" for p in left}
    kept = []
    for circle in circles:
        if len(circle.members) < low:
            for person in circle.members:
                out[person.id] = f"their circle could not reach the minimum of {low}"
            if circle.lead is not None:
                out[circle.lead.id] = f"their circle could not reach the minimum of {low}"
        else:
            circle.members.sort(key=lambda p: p.id)
            kept.append(circle)
    for lead in leads:
        if lead not in chosen_leads and lead.id not in out:
            out[lead.id] = "not needed as a lead: there are too few members for another circle"
    final_sizes = [len(c.members) for c in kept]
    return Circles(kept, out, imbalance(kept, attributes, pool) if kept else 0.0,
                   lower_bound(final_sizes, attributes, pool) if kept else 0.0)


def mix(circle: Circle, attributes: tuple[str, ...]) -> list[str]:
    """One line per balance attribute: how many of each value the circle has, as written."""
    from .sentences import attribute_noun

    lines = []
    for attribute in attributes:
        counts: dict[str, int] = {}
        spelled: dict[str, str] = {}
        for person in sorted(circle.members, key=lambda p: p.id):
            key = _value(person, attribute)
            raw = person.values.get(attribute)
            spelled.setdefault(key, "not given" if raw in (None, ()) else str(raw))
            counts[key] = counts.get(key, 0) + 1
        shown = "; ".join(f"{spelled[key]} {n}" for key, n in sorted(counts.items()))
        lines.append(f"mix of {attribute_noun(attribute, True)}: {shown}")
    return lines


__all__ = ["Circle", "Circles", "form", "imbalance", "lower_bound", "mix"]
