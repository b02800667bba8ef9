"""Roster -> eligible people -> fixed pairs -> optimal assignment -> explained pairs file.

`match(program, roster, fixed)` is the library entry point; it never prints or exits. Problems
with the input come back as located diagnostics; the plan comes back as a `PairsFile`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from ..diagnostics import Diagnostic, Severity, Span
from ..model import Program
from ..pairs import Match, Member, PairsError, PairsFile, Unmatched, match_id, read_pairs
from . import codes
from .roster import FLEXIBLE_ROLE, Person, Roster
from .rules import Compiled, Sides, eligibility_detail, failed_conditions
from .sentences import role_noun
from .solver import Plan, solve


@dataclass(frozen=True)
class FixedPair:
    """A pair a coordinator decided (a pin) or one kept from an earlier round."""

    mentor: str
    mentee: str
    span: Span
    kept: bool = False


@dataclass
class MatchResult:
    pairs: PairsFile | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    method: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.ERROR)


# --- pin and keep files -----------------------------------------------------------------------------


def read_fixed(path: str | os.PathLike[str], kept: bool, display: str | None = None) -> tuple[list[FixedPair], list[Diagnostic]]:
    """Pairs to honour: a pairs file (YAML or CSV, e.g. last round's), or a CSV with `mentor`
    and `mentee` columns holding ids. Groups expand to every mentor-mentee pair in them."""
    file = display if display is not None else os.fspath(path)
    text_path = os.fspath(path)
    if not text_path.lower().endswith((".yaml", ".yml")):
        import csv

        from ..pairs import PairsError, read_text

        try:
            text = read_text(path, file)  # the size and file-kind limits of pairs files
        except PairsError as error:
            return [], [error.diagnostic()]
        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        simple = header is not None and {h.strip().lower() for h in header} >= {"mentor", "mentee"}
        if simple:
            assert header is not None
            names = [h.strip().lower() for h in header]
            a, b = names.index("mentor"), names.index("mentee")
            out = []
            for line, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if max(a, b) >= len(row) or not row[a].strip() or not row[b].strip():
                    return [], [codes.PAIRS_UNREADABLE.at(Span(file, line, 1), f"line {line} needs a mentor id and a mentee id")]
                out.append(FixedPair(row[a].strip(), row[b].strip(), Span(file, line, 1), kept))
            return out, []
    try:
        pairs = read_pairs(path, file)
    except PairsError as error:
        return [], [error.diagnostic()]
    out = []
    for number, m in enumerate(pairs.matches, start=1):
        for mentor in m.mentors:
            for mentee in m.mentees:
                out.append(FixedPair(mentor.id, mentee.id, Span(file, number, 1), kept))
    return out, []


# --- the matcher ----------------------------------------------------------------------------------


def _capacity(program: Program, person: Person, side: str) -> int:
    if person.capacity is not None:
        return person.capacity
    cap = program.pairing.mentor_capacity if side == "mentor" else program.pairing.mentee_capacity
    return cap or 1


def match(program: Program, roster: Roster, fixed: Iterable[FixedPair] = (), status: str = "draft") -> MatchResult:
    """Match the roster's participants under the program's pairing rules."""
    result = MatchResult(None)
    diags = result.diagnostics
    people = [p for p in roster.people if p.participant]
    by_id = {p.id: p for p in roster.people}
    # Eligibility: a person may take a side only if they meet that role's conditions.
    sides_of: dict[str, list[str]] = {}
    ineligible: dict[str, str] = {}
    for person in people:
        wanted = ["mentor", "mentee"] if person.role == FLEXIBLE_ROLE else [person.role or ""]
        ok, failed_all = [], []
        for side in wanted:
            failed = failed_conditions(program, side, person)
            if failed:
                failed_all.append((side, failed))
            else:
                ok.append(side)
        sides_of[person.id] = ok
        if not ok:
            side, failed = failed_all[0]
            prefix = f"as {role_noun(program, side)}: " if len(wanted) > 1 else ""
            ineligible[person.id] = prefix + eligibility_detail(failed)

    # Fixed pairs: checked against the roster, then they use up capacity.
    fixed_ok: list[tuple[Person, Person, FixedPair]] = []
    seen_fixed: set[tuple[str, str]] = set()
    dropped_kept = 0
    for pin in fixed:
        mentor, mentee = by_id.get(pin.mentor), by_id.get(pin.mentee)
        if pin.kept and (mentor is None or mentee is None or not mentor.participant or not mentee.participant):
            dropped_kept += 1  # someone left the roster: their partner is matched again
            continue
        what = "kept" if pin.kept else "pinned"
        if mentor is None or mentee is None:
            missing = pin.mentor if mentor is None else pin.mentee
            diags.append(codes.PIN_INVALID.at(pin.span, f"the {what} pair names id {missing!r}, which is not on the roster",
                                              hint="use ids from the roster's id column"))
            continue
        bad_side = [(p, side) for p, side in ((mentor, "mentor"), (mentee, "mentee")) if p.role not in (side, FLEXIBLE_ROLE)]
        if bad_side:
            person, side = bad_side[0]
            diags.append(codes.PIN_INVALID.at(pin.span, f"the {what} pair puts {person.id!r} on the {side} side, but their roster role is {person.role or 'empty'}",
                                              hint="swap the two ids, or change the roster role"))
            continue
        if mentor.id == mentee.id:
            diags.append(codes.PIN_INVALID.at(pin.span, f"the {what} pair pairs {mentor.id!r} with themselves"))
            continue
        if (mentor.id, mentee.id) in seen_fixed:
            continue
        seen_fixed.add((mentor.id, mentee.id))
        fixed_ok.append((mentor, mentee, pin))
    # A flexible person in a fixed pair takes that side only.
    fixed_side: dict[str, str] = {}
    for mentor, mentee, pin in fixed_ok:
        for person, side in ((mentor, "mentor"), (mentee, "mentee")):
            other = fixed_side.setdefault(person.id, side)
            if other != side:
                diags.append(codes.PIN_INVALID.at(pin.span, f"{person.id!r} is fixed as both mentor and mentee",
                                                  hint="a person takes one side in a round"))
    if any(d.severity is Severity.ERROR for d in diags):
        return result
    mentors = sorted((p for p in people if "mentor" in sides_of[p.id] and fixed_side.get(p.id, "mentor") == "mentor"), key=lambda p: p.id)
    mentees = sorted((p for p in people if "mentee" in sides_of[p.id] and fixed_side.get(p.id, "mentee") == "mentee"), key=lambda p: p.id)
    # Fixed pairs may involve people outside the eligible sides (a coordinator's decision wins).
    mentor_pos = {p.id: i for i, p in enumerate(mentors)}
    mentee_pos = {p.id: i for i, p in enumerate(mentees)}
    extra_mentors = sorted({m.id: m for m, _, _ in fixed_ok if m.id not in mentor_pos}.values(), key=lambda p: p.id)
    extra_mentees = sorted({e.id: e for _, e, _ in fixed_ok if e.id not in mentee_pos}.values(), key=lambda p: p.id)
    mentors += extra_mentors
    mentees += extra_mentees
    mentor_pos = {p.id: i for i, p in enumerate(mentors)}
    mentee_pos = {p.id: i for i, p in enumerate(mentees)}
    cap_cols = np.array([_capacity(program, p, "mentor") for p in mentors], dtype=np.int64)
    cap_rows = np.array([_capacity(program, p, "mentee") for p in mentees], dtype=np.int64)
    for p in extra_mentors:
        cap_cols[mentor_pos[p.id]] = 0  # not eligible: only their fixed pairs
    for p in extra_mentees:
        cap_rows[mentee_pos[p.id]] = 0
    sides = Sides(mentors, mentees, roster.people)
    compiled = Compiled(program, sides)
    forbidden: set[tuple[int, int]] = set()
    used_cols = np.zeros(len(mentors), np.int64)
    used_rows = np.zeros(len(mentees), np.int64)
    for mentor, mentee, pin in fixed_ok:
        r, c = mentee_pos[mentee.id], mentor_pos[mentor.id]
        forbidden.add((r, c))
        used_cols[c] += 1
        used_rows[r] += 1
        what = "kept" if pin.kept else "pinned"
        broken = compiled.broken(mentor, mentee)
        if mentor.id in ineligible or mentee.id in ineligible:
            who = mentor if mentor.id in ineligible else mentee
            diags.append(codes.PIN_BREAKS_RULE.at(pin.span, f"the {what} pair includes {who.id!r}, who {ineligible[who.id]}",
                                                  hint="kept because a coordinator chose it"))
        for rule in broken:
            diags.append(codes.PIN_BREAKS_RULE.at(pin.span, f"the {what} pair {mentor.id!r} and {mentee.id!r} breaks rule '{rule.id or rule.rule}'",
                                                  hint="kept because a coordinator chose it; remove it from the file to let the matcher decide"))
    over = [(mentors[c], "mentor", int(used_cols[c]), int(max(cap_cols[c], _capacity(program, mentors[c], "mentor"))))
            for c in range(len(mentors)) if used_cols[c] > max(cap_cols[c], _capacity(program, mentors[c], "mentor"))]
    over += [(mentees[r], "mentee", int(used_rows[r]), int(max(cap_rows[r], _capacity(program, mentees[r], "mentee"))))
             for r in range(len(mentees)) if used_rows[r] > max(cap_rows[r], _capacity(program, mentees[r], "mentee"))]
    for person, side, used, cap in over:
        span = next(pin.span for m, e, pin in fixed_ok if (m if side == "mentor" else e).id == person.id)
        diags.append(codes.PIN_INVALID.at(span, f"{person.id!r} is fixed in {used} pairs as {side}, more than their capacity of {cap}",
                                          hint="remove pairs, or raise their capacity column"))
    if any(d.severity is Severity.ERROR for d in diags):
        return result
    left_rows = np.maximum(cap_rows - used_rows, 0)
    left_cols = np.maximum(cap_cols - used_cols, 0)
    flexible = {p.id: (mentee_pos[p.id], mentor_pos[p.id]) for p in people if p.id in mentee_pos and p.id in mentor_pos}
    plan = solve(compiled, left_rows, left_cols, program.pairing.optimize, forbidden, flexible or None)
    result.method = plan.method
    result.pairs = _pairs_file(program, compiled, plan, fixed_ok, people, sides_of, ineligible,
                               mentee_pos, mentor_pos, status, dropped_kept)
    return result


def _member(person: Person) -> Member:
    return Member(person.id, person.name, person.email)


def _pairs_file(program: Program, compiled: Compiled, plan: Plan, fixed: list[tuple[Person, Person, FixedPair]],
                people: list[Person], sides_of: dict[str, list[str]], ineligible: dict[str, str],
                mentee_pos: dict[str, int], mentor_pos: dict[str, int], status: str, dropped_kept: int) -> PairsFile:
    sides = compiled.sides
    links: list[tuple[Person, Person, float, bool]] = []
    for mentor, mentee, _ in fixed:
        links.append((mentor, mentee, compiled.score(mentor, mentee), True))
    for r, c in plan.pairs:
        links.append((sides.mentors[c], sides.mentees[r], plan.scores[(r, c)], False))
    pairing = program.pairing
    group_by: str | None = None
    if pairing.mode == "group":
        group_by = "mentees" if (pairing.mentee_capacity or 1) > 1 and (pairing.mentor_capacity or 1) == 1 else "mentors"
    kept_ids = {(m.id, e.id) for m, e, pin in fixed if pin.kept}
    degrees: dict[tuple[str, str], list[float]] = {}
    matches: list[Match] = []
    if group_by is None:
        for mentor, mentee, score, pinned in links:
            lines = compiled.explain(mentor, mentee)
            degrees[(mentor.id, mentee.id)] = compiled.last_degrees
            if pinned:
                lines = [_pinned_line(compiled, mentor, mentee, kept_ids)] + lines
            matches.append(Match(match_id([mentor.id], [mentee.id]), (_member(mentor),), (_member(mentee),), score, tuple(lines), pinned))
    else:
        groups: dict[str, list[tuple[Person, Person, float, bool]]] = {}
        for link in links:
            anchor = link[0] if group_by == "mentors" else link[1]
            groups.setdefault(anchor.id, []).append(link)
        for anchor_id, members in groups.items():
            members.sort(key=lambda x: (x[1].id, x[0].id))
            mentors_g = sorted({m.id: m for m, _, _, _ in members}.values(), key=lambda p: p.id)
            mentees_g = sorted({e.id: e for _, e, _, _ in members}.values(), key=lambda p: p.id)
            lines = []
            for mentor, mentee, score, pinned in members:
                other = mentee if group_by == "mentors" else mentor
                lines.append(f"{other.name} (score {score:.2f}{', pinned' if pinned else ''}):")
                lines += ["  " + line for line in compiled.explain(mentor, mentee)]
                degrees[(mentor.id, mentee.id)] = compiled.last_degrees
            score = float(np.mean([s for _, _, s, _ in members]))
            matches.append(Match(match_id([m.id for m in mentors_g], [e.id for e in mentees_g], group_by),
                                 tuple(_member(m) for m in mentors_g), tuple(_member(e) for e in mentees_g),
                                 score, tuple(lines), all(p for _, _, _, p in members)))
    matches.sort(key=lambda m: ([x.id for x in m.mentors], [x.id for x in m.mentees]))
    matched = {p.id for mentor, mentee, _, _ in links for p in (mentor, mentee)}
    unmatched = [_reason(program, compiled, plan, person, sides_of, ineligible, mentee_pos, mentor_pos)
                 for person in sorted(people, key=lambda p: p.id) if person.id not in matched]
    unmatched.sort(key=lambda u: (u.role, u.id))
    summary = _summary(program, compiled, plan, links, unmatched, people, dropped_kept, len(matches), degrees)
    return PairsFile(program.id, status, matches, unmatched, summary)


def _pinned_line(compiled: Compiled, mentor: Person, mentee: Person, kept_ids: set[tuple[str, str]]) -> str:
    text = "kept from the earlier pairs file" if (mentor.id, mentee.id) in kept_ids else "pinned by a coordinator"
    broken = compiled.broken(mentor, mentee)
    if broken:
        return text + "; breaks " + ", ".join(f"'{r.id or r.rule}'" for r in broken)
    return text


def _reason(program: Program, compiled: Compiled, plan: Plan, person: Person, sides_of: dict[str, list[str]],
            ineligible: dict[str, str], mentee_pos: dict[str, int], mentor_pos: dict[str, int]) -> Unmatched:
    role = person.role or ""
    if person.id in ineligible:
        return Unmatched(person.id, role, "ineligible", ineligible[person.id], person.name)
    stats = plan.stats
    views = []  # (allowed, suitable, best, rule counts, the other side's role)
    if person.id in mentee_pos:
        r = mentee_pos[person.id]
        views.append((int(stats.allowed_rows[r]), int(stats.suitable_rows[r]), float(stats.best_rows[r]),
                      stats.rule_rows[:, r] if len(compiled.hard) else np.zeros(0), "mentor"))
    if person.id in mentor_pos:
        c = mentor_pos[person.id]
        views.append((int(stats.allowed_cols[c]), int(stats.suitable_cols[c]), float(stats.best_cols[c]),
                      stats.rule_cols[:, c] if len(compiled.hard) else np.zeros(0), "mentee"))
    allowed = max((v[0] for v in views), default=0)
    suitable = max((v[1] for v in views), default=0)
    other = views[0][4] if views else "mentor"
    others = role_noun(program, other)
    pool = len(compiled.sides.mentors if other == "mentor" else compiled.sides.mentees)
    if allowed == 0:
        counts = views[0][3] if views else np.zeros(0)
        blocking = [compiled.hard[i].rule for i in range(len(counts)) if counts[i] == 0]
        if pool == 0:
            detail = f"no eligible {others} on the roster"
        elif blocking:
            detail = f"no {others} meets " + ", ".join(f"'{r.id or r.rule}'" for r in blocking)
        else:
            ranked = sorted(range(len(counts)), key=lambda i: (counts[i], i))[:2]
            names = " and ".join(f"'{compiled.hard[i].rule.id or compiled.hard[i].rule.rule}'" for i in ranked)
            detail = f"no {others} meets every hard rule at once; fewest pass {names}"
        return Unmatched(person.id, role, "no-eligible-partner", detail, person.name)
    if suitable == 0:
        best = max(v[2] for v in views) / 1_000_000
        minimum = program.pairing.minimum_score or 0.0
        return Unmatched(person.id, role, "below-minimum-score",
                         f"the best possible pair scores {best:.2f}, below the minimum of {minimum:.2f}", person.name)
    return Unmatched(person.id, role, "capacity-exhausted",
                     f"all {suitable} suitable {others}{'' if suitable == 1 else 's'} are taken in the best plan", person.name)


def _summary(program: Program, compiled: Compiled, plan: Plan, links: list[tuple[Person, Person, float, bool]],
             unmatched: list[Unmatched], people: list[Person], dropped_kept: int, n_matches: int,
             degrees: dict[tuple[str, str], list[float]]) -> dict[str, Any]:
    scores = [s for _, _, s, _ in links]
    reasons: dict[str, int] = {}
    for u in unmatched:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    met: dict[str, int] = {}
    for i, evaluator in enumerate(compiled.preferences):
        name = evaluator.rule.id or evaluator.rule.rule
        met[name] = sum(1 for mentor, mentee, _, _ in links if degrees[(mentor.id, mentee.id)][i] >= 1.0)
    roles: dict[str, int] = {}
    for p in people:
        roles[p.role or ""] = roles.get(p.role or "", 0) + 1
    matched_ids = {p.id for link in links for p in link[:2]}
    summary: dict[str, Any] = {
        "mode": program.pairing.mode,
        "objective": program.pairing.optimize,
        "solver": plan.method,
        "participants": dict(sorted(roles.items())),
        "matches": n_matches,
        "pairs": len(links),
        "pinned": sum(1 for link in links if link[3]),
        "matched": len(matched_ids),
        "unmatched": dict(sorted(reasons.items())),
        "totalScore": round(float(sum(scores)), 4),
        "meanScore": round(float(np.mean(scores)), 4) if scores else 0.0,
        "minScore": round(float(min(scores)), 4) if scores else 0.0,
        "preferencesMet": met,
    }
    if program.pairing.minimum_score is not None:
        summary["minimumScore"] = program.pairing.minimum_score
    if dropped_kept:
        summary["keptPairsDropped"] = dropped_kept
    return summary
