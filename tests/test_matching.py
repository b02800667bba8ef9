"""The matcher: optimal against brute force, never breaks a hard rule or a capacity, deterministic,
explains itself, and says why each unmatched person is unmatched."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programdsl.matching import solver
from programdsl.matching.engine import FixedPair, match
from programdsl.matching.roster import FLEXIBLE_ROLE
from programdsl.matching.rules import SCALE, Compiled, Sides, condition_holds, failed_conditions, quantize
from programdsl.pairs import dumps_csv, dumps_yaml, loads_csv, loads_yaml
from programdsl.diagnostics import Span

from test_matching_support import brute_force, capacity, person, plan_value, program, run

TOPICS = ["ai", "data", "cloud", "social"]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
DEPTS = ["Finance", "Legal", "Sales"]

ALL_CONSTRAINTS = [
    {"id": "senior", "rule": "level-gap", "direction": "mentor-senior", "min": 1},
    {"id": "line", "rule": "not-reporting-line"},
    {"id": "excl", "rule": "not-excluded"},
    {"id": "prev", "rule": "not-previously-paired"},
    {"id": "dept", "rule": "different", "attribute": "department"},
    {"id": "topic", "rule": "overlap", "mentor": "skills", "mentee": "interests", "min": 1},
    {"id": "tz", "rule": "timezone-within", "hours": 5},
]
ALL_PREFERENCES = [
    {"id": "skills", "rule": "overlap", "mentor": "skills", "mentee": "interests", "min": 2, "priority": "high"},
    {"id": "lang", "rule": "overlap", "mentor": "languages", "mentee": "languages", "priority": "low"},
    {"id": "site", "rule": "same", "attribute": "location", "weight": 2.5},
    {"id": "dept-diff", "rule": "different", "attribute": "department", "priority": "medium"},
    {"id": "near", "rule": "timezone-within", "hours": 2, "priority": "medium"},
    {"id": "gap", "rule": "level-gap", "direction": "mentor-senior", "min": 2, "max": 3, "priority": "low"},
]


@st.composite
def instances(draw: Any, max_people: int = 7, flexible: bool = False, single: bool = False) -> tuple[Any, list[Any]]:
    """Random people and pairing rules; `single` gives everyone one partner at most."""
    n = draw(st.integers(2, max_people))
    roles = ["mentor", "mentee"] + ([FLEXIBLE_ROLE] if flexible else [])
    people = []
    ids = [f"p{i}" for i in range(n)]
    for i, pid in enumerate(ids):
        people.append(person(
            i, pid, draw(st.sampled_from(roles)),
            capacity=draw(st.sampled_from([None, None, 1, 2] if not single else [None, 1])),
            level=float(draw(st.integers(1, 5))),
            department=draw(st.sampled_from(DEPTS + [None])),
            location=draw(st.sampled_from(["Leeds", "York", None])),
            timezone=draw(st.sampled_from(ZONES)),
            skills=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True))),
            interests=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True))),
            languages=tuple(draw(st.lists(st.sampled_from(["en", "fr", "de"]), max_size=2, unique=True))),
            manager=draw(st.sampled_from([None] + ids[:i])) if i else None,
            previousPairs=tuple(draw(st.lists(st.sampled_from(ids), max_size=1))),
            doNotPair=tuple(draw(st.lists(st.sampled_from(ids), max_size=1))),
        ))
    pairing = {
        "mode": "one-to-one",
        "capacity": {"mentor": draw(st.integers(1, 1 if single else 3)), "mentee": draw(st.integers(1, 1 if single else 2))},
        "optimize": draw(st.sampled_from(["quality", "coverage"])),
        "constraints": draw(st.lists(st.sampled_from(ALL_CONSTRAINTS), max_size=3, unique_by=lambda r: r["id"])),
        "preferences": draw(st.lists(st.sampled_from(ALL_PREFERENCES), max_size=4, unique_by=lambda r: r["id"])),
    }
    minimum = draw(st.sampled_from([None, 0.25, 0.5]))
    if minimum is not None:
        pairing["minimumScore"] = minimum
    roles_def = {"mentor": {"label": "Mentor"}, "mentee": {"label": "Mentee"}}
    if draw(st.booleans()):
        roles_def["mentor"]["eligibility"] = [{"attribute": "level", "min": 2}]
    return program(pairing, roles_def), people


def check_plan(prog: Any, people: list[Any], pairs: Any) -> None:
    by_id = {p.id: p for p in people}
    mentors = [p for p in people if p.role in ("mentor", FLEXIBLE_ROLE)]
    mentees = [p for p in people if p.role in ("mentee", FLEXIBLE_ROLE)]
    compiled = Compiled(prog, Sides(mentors, mentees, people))
    used: dict[tuple[str, str], int] = {}
    sides: dict[str, set[str]] = {}
    for m in pairs.matches:
        for a in m.mentors:
            for b in m.mentees:
                mentor, mentee = by_id[a.id], by_id[b.id]
                assert mentor.id != mentee.id
                assert compiled.broken(mentor, mentee) == [], "a hard rule is broken"
                assert not failed_conditions(prog, "mentor", mentor)
                assert not failed_conditions(prog, "mentee", mentee)
                assert compiled.score(mentor, mentee) * SCALE >= compiled.minimum_q - 1e-6
                used[(a.id, "mentor")] = used.get((a.id, "mentor"), 0) + 1
                used[(b.id, "mentee")] = used.get((b.id, "mentee"), 0) + 1
                sides.setdefault(a.id, set()).add("mentor")
                sides.setdefault(b.id, set()).add("mentee")
    for (pid, side), count in used.items():
        assert count <= capacity(prog, by_id[pid], side), "capacity exceeded"
    assert all(len(s) == 1 for s in sides.values()), "someone sits on both sides"
    matched = set(sides)
    assert {u.id for u in pairs.unmatched} == {p.id for p in people if p.role in ("mentor", "mentee", FLEXIBLE_ROLE)} - matched


# --- optimality against brute force, and the hard-rule and capacity properties ------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_is_optimal_and_keeps_every_rule(case: tuple[Any, list[Any]]) -> None:
    prog, people = case
    result = run(prog, people)
    assert result.errors == 0
    check_plan(prog, people, result.pairs)
    assert plan_value(prog, result.pairs) == brute_force(prog, people)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=6, flexible=True))
def test_people_who_take_either_side(case: tuple[Any, list[Any]]) -> None:
    prog, people = case
    result = run(prog, people)
    check_plan(prog, people, result.pairs)
    assert plan_value(prog, result.pairs) == brute_force(prog, people)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=7, flexible=True, single=True))
def test_people_who_take_either_side_and_one_partner_form_a_general_matching(case: tuple[Any, list[Any]]) -> None:
    prog, people = case
    result = run(prog, people)
    if any(p.role == FLEXIBLE_ROLE for p in people) and result.pairs.matches:
        assert result.method == "blossom (rustworkx)"
    check_plan(prog, people, result.pairs)
    assert plan_value(prog, result.pairs) == brute_force(prog, people)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_sparse_route_gives_the_same_optimum(case: tuple[Any, list[Any]]) -> None:
    prog, people = case
    limit, solver.DENSE_LIMIT = solver.DENSE_LIMIT, 0
    try:
        result = run(prog, people)
    finally:
        solver.DENSE_LIMIT = limit
    check_plan(prog, people, result.pairs)
    assert plan_value(prog, result.pairs) == brute_force(prog, people)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_vectorised_rules_agree_with_the_per_pair_rules(case: tuple[Any, list[Any]]) -> None:
    prog, people = case
    mentors = [p for p in people if p.role == "mentor"]
    mentees = [p for p in people if p.role == "mentee"]
    compiled = Compiled(prog, Sides(mentors, mentees, people))
    if not mentors or not mentees:
        return
    allowed, q, _ = compiled.block(0, len(mentees))
    for r, e in enumerate(mentees):
        for c, m in enumerate(mentors):
            assert bool(allowed[r, c]) == (compiled.broken(m, e) == [])
            assert q[r, c] == quantize(compiled.score(m, e))


# --- small worked instances -----------------------------------------------------------------------


def reverse_program(**pairing: Any) -> Any:
    base = {
        "mode": "one-to-one", "capacity": {"mentor": 1, "mentee": 1}, "optimize": "quality",
        "constraints": [{"id": "mentor-junior", "rule": "level-gap", "direction": "mentor-junior", "min": 2},
                        {"id": "line", "rule": "not-reporting-line"}],
        "preferences": [{"id": "topic", "rule": "overlap", "mentor": "skills", "mentee": "interests", "priority": "high"},
                        {"id": "dept", "rule": "different", "attribute": "department", "priority": "medium"}],
    }
    base.update(pairing)
    return program(base, {"mentor": {"label": "Reverse mentor"}, "mentee": {"label": "Senior leader"}}, "reverse")


def test_global_optimum_beats_first_come_first_served() -> None:
    # Greedy would give m1 its best mentee (e1, score 1) and leave e2 with nobody; the optimum
    # gives both mentees a partner.
    prog = program({"optimize": "quality", "preferences": [{"id": "t", "rule": "overlap", "mentor": "skills", "mentee": "interests"}],
                    "constraints": [{"id": "need", "rule": "overlap", "mentor": "skills", "mentee": "interests"}]})
    people = [
        person(0, "m1", "mentor", skills=("ai", "data")),
        person(1, "m2", "mentor", skills=("ai",)),
        person(2, "e1", "mentee", interests=("ai", "data")),
        person(3, "e2", "mentee", interests=("data",)),
    ]
    pairs = run(prog, people).pairs
    assert {(m.mentors[0].id, m.mentees[0].id) for m in pairs.matches} == {("m1", "e2"), ("m2", "e1")}


def test_quality_and_coverage_choose_differently() -> None:
    # m1-e1 scores 1; m1-e2 and m2-e1 score 0.25 each; m2-e2 breaks `dept`. Best quality is the
    # one great pair (total 1 > 0.5); most people matched is the two weaker pairs.
    prefs = [{"id": "skills", "rule": "overlap", "mentor": "skills", "mentee": "interests", "min": 4}]
    cons = [{"id": "dept", "rule": "different", "attribute": "department"}]
    people = [
        person(0, "m1", "mentor", skills=("a", "b", "c", "d"), department="W"),
        person(1, "m2", "mentor", skills=("a",), department="X"),
        person(2, "e1", "mentee", interests=("a", "b", "c", "d"), department="Y"),
        person(3, "e2", "mentee", interests=("a",), department="X"),
    ]
    quality = run(program({"optimize": "quality", "preferences": prefs, "constraints": cons}), people).pairs
    coverage = run(program({"optimize": "coverage", "preferences": prefs, "constraints": cons}), people).pairs
    assert [(m.mentors[0].id, m.mentees[0].id) for m in quality.matches] == [("m1", "e1")]
    assert [(m.mentors[0].id, m.mentees[0].id) for m in coverage.matches] == [("m1", "e2"), ("m2", "e1")]
    assert {u.id: u.reason for u in quality.unmatched} == {"m2": "capacity-exhausted", "e2": "capacity-exhausted"}


def test_capacity_one_to_many_and_groups() -> None:
    people = [person(0, "lead", "mentor", level=5.0)] + [person(i, f"e{i}", "mentee", level=1.0) for i in range(1, 6)]
    one_to_many = run(program({"mode": "one-to-many", "capacity": {"mentor": 3, "mentee": 1}}), people).pairs
    assert len(one_to_many.matches) == 3 and all(len(m.mentees) == 1 for m in one_to_many.matches)
    assert sum(1 for u in one_to_many.unmatched if u.reason == "capacity-exhausted") == 2
    group = run(program({"mode": "group", "capacity": {"mentor": 4, "mentee": 1}}), people).pairs
    assert len(group.matches) == 1 and len(group.matches[0].mentees) == 4
    assert group.matches[0].id == run(program({"mode": "group", "capacity": {"mentor": 3}}), people).pairs.matches[0].id


def test_shadow_board_groups_around_the_executive() -> None:
    people = [person(0, "exec", "mentee", level=9.0)] + [person(i, f"j{i}", "mentor", level=2.0) for i in range(1, 4)]
    prog = program({"mode": "group", "capacity": {"mentor": 1, "mentee": 8},
                    "constraints": [{"rule": "level-gap", "direction": "mentor-junior", "min": 2}]})
    pairs = run(prog, people).pairs
    assert len(pairs.matches) == 1
    assert [m.id for m in pairs.matches[0].mentors] == ["j1", "j2", "j3"]


def test_both_sides_with_capacity_never_pair_twice() -> None:
    people = [person(0, "m1", "mentor"), person(1, "m2", "mentor"), person(2, "e1", "mentee"), person(3, "e2", "mentee")]
    pairs = run(program({"capacity": {"mentor": 2, "mentee": 2}}), people).pairs
    links = [(m.mentors[0].id, m.mentees[0].id) for m in pairs.matches]
    assert sorted(links) == [("m1", "e1"), ("m1", "e2"), ("m2", "e1"), ("m2", "e2")]
    assert pairs.summary["solver"].startswith("linprog")


def test_unmatched_reasons() -> None:
    prog = program({
        "constraints": [{"id": "mentor-junior", "rule": "level-gap", "direction": "mentor-junior", "min": 2}],
        "preferences": [{"id": "topic", "rule": "overlap", "mentor": "skills", "mentee": "interests"}],
        "minimumScore": 0.5,
    }, {"mentor": {"label": "Reverse mentor", "eligibility": [{"attribute": "tenureMonths", "min": 3}]},
        "mentee": {"label": "Senior leader"}})
    people = [
        person(0, "m-new", "mentor", level=1.0, tenureMonths=1.0, skills=("ai",)),   # ineligible
        person(1, "m-ok", "mentor", level=1.0, tenureMonths=12.0, skills=("ai",)),
        person(2, "m-other", "mentor", level=1.0, tenureMonths=12.0, skills=("zz",)),
        person(3, "e-a", "mentee", level=5.0, interests=("ai",)),
        person(4, "e-b", "mentee", level=5.0, interests=("ai",)),
        person(5, "e-peer", "mentee", level=2.0, interests=("ai",)),               # nobody 2 levels below
    ]
    pairs = run(prog, people).pairs
    reasons = {u.id: (u.reason, u.detail) for u in pairs.unmatched}
    assert reasons["m-new"][0] == "ineligible" and "tenure in months at least 3" in reasons["m-new"][1]
    assert reasons["e-peer"][0] == "no-eligible-partner" and "'mentor-junior'" in reasons["e-peer"][1]
    assert reasons["m-other"][0] == "below-minimum-score" and "0.50" in reasons["m-other"][1]
    loser = "e-b" if "e-b" in reasons else "e-a"
    assert reasons[loser][0] == "capacity-exhausted"
    assert pairs.summary["unmatched"] == {"below-minimum-score": 1, "capacity-exhausted": 1, "ineligible": 1, "no-eligible-partner": 1}


def test_explanations_say_which_preferences_matched() -> None:
    prog = reverse_program()
    people = [
        person(0, "m", "mentor", level=1.0, department="Tech", skills=("Social media", "AI")),
        person(1, "e", "mentee", level=5.0, department="Tech", interests=("social media", "Budgets")),
    ]
    pairs = run(prog, people).pairs
    assert pairs.matches[0].explanation == (
        "met: topic (high priority) - interests the reverse mentor can offer: social media",
        "not met: dept (medium priority) - same department: Tech",
    )
    assert pairs.matches[0].score == pytest.approx(3 / 5)


def test_pinned_pairs_come_first_and_the_rest_is_optimised_around_them() -> None:
    prog = reverse_program()
    people = [
        person(0, "m1", "mentor", level=1.0, skills=("ai",)),
        person(1, "m2", "mentor", level=1.0, skills=("data",)),
        person(2, "e1", "mentee", level=5.0, interests=("ai",)),
        person(3, "e2", "mentee", level=5.0, interests=("ai",)),
        person(4, "boss", "mentee", level=1.0),  # breaks mentor-junior with anyone
    ]
    span = Span("pins.csv", 2, 1)
    result = run(prog, people, [FixedPair("m1", "e2", span), FixedPair("m2", "boss", Span("pins.csv", 3, 1))])
    links = {(m.mentors[0].id, m.mentees[0].id): m for m in result.pairs.matches}
    assert set(links) == {("m1", "e2"), ("m2", "boss")}
    assert links[("m1", "e2")].pinned and links[("m1", "e2")].explanation[0] == "pinned by a coordinator"
    assert [d.code for d in result.diagnostics] == ["PD421"]
    assert (result.diagnostics[0].file, result.diagnostics[0].line) == ("pins.csv", 3)
    assert [u.id for u in result.pairs.unmatched] == ["e1"]


def test_invalid_pins_are_located_errors() -> None:
    prog = reverse_program()
    people = [person(0, "m1", "mentor", level=1.0), person(1, "e1", "mentee", level=5.0), person(2, "e2", "mentee", level=5.0)]
    result = run(prog, people, [FixedPair("m1", "ghost", Span("pins.csv", 2, 1)), FixedPair("e1", "m1", Span("pins.csv", 3, 1))])
    assert result.pairs is None
    assert [(d.code, d.line) for d in result.diagnostics] == [("PD420", 2), ("PD420", 3)]
    over = run(prog, people, [FixedPair("m1", "e1", Span("p.csv", 2, 1)), FixedPair("m1", "e2", Span("p.csv", 3, 1))])
    assert [d.code for d in over.diagnostics] == ["PD420"] and "capacity of 1" in over.diagnostics[0].message


def test_rematch_keeps_pairs_and_places_newcomers() -> None:
    prog = reverse_program()
    people = [person(0, "m1", "mentor", level=1.0), person(1, "e1", "mentee", level=5.0)]
    first = run(prog, people).pairs
    kept = [FixedPair(m.mentors[0].id, m.mentees[0].id, Span("old.yaml", 1, 1), kept=True) for m in first.matches]
    people += [person(2, "m2", "mentor", level=1.0), person(3, "e2", "mentee", level=6.0)]
    second = run(prog, people, kept).pairs
    ids = {(m.mentors[0].id, m.mentees[0].id): m for m in second.matches}
    assert set(ids) == {("m1", "e1"), ("m2", "e2")}
    assert ids[("m1", "e1")].id == first.matches[0].id  # calendar UIDs survive a re-match
    assert ids[("m1", "e1")].explanation[0] == "kept from the earlier pairs file"
    gone = run(prog, [p for p in people if p.id != "m1"], kept).pairs
    assert gone.summary["keptPairsDropped"] == 1


# --- determinism and the pairs file ----------------------------------------------------------------


def test_same_people_in_any_order_give_identical_files() -> None:
    rng = random.Random(4)
    prog = reverse_program()
    people = [person(i, f"p{i:02d}", "mentor" if i % 2 else "mentee", level=float(rng.randint(1, 6)),
                     department=rng.choice(DEPTS), skills=tuple(rng.sample(TOPICS, 2)), interests=tuple(rng.sample(TOPICS, 2)))
              for i in range(30)]
    texts = set()
    for seed in range(4):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        pairs = run(prog, shuffled).pairs
        texts.add(dumps_yaml(pairs) + dumps_csv(pairs))
    assert len(texts) == 1


def test_pairs_file_round_trips_in_yaml_and_csv() -> None:
    prog = program({"mode": "group", "capacity": {"mentor": 3}})
    people = [person(0, "m1", "mentor")] + [person(i, f"e{i}", "mentee") for i in range(1, 4)] + [person(4, "m2", "mentor")]
    people[0].values["manager"] = "e1"
    pairs = run(prog, people).pairs
    for loaded in (loads_yaml(dumps_yaml(pairs)), loads_csv(dumps_csv(pairs))):
        assert loaded.program_id == pairs.program_id and loaded.status == "draft"
        assert [(m.id, m.mentors, m.mentees, m.explanation, m.pinned) for m in loaded.matches] == \
            [(m.id, m.mentors, m.mentees, m.explanation, m.pinned) for m in pairs.matches]
        assert [(u.id, u.reason, u.detail, u.name) for u in loaded.unmatched] == \
            [(u.id, u.reason, u.detail, u.name) for u in pairs.unmatched]


def test_conditions() -> None:
    from programdsl.model import Condition

    assert condition_holds(Condition("level", min=3), 3.0)
    assert not condition_holds(Condition("level", min=3), None)
    assert condition_holds(Condition("department", not_in=("Legal",)), None)
    assert condition_holds(Condition("department", in_=("legal", "Sales")), "Legal")
    assert condition_holds(Condition("level", in_=(3, 4)), 4.0)
    assert condition_holds(Condition("custom.nominated", equals=True), True)
    assert not condition_holds(Condition("custom.nominated", equals=True), "true")
    assert condition_holds(Condition("languages", equals="fr"), ("en", "FR"))


def test_score_weights_and_solver_weights() -> None:
    assert solver._score_of(float(solver._weights(np.array([750000.0]), "quality", 10, 1.0)[0]), "quality", 10, 1.0) == 0.75
    assert solver._score_of(float(solver._weights(np.array([250000.0]), "coverage", 10, 1.0)[0]), "coverage", 10, 1.0) == 0.25
    assert solver._step(10) == 1.0 and solver._step(10**6) > 1.0


def test_peer_partners_take_either_side(tmp_path: Any) -> None:
    from programdsl.matching.roster import needs_of, read_roster

    prog = program({"constraints": [{"id": "same-level", "rule": "level-gap", "direction": "peer", "max": 1}],
                    "preferences": [{"id": "shared", "rule": "overlap", "mentor": "interests", "mentee": "interests"}]},
                   {"mentor": {"label": "Peer partner"}, "mentee": {"label": "Peer partner"}}, "peer")
    path = tmp_path / "peers.csv"
    path.write_text("id,name,role,level,interests\n" + "".join(
        f"p{i},Peer {i},Peer partner,{3 + i % 2},{['ai', 'data', 'cloud'][i % 3]}\n" for i in range(6)), encoding="utf-8")
    loaded = read_roster(path, needs_of(prog))
    assert loaded.diagnostics == [] and {p.role for p in loaded.people} == {FLEXIBLE_ROLE}
    result = match(prog, loaded)
    assert result.method == "blossom (rustworkx)"
    assert len(result.pairs.matches) == 3 and result.pairs.unmatched == []
    check_plan(prog, loaded.people, result.pairs)
