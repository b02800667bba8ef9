"""How much memory a match may need, estimated from the roster before anything is solved.

Matching weighs every mentor against every mentee, so its memory grows with the product of the
two sides: a 50,000-person roster can need tens of gigabytes, and a process that runs out is
killed by the kernel without a word. `memory_problem()` estimates the worst case (every pair
allowed) from the roster's counts and capacities alone, compares it with the memory this machine
has available, and when it does not fit returns a PD446 diagnostic that says what the machine can
take and how to split the pool. It is called before solving and imports nothing heavy.

The figures follow the solver's shapes (matching/solver.py): a dense slot matrix of 8-byte
weights (copied once when there are more mentee slots than mentor slots) while it has at most
`DENSE_CELLS` cells; otherwise an edge list and a sparse matrix at about `SPARSE_BYTES` bytes per
possible pair and slot; people who may take either side need a general-graph matching at about
`PEER_BYTES` bytes per possible pair (measured in bench/match).
"""

from __future__ import annotations

import math
import os
from typing import Iterable

from .. import limits
from ..diagnostics import Diagnostic, Span
from ..model import Program
from . import codes
from .roster import FLEXIBLE_ROLE, Person

DENSE_CELLS = 400_000_000
DENSE_BYTES = 8
SPARSE_BYTES = 100
PEER_BYTES = 600
BASE_BYTES = 300 * 2**20  # the interpreter, numpy, scipy and the roster itself


def estimate_bytes(mentor_slots: int, mentee_slots: int, mentors: int, mentees: int, flexible: int) -> int:
    """Worst-case bytes to solve a pool with these sizes (`flexible`: people on either side)."""
    if flexible:
        people = mentors + mentees - flexible
        return BASE_BYTES + PEER_BYTES * people * (people - 1) // 2
    cells = mentor_slots * mentee_slots
    both = mentor_slots > mentors and mentee_slots > mentees
    if cells <= DENSE_CELLS and not both:
        copies = 2 if mentee_slots > mentor_slots else 1
        return BASE_BYTES + DENSE_BYTES * cells * copies
    reps = max(mentor_slots / max(mentors, 1), mentee_slots / max(mentees, 1))
    return BASE_BYTES + int(SPARSE_BYTES * reps * mentors * mentees)


def available_bytes() -> int | None:
    """Memory this process may use: the configured limit, else the machine's available memory
    (capped by an address-space limit, if one is set) times `limits.MATCH_MEMORY_SHARE`."""
    if limits.MATCH_MEMORY_BYTES is not None:
        return limits.MATCH_MEMORY_BYTES
    available: int | None = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            return None
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            available = min(available, soft)
    except (ImportError, OSError, ValueError):
        pass
    return int(available * limits.MATCH_MEMORY_SHARE)


def _capacity(program: Program, person: Person, side: str) -> int:
    if person.capacity is not None:
        return person.capacity
    cap = program.pairing.mentor_capacity if side == "mentor" else program.pairing.mentee_capacity
    return cap or 1


def _size(count: float) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count / 2**10:,.0f} KB"


def memory_problem(program: Program, people: Iterable[Person], file: str) -> Diagnostic | None:
    """PD446 when matching these people may need more memory than is available; else None."""
    mentors = mentees = flexible = mentor_slots = mentee_slots = 0
    for person in people:
        if person.role in ("mentor", FLEXIBLE_ROLE):
            mentors += 1
            mentor_slots += min(_capacity(program, person, "mentor"), 10_000)
        if person.role in ("mentee", FLEXIBLE_ROLE):
            mentees += 1
            mentee_slots += min(_capacity(program, person, "mentee"), 10_000)
        flexible += person.role == FLEXIBLE_ROLE
    budget = available_bytes()
    if budget is None or not mentors or not mentees:
        return None
    need = estimate_bytes(mentor_slots, mentee_slots, mentors, mentees, flexible)
    if need <= budget:
        return None
    people_count = mentors + mentees - flexible
    # Memory grows with the product of the sides: k cohorts each need about 1/k^2 of it.
    cohorts = max(2, math.ceil(math.sqrt((need - BASE_BYTES) / max(budget - BASE_BYTES, 1))))
    sides = (f"{people_count:,} people who may take either side" if flexible
             else f"{mentors:,} mentors ({mentor_slots:,} places) with {mentees:,} mentees ({mentee_slots:,} places)")
    return codes.ROSTER_TOO_BIG_TO_MATCH.at(
        Span(file, 1, 1),
        f"matching {sides} may need about {_size(need)} of memory, but about {_size(budget)} is available here; "
        "nothing was matched",
        hint=f"split the roster into at least {cohorts} cohorts of about {math.ceil(people_count / cohorts):,} people "
             "(by department, site or intake, keeping mentors and mentees in the same proportion) and match each "
             "separately, or run on a machine with more memory")
