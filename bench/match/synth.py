"""Synthetic rosters and programs for the matching benchmark (fictional people, fixed seeds).

People get a level (1-8), a department, a site with its time zone, one to three languages, and
skills (mentors) or interests (mentees) from a shared vocabulary with a few popular topics. Each
person's manager is someone more senior in the same department, so reporting lines are real
chains; a few people have previous pairs and do-not-pair wishes. In a peer roster everyone has
role `either` (the matcher chooses their side) and interests, no skills.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

DEPARTMENTS = ["Finance", "Engineering", "Marketing", "Sales", "Legal", "Operations", "People", "Product",
               "Data", "Support", "Risk", "Design"]
SITES = [("London", "Europe/London"), ("Leeds", "Europe/London"), ("Dublin", "Europe/Dublin"), ("Berlin", "Europe/Berlin"),
         ("Warsaw", "Europe/Warsaw"), ("New York", "America/New_York"), ("Toronto", "America/Toronto"),
         ("Austin", "America/Chicago"), ("Singapore", "Asia/Singapore"), ("Bangalore", "Asia/Kolkata"),
         ("Sydney", "Australia/Sydney"), ("Sao Paulo", "America/Sao_Paulo")]
LANGUAGES = ["English", "Spanish", "French", "German", "Polish", "Hindi", "Portuguese", "Mandarin"]
TOPICS = [f"topic-{i:02d}" for i in range(40)]

PROGRAM = """\
apiVersion: programdsl/v1
kind: Program
metadata: {{id: bench-{name}, name: Benchmark {name}, timezone: Europe/London}}
type: traditional
roles:
  mentor: {{label: Mentor}}
  mentee: {{label: Mentee}}
objectives:
  - {{id: growth, title: Mentees grow, beneficiary: mentee, metrics: [growth-score]}}
metrics:
  - {{id: growth-score, name: Growth, definition: Self-rated growth, unit: score (1-5), baseline: 3, target: 4}}
schedule: {{start: 2026-01-05}}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentor, mentee]
    when: {{milestone: closing}}
    questions: [{{id: q1, text: It helped., type: likert, scale: {{min: 1, max: 5}}}}]
pairing:
  mode: {mode}
  capacity: {{mentor: {mentor_capacity}, mentee: 1}}
  optimize: {optimize}
  load: {{spread: false}}  # the score alone decides, so LAPJVsp on the same weights is a check
  constraints:
    - {{id: mentor-senior, rule: level-gap, direction: mentor-senior, min: 1}}
    - {{id: outside-reporting-line, rule: not-reporting-line}}
    - {{id: new-pairs-only, rule: not-previously-paired}}
    - {{id: respect-exclusions, rule: not-excluded}}
  preferences:
    - {{id: skills-match, rule: overlap, mentor: skills, mentee: interests, min: 2, priority: high}}
    - {{id: shared-language, rule: overlap, mentor: languages, mentee: languages, priority: medium}}
    - {{id: different-department, rule: different, attribute: department, priority: medium}}
    - {{id: nearby, rule: timezone-within, hours: 3, priority: low}}
"""


# Peers: both roles carry the same label, everyone may take either side, one partner each.
PEER_PROGRAM = """\
apiVersion: programdsl/v1
kind: Program
metadata: {{id: bench-{name}, name: Benchmark {name}, timezone: Europe/London}}
type: peer
knowledgeFlow: lateral
roles:
  mentor: {{label: Peer partner}}
  mentee: {{label: Peer partner}}
objectives:
  - {{id: growth, title: Partners grow, beneficiary: mentee, metrics: [growth-score]}}
metrics:
  - {{id: growth-score, name: Growth, definition: Self-rated growth, unit: score (1-5), baseline: 3, target: 4}}
schedule: {{start: 2026-01-05}}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentor, mentee]
    when: {{milestone: closing}}
    questions: [{{id: q1, text: It helped., type: likert, scale: {{min: 1, max: 5}}}}]
pairing:
  mode: one-to-one
  capacity: {{mentor: 1, mentee: 1}}
  optimize: {optimize}
  constraints:
    - {{id: same-level, rule: level-gap, direction: peer, max: 1}}
    - {{id: outside-reporting-line, rule: not-reporting-line}}
    - {{id: new-pairs-only, rule: not-previously-paired}}
    - {{id: respect-exclusions, rule: not-excluded}}
  preferences:
    - {{id: shared-interests, rule: overlap, mentor: interests, mentee: interests, min: 2, priority: high}}
    - {{id: shared-language, rule: overlap, mentor: languages, mentee: languages, priority: medium}}
    - {{id: different-department, rule: different, attribute: department, priority: medium}}
    - {{id: nearby, rule: timezone-within, hours: 3, priority: low}}
"""


def program_text(name: str, mentor_capacity: int = 1, optimize: str = "quality", peer: bool = False, fair: bool = False) -> str:
    if fair:
        return FAIR_PROGRAM.format(name=name, mentor_capacity=mentor_capacity)
    if peer:
        return PEER_PROGRAM.format(name=name, optimize=optimize)
    mode = "one-to-one" if mentor_capacity == 1 else "one-to-many"
    return PROGRAM.format(name=name, mode=mode, mentor_capacity=mentor_capacity, optimize=optimize)


#: A PwC-style reverse pool: junior mentors taking up to `mentor_capacity` senior partners, hard
#: rules and one preference (the same site), so that without spreading, mentors at busy sites
#: take two partners while others take none.
FAIR_PROGRAM = """\
apiVersion: programdsl/v1
kind: Program
metadata: {{id: bench-{name}, name: Benchmark {name}, timezone: Europe/London}}
type: reverse
roles:
  mentor: {{label: Reverse mentor}}
  mentee: {{label: Partner}}
objectives:
  - {{id: growth, title: Partners grow, beneficiary: mentee, metrics: [growth-score]}}
metrics:
  - {{id: growth-score, name: Growth, definition: Self-rated growth, unit: score (1-5), baseline: 3, target: 4}}
schedule: {{start: 2026-01-05}}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentor, mentee]
    when: {{milestone: closing}}
    questions: [{{id: q1, text: It helped., type: likert, scale: {{min: 1, max: 5}}}}]
pairing:
  mode: one-to-many
  capacity: {{mentor: {mentor_capacity}, mentee: 1}}
  optimize: quality
  constraints:
    - {{id: mentor-junior, rule: level-gap, direction: mentor-junior, min: 1}}
    - {{id: outside-reporting-line, rule: not-reporting-line}}
    - {{id: new-pairs-only, rule: not-previously-paired}}
    - {{id: respect-exclusions, rule: not-excluded}}
  preferences:
    - {{id: same-site, rule: same, attribute: location, priority: medium}}
"""


def roster_rows(people: int, mentor_share: float = 0.5, seed: int = 7, peer: bool = False, reverse: bool = False,
                sided: bool = False) -> list[dict[str, str]]:
    """With `peer`, everyone has role `either`, a level from 1 to 8 and two to four interests
    (no skills column); `mentor_share` is then ignored. With `sided`, everyone has role `either`
    and a level from 1 to 8 as well, but skills and interests both (two to four of each), for a
    program whose roles differ."""
    rng = random.Random(seed)
    n_mentors = int(round(people * mentor_share))
    rows: list[dict[str, str]] = []
    weights = [1.0 / (1 + i) ** 0.8 for i in range(len(TOPICS))]  # a few popular topics
    by_dept_level: dict[tuple[str, int], list[str]] = {}
    for i in range(people):
        mentor = i < n_mentors and not peer and not sided
        if peer or sided:
            level = rng.randint(1, 8)
        elif reverse:  # junior mentors, senior partners
            level = rng.randint(1, 3) if mentor else rng.randint(5, 8)
        else:
            level = rng.randint(4, 8) if mentor else rng.randint(1, 6)
        dept = rng.choice(DEPARTMENTS)
        site, zone = rng.choice(SITES)
        langs = ["English"] + rng.sample(LANGUAGES[1:], rng.randint(0, 2))
        k = rng.randint(2, 4) if peer else (rng.randint(2, 5) if mentor else rng.randint(1, 4))
        topics = sorted(set(rng.choices(TOPICS, weights=weights, k=k)))
        pid = f"p{i:06d}"
        row = {
            "id": pid, "name": f"Person {i}", "email": f"person{i}@example.org",
            "role": "either" if peer or sided else ("mentor" if mentor else "mentee"),
            "level": str(level), "department": dept, "location": site, "timezone": zone, "languages": ";".join(langs),
            "skills": ";".join(topics) if mentor else "", "interests": "" if mentor else ";".join(topics),
            "manager": "", "previousPairs": "", "doNotPair": "",
        }
        if peer:
            del row["skills"]
        if sided:
            row["skills"] = ";".join(sorted(set(rng.choices(TOPICS, weights=weights, k=rng.randint(2, 4)))))
            row["interests"] = ";".join(topics)
        rows.append(row)
        by_dept_level.setdefault((dept, level), []).append(pid)
    for row in rows:
        level = int(row["level"])
        for up in range(level + 1, 10):
            bosses = by_dept_level.get((row["department"], up))
            if bosses:
                row["manager"] = rng.choice(bosses)
                break
    ids = [r["id"] for r in rows]
    for row in rng.sample(rows, max(1, people // 20)):
        row["previousPairs"] = ";".join(rng.sample(ids, 2))
    for row in rng.sample(rows, max(1, people // 50)):
        row["doNotPair"] = rng.choice(ids)
    return rows


def add_wishes(rows: list[dict[str, str]], seed: int = 11, most: int = 5) -> None:
    """Each mentee ranks up to `most` mentors, drawn with a pull towards a few popular ones (as
    real wish lists are), so that many wishes collide."""
    rng = random.Random(seed)
    mentors = [r["id"] for r in rows if r["role"] == "mentor"]
    weights = [1.0 / (1 + i) ** 0.7 for i in range(len(mentors))]
    for row in rows:
        if row["role"] == "mentee":
            picks = list(dict.fromkeys(rng.choices(mentors, weights=weights, k=most + 3)))[:rng.randint(1, most)]
            row["wishes"] = ";".join(picks)
        else:
            row["wishes"] = ""


def with_wishes(program: str, first: bool) -> str:
    """The traditional program with `pairing.wishes`: tried first, or weighed (weight 3)."""
    rule = "  wishes: {first: true}\n" if first else "  wishes: {weight: 3}\n"
    return program.replace("  load: {spread: false}", "  load: {spread: false}\n" + rule.rstrip("\n"))


def circles_program(name: str, low: int = 4, high: int = 6) -> str:
    """The peer program as leaderless circles balanced on department and location (levels are
    already held within one of each other by the peer rule)."""
    return PEER_PROGRAM.format(name=name, optimize="quality").replace(
        "pairing:\n", f"pairing:\n  circles: {{size: {{min: {low}, max: {high}}}, lead: false, balance: [department, location]}}\n", 1)


def write_roster(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
