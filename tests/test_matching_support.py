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


def brute_force(prog: Program, people: list[Person]) -> tuple[int, int]:
    """The best objective over every plan, as (primary, secondary) integers: quality is
    (total quantized score, pairs); coverage is (pairs, total quantized score)."""
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
    best = (0, 0)
    used: dict[tuple[str, str], int] = {}
    side_of: dict[str, str] = {}

    def search(i: int, count: int, total: int) -> None:
        nonlocal best
        value = (total, count) if prog.pairing.optimize == "quality" else (count, total)
        if value > best:
            best = value
        if i == len(edges):
            return
        search(i + 1, count, total)
        m, e, q = edges[i]
        if used.get((m.id, "mentor"), 0) >= capacity(prog, m, "mentor") or used.get((e.id, "mentee"), 0) >= capacity(prog, e, "mentee"):
            return
        if side_of.get(m.id, "mentor") != "mentor" or side_of.get(e.id, "mentee") != "mentee":
            return
        added = [pid for pid, side in ((m.id, "mentor"), (e.id, "mentee")) if pid not in side_of]
        side_of.setdefault(m.id, "mentor")
        side_of.setdefault(e.id, "mentee")
        used[(m.id, "mentor")] = used.get((m.id, "mentor"), 0) + 1
        used[(e.id, "mentee")] = used.get((e.id, "mentee"), 0) + 1
        search(i + 1, count + 1, total + q)
        used[(m.id, "mentor")] -= 1
        used[(e.id, "mentee")] -= 1
        for pid in added:
            del side_of[pid]

    search(0, 0, 0)
    return best


def plan_value(prog: Program, pairs: Any) -> tuple[int, int]:
    links = [(m, e) for match_ in pairs.matches for m in match_.mentors for e in match_.mentees]
    total = 0
    for match_ in pairs.matches:
        if len(match_.mentors) == 1 and len(match_.mentees) == 1:
            total += round(match_.score * SCALE)
    count = len(links)
    return (total, count) if prog.pairing.optimize == "quality" else (count, total)


def test_pairs_csv_keeps_roster_text_out_of_spreadsheet_formulas() -> None:
    from programdsl.pairs import Match, Member, PairsFile, dumps_csv, loads_csv

    hostile = '=HYPERLINK("http://example.com","x")'
    pairs = PairsFile("pilot", "draft", [Match("m1", (Member("a", hostile, "a@example.org"),), (Member("b", "-Bob"),), 0.5)])
    text = dumps_csv(pairs)
    assert "\n" + "match" in text and ",\"'=HYPERLINK(" in text and ",'-Bob," in text
    again = loads_csv(text, "pairs.csv")
    assert (again.matches[0].mentors[0].name, again.matches[0].mentees[0].name) == (hostile, "-Bob")
