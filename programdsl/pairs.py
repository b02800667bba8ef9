"""The pairs file: the matcher's output, reviewed by a coordinator, read by calendars and handbooks.

A pairs file is YAML (the full record, with explanations) or CSV (one row per match, for
spreadsheets). `status: draft` until a coordinator publishes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Match:
    """One pair, or one group: several mentees (one-to-many, circles) or several mentors (a shadow board)."""

    id: str  # stable: derived from the members' ids, so re-matching keeps calendar UIDs
    mentors: tuple[Member, ...]
    mentees: tuple[Member, ...]
    score: float
    explanation: tuple[str, ...] = ()
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    id: str
    role: str
    reason: str  # no-eligible-partner | capacity-exhausted | below-minimum-score | ineligible
    detail: str = ""


@dataclass
class PairsFile:
    program_id: str
    status: str  # draft | published
    matches: list[Match] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
