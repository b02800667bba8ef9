"""Roster -> eligible people -> fixed pairs -> optimal assignment -> explained pairs file.

`match(program, roster, fixed)` is the library entry point; it never prints or exits. Problems
with the input come back as located diagnostics; the plan comes back as a `PairsFile`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import numpy as np

from ..diagnostics import Diagnostic, Severity, Span
from ..model import Program
from ..pairs import Match, Member, PairsError, PairsFile, Unmatched, match_id, read_pairs
from . import codes
from .roster import FLEXIBLE_ROLE, Person, Roster
from .rules import SCALE, Compiled, Exceptions, Excluded, PreviouslyPaired, ReportingLine, WISH_RULE, Sides, WishList, eligibility_detail, failed_conditions, ordinal, wished
from .sentences import counted, plural_noun, role_noun, rule_name
from .solver import Load, Plan, solve


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


# --- wishes -------------------------------------------------------------------------------------


def check_wishes(program: Program, roster: Roster) -> list[Diagnostic]:
    """Warnings about the wishes column: ignored without `pairing.wishes`, more than the program
    reads, or naming someone who cannot be a partner. Ids are quoted; names never are."""
    people = [p for p in roster.people if p.values.get("wishes")]
    if not people:
        return []
    span = Span(roster.file, 1, 1)
    wishes = program.pairing.wishes
    if wishes is None:
        return [codes.WISHES_IGNORED.at(span, f"{len(people)} {'person lists' if len(people) == 1 else 'people list'} wishes, "
                                              "but the program does not say how wishes count, so they are ignored",
                                        hint="add pairing.wishes with a weight, or first: true (docs/matching.md)")]
    out = []
    by_id = roster.by_id
    counted = {"mentees": ("mentee",), "mentors": ("mentor",)}.get(wishes.sides, ("mentee", "mentor"))
    for person in people:
        listed = list(person.values["wishes"])
        where = Span(roster.file, person.line, 1)
        if person.role not in counted and person.role != FLEXIBLE_ROLE:
            continue
        if len(listed) > wishes.most:
            out.append(codes.WISHES_TOO_MANY.at(where, f"{person.id!r} lists {len(listed)} wishes; the program reads the first {wishes.most}",
                                                hint="put the most wanted first, or raise pairing.wishes.most"))
        for wanted in listed[:wishes.most]:
            other = by_id.get(wanted)
            if wanted == person.id:
                problem = "names themselves"
            elif other is None:
                problem = f"names {wanted!r}, who is not on the roster"
            elif not other.participant or (other.role == person.role and other.role != FLEXIBLE_ROLE):
                problem = f"names {wanted!r}, who cannot be their partner (role {other.role or 'empty'})"
            else:
                continue
            out.append(codes.WISH_UNKNOWN.at(where, f"a wish of {person.id!r} {problem}; it is ignored",
                                             hint="wishes are ids of people on the other side"))
    return out


def wished_first(program: Program, compiled: Compiled, capacity_rows: np.ndarray, capacity_cols: np.ndarray,
                 forbidden: set[tuple[int, int]], order: dict[str, str]) -> list[tuple[int, int]]:
    """Wishes tried first, in order: deferred acceptance. The side whose wishes count proposes
    to its wishes one by one; each person proposed to keeps, up to their capacity, the proposals
    they rank highest themselves (when both sides' wishes count), then fit best (score), then
    by the draw; a person turned away proposes to their next wish. Only pairs the hard rules and
    the minimum score allow are proposed. People who take either side take no part (their side
    is the optimiser's to choose). Returns (mentee position, mentor position) pairs."""
    wishes = program.pairing.wishes
    assert wishes is not None
    sides = compiled.sides
    flexible = {p.id for p in sides.mentors} & {p.id for p in sides.mentees}
    mentees_propose = wishes.sides != "mentors"
    proposers = sides.mentees if mentees_propose else sides.mentors
    receivers = sides.mentors if mentees_propose else sides.mentees
    receiver_pos = {p.id: i for i, p in enumerate(receivers)}
    cap_p = (capacity_rows if mentees_propose else capacity_cols).copy()
    cap_r = (capacity_cols if mentees_propose else capacity_rows).copy()

    def key(i: int, j: int) -> tuple[int, int]:  # (mentee position, mentor position)
        return (i, j) if mentees_propose else (j, i)

    def allowed(i: int, j: int) -> bool:
        r, c = key(i, j)
        mentor, mentee = sides.mentors[c], sides.mentees[r]
        return (r, c) not in forbidden and not compiled.broken(mentor, mentee) and \
            compiled.score(mentor, mentee) * SCALE >= compiled.minimum_q - 1e-6

    lists: dict[int, list[int]] = {}
    for i, person in enumerate(proposers):
        if person.id in flexible or cap_p[i] <= 0:
            continue
        lists[i] = [receiver_pos[w] for w in wished(person, wishes.most)
                    if w in receiver_pos and w not in flexible and cap_r[receiver_pos[w]] > 0]
    both = wishes.sides == "both"

    def standing(j: int, i: int) -> tuple[int, float, str]:
        r, c = key(i, j)
        mentor, mentee = sides.mentors[c], sides.mentees[r]
        own = wished(receivers[j], wishes.most) if both else []
        rank = own.index(proposers[i].id) if proposers[i].id in own else len(own) + 1
        return (rank, -compiled.score(mentor, mentee), order[proposers[i].id])

    held: dict[int, list[int]] = {j: [] for j in range(len(receivers))}
    next_wish = {i: 0 for i in lists}
    holding = {i: 0 for i in lists}
    queue = sorted(lists, key=lambda i: order[proposers[i].id])
    while queue:
        i = queue.pop(0)
        while holding[i] < cap_p[i] and next_wish[i] < len(lists[i]):
            j = lists[i][next_wish[i]]
            next_wish[i] += 1
            if not allowed(i, j):
                continue
            held[j].append(i)
            holding[i] += 1
            if len(held[j]) > cap_r[j]:
                held[j].sort(key=lambda x: standing(j, x))
                dropped = held[j].pop()
                holding[dropped] -= 1
                if dropped != i:
                    queue.append(dropped)
    return sorted(key(i, j) for j, taken in held.items() for i in taken)


def unmet_wishes(program: Program, compiled: Compiled, person: Person, partners: set[str], by_id: dict[str, Person],
                 ineligible: dict[str, str]) -> str:
    """Why the wishes ranked above what a person got were not met; "" when there is nothing to say."""
    wishes = program.pairing.wishes
    if wishes is None:
        return ""
    counted = {"mentees": ("mentee",), "mentors": ("mentor",)}.get(wishes.sides, ("mentee", "mentor"))
    if person.role not in counted:
        return ""
    listed = wished(person, wishes.most)
    missed = []
    for rank, wanted in enumerate(listed, start=1):
        if wanted in partners:
            break
        other = by_id.get(wanted)
        if other is None or not other.participant or (other.role == person.role and other.role != FLEXIBLE_ROLE):
            why = "cannot be their partner"
        elif wanted in ineligible:
            why = f"not eligible ({ineligible[wanted]})"
        else:
            mentor, mentee = (other, person) if person.role == "mentee" else (person, other)
            broken = compiled.broken(mentor, mentee)
            if broken:
                why = "breaks " + ", ".join(rule_name(r, program) for r in broken)
            elif compiled.score(mentor, mentee) * SCALE < compiled.minimum_q - 1e-6:
                why = "scores below the minimum"
            else:
                why = "their places went to others in the best plan" if not wishes.first else \
                    "kept people they ranked or suited better"
        missed.append(f"{ordinal(rank)} choice {wanted} ({why})")
    return "wishes not met: " + "; ".join(missed) if missed else ""


# --- the matcher ----------------------------------------------------------------------------------


def _capacity(program: Program, person: Person, side: str) -> int:
    if person.capacity is not None:
        return person.capacity
    cap = program.pairing.mentor_capacity if side == "mentor" else program.pairing.mentee_capacity
    return cap or 1


def read_declined(path: str | os.PathLike[str], display: str | None = None) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """Pairs an earlier pairs file says are declined: its `declined` list, and every pair it
    `proposed` that a coordinator has since deleted from its matches. A pin CSV has none."""
    file = display if display is not None else os.fspath(path)
    try:
        pairs = read_pairs(path, file)
    except PairsError as error:
        if not os.fspath(path).lower().endswith((".yaml", ".yml")):
            return [], []  # a simple mentor,mentee CSV: read_fixed reports its problems
        return [], [error.diagnostic()]
    return pairs.declined_now(), []


def draw_order(program: Program, person: Person) -> str:
    """The order people enter the solver, which decides between plans that are equal on every
    tier of the objective: a fixed draw from the program id and the person's id, so the same
    files always give the same plan, row order does not matter, and nobody is favoured for
    where their id or name falls in the alphabet."""
    import hashlib

    return hashlib.sha256(f"{program.id}|{person.id}".encode("utf-8")).hexdigest() + person.id


def match(program: Program, roster: Roster, fixed: Iterable[FixedPair] = (), status: str = "draft",
          declined: Iterable[tuple[str, str]] = ()) -> MatchResult:
    """Match the roster's participants under the program's pairing rules. `declined` pairs
    (mentor id, mentee id) are never made unless pinned."""
    result = MatchResult(None)
    diags = result.diagnostics
    diags += check_wishes(program, roster)
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
            ineligible[person.id] = prefix + eligibility_detail(failed, person)

    if program.pairing.circles is not None:
        result.pairs = _circle_plan(program, roster, people, sides_of, ineligible, status)
        result.method = "circles (balanced, local search)"
        return result
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
    order = {p.id: draw_order(program, p) for p in roster.people}
    mentors = sorted((p for p in people if "mentor" in sides_of[p.id] and fixed_side.get(p.id, "mentor") == "mentor"), key=lambda p: order[p.id])
    mentees = sorted((p for p in people if "mentee" in sides_of[p.id] and fixed_side.get(p.id, "mentee") == "mentee"), key=lambda p: order[p.id])
    # Fixed pairs may involve people outside the eligible sides (a coordinator's decision wins).
    mentor_pos = {p.id: i for i, p in enumerate(mentors)}
    mentee_pos = {p.id: i for i, p in enumerate(mentees)}
    extra_mentors = sorted({m.id: m for m, _, _ in fixed_ok if m.id not in mentor_pos}.values(), key=lambda p: order[p.id])
    extra_mentees = sorted({e.id: e for _, e, _ in fixed_ok if e.id not in mentee_pos}.values(), key=lambda p: order[p.id])
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
    fixed_keys = {(m.id, e.id) for m, e, _ in fixed_ok}
    declined_pairs = sorted({pair for pair in declined if pair not in fixed_keys})
    compiled = Compiled(program, sides, declined=declined_pairs)
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
            diags.append(codes.PIN_BREAKS_RULE.at(pin.span, f"the {what} pair {mentor.id!r} and {mentee.id!r} breaks the rule {rule_name(rule, program)}",
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
    extra_ids = {p.id for p in extra_mentors} | {p.id for p in extra_mentees}
    eligible_rows = np.array([p.id not in extra_ids for p in mentees], dtype=bool)
    eligible_cols = np.array([p.id not in extra_ids for p in mentors], dtype=bool)
    pairing = program.pairing
    wish_pairs: list[tuple[int, int]] = []
    if pairing.wishes is not None and pairing.wishes.first:
        wish_pairs = wished_first(program, compiled, left_rows, left_cols, forbidden, order)
        for r, c in wish_pairs:  # made first, like pins: they use capacity and are not chosen again
            forbidden.add((r, c))
            used_rows[r] += 1
            used_cols[c] += 1
        left_rows = np.maximum(cap_rows - used_rows, 0)
        left_cols = np.maximum(cap_cols - used_cols, 0)

    def flags(column: str) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([p.values.get(column) is True for p in mentees], dtype=bool),
                np.array([p.values.get(column) is True for p in mentors], dtype=bool))

    plan = solve(compiled, left_rows, left_cols, pairing.optimize, forbidden, flexible or None,
                 load=Load(pairing.spread is not False, pairing.minimum_load, pairing.waitlist_first, pairing.no_shows_last),
                 used_rows=used_rows, used_cols=used_cols,
                 full_rows=np.maximum(cap_rows, used_rows), full_cols=np.maximum(cap_cols, used_cols),
                 eligible_rows=eligible_rows, eligible_cols=eligible_cols, undirected=same_roles(program),
                 waiting=flags("waitlisted"), no_show=flags("noShow"))
    plan.pairs = sorted(plan.pairs + wish_pairs)
    result.method = plan.method
    result.pairs = _pairs_file(program, compiled, plan, fixed_ok, people, sides_of, ineligible,
                               mentee_pos, mentor_pos, status, dropped_kept,
                               {(mentors[c].id, mentees[r].id) for r, c in wish_pairs}, by_id)
    result.pairs.declined = declined_pairs
    return result


def _circle_plan(program: Program, roster: Roster, people: list[Person], sides_of: dict[str, list[str]],
                 ineligible: dict[str, str], status: str) -> PairsFile:
    """Circles instead of pairs (`pairing.circles`): see programdsl/matching/circles.py."""
    from .circles import form, mix

    plan = program.pairing.circles
    assert plan is not None
    order = {p.id: draw_order(program, p) for p in roster.people}
    if plan.lead:
        leads = [p for p in people if p.role == "mentor" and "mentor" in sides_of[p.id]]
        members = [p for p in people if p.role != "mentor" and "mentee" in sides_of[p.id]]
    else:
        leads, members = [], [p for p in people if sides_of[p.id]]
    sides = Sides(sorted(leads or members, key=lambda p: order[p.id]), sorted(members, key=lambda p: order[p.id]), roster.people)
    compiled = Compiled(program, sides)
    formed = form(program, compiled, leads, members, plan.min, plan.max, plan.balance, lambda p: order[p.id], plan.lead)
    from .sentences import describe_rule

    matches = []
    proposed = []
    for circle in formed.circles:
        lines = [f"circle of {len(circle.members)} (sizes {plan.min} to {plan.max})"] + mix(circle, plan.balance)
        if circle.lead is not None:
            anchor, rest = circle.lead, circle.members
            for member in rest:
                lines.append(f"{member.name} (score {compiled.score(anchor, member):.2f}):")
                lines += ["  " + line for line in compiled.explain(anchor, member)]
            score = float(np.mean([compiled.score(anchor, m) for m in rest]))
        else:
            anchor = min(circle.members, key=lambda p: order[p.id])  # listed first; any member may convene
            rest = [m for m in circle.members if m is not anchor]
            rules = [describe_rule(e.rule, program).rstrip(".") for e in compiled.hard]
            if rules:
                lines.append("every two members meet: " + "; ".join(f'"{r}"' for r in rules))
            lines.append(f"{anchor.name} is listed first to convene the first meeting")
            score = 1.0
        proposed += [(anchor.id, m.id) for m in rest]
        matches.append(Match(match_id([anchor.id], [m.id for m in rest], "mentors"), (_member(anchor),),
                             tuple(_member(m) for m in sorted(rest, key=lambda p: p.id)), score, tuple(lines), False))
    matches.sort(key=lambda m: ([x.id for x in m.mentors], [x.id for x in m.mentees]))
    unmatched = []
    in_circle = {x.id for m in matches for x in m.mentors + m.mentees}
    for person in sorted(people, key=lambda p: p.id):
        if person.id in ineligible:
            unmatched.append(Unmatched(person.id, person.role or "", "ineligible", ineligible[person.id], person.name))
        elif person.id not in in_circle:
            why = formed.left_out.get(person.id) or ("no circle was formed: there is nobody to lead one" if person not in leads
                                                     else "no circle was formed: there are no members for it")
            reason = "no-eligible-partner" if "rule" in why or "nobody" in why or "no members" in why else "capacity-exhausted"
            unmatched.append(Unmatched(person.id, person.role or "", reason, why, person.name))
    unmatched.sort(key=lambda u: (u.role, u.id))
    reasons: dict[str, int] = {}
    for u in unmatched:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    sizes: dict[str, int] = {}
    for m in matches:
        key = str(len(m.mentees) + (0 if plan.lead else 1))
        sizes[key] = sizes.get(key, 0) + 1
    summary: dict[str, Any] = {
        "mode": program.pairing.mode, "objective": "circles", "solver": "circles (balanced, local search)",
        "participants": {role: sum(1 for p in people if (p.role or "") == role) for role in sorted({p.role or "" for p in people})},
        "matches": len(matches), "pairs": len(proposed),
        "matched": sum(len(m.mentees) + len(m.mentors) for m in matches),
        "unmatched": dict(sorted(reasons.items())),
        "meanScore": round(float(np.mean([m.score for m in matches])), 4) if matches else 0.0,
        "minScore": round(min(m.score for m in matches), 4) if matches else 0.0,
        "circles": {"sizes": dict(sorted(sizes.items(), key=lambda kv: int(kv[0]))), "balance": list(plan.balance),
                    "imbalance": formed.imbalance, "imbalanceLowerBound": formed.bound},
    }
    return PairsFile(program.id, status, matches, unmatched, summary, sorted(proposed))


def same_roles(program: Program) -> bool:
    """A pair has no direction: a peer program, or both sides share a label ("Peer partner")."""
    return program.type == "peer" or role_noun(program, "mentor") == role_noun(program, "mentee")


def _member(person: Person) -> Member:
    return Member(person.id, person.name, person.email)


def _pairs_file(program: Program, compiled: Compiled, plan: Plan, fixed: list[tuple[Person, Person, FixedPair]],
                people: list[Person], sides_of: dict[str, list[str]], ineligible: dict[str, str],
                mentee_pos: dict[str, int], mentor_pos: dict[str, int], status: str, dropped_kept: int,
                wish_pairs: set[tuple[str, str]], by_id: dict[str, Person]) -> PairsFile:
    sides = compiled.sides
    links: list[tuple[Person, Person, float, bool]] = []
    for mentor, mentee, _ in fixed:
        links.append((mentor, mentee, compiled.score(mentor, mentee), True))
    for r, c in plan.pairs:
        links.append((sides.mentors[c], sides.mentees[r], compiled.score(sides.mentors[c], sides.mentees[r]), False))
    pairing = program.pairing
    group_by: str | None = None
    if pairing.mode == "group":
        group_by = "mentees" if (pairing.mentee_capacity or 1) > 1 and (pairing.mentor_capacity or 1) == 1 else "mentors"
    kept_ids = {(m.id, e.id) for m, e, pin in fixed if pin.kept}
    degrees: dict[tuple[str, str], list[float]] = {}
    matches: list[Match] = []
    partners: dict[str, set[str]] = {}
    for mentor, mentee, _, _ in links:
        partners.setdefault(mentor.id, set()).add(mentee.id)
        partners.setdefault(mentee.id, set()).add(mentor.id)
    unmet = {p.id: text for p in people if p.values.get("wishes")
             if (text := unmet_wishes(program, compiled, p, partners.get(p.id, set()), by_id, ineligible))}
    told: set[str] = set()

    def wish_lines(*who: Person) -> list[str]:
        out = []
        for person in who:
            if person.id in unmet and person.id not in told:
                told.add(person.id)
                out.append(f"{person.name}'s {unmet[person.id]}")
        return out

    wish_eval = next((e for e in compiled.preferences if isinstance(e, WishList)), None)
    if wish_eval is None and program.pairing.wishes is not None:
        wish_eval = WishList(WISH_RULE, compiled.sides, program)

    def first_line(mentor: Person, mentee: Person) -> list[str]:
        if (mentor.id, mentee.id) not in wish_pairs or wish_eval is None:
            return []
        return [f"made first, as a wish: {wish_eval.pair(mentor, mentee)[1]}"]

    if group_by is None:
        for mentor, mentee, score, pinned in links:
            lines = first_line(mentor, mentee) + compiled.explain(mentor, mentee) + wish_lines(mentee, mentor)
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
                lines += ["  " + line for line in first_line(mentor, mentee) + compiled.explain(mentor, mentee)]
                degrees[(mentor.id, mentee.id)] = compiled.last_degrees
            for mentor, mentee, _, _ in members:
                lines += wish_lines(mentee, mentor)
            score = float(np.mean([s for _, _, s, _ in members]))
            matches.append(Match(match_id([m.id for m in mentors_g], [e.id for e in mentees_g], group_by),
                                 tuple(_member(m) for m in mentors_g), tuple(_member(e) for e in mentees_g),
                                 score, tuple(lines), all(p for _, _, _, p in members)))
    matches.sort(key=lambda m: ([x.id for x in m.mentors], [x.id for x in m.mentees]))
    matched = {p.id for mentor, mentee, _, _ in links for p in (mentor, mentee)}
    unmatched = [_reason(program, compiled, plan, person, sides_of, ineligible, mentee_pos, mentor_pos)
                 for person in sorted(people, key=lambda p: p.id) if person.id not in matched]
    unmatched = [replace(u, detail=f"{u.detail}; {unmet[u.id]}") if u.id in unmet else u for u in unmatched]
    unmatched.sort(key=lambda u: (u.role, u.id))
    summary = _summary(program, compiled, plan, links, unmatched, people, dropped_kept, len(matches), degrees, sides_of)
    if program.pairing.wishes is not None:
        summary["wishes"] = _wish_summary(program, people, partners)
    proposed = sorted({(mentor.id, mentee.id) for mentor, mentee, _, _ in links})
    return PairsFile(program.id, status, matches, unmatched, summary, proposed)


def _wish_summary(program: Program, people: list[Person], partners: dict[str, set[str]]) -> dict[str, Any]:
    """People whose wishes count: how many got their 1st, 2nd, ... choice, and how many none."""
    wishes = program.pairing.wishes
    assert wishes is not None
    counted = {"mentees": ("mentee",), "mentors": ("mentor",)}.get(wishes.sides, ("mentee", "mentor", FLEXIBLE_ROLE))
    got: dict[str, int] = {}
    listed = none = 0
    for person in people:
        mine = wished(person, wishes.most)
        if not mine or person.role not in counted:
            continue
        listed += 1
        ranks = [mine.index(x) + 1 for x in partners.get(person.id, set()) if x in mine]
        if ranks:
            got[ordinal(min(ranks))] = got.get(ordinal(min(ranks)), 0) + 1
        else:
            none += 1
    return {"people": listed, "got": dict(sorted(got.items(), key=lambda kv: int(kv[0][:-2]))), "none": none}


def _pinned_line(compiled: Compiled, mentor: Person, mentee: Person, kept_ids: set[tuple[str, str]]) -> str:
    text = "kept from the earlier pairs file" if (mentor.id, mentee.id) in kept_ids else "pinned by a coordinator"
    broken = compiled.broken(mentor, mentee)
    if broken:
        return text + "; breaks " + ", ".join(rule_name(r, compiled.program) for r in broken)
    return text


#: Rules a single listed relation breaks, and how to say that it blocked the closest candidates.
_RELATION_PHRASES: dict[type, tuple[str, str]] = {
    Excluded: ("is on a do-not-pair list with them", "are on a do-not-pair list with them"),
    PreviouslyPaired: ("was paired with them before", "were paired with them before"),
    ReportingLine: ("is in their reporting line", "are in their reporting line"),
}


def _near_detail(program: Program, compiled: Compiled, near: np.ndarray, others: str) -> str:
    """Why the closest candidates (those who meet every hard rule but one) are ruled out."""
    parts = []
    for i in np.nonzero(near)[0]:
        evaluator, n = compiled.hard[int(i)], int(near[i])
        phrases = _RELATION_PHRASES.get(type(evaluator))
        if evaluator.rule.rule == "not-declined":
            phrases = ("was taken out of an earlier draft with them by a coordinator",
                       "were taken out of an earlier draft with them by a coordinator")
        if phrases is not None:
            parts.append((n, phrases[0] if n == 1 else phrases[1]))
        else:
            parts.append((n, f"{'does' if n == 1 else 'do'} not meet {rule_name(evaluator.rule, program)}"))
    total = sum(n for n, _ in parts)
    if len(parts) == 1:
        n, phrase = parts[0]
        who = f"the only {others} who meets every other rule" if n == 1 else f"all {counted(n, others)} who meet every other rule"
        return f"{who} {phrase}"
    return f"the {counted(total, others)} who meet all rules but one are ruled out: " + \
        "; ".join(f"{n} {phrase}" for n, phrase in parts)


def _reason(program: Program, compiled: Compiled, plan: Plan, person: Person, sides_of: dict[str, list[str]],
            ineligible: dict[str, str], mentee_pos: dict[str, int], mentor_pos: dict[str, int]) -> Unmatched:
    """The first true reason: ineligibility, then missing data a hard rule needs, then an empty
    other side, a rule nobody passes, the rule that stops the closest candidates, the minimum
    score, and last capacity."""
    role = person.role or ""
    if person.id in ineligible:
        return Unmatched(person.id, role, "ineligible", ineligible[person.id], person.name)
    stats = plan.stats
    n_hard = len(compiled.hard)
    views = []  # (allowed, suitable, best, rule counts, near counts, the other side's role, own side)
    if person.id in mentee_pos:
        r = mentee_pos[person.id]
        views.append((int(stats.allowed_rows[r]), int(stats.suitable_rows[r]), float(stats.best_rows[r]),
                      stats.rule_rows[:, r] if n_hard else np.zeros(0), stats.near_rows[:, r] if n_hard else np.zeros(0),
                      "mentor", "mentee"))
    if person.id in mentor_pos:
        c = mentor_pos[person.id]
        views.append((int(stats.allowed_cols[c]), int(stats.suitable_cols[c]), float(stats.best_cols[c]),
                      stats.rule_cols[:, c] if n_hard else np.zeros(0), stats.near_cols[:, c] if n_hard else np.zeros(0),
                      "mentee", "mentor"))
    allowed = max((v[0] for v in views), default=0)
    suitable = max((v[1] for v in views), default=0)
    other = views[0][5] if views else "mentor"
    own = views[0][6] if views else "mentee"
    others = role_noun(program, other)
    side = compiled.sides.mentors if other == "mentor" else compiled.sides.mentees
    pool = sum(1 for p in side if p.id != person.id)
    if allowed == 0:
        counts, near = (views[0][3], views[0][4]) if views else (np.zeros(0), np.zeros(0))
        lacking = [(noun, e.rule) for e in compiled.hard if (noun := e.missing(person, own))]
        # A relation (do-not-pair, reporting line) is said as such below, not as a rule nobody meets.
        blocking = [compiled.hard[i].rule for i in range(len(counts))
                    if counts[i] == 0 and not (isinstance(compiled.hard[i], Exceptions) and near[i] > 0)]
        if lacking:
            nouns = list(dict.fromkeys(noun for noun, _ in lacking))
            detail = (f"no {' or '.join(nouns)} given, which {'this rule needs' if len(lacking) == 1 else 'these rules need'}: "
                      + ", ".join(rule_name(rule, program) for _, rule in lacking))
        elif pool == 0:
            detail = f"no eligible {plural_noun(others)} on the roster"
        elif blocking:
            detail = f"no {others} meets {'this rule' if len(blocking) == 1 else 'these rules'}: " + \
                ", ".join(rule_name(r, program) for r in blocking)
        elif len(near) and near.max() > 0:
            detail = _near_detail(program, compiled, near, others)
        else:
            ranked = sorted(range(len(counts)), key=lambda i: (counts[i], i))[:2]
            detail = f"no {others} meets every rule at once; fewest meet " + \
                ", ".join(rule_name(compiled.hard[i].rule, program) for i in ranked)
        return Unmatched(person.id, role, "no-eligible-partner", detail, person.name)
    if suitable == 0:
        best = max(v[2] for v in views) / 1_000_000
        minimum = program.pairing.minimum_score or 0.0
        return Unmatched(person.id, role, "below-minimum-score",
                         f"the best possible pair scores {best:.2f}, below the minimum of {minimum:.2f}", person.name)
    if suitable == 1:
        detail = f"the only suitable {others} is taken in the best plan"
    else:
        detail = f"all {counted(suitable, f'suitable {others}')} are taken in the best plan"
    return Unmatched(person.id, role, "capacity-exhausted", detail, person.name)


def _load(program: Program, links: list[tuple[Person, Person, float, bool]], people: list[Person],
          sides_of: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """For each side whose people may take several partners: how many eligible people have 0,
    1, 2, ... partners (people with role `either` are left out: their side is the plan's)."""
    out: dict[str, dict[str, int]] = {}
    for side in ("mentor", "mentee"):
        mine = [p for p in people if p.role == side and side in sides_of.get(p.id, [])]
        if not any(_capacity(program, p, side) > 1 for p in mine):
            continue
        counts = {p.id: 0 for p in mine}
        for mentor, mentee, _, _ in links:
            who = mentor if side == "mentor" else mentee
            if who.id in counts:
                counts[who.id] += 1
        histogram: dict[str, int] = {}
        for n in sorted(counts.values()):
            histogram[str(n)] = histogram.get(str(n), 0) + 1
        out[side] = histogram
    return out


def _summary(program: Program, compiled: Compiled, plan: Plan, links: list[tuple[Person, Person, float, bool]],
             unmatched: list[Unmatched], people: list[Person], dropped_kept: int, n_matches: int,
             degrees: dict[tuple[str, str], list[float]], sides_of: dict[str, list[str]]) -> dict[str, Any]:
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
    load = _load(program, links, people, sides_of)
    if load:
        summary["load"] = load
    if program.pairing.minimum_load:
        floor = program.pairing.minimum_load
        summary["belowMinimumLoad"] = sum(n for count, n in load.get("mentor", {}).items() if int(count) < floor)
    if program.pairing.minimum_score is not None:
        summary["minimumScore"] = program.pairing.minimum_score
    if dropped_kept:
        summary["keptPairsDropped"] = dropped_kept
    return summary
