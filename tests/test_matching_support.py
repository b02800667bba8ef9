"""Support for the matching tests (no tests here): small programs and rosters built in memory, and a
brute-force solver that tries every plan, independent of the vectorised rules and of scipy."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from programdsl.matching.engine import FixedPair, match
from programdsl.matching.roster import FLEXIBLE_ROLE, Person, Roster, timezone_offset
from programdsl.matching.rules import SCALE, Compiled, Sides, failed_conditions
from programdsl.model import Program, build

START = dt.date(2026, 1, 5)


def program(pairing: dict[str, Any], roles: dict[str, Any] | None = None, type_: str = "traditional") -> Program:
    data = {
        "metadata": {"id": "t", "name": "Test", "timezone": "Europe/London"},
        "type": type_,
        "roles": roles or {"mentor": {"label": "Mentor"}, "mentee": {"label": "Mentee"}},
        "schedule": {"start": START.isoformat()},
        "pairing": pairing,
    }
    return build(data, "test.yaml")


def person(index: int, pid: str, role: str | None, capacity: int | None = None, **values: Any) -> Person:
    clean = {k: v for k, v in values.items() if v is not None and v != ()}
    p = Person(index, pid, f"Name {pid}", f"{pid}@example.org", role, index + 2, clean, capacity)
    if "timezone" in clean:
        p.tz_offset = timezone_offset(clean["timezone"], START)
    return p


def roster(people: Iterable[Person]) -> Roster:
    listed = list(people)
    for i, p in enumerate(listed):
        p.index = i
    return Roster("roster.csv", listed, set())


def run(prog: Program, people: list[Person], fixed: Iterable[FixedPair] = ()) -> Any:
    return match(prog, roster(people), fixed)


def capacity(prog: Program, p: Person, side: str) -> int:
    if p.capacity is not None:
        return p.capacity
    cap = prog.pairing.mentor_capacity if side == "mentor" else prog.pairing.mentee_capacity
    return cap or 1


def tiers(prog: Program, people: list[Person], links: list[tuple[str, str, int]], undirected: bool = False) -> tuple[int, ...]:
    """A plan's value as docs/matching.md defines it, compared as a tuple: (people who waited
    last round matched, people without a no-show matched, partners below each mentor's minimum filled, people able to take several who get one, then total quantized
    score and people matched in the objective's order). `links` are (mentor, mentee, q)."""
    by_id = {p.id: p for p in people}
    load: dict[tuple[str, str], int] = {}
    for m, e, _ in links:
        load[(m, "mentor")] = load.get((m, "mentor"), 0) + 1
        load[(e, "mentee")] = load.get((e, "mentee"), 0) + 1
    if undirected:  # a peer's partners count together, on their mentor ladder
        merged: dict[tuple[str, str], int] = {}
        for (pid, side), n in load.items():
            key = (pid, "mentor") if by_id[pid].role == FLEXIBLE_ROLE else (pid, side)
            merged[key] = merged.get(key, 0) + n
        load = merged
    floor = prog.pairing.minimum_load
    minimum = sum(min(n, floor) for (pid, side), n in load.items() if side == "mentor")
    spread = 0
    if prog.pairing.spread is not False:
        spread = sum(1 for (pid, side), n in load.items() if n and capacity(prog, by_id[pid], side) > 1)
    matched_ids = {pid for (pid, _side) in load}
    people_matched = len(matched_ids)
    waiting = sum(1 for pid in matched_ids if by_id[pid].values.get("waitlisted") is True) if prog.pairing.waitlist_first else 0
    steady = sum(1 for pid in matched_ids if by_id[pid].values.get("noShow") is not True) if prog.pairing.no_shows_last else 0
    total = sum(q for _, _, q in links)
    main = (total, people_matched) if prog.pairing.optimize == "quality" else (people_matched, total)
    return (waiting, steady, minimum, spread) + main


def brute_force(prog: Program, people: list[Person], undirected: bool = False) -> tuple[int, ...]:
    """The best value (see `tiers`) over every plan, tried one by one. `undirected`: a flexible
    person may be mentor in one pair and mentee in another (a peer program)."""
    mentors = [p for p in people if p.role in ("mentor", FLEXIBLE_ROLE) and not failed_conditions(prog, "mentor", p)]
    mentees = [p for p in people if p.role in ("mentee", FLEXIBLE_ROLE) and not failed_conditions(prog, "mentee", p)]
    compiled = Compiled(prog, Sides(mentors, mentees, people))
    minimum = compiled.minimum_q
    edges = []
    for m in mentors:
        for e in mentees:
            if m.id == e.id or compiled.broken(m, e):
                continue
            q = round(compiled.score(m, e) * SCALE)
            if q >= minimum:
                edges.append((m, e, q))
    best: tuple[int, ...] = tiers(prog, people, [], undirected)
    chosen: list[tuple[str, str, int]] = []
    used: dict[tuple[str, str], int] = {}
    side_of: dict[str, str] = {}
    pairs_made: set[frozenset[str]] = set()

    def room(p: Person, side: str) -> bool:
        if undirected and p.role == FLEXIBLE_ROLE:
            total = used.get((p.id, "mentor"), 0) + used.get((p.id, "mentee"), 0)
            return total < max(capacity(prog, p, "mentor"), capacity(prog, p, "mentee"))
        return used.get((p.id, side), 0) < capacity(prog, p, side)

    def search(i: int) -> None:
        nonlocal best
        value = tiers(prog, people, chosen, undirected)
        if value > best:
            best = value
        if i == len(edges):
            return
        search(i + 1)
        m, e, q = edges[i]
        key = frozenset((m.id, e.id))
        if not room(m, "mentor") or not room(e, "mentee") or (undirected and key in pairs_made):
            return
        if not undirected and (side_of.get(m.id, "mentor") != "mentor" or side_of.get(e.id, "mentee") != "mentee"):
            return
        added = [pid for pid, side in ((m.id, "mentor"), (e.id, "mentee")) if pid not in side_of]
        side_of.setdefault(m.id, "mentor")
        side_of.setdefault(e.id, "mentee")
        used[(m.id, "mentor")] = used.get((m.id, "mentor"), 0) + 1
        used[(e.id, "mentee")] = used.get((e.id, "mentee"), 0) + 1
        chosen.append((m.id, e.id, q))
        pairs_made.add(key)
        search(i + 1)
        pairs_made.discard(key)
        chosen.pop()
        used[(m.id, "mentor")] -= 1
        used[(e.id, "mentee")] -= 1
        for pid in added:
            del side_of[pid]

    search(0)
    return best


def plan_value(prog: Program, pairs: Any, people: list[Person], undirected: bool = False) -> tuple[int, ...]:
    by_id = {p.id: p for p in people}
    mentors = [p for p in people if p.role in ("mentor", FLEXIBLE_ROLE)]
    mentees = [p for p in people if p.role in ("mentee", FLEXIBLE_ROLE)]
    compiled = Compiled(prog, Sides(mentors, mentees, people))
    links = [(m.id, e.id, round(compiled.score(by_id[m.id], by_id[e.id]) * SCALE))
             for match_ in pairs.matches for m in match_.mentors for e in match_.mentees]
    return tiers(prog, people, links, undirected)


def test_pairs_csv_keeps_roster_text_out_of_spreadsheet_formulas() -> None:
    from programdsl.pairs import Match, Member, PairsFile, dumps_csv, loads_csv

    hostile = '=HYPERLINK("http://example.com","x")'
    pairs = PairsFile("pilot", "draft", [Match("m1", (Member("a", hostile, "a@example.org"),), (Member("b", "-Bob"),), 0.5)])
    text = dumps_csv(pairs)
    assert "\n" + "match" in text and ",\"'=HYPERLINK(" in text and ",'-Bob," in text
    again = loads_csv(text, "pairs.csv")
    assert (again.matches[0].mentors[0].name, again.matches[0].mentees[0].name) == (hostile, "-Bob")
