"""Rosters: every bad input is a located, coded diagnostic (file:line:col), never a traceback, and
never quotes names or email addresses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programdsl.api import load_program
from programdsl.matching.roster import canonical_column, needs_of, read_roster, timezone_offset
from programdsl.model import Program
from programdsl.matching.sentences import describe_condition, describe_pairing, describe_rule

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rosters"
HEADER = "id,name,email,role,level,department,manager,timezone,languages,skills,interests,tenureMonths,previousPairs,doNotPair\n"


@pytest.fixture(scope="module")
def prog() -> Program:
    program, result = load_program(FIXTURES / "program.yaml")
    assert program is not None, result.diagnostics
    return program


def read(tmp_path: Path, prog: Program, text: str | bytes, name: str = "roster.csv") -> list[tuple[str, int, int, str]]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    roster = read_roster(path, needs_of(prog), name)
    return [(d.code, d.line, d.col, d.severity.value) for d in roster.diagnostics]


def test_fixture_roster_is_clean(prog: Program) -> None:
    roster = read_roster(FIXTURES / "roster.csv", needs_of(prog))
    assert roster.diagnostics == []
    assert [p.id for p in roster.people] == ["m1", "m2", "m3", "m4", "l1", "l2", "l3"]
    ada = roster.people[0]
    assert ada.values["languages"] == ("en", "es") and ada.values["level"] == 2.0 and ada.tz_offset == 0.0


CASES = {
    "level-not-a-number": (HEADER + "m1,Ada,ada@example.org,mentor,two,Eng,,Europe/London,en,ai,,12,,\n", [("PD405", 2, 31, "error")]),
    "unknown-time-zone": (HEADER + "m1,Ada,ada@example.org,mentor,2,Eng,,Europe/Londn,en,ai,,12,,\n", [("PD405", 2, 38, "error")]),
    "unknown-role": (HEADER + "m1,Ada,ada@example.org,mentr,2,Eng,,UTC,en,ai,,12,,\n", [("PD406", 2, 24, "error")]),
    "duplicate-id": (HEADER + "m1,Ada,,mentor,2,Eng,,UTC,en,ai,,12,,\nm1,Bo,,mentee,5,Law,,UTC,en,,ai,12,,\n", [("PD404", 3, 1, "error")]),
    "missing-name": (HEADER + "m1,,,mentor,2,Eng,,UTC,en,ai,,12,,\n", [("PD407", 2, 4, "error")]),
    "missing-id": (HEADER + ",Ada,,mentor,2,Eng,,UTC,en,ai,,12,,\n", [("PD407", 2, 1, "error")]),
    "bad-email": (HEADER + "m1,Ada,ada.example.org,mentor,2,Eng,,UTC,en,ai,,12,,\n", [("PD405", 2, 8, "error")]),
    "too-many-cells": (HEADER + "m1,Ada,,mentor,2,Eng,,UTC,en,ai,,12,,,oops\n", [("PD409", 2, 39, "error")]),
    "quoted-cell-keeps-columns": (HEADER + 'm1,"Quill, Ada",,mentor,x,Eng,,UTC,en,ai,,12,,\n', [("PD405", 2, 25, "error")]),
    "blank-lines-keep-line-numbers": (HEADER + "\n\nm1,Ada,,mentor,L2,Eng,,UTC,en,ai,,12,,\n", [("PD405", 4, 16, "error")]),
    "windows-line-endings": ((HEADER + "m1,Ada,,mentor,L2,Eng,,UTC,en,ai,,12,,\n").replace("\n", "\r\n"), [("PD405", 2, 16, "error")]),
    "no-level-for-hard-rule": (HEADER + "m1,Ada,,mentor,,Eng,,UTC,en,ai,,12,,\n", [("PD408", 2, 16, "warning")]),
    "bad-capacity": ("id,name,role,level,tenureMonths,capacity\nm1,Ada,mentor,1,4,zero\n", [("PD405", 2, 19, "error")]),
    "missing-role-column": ("id,name,level,tenureMonths\nm1,Ada,1,4\n", [("PD402", 1, 1, "error")]),
    "missing-level-column": ("id,name,role,tenureMonths,department,skills,interests,languages,timezone,manager\nm1,Ada,mentor,4,,,,,,\n",
                             [("PD402", 1, 1, "error")]),
    "repeated-column": ("id,name,role,level,tenureMonths,grade\nm1,Ada,mentor,1,4,2\n", [("PD402", 1, 33, "error")]),
    "unknown-column": ("id,name,role,level,tenureMonths,shoe size\nm1,Ada,mentor,1,4,9\n", [("PD403", 1, 33, "warning")]),
    "unclosed-quote": ("id,name,role,level,tenureMonths\nm1,\"Ada,mentor,1,4\n", [("PD401", 2, 1, "error")]),
    "not-utf8": (b"id,name,role,level,tenureMonths\nm1,Ad\xff,mentor,1,4\n", [("PD401", 2, 6, "error")]),
    "binary": (b"id,name\x00,role\n", [("PD401", 1, 8, "error")]),
    "empty": ("\n\n", [("PD401", 1, 1, "error")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_roster_is_located(tmp_path: Path, prog: Program, case: str) -> None:
    text, expected = CASES[case]
    found = read(tmp_path, prog, text)
    # Column warnings about preference columns a short roster leaves out are not the point here.
    found = [f for f in found if not (f[0] == "PD402" and f[3] == "warning") and f[0] != "PD411"]
    assert found == expected


def test_yaml_roster_positions(tmp_path: Path, prog: Program) -> None:
    text = (
        "people:\n"
        "  - {id: m1, name: Ada, role: mentor, level: two, tenureMonths: 5}\n"
        "  - id: l1\n"
        "    name: Ed\n"
        "    role: mentee\n"
        "    level: 5\n"
        "    timezone: Mars/Base\n"
        "    colour: red\n"
        "    languages: [en, {x: 1}]\n"
    )
    found = [f for f in read(tmp_path, prog, text, "roster.yaml") if f[0] != "PD402"]
    assert found == [("PD405", 2, 46, "error"), ("PD405", 7, 15, "error"), ("PD403", 8, 5, "warning"), ("PD405", 9, 16, "error")]


def test_roster_needs_both_sides(tmp_path: Path, prog: Program) -> None:
    only_mentors = "id,name,role,level,tenureMonths\nm1,Ada,mentor,1,4\n"
    assert read(tmp_path, prog, only_mentors)[-1] == ("PD411", 1, 1, "error")
    either = "id,name,role,level,tenureMonths\nm1,Ada,either,1,4\n"
    assert "PD411" not in [f[0] for f in read(tmp_path, prog, either)]


def test_yaml_roster_structure(tmp_path: Path, prog: Program) -> None:
    assert read(tmp_path, prog, "staff: []\n", "r.yaml") == [("PD410", 1, 1, "error")]
    assert read(tmp_path, prog, "people:\n  - just text\n", "r.yaml")[-1] == ("PD410", 2, 5, "error")
    assert read(tmp_path, prog, "people: [\n", "r.yaml")[0][0] == "PD401"


def test_yaml_roster_reads_lists_and_numbers(tmp_path: Path, prog: Program) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("- {id: m1, name: Ada, role: Reverse mentor, level: 1, tenureMonths: 4, skills: [AI, data], languages: 'en; fr'}\n"
                    "- {id: l1, name: Ed, role: senior leader, level: 5, interests: [ai], timezone: UTC-03:30}\n", encoding="utf-8")
    roster = read_roster(path, needs_of(prog))
    assert [d for d in roster.diagnostics if d.severity.value == "error"] == []
    ada, ed = roster.people
    assert (ada.role, ada.values["skills"], ada.values["languages"]) == ("mentor", ("AI", "data"), ("en", "fr"))
    assert (ed.role, ed.tz_offset) == ("mentee", -3.5)


def test_messages_never_quote_names_or_emails(tmp_path: Path, prog: Program) -> None:
    text = HEADER + "m1,Zelda Secretname,zelda@@hidden.example,mentr,x,Eng,,Nowhere/Zone,en,ai,,12,,\nm1,Yorick Private,yorick@hidden.example,mentee,5,,,,,,,,,\n"
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    roster = read_roster(path, needs_of(prog))
    assert len(roster.diagnostics) >= 4
    for diag in roster.diagnostics:
        for secret in ("Zelda", "Secretname", "zelda@", "hidden.example", "Yorick", "Private"):
            assert secret not in diag.message + diag.hint


def test_headers_and_time_zones() -> None:
    assert canonical_column("Time zone") == "timezone"
    assert canonical_column("career_stage") == "careerStage"
    assert canonical_column("Do not pair") == "doNotPair"
    assert canonical_column("custom.Nominated") == "custom.Nominated"
    assert canonical_column("favourite colour") is None
    import datetime as dt

    assert timezone_offset("America/New_York", dt.date(2026, 1, 5)) == -5.0
    assert timezone_offset("America/New_York", dt.date(2026, 7, 5)) == -4.0
    assert timezone_offset("UTC+05:30", dt.date(2026, 1, 5)) == 5.5
    assert timezone_offset("Europe/Londres", dt.date(2026, 1, 5)) is None


# --- plain sentences --------------------------------------------------------------------------------


def test_rule_sentences(prog: Program) -> None:
    sentences = [describe_rule(r, prog) for r in prog.pairing.constraints + prog.pairing.preferences]
    assert sentences == [
        "Each reverse mentor is at least 2 levels junior to their senior leader.",
        "No reverse mentor is paired with a senior leader in their own reporting line: neither manages the other, directly or further up.",
        "Nobody is paired with someone they asked not to be paired with.",
        "No reverse mentor is paired again with a senior leader they were paired with before.",
        "Where possible, each reverse mentor's skills include at least one of their senior leader's interests (high priority).",
        "Where possible, each reverse mentor and their senior leader work in different departments (medium priority).",
        "Where possible, each reverse mentor and their senior leader share at least 1 language (low priority).",
        "Where possible, each reverse mentor and their senior leader are in time zones at most 3 hours apart (weight 1.5).",
    ]
    assert describe_condition(prog.roles["mentor"].eligibility[0]) == "tenure in months at least 3"
    assert describe_pairing(prog) == [
        "Each reverse mentor is paired with one senior leader.",
        "A pair is made only if it meets at least 20% of the weighted preferences.",
        "Pairs are chosen for the best overall fit across everyone, not first come, first served.",
    ]


@pytest.mark.parametrize("rule, sentence", [
    ({"rule": "level-gap", "direction": "mentor-senior"}, "Each mentor is senior to their mentee."),
    ({"rule": "level-gap", "direction": "mentor-senior", "min": 1, "max": 1}, "Each mentor is exactly 1 level above their mentee."),
    ({"rule": "level-gap", "direction": "mentor-senior", "min": 1, "max": 3}, "Each mentor is senior to their mentee, by at most 3 levels."),
    ({"rule": "level-gap", "direction": "mentor-junior", "min": 2, "max": 4}, "Each mentor is between 2 and 4 levels below their mentee."),
    ({"rule": "level-gap", "direction": "peer", "max": 1}, "Each mentor is within 1 level of their mentee."),
    ({"rule": "level-gap", "direction": "peer"}, "Each mentor is at the same level as their mentee."),
    ({"rule": "same", "attribute": "location"}, "Each mentor and their mentee are based in the same location."),
    ({"rule": "different", "attribute": "custom.guild"}, "Each mentor and their mentee have a different guild."),
    ({"rule": "overlap", "mentor": "skills", "mentee": "interests", "min": 2}, "Each mentor's skills include at least 2 of their mentee's interests."),
    ({"rule": "timezone-within", "hours": 1}, "Each mentor and their mentee are in time zones at most 1 hour apart."),
    ({"rule": "same", "attribute": "team", "description": "Pairs share a team."}, "Pairs share a team."),
])
def test_rule_sentence_forms(rule: dict[str, object], sentence: str) -> None:
    from test_matching_support import program

    prog = program({"constraints": [rule]})
    assert describe_rule(prog.pairing.constraints[0], prog) == sentence


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('id,name,role,level;mentor"\n\r\t x1-:[]{}#\u2028')), max_size=200),
       st.sampled_from(["r.csv", "r.yaml", "r.tsv"]))
def test_any_text_gives_diagnostics_not_exceptions(tmp_path: Path, prog: Program, text: str, name: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    roster = read_roster(path, needs_of(prog))
    for diag in roster.diagnostics:
        assert diag.line >= 1 and diag.col >= 1 and diag.code.startswith("PD4")


def test_sentences_use_articles_and_shared_labels() -> None:
    from test_matching_support import program

    line = {"rule": "not-reporting-line"}
    led = program({"constraints": [line]}, {"mentor": {"label": "Executive mentor"}, "mentee": {"label": "Emerging leader"}})
    assert describe_rule(led.pairing.constraints[0], led).startswith("No executive mentor is paired with an emerging leader ")
    peers = program({"constraints": [line], "capacity": {"mentor": 1, "mentee": 1}},
                    {"mentor": {"label": "Peer partner"}, "mentee": {"label": "Peer partner"}}, "peer")
    assert describe_rule(peers.pairing.constraints[0], peers).startswith("No peer partner is paired with a partner ")
    assert describe_pairing(peers)[0] == "Each peer partner is paired with one partner."


def test_pairing_sentences_say_what_the_file_sets_about_load_wishes_history_and_circles() -> None:
    from test_matching_support import program

    prog = program({"capacity": {"mentor": 2, "mentee": 1}, "load": {"spread": True, "minimum": 1},
                    "wishes": {"first": True}, "history": {"waitlistFirst": True, "noShowsLast": True}})
    assert describe_pairing(prog) == [
        "Each mentor is paired with up to two mentees, meeting each separately.",
        "Everyone who can take several partners gets one before anyone gets a second.",
        "Each mentor is given at least one mentee where the rules allow.",
        "The mentees' own ranked choices are tried first, in order, before anyone else is placed.",
        "People who waited without a partner last round are matched first.",
        "People who did not take part after being matched last round are matched after everyone else.",
        "Pairs are chosen for the best overall fit across everyone, not first come, first served.",
    ]
    # Left to its default, spreading is not announced: no sentence without a field behind it.
    assert describe_pairing(program({"capacity": {"mentor": 2, "mentee": 1}}))[1:] == [
        "Any pairing that meets the conditions below may be made: the program sets no preferences."]
    circles = program({"mode": "group", "capacity": {"mentor": 6}, "wishes": {"weight": 2, "from": "both"},
                       "circles": {"size": {"min": 4, "max": 6}, "lead": False, "balance": ["department", "careerStage"]}})
    assert describe_pairing(circles)[1:4] == [
        "People meet in circles of 4 to 6 members, without a lead.",
        "Each circle mirrors the whole group's mix of departments and career stages as closely as the rules allow.",
        "Everyone's own ranked choices count alongside the other preferences.",
    ]
