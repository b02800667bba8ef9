"""The assignment: a globally optimal choice of pairs under hard rules and capacities.

The problem is a maximum-weight b-matching. Mentees are rows, mentors columns; a pair that
breaks a hard rule, or scores below the minimum, is never chosen. The objective's tiers
(`Objective`: minimum load, spread, then score and people matched in the program's order) are
encoded exactly as integer weights: one per allowed pair (its score) plus one per filled slot
(a person's first, second, ... partner), so that concave slot bonuses make the solver fill
first slots first.

Capacities become repeated slots on one side, so the problem is a rectangular assignment that
`scipy.optimize.linear_sum_assignment` solves to optimality on the complete matrix: nothing is
pruned, so the plan is optimal over every allowed pair. When the matrix would not fit in memory,
the allowed pairs go to `scipy.sparse.csgraph.min_weight_full_bipartite_matching` instead (a
private "unmatched" partner per person makes a full matching always exist). When both sides take
several partners, slots could pair the same two people twice, so the problem is solved as a
linear program with a bound of 1 on each pair and a variable per slot (`scipy.optimize.linprog`,
HiGHS dual simplex); it is a flow network, totally unimodular, so its basic optimum is whole.

People whose role is `either` may sit on both sides; that is no longer bipartite. When everyone
takes one partner, it is a maximum-weight matching in a general graph, which Edmonds' blossom
algorithm solves exactly (`rustworkx.max_weight_matching`). In a peer program (both roles the
same) with several partners each, it is a b-matching in a general graph, a 0/1 program over the
pairs whose relaxation is tight; otherwise an integer program (`scipy.optimize.milp`) with one
more variable per flexible person choosing their side, exact for a few dozen flexible people;
beyond `SIDED_EXACT_LIMIT`, its linear relaxation bounds the plan, rounds the sides, and the
bipartite problem left is solved exactly (`_sided`, a stated heuristic with its gap).

Every routine is deterministic, and the engine orders people by a fixed draw (`draw_order`), so
the same roster (in any row order) gives the same plan.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .rules import SCALE, Compiled

DENSE_LIMIT = 400_000_000  # cells of the slot matrix (8 bytes each, 3.2 GB) before going sparse
BLOCK_CELLS = 2_000_000
#: Pools of people who take either side, up to this many, are solved on every allowed pair;
#: larger ones on each person's best `PEER_CANDIDATES` partners (see `_Candidates`).
PEER_FULL_LIMIT = 2_000
PEER_CANDIDATES = 16
#: People who take either side and several partners, in a program whose roles differ: up to
#: this many are solved exactly by the integer program; more by `_sided` (relaxation, rounding,
#: exact bipartite plan, at most `SIDED_FLIPS` side flips).
SIDED_EXACT_LIMIT = 24
#: ... and up to this many on every allowed pair; more on each person's best `SIDED_CANDIDATES`
#: (at 500 people: 3 s instead of 11, and as good a plan in bench/match).
SIDED_FULL_LIMIT = 300
SIDED_CANDIDATES = 32
SIDED_FLIPS = 12
SIDED_ROUNDS = 6


@dataclass
class Stats:
    """Per person, over every eligible partner on the other side (ignoring capacity)."""

    allowed_rows: np.ndarray
    allowed_cols: np.ndarray
    suitable_rows: np.ndarray
    suitable_cols: np.ndarray
    best_rows: np.ndarray
    best_cols: np.ndarray
    rule_rows: np.ndarray  # (hard rules, mentees): partners passing that rule alone
    rule_cols: np.ndarray
    near_rows: np.ndarray  # (hard rules, mentees): partners passing every hard rule but that one
    near_cols: np.ndarray


@dataclass
class Plan:
    pairs: list[tuple[int, int]]  # (mentee position, mentor position)
    stats: Stats
    method: str
    objective_value: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Load:
    """How partners are shared out among people who take several, and who comes first (see
    `Objective`)."""

    spread: bool = True
    minimum: int = 0
    waitlist_first: bool = False
    no_shows_last: bool = False


class Objective:
    """The program's objective as one integer weight per chosen pair and per filled slot.

    A plan is compared on these tiers, highest first (a tier only counts when it is in use):

    - waitlist: people who waited last round (unmatched, or left without a partner) who are
      matched;
    - no-shows last: people matched who did not miss out on taking part after a match last
      round, so someone who did is matched only where nobody else can take the place;
    - minimum load: partners below each mentor's `load.minimum`, filled where the rules allow;
    - spread: people able to take several partners who get at least one (nobody gets a second
      while someone who could take one has none);
    - then `quality`: total score, then people matched; or `coverage`: people matched, then
      total score.

    People matched count people, not pairs: a pair with a mentor's first partner matches two
    people, a pair that fills a second slot matches one. Each tier is a whole number with a
    known bound, so giving each tier a multiplier larger than everything below it turns the
    comparison into one sum that the solvers maximise exactly (below 2**52). Scores are
    coarsened by `step` millionths only when the bounds would not fit otherwise.
    """

    def __init__(self, objective: str, load: Load, bound: int, several: bool) -> None:
        self.objective = objective
        self.spread = load.spread and several
        self.minimum = load.minimum
        self.waiting, self.reliable = load.waitlist_first, load.no_shows_last
        bound = max(bound, 1)
        people_max, spread_max, minimum_max = 2 * bound, (2 * bound if self.spread else 0), (bound if self.minimum else 0)
        self.step = 1.0
        self.dropped: list[str] = []
        while True:
            score_max = int(bound * SCALE / self.step)
            order = [("people", people_max), ("score", score_max)] if objective == "quality" else \
                [("score", score_max), ("people", people_max)]
            order += [("spread", spread_max), ("minimum", minimum_max), ("reliable", people_max if self.reliable else 0),
                      ("waiting", people_max if self.waiting else 0)]
            order = [(name, 0 if name in self.dropped else top) for name, top in order]
            multiplier, self.k = 1, {}
            for name, top in order:
                self.k[name] = multiplier
                multiplier *= top + 1
            self.total = multiplier
            if multiplier < 2 ** 52:
                break
            if self.step < SCALE:
                self.step *= 10
            else:  # a pool too large for every tier: the lowest one left stops counting
                self.dropped.append(next(name for name, top in order if top))

    def pair(self, q: np.ndarray) -> np.ndarray:
        """The weight of pairs with quantized scores `q` (a new array)."""
        units = np.rint(q / self.step) if self.step != 1 else q.copy()
        units *= self.k["score"]
        out: np.ndarray = units
        return out

    def slot(self, rank: np.ndarray, capacity: np.ndarray, mentor: bool, waiting: np.ndarray | None = None,
             no_show: np.ndarray | None = None) -> np.ndarray:
        """The bonus for filling slot `rank` (1 = first partner) of people with `capacity`, who
        waited last round (`waiting`) or did not take part after a match (`no_show`)."""
        rank = np.asarray(rank)
        first = rank == 1
        out = first * float(self.k["people"])
        if self.waiting and waiting is not None:
            out = out + (first & np.asarray(waiting, bool)) * float(self.k["waiting"])
        if self.reliable:
            steady = np.ones(first.shape, bool) if no_show is None else ~np.asarray(no_show, bool)
            out = out + (first & steady) * float(self.k["reliable"])
        if self.spread:
            out = out + (first & (np.asarray(capacity) > 1)) * float(self.k["spread"])
        if self.minimum and mentor:
            out = out + (rank <= self.minimum) * float(self.k["minimum"])
        return np.asarray(out, dtype=np.float64)


def _ranks(caps: np.ndarray, used: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Slots of each person with remaining capacity `caps` after `used` fixed partners:
    (owner of each slot, rank of each slot), at most `limit` slots each."""
    reps = np.minimum(caps, max(1, limit))
    owner = np.repeat(np.arange(len(caps)), reps)
    first = np.cumsum(reps) - reps
    rank = np.arange(len(owner)) - np.repeat(first, reps) + 1 + np.repeat(used, reps)
    return owner, rank


def solve(compiled: Compiled, cap_rows: np.ndarray, cap_cols: np.ndarray, objective: str,
          forbidden: set[tuple[int, int]] | None = None, flexible: dict[str, tuple[int, int]] | None = None,
          load: Load = Load(), used_rows: np.ndarray | None = None, used_cols: np.ndarray | None = None,
          full_rows: np.ndarray | None = None, full_cols: np.ndarray | None = None,
          eligible_rows: np.ndarray | None = None, eligible_cols: np.ndarray | None = None,
          undirected: bool = False, waiting: tuple[np.ndarray, np.ndarray] | None = None,
          no_show: tuple[np.ndarray, np.ndarray] | None = None) -> Plan:
    """Choose pairs. `cap_rows`/`cap_cols` are remaining capacities of mentees/mentors, after
    `used_rows`/`used_cols` fixed partners, out of `full_rows`/`full_cols`; `forbidden` pairs
    (already fixed) are not chosen again; `flexible` maps the id of a person on both sides to
    (mentee position, mentor position); `eligible_*` mark the people counted as possible
    partners in the reasons (a pinned ineligible person is not one). `undirected`: the two
    roles are the same (a peer program), so a flexible person may hold several partnerships
    without keeping one side."""
    n_rows, n_cols = compiled.shape
    forbidden = forbidden or set()
    cap_rows = np.asarray(cap_rows, dtype=np.int64)
    cap_cols = np.asarray(cap_cols, dtype=np.int64)
    used_rows = np.zeros(n_rows, np.int64) if used_rows is None else np.asarray(used_rows, np.int64)
    used_cols = np.zeros(n_cols, np.int64) if used_cols is None else np.asarray(used_cols, np.int64)
    full_rows = cap_rows + used_rows if full_rows is None else np.asarray(full_rows, np.int64)
    full_cols = cap_cols + used_cols if full_cols is None else np.asarray(full_cols, np.int64)
    elig_rows = np.ones(n_rows, bool) if eligible_rows is None else np.asarray(eligible_rows, bool)
    elig_cols = np.ones(n_cols, bool) if eligible_cols is None else np.asarray(eligible_cols, bool)
    wait_rows, wait_cols = waiting if waiting is not None else (np.zeros(n_rows, bool), np.zeros(n_cols, bool))
    gone_rows, gone_cols = no_show if no_show is not None else (np.zeros(n_rows, bool), np.zeros(n_cols, bool))
    act_rows = np.nonzero(cap_rows > 0)[0]
    act_cols = np.nonzero(cap_cols > 0)[0]
    bound = int(min(np.minimum(cap_rows[act_rows], len(act_cols)).sum(), np.minimum(cap_cols[act_cols], len(act_rows)).sum()))
    several = bool((full_rows[act_rows] > 1).any() or (full_cols[act_cols] > 1).any())
    goal = Objective(objective, load, bound, several)
    n_hard = len(compiled.hard)
    stats = Stats(
        np.zeros(n_rows, np.int64), np.zeros(n_cols, np.int64), np.zeros(n_rows, np.int64), np.zeros(n_cols, np.int64),
        np.full(n_rows, -1.0), np.full(n_cols, -1.0), np.zeros((n_hard, n_rows), np.int64), np.zeros((n_hard, n_cols), np.int64),
        np.zeros((n_hard, n_rows), np.int64), np.zeros((n_hard, n_cols), np.int64),
    )
    row_map = np.full(n_rows, -1, np.int64)
    row_map[act_rows] = np.arange(len(act_rows))
    rows_cap = cap_rows[act_rows]
    cols_cap = cap_cols[act_cols]
    # The dense matrix holds one row per mentee slot and one column per mentor slot; only one
    # side may have several slots (otherwise two people could meet twice: that is the LP's job).
    row_owner, row_rank = _ranks(rows_cap, used_rows[act_rows], len(act_cols))
    col_owner, col_rank = _ranks(cols_cap, used_cols[act_cols], len(act_rows))
    row_bonus = goal.slot(row_rank, full_rows[act_rows][row_owner], False, wait_rows[act_rows][row_owner], gone_rows[act_rows][row_owner])
    col_bonus = goal.slot(col_rank, full_cols[act_cols][col_owner], True, wait_cols[act_cols][col_owner], gone_cols[act_cols][col_owner])
    row_reps = np.bincount(row_owner, minlength=len(act_rows))
    col_reps = np.bincount(col_owner, minlength=len(act_cols))
    both = bool((row_reps > 1).any() and (col_reps > 1).any())
    cells = len(row_owner) * len(col_owner)
    dense = cells <= DENSE_LIMIT and not flexible and not both
    weights = np.zeros((len(row_owner), len(col_owner)), dtype=np.float64) if dense else None
    row_first = np.concatenate([[0], np.cumsum(row_reps)[:-1]]).astype(np.int64)
    edges_r: list[np.ndarray] = []
    edges_c: list[np.ndarray] = []
    edges_w: list[np.ndarray] = []
    forb = sorted(forbidden)
    # The sided route (see `_flexible`) solves a linear program over the pairs: beyond
    # `SIDED_FULL_LIMIT` people it keeps each person's best partners, as the large peer route does.
    sided = bool(flexible) and not undirected and not bool((rows_cap == 1).all() and (cols_cap == 1).all())
    full_limit = SIDED_FULL_LIMIT if sided else PEER_FULL_LIMIT
    candidates = _Candidates(len(act_rows), len(act_cols), SIDED_CANDIDATES if sided else PEER_CANDIDATES) \
        if flexible and len(flexible) > full_limit else None
    rows_per_block = max(1, BLOCK_CELLS // max(1, n_cols))
    for start in range(0, n_rows, rows_per_block):
        stop = min(n_rows, start + rows_per_block)
        allowed, q, passes = compiled.block(start, stop)
        suitable = allowed & (q >= compiled.minimum_q)
        counted_r = elig_cols[None, :]
        counted_c = elig_rows[start:stop, None]
        stats.allowed_rows[start:stop] = (allowed & counted_r).sum(axis=1)
        stats.allowed_cols += (allowed & counted_c).sum(axis=0)
        stats.suitable_rows[start:stop] = (suitable & counted_r).sum(axis=1)
        stats.suitable_cols += (suitable & counted_c).sum(axis=0)
        masked = np.where(allowed, q, -1.0)
        if n_cols:
            stats.best_rows[start:stop] = np.where(counted_r, masked, -1.0).max(axis=1)
            np.maximum(stats.best_cols, np.where(counted_c, masked, -1.0).max(axis=0), out=stats.best_cols)
        fails = np.zeros(allowed.shape, np.int64)
        for ok in passes:
            fails += ~ok
        for i, ok in enumerate(passes):
            stats.rule_rows[i, start:stop] = (ok & counted_r).sum(axis=1)
            stats.rule_cols[i] += (ok & counted_c).sum(axis=0)
            near = (fails == 1) & ~ok
            stats.near_rows[i, start:stop] = (near & counted_r).sum(axis=1)
            stats.near_cols[i] += (near & counted_c).sum(axis=0)
        del fails
        for r, c in forb:
            if start <= r < stop:
                suitable[r - start, c] = False
        block_rows = np.nonzero(row_map[start:stop] >= 0)[0]
        if not len(block_rows):
            continue
        if len(block_rows) == stop - start and len(act_cols) == n_cols:
            sub, q_sub = suitable, q
        else:
            sub, q_sub = suitable[block_rows][:, act_cols], q[block_rows][:, act_cols]
        w = goal.pair(q_sub)
        if dense:
            assert weights is not None
            if len(col_owner) != len(act_cols):
                w, sub = w[:, col_owner], sub[:, col_owner]
            w += col_bonus[None, :]
            first = row_first[row_map[start + block_rows[0]]]
            reps = row_reps[row_map[start + block_rows]]
            if not (reps == 1).all():
                w, sub = np.repeat(w, reps, axis=0), np.repeat(sub, reps, axis=0)
            w += row_bonus[first:first + len(w), None]
            w[~sub] = 0.0
            weights[first:first + len(w)] = w
        elif candidates is not None:
            candidates.add(row_map[start + block_rows], w, sub)
        else:
            nz_r, nz_c = np.nonzero(sub)
            edges_r.append(row_map[start + block_rows[nz_r]])
            edges_c.append(nz_c)
            edges_w.append(w[nz_r, nz_c])
        del allowed, q, passes, suitable, sub, q_sub, w
    if dense:
        assert weights is not None
        chosen, method = _dense(weights, row_owner, col_owner)
        del weights
        plan_pairs = [(int(act_rows[r]), int(act_cols[c])) for r, c, _ in chosen]
        value = float(sum(w for _, _, w in chosen))
    else:
        if candidates is not None:
            er, ec, ew = candidates.edges()
        else:
            er = np.concatenate(edges_r) if edges_r else np.zeros(0, np.int64)
            ec = np.concatenate(edges_c) if edges_c else np.zeros(0, np.int64)
            ew = np.concatenate(edges_w) if edges_w else np.zeros(0)
        slots = _Slots(goal, rows_cap, cols_cap, used_rows[act_rows], used_cols[act_cols],
                       full_rows[act_rows], full_cols[act_cols], wait_rows[act_rows], wait_cols[act_cols],
                       gone_rows[act_rows], gone_cols[act_cols])
        if flexible:
            chosen_e, method, value = _flexible(er, ec, ew, slots, act_rows, act_cols, flexible, undirected)
        else:
            chosen_e, method, value = _sparse(er, ec, ew, slots)
        plan_pairs = [(int(act_rows[er[e]]), int(act_cols[ec[e]])) for e in chosen_e]
        if candidates is not None:
            method += f" on each person's best {candidates.k} partners"
    plan_pairs.sort()
    return Plan(plan_pairs, stats, method, value)


class _Candidates:
    """The heaviest `k` allowed pairs of every row and of every column, kept while the blocks
    stream past, so that memory stays at (rows + columns) * k edges however many pairs are
    allowed. For a pool of peers this keeps each person's best partners in both orientations;
    the plan is then optimal on that graph, and the benchmark measures how far that is from
    the optimum on every pair (bench/match)."""

    def __init__(self, n_rows: int, n_cols: int, k: int) -> None:
        self.k = k
        self.rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.col_w = np.full((k, n_cols), -1.0)
        self.col_r = np.full((k, n_cols), -1, np.int64)

    def add(self, rows: np.ndarray, w: np.ndarray, ok: np.ndarray) -> None:
        masked = np.where(ok, w, -1.0)
        n_rows, n_cols = masked.shape
        k = min(self.k, n_cols)
        if k == 0:
            return
        top = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(masked, top, axis=1)
        keep = values > 0
        self.rows.append((np.repeat(rows, k)[keep.ravel()], top.ravel()[keep.ravel()], values.ravel()[keep.ravel()]))
        # Columns: merge this block's best k per column with the best so far.
        kc = min(self.k, n_rows)
        col_top = np.argpartition(-masked, kc - 1, axis=0)[:kc]
        merged_w = np.concatenate([self.col_w, np.take_along_axis(masked, col_top, axis=0)])
        merged_r = np.concatenate([self.col_r, rows[col_top]])
        best = np.argpartition(-merged_w, self.k - 1, axis=0)[:self.k]
        self.col_w = np.take_along_axis(merged_w, best, axis=0)
        self.col_r = np.take_along_axis(merged_r, best, axis=0)

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cols = np.broadcast_to(np.arange(self.col_w.shape[1]), self.col_w.shape)
        keep = self.col_w > 0
        er = np.concatenate([r for r, _, _ in self.rows] + [self.col_r[keep]])
        ec = np.concatenate([c for _, c, _ in self.rows] + [cols[keep]])
        ew = np.concatenate([x for _, _, x in self.rows] + [self.col_w[keep]])
        # The same pair may come from its row and its column: keep it once.
        order = np.lexsort((ec, er))
        er, ec, ew = er[order], ec[order], ew[order]
        first = np.ones(len(er), dtype=bool)
        first[1:] = (er[1:] != er[:-1]) | (ec[1:] != ec[:-1])
        return er[first].astype(np.int64), ec[first].astype(np.int64), ew[first]


@dataclass
class _Slots:
    """Remaining capacities of the active people and the bonus of each of their slots."""

    goal: Objective
    rows_cap: np.ndarray
    cols_cap: np.ndarray
    rows_used: np.ndarray
    cols_used: np.ndarray
    rows_full: np.ndarray
    cols_full: np.ndarray
    rows_wait: np.ndarray
    cols_wait: np.ndarray
    rows_gone: np.ndarray
    cols_gone: np.ndarray

    def bonus(self, mentor: bool, who: np.ndarray, offset: np.ndarray | int = 0) -> np.ndarray:
        """Bonus of slot `offset` (0 = the next free one) of people `who` on one side."""
        used, full, wait, gone = (self.cols_used, self.cols_full, self.cols_wait, self.cols_gone) if mentor else \
            (self.rows_used, self.rows_full, self.rows_wait, self.rows_gone)
        return self.goal.slot(used[who] + 1 + offset, full[who], mentor, wait[who], gone[who])

    def ladder(self, mentor: bool, who: np.ndarray, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Slots of people `who` with `caps` free each: (index into `who` of each slot, bonus)."""
        owner = np.repeat(np.arange(len(who)), caps)
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(caps) - caps, caps)
        return owner, self.bonus(mentor, np.asarray(who)[owner], offset)


def _dense(weights: np.ndarray, row_owner: np.ndarray, col_owner: np.ndarray) -> tuple[list[tuple[int, int, float]], str]:
    """Solve the slot matrix in place (it is negated, then restored). Returns (row, column,
    weight) for each chosen pair, in terms of the owners of the slots."""
    from scipy.optimize import linear_sum_assignment

    if weights.size == 0:
        return [], "none"
    weights *= -1.0
    try:
        r, c = linear_sum_assignment(weights)
        values = weights[r, c]
    finally:
        weights *= -1.0
    keep = values < 0
    return [(int(row_owner[a]), int(col_owner[b]), float(-v)) for a, b, v in zip(r[keep], c[keep], values[keep])], \
        "linear_sum_assignment"


def _sparse(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots) -> tuple[np.ndarray, str, float]:
    """Max-weight b-matching on an edge list, exact, without a dense matrix."""
    if len(er) == 0:
        return np.zeros(0, np.int64), "none", 0.0
    rows_cap, cols_cap = slots.rows_cap, slots.cols_cap
    if (rows_cap > 1).any() and (cols_cap > 1).any():
        return _lp(er, ec, ew, slots)
    # Expand the side with capacities into slots; edge e becomes one edge per slot.
    transpose = bool((rows_cap > 1).any())
    left, right, lcap, rcap = (ec, er, cols_cap, rows_cap) if transpose else (er, ec, rows_cap, cols_cap)
    slots_of = np.minimum(rcap, len(lcap))
    first = np.concatenate([[0], np.cumsum(slots_of)[:-1]])
    reps = slots_of[right]
    edge_of = np.repeat(np.arange(len(er)), reps)
    offset = np.arange(len(edge_of)) - np.repeat(np.cumsum(reps) - reps, reps)
    u = left[edge_of]
    v = first[right[edge_of]] + offset
    w = ew[edge_of] + slots.bonus(transpose, u) + slots.bonus(not transpose, right[edge_of], offset)
    keep = w > 0
    u, v, w, edge_of = u[keep], v[keep], w[keep], edge_of[keep]
    if len(w) == 0:
        return np.zeros(0, np.int64), "none", 0.0
    n_u, n_v = len(lcap), int(slots_of.sum())
    picked = _lapjv(u, v, w, n_u, n_v)
    chosen = np.sort(edge_of[picked]).astype(np.int64)
    return chosen, "min_weight_full_bipartite_matching", float(w[picked].sum())


def _slot_columns(slots: _Slots, er: np.ndarray, ec: np.ndarray, n_e: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Slot variables for the programs: one per free slot of each person who has an edge, each
    in [0, 1], with -1 in that person's row (row index: mentee r, or n_rows + mentor c).
    Returns (rows, columns, values) of their matrix entries, and their bonuses."""
    n_r = len(slots.rows_cap)
    rows, cols, vals, bonus = [], [], [], []
    column = n_e
    for mentor, ends, cap, offset in ((False, er, slots.rows_cap, 0), (True, ec, slots.cols_cap, n_r)):
        degree = np.bincount(ends, minlength=len(cap))
        free = np.minimum(cap, degree)
        who = np.arange(len(cap))
        owner, gain = slots.ladder(mentor, who, free)
        rows.append(offset + owner)
        cols.append(column + np.arange(len(owner)))
        vals.append(-np.ones(len(owner)))
        bonus.append(gain)
        column += len(owner)
    return rows, cols, vals, np.concatenate(bonus)


def _lp(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots) -> tuple[np.ndarray, str, float]:
    """Both sides take several partners: a linear program with a bound of 1 per pair and one
    variable per slot, so the slot bonuses apply. As a flow network its matrix is totally
    unimodular, so the simplex method's optimal vertex is whole."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    n_e = len(er)
    n_r, n_c = len(slots.rows_cap), len(slots.cols_cap)
    s_rows, s_cols, s_vals, bonus = _slot_columns(slots, er, ec, n_e)
    n_var = n_e + len(bonus)
    a = csr_matrix((np.concatenate([np.ones(2 * n_e)] + s_vals),
                    (np.concatenate([er, n_r + ec] + s_rows), np.concatenate([np.arange(n_e)] * 2 + s_cols))),
                   shape=(n_r + n_c, n_var))
    cost = -np.concatenate([ew, bonus])
    # Weights are integers; unscaled, every difference of 1 is far above HiGHS's tolerances.
    result = linprog(cost, A_eq=a, b_eq=np.zeros(n_r + n_c), bounds=(0, 1), method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"the linear program failed: {result.message}")
    x = result.x
    if np.any((x > 1e-6) & (x < 1 - 1e-6)):
        raise RuntimeError("the linear program returned a fractional plan")
    return np.nonzero(x[:n_e] > 0.5)[0], "linprog (HiGHS)", float(-result.fun)


def _flexible(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots, act_rows: np.ndarray, act_cols: np.ndarray,
              flexible: dict[str, tuple[int, int]], undirected: bool) -> tuple[np.ndarray, str, float]:
    """Pairs when some people may take either side."""
    if len(er) == 0:
        return np.zeros(0, np.int64), "none", 0.0
    row_index = {int(p): i for i, p in enumerate(act_rows)}
    col_index = {int(p): i for i, p in enumerate(act_cols)}
    people = [(row_index.get(r), col_index.get(c)) for _, (r, c) in sorted(flexible.items())]
    single = bool((slots.rows_cap == 1).all() and (slots.cols_cap == 1).all())
    if single and len(people) > PEER_FULL_LIMIT:
        return _large_matching(er, ec, ew + slots.bonus(False, er) + slots.bonus(True, ec), people, len(slots.rows_cap), len(slots.cols_cap))
    if single and importlib.util.find_spec("rustworkx") is not None:
        return _matching(er, ec, ew + slots.bonus(False, er) + slots.bonus(True, ec), people, len(slots.rows_cap), len(slots.cols_cap))
    if undirected or single:
        return _b_matching(er, ec, ew, slots, people)
    if len(people) <= SIDED_EXACT_LIMIT:
        return _milp(er, ec, ew, slots, people)
    return _sided(er, ec, ew, slots, people)


def _nodes(er: np.ndarray, ec: np.ndarray, n_rows: int, n_cols: int,
           flexible: list[tuple[int | None, int | None]]) -> tuple[np.ndarray, np.ndarray]:
    """One node per person: flexible people's two positions share one."""
    node_of_row = np.arange(n_rows)
    node_of_col = np.arange(n_rows, n_rows + n_cols)
    for r, c in flexible:
        if r is not None and c is not None:
            node_of_col[c] = node_of_row[r]
    return node_of_row[er], node_of_col[ec]


def _better(u: np.ndarray, v: np.ndarray, ew: np.ndarray) -> np.ndarray:
    """Of each two people's edges (both orientations), the heavier; ties to the lower edge index."""
    low, high = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((np.arange(len(ew)), -ew, high, low))
    first = np.ones(len(order), dtype=bool)
    first[1:] = (low[order][1:] != low[order][:-1]) | (high[order][1:] != high[order][:-1])
    keep: np.ndarray = order[first & (low[order] != high[order])]
    return keep


def _b_matching(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots,
                flexible: list[tuple[int | None, int | None]]) -> tuple[np.ndarray, str, float]:
    """Peers who take several partners: a maximum-weight b-matching in a general graph, as a 0/1
    program over the pairs (no side variables: in a peer program a pair has no direction). Its
    linear relaxation is half-integral and tight, so HiGHS closes it quickly where the program
    with side variables has to branch over every way of choosing sides."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n_r, n_c = len(slots.rows_cap), len(slots.cols_cap)
    u, v = _nodes(er, ec, n_r, n_c, flexible)
    keep = _better(u, v, ew)
    n_e = len(keep)
    # A node's capacity and bonuses: a flexible person's larger capacity, their mentor ladder.
    cap = np.concatenate([slots.rows_cap, slots.cols_cap])
    node_cap: dict[int, int] = {}
    node_side: dict[int, tuple[bool, int]] = {}
    for r in range(n_r):
        node_cap[r] = int(slots.rows_cap[r])
        node_side[r] = (False, r)
    col_node = _nodes(np.zeros(0, np.int64), np.arange(n_c), n_r, n_c, flexible)[1]
    for c in range(n_c):
        node = int(col_node[c])
        node_cap[node] = max(node_cap.get(node, 0), int(cap[n_r + c]))
        node_side[node] = (True, c)
    degree = np.bincount(np.concatenate([u[keep], v[keep]]), minlength=n_r + n_c)
    rows, cols, vals, bonus = [], [], [], []
    column = n_e
    for node in sorted(node_cap):
        free = min(node_cap[node], int(degree[node]))
        if free <= 0:
            continue
        mentor, position = node_side[node]
        gain = slots.bonus(mentor, np.full(free, position), np.arange(free))
        rows += [node] * free
        cols += list(range(column, column + free))
        vals += [-1.0] * free
        bonus.append(gain)
        column += free
    n_var = column
    a = coo_matrix((np.concatenate([np.ones(2 * n_e), vals]),
                    (np.concatenate([u[keep], v[keep], rows]), np.concatenate([np.arange(n_e)] * 2 + [np.array(cols, np.int64)]))),
                   shape=(n_r + n_c, n_var)).tocsr()
    gains = np.concatenate([ew[keep]] + bonus)
    result = milp(-gains, constraints=LinearConstraint(a, 0, 0), integrality=np.ones(n_var), bounds=Bounds(0, 1),
                  options={"mip_rel_gap": 0.0})
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"the integer program failed: {result.message}")
    chosen = keep[np.nonzero(result.x[:n_e] > 0.5)[0]]
    return np.sort(chosen), "b-matching (milp, HiGHS)", float(-result.fun)


def _sided_program(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots,
                   flexible: list[tuple[int | None, int | None]],
                   tight: bool = False) -> tuple[np.ndarray, Any, np.ndarray, np.ndarray, int]:
    """The program that keeps each flexible person on one side: (cost, matrix, row lower
    bounds, row upper bounds, index of the first side variable).

    Variables: x_e in [0,1] per allowed pair, a slot variable per free slot (its bonus), s_p in
    [0,1] per flexible person (1 = mentor). Each position's pairs equal its filled slots; a
    flexible person's mentee position takes pairs only if s_p = 0, their mentor position only
    if s_p = 1.

    `tight` adds rows that every whole plan meets but the relaxation would not: a flexible
    person's mentor slots fill only as far as s_p, their mentee slots only as far as 1 - s_p.
    Without them a person half on each side counts as matched twice (and takes the spread and
    minimum-load bonuses a mentor's first slot carries), and the relaxation's bound is loose.
    """
    from scipy.sparse import coo_matrix

    n_e = len(er)
    n_r, n_c = len(slots.rows_cap), len(slots.cols_cap)
    s_rows, s_cols, s_vals, bonus = _slot_columns(slots, er, ec, n_e)
    n_slots = len(bonus)
    n_s = len(flexible)
    base = n_e + n_slots
    data_r = [er, n_r + ec] + s_rows
    data_c = [np.arange(n_e), np.arange(n_e)] + s_cols
    data_v = [np.ones(2 * n_e)] + s_vals
    # Side rows: mentee position r: sum x + cap_r * s <= cap_r; mentor position c: sum x - cap_c * s <= 0.
    by_row = np.argsort(er, kind="stable")
    row_start = np.searchsorted(er[by_row], np.arange(n_r + 1))
    by_col = np.argsort(ec, kind="stable")
    col_start = np.searchsorted(ec[by_col], np.arange(n_c + 1))
    side_r: list[np.ndarray] = []
    side_c: list[np.ndarray] = []
    side_v: list[np.ndarray] = []
    upper: list[float] = []
    row = n_r + n_c
    for j, (r, c) in enumerate(flexible):
        if r is not None:
            edges = by_row[row_start[r]:row_start[r + 1]]
            side_r.append(np.full(len(edges) + 1, row))
            side_c.append(np.append(edges, base + j))
            side_v.append(np.append(np.ones(len(edges)), float(slots.rows_cap[r])))
            upper.append(float(slots.rows_cap[r]))
            row += 1
        if c is not None:
            edges = by_col[col_start[c]:col_start[c + 1]]
            side_r.append(np.full(len(edges) + 1, row))
            side_c.append(np.append(edges, base + j))
            side_v.append(np.append(np.ones(len(edges)), -float(slots.cols_cap[c])))
            upper.append(0.0)
            row += 1
    if tight:
        side_of_row = {r: j for j, (r, _) in enumerate(flexible) if r is not None}
        side_of_col = {c: j for j, (_, c) in enumerate(flexible) if c is not None}
        for owners, columns, mentor in ((s_rows[0], s_cols[0], False), (s_rows[1] - n_r, s_cols[1], True)):
            sides = side_of_col if mentor else side_of_row
            for owner, column in zip(owners.tolist(), columns.tolist()):
                who = sides.get(owner)
                if who is None:
                    continue
                side_r.append(np.full(2, row))
                side_c.append(np.array([column, base + who]))
                side_v.append(np.array([1.0, -1.0 if mentor else 1.0]))
                upper.append(0.0 if mentor else 1.0)
                row += 1
    a = coo_matrix((np.concatenate(data_v + side_v), (np.concatenate(data_r + side_r), np.concatenate(data_c + side_c))),
                   shape=(row, base + n_s)).tocsr()
    lower = np.concatenate([np.zeros(n_r + n_c), np.full(row - n_r - n_c, -np.inf)])
    high = np.concatenate([np.zeros(n_r + n_c), np.array(upper)])
    cost = -np.concatenate([ew, bonus, np.zeros(n_s)])
    return cost, a, lower, high, base


def _milp(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots,
          flexible: list[tuple[int | None, int | None]]) -> tuple[np.ndarray, str, float]:
    """Pairs when some people may take either side and keep it: the integer program of
    `_sided_program`, solved exactly. It branches over the ways of choosing sides, so it serves
    pools of up to `SIDED_EXACT_LIMIT` flexible people."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    cost, a, lower, high, _ = _sided_program(er, ec, ew, slots, flexible)
    result = milp(cost, constraints=LinearConstraint(a, lower, high), integrality=np.ones(len(cost)),
                  bounds=Bounds(0, 1), options={"mip_rel_gap": 0.0})
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"the integer program failed: {result.message}")
    return np.nonzero(result.x[:len(er)] > 0.5)[0], "milp (HiGHS)", float(-result.fun)


def _sided(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, slots: _Slots,
           flexible: list[tuple[int | None, int | None]]) -> tuple[np.ndarray, str, float]:
    """Many flexible people taking several partners, roles that differ: a stated heuristic with
    a bound.

    1. The linear relaxation of `_sided_program` (sides may be fractional) is solved; its
       optimum bounds every plan on these pairs.
    2. Each flexible person takes the side the relaxation leans to (a tie goes to the side
       whose pairs carry more of the relaxation's weight, then to mentee).
    3. With every side fixed the problem is bipartite, and `_sparse` solves it exactly.
    4. Local search: the people the relaxation left undecided, then those left with free slots
       while pairs wait on their other side, are tried on the other side one at a time (at
       most `SIDED_FLIPS`), and a flip is kept when the exact plan improves.
    Every step is deterministic. The plan's distance to the bound goes into the solver's name.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    cost, a, lower, high, base = _sided_program(er, ec, ew, slots, flexible, tight=True)
    constraints = LinearConstraint(a, lower, high)
    low, top = np.zeros(len(cost)), np.ones(len(cost))
    relaxed = milp(cost, constraints=constraints, integrality=np.zeros(len(cost)), bounds=Bounds(low, top))
    if relaxed.status != 0 or relaxed.x is None:
        raise RuntimeError(f"the linear relaxation failed: {relaxed.message}")
    bound = float(-relaxed.fun)
    x, lean = relaxed.x[:len(er)], relaxed.x[base:].copy()
    # Iterative rounding: fix the sides the relaxation has decided, and the more decided half
    # of the rest, then solve again, so that undecided people follow the others' sides.
    for _ in range(SIDED_ROUNDS):
        undecided = np.nonzero((lean > 1e-6) & (lean < 1 - 1e-6))[0]
        if not len(undecided):
            break
        decided = np.nonzero((lean <= 1e-6) | (lean >= 1 - 1e-6))[0]
        low[base + decided] = top[base + decided] = np.rint(lean[decided])
        order = undecided[np.lexsort((undecided, np.abs(lean[undecided] - 0.5)))][::-1]
        fix = order[:max(1, len(order) // 2)]
        fix = fix[np.abs(lean[fix] - 0.5) > 1e-9]  # ties are left to the next solve
        if not len(fix):
            break
        low[base + fix] = top[base + fix] = (lean[fix] > 0.5).astype(np.float64)
        again = milp(cost, constraints=constraints, integrality=np.zeros(len(cost)), bounds=Bounds(low, top))
        if again.status != 0 or again.x is None:
            break
        x, lean = again.x[:len(er)], again.x[base:].copy()
    n_r, n_c = len(slots.rows_cap), len(slots.cols_cap)
    as_mentee = np.bincount(er, weights=x * ew, minlength=n_r)
    as_mentor = np.bincount(ec, weights=x * ew, minlength=n_c)
    mentor_side = np.zeros(len(flexible), bool)
    for j, (r, c) in enumerate(flexible):
        if r is None or c is None:
            mentor_side[j] = c is not None
        elif abs(lean[j] - 0.5) > 1e-9:
            mentor_side[j] = lean[j] > 0.5
        else:
            mentor_side[j] = as_mentor[c] > as_mentee[r]
    closed_rows = np.zeros(n_r, bool)
    closed_cols = np.zeros(n_c, bool)

    def solve_sides(mentor: np.ndarray) -> tuple[np.ndarray, float]:
        closed_rows[:] = False
        closed_cols[:] = False
        for j, (r, c) in enumerate(flexible):
            if r is not None and mentor[j]:
                closed_rows[r] = True
            if c is not None and not mentor[j]:
                closed_cols[c] = True
        open_e = np.nonzero(~closed_rows[er] & ~closed_cols[ec])[0]
        chosen, _, value = _sparse(er[open_e], ec[open_e], ew[open_e], slots)
        return open_e[chosen], value

    chosen, value = solve_sides(mentor_side)
    # Who to try on the other side: those the relaxation left undecided (most undecided first),
    # then those with free slots on their side while pairs wait on the other (most free first);
    # a fixed order, so the result is deterministic.
    filled_rows = np.bincount(er[chosen], minlength=n_r)
    filled_cols = np.bincount(ec[chosen], minlength=n_c)
    degree_rows = np.bincount(er, minlength=n_r)
    degree_cols = np.bincount(ec, minlength=n_c)
    keys = []
    for j, (r, c) in enumerate(flexible):
        if r is None or c is None:
            continue
        free = slots.cols_cap[c] - filled_cols[c] if mentor_side[j] else slots.rows_cap[r] - filled_rows[r]
        elsewhere = degree_rows[r] if mentor_side[j] else degree_cols[c]
        if 1e-9 < lean[j] < 1 - 1e-9:
            keys.append((0, abs(float(lean[j]) - 0.5), j))
        elif free > 0 and elsewhere > 0:
            keys.append((1, -float(free), j))
    for _, _, j in sorted(keys)[:SIDED_FLIPS]:
        mentor_side[j] = not mentor_side[j]
        tried, tried_value = solve_sides(mentor_side)
        if tried_value > value + 0.5:  # weights are whole numbers
            chosen, value = tried, tried_value
        else:
            mentor_side[j] = not mentor_side[j]
    gap = max(0.0, 1 - value / bound) if bound > 0 else 0.0
    name = "LP relaxation, sides rounded, exact bipartite plan and local search"
    return np.sort(chosen), f"{name} (within {gap:.3%} of its bound)", value


def _lapjv(u: np.ndarray, v: np.ndarray, w: np.ndarray, n_u: int, n_v: int) -> np.ndarray:
    """A maximum-weight bipartite matching (not necessarily perfect) on edges u[i]-v[i] of
    positive weight w[i], exactly, with scipy's LAPJVsp: each side gets a private "unmatched"
    partner so that a full matching always exists. Returns the indices of the chosen edges."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    if len(w) == 0:
        return np.zeros(0, np.int64)
    big = float(w.max()) + 1.0
    # rows: u in [0, n_u) and dummy_v in [n_u, n_u + n_v); cols: v in [0, n_v) and dummy_u in [n_v, n_v + n_u)
    rows = np.concatenate([u, np.arange(n_u), n_u + np.arange(n_v), n_u + v])
    cols = np.concatenate([v, n_v + np.arange(n_u), np.arange(n_v), n_v + u])
    vals = np.concatenate([big - w, np.full(n_u, big), np.full(n_v, big), np.full(len(v), big)])
    graph = csr_matrix((vals, (rows, cols)), shape=(n_u + n_v, n_v + n_u))
    graph.sum_duplicates()
    _, match = min_weight_full_bipartite_matching(graph)
    index = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(u, v))}
    return np.array(sorted(index[(a, int(b))] for a, b in enumerate(match[:n_u]) if b < n_v and (a, int(b)) in index), dtype=np.int64)


def _large_matching(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, flexible: list[tuple[int | None, int | None]],
                    n_rows: int, n_cols: int) -> tuple[np.ndarray, str, float]:
    """A large pool of peers, one partner each: a stated heuristic with a bound.

    1. The bipartite double cover: every person once as a row and once as a column, each two
       people joined both ways with their better orientation's weight, solved exactly
       (`_lapjv`). Any matching M gives a double-cover matching of weight 2 w(M), so half the
       double cover's optimum is an upper bound on the best plan (on these candidate pairs).
    2. Its chosen edges, taken undirected, give each person at most two: paths and cycles. On
       each, the heaviest set of edges no two of which share a person is found exactly by
       dynamic programming (a pair chosen both ways is one edge of its own).
    3. People still unmatched are paired greedily, heaviest candidate pair first; then swaps
       that raise the total are made until none is left (`_improve`).
    The plan's distance to the bound is recorded, and bench/match measures the distance to the
    exact optimum (blossom) where that runs.
    """
    u, v = _nodes(er, ec, n_rows, n_cols, flexible)
    keep = _better(u, v, ew)
    keep = keep[ew[keep] > 0]
    a, b, w = u[keep], v[keep], ew[keep]
    n = n_rows + n_cols
    arcs = _lapjv(np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([w, w]), n, n)
    bound = float(np.concatenate([w, w])[arcs].sum()) / 2 if len(arcs) else 0.0
    edge_of_arc = np.concatenate([np.arange(len(keep))] * 2)
    # Undirected structure: each person has at most one chosen arc out and one in.
    neighbours: dict[int, list[int]] = {}
    for arc in arcs:
        e = int(edge_of_arc[arc])
        for node in (int(a[e]), int(b[e])):
            lst = neighbours.setdefault(node, [])
            if e not in lst:
                lst.append(e)
    chosen: list[int] = []
    seen_edges: set[int] = set()
    done: set[int] = set()

    def other(e: int, node: int) -> int:
        return int(b[e]) if int(a[e]) == node else int(a[e])

    def best_on_line(edges: list[int]) -> list[int]:
        """Heaviest edges of a path, no two adjacent (edges[i] and edges[i+1] share a person)."""
        take, skip = 0.0, 0.0
        take_set: list[int] = []
        skip_set: list[int] = []
        for e in edges:
            take, skip, take_set, skip_set = skip + float(w[e]), max(take, skip), skip_set + [e], \
                (take_set if take >= skip else skip_set)
        return take_set if take >= skip else skip_set

    for start in sorted(neighbours, key=lambda x: (len(neighbours[x]) != 1, x)):
        if start in done:
            continue
        # Walk the path or cycle through `start` (paths are walked from an end first).
        line: list[int] = []
        node, came = start, -1
        cycle = False
        while True:
            done.add(node)
            nxt = [e for e in neighbours.get(node, []) if e != came and e not in seen_edges]
            if not nxt:
                break
            e = nxt[0]
            seen_edges.add(e)
            line.append(e)
            came, node = e, other(e, node)
            if node in done:
                cycle = node == start
                break
        if cycle and len(line) > 2:
            first = best_on_line(line[1:])        # without the first edge
            last = best_on_line(line[:-1])        # without the last edge
            chosen += first if sum(float(w[e]) for e in first) >= sum(float(w[e]) for e in last) else last
        else:
            chosen += best_on_line(line)
    chosen = _improve(chosen, a, b, w)
    value = float(sum(float(w[e]) for e in chosen))
    result = np.sort(keep[np.array(chosen, dtype=np.int64)]) if chosen else np.zeros(0, np.int64)
    gap = 1 - value / bound if bound else 0.0
    return result, f"double cover and path matching (within {gap:.3%} of its bound)", value


def _improve(chosen: list[int], a: np.ndarray, b: np.ndarray, w: np.ndarray, rounds: int = 20) -> list[int]:
    """Local search on a matching (edges a[e]-b[e], weights w[e]): pair the unmatched greedily,
    then repeatedly make any exchange that raises the total: an unmatched person taking a
    matched person's place, possibly with the displaced person pairing with someone else
    unmatched (an augmenting path of three edges), or two pairs trading partners."""
    mate: dict[int, tuple[int, int]] = {}  # person -> (partner, edge)
    for e in chosen:
        x, y = int(a[e]), int(b[e])
        mate[x], mate[y] = (y, e), (x, e)
    adjacency: dict[int, list[tuple[float, int, int]]] = {}
    for e in np.lexsort((np.arange(len(w)), -w)).tolist():
        x, y, weight = int(a[e]), int(b[e]), float(w[e])
        adjacency.setdefault(x, []).append((weight, y, e))
        adjacency.setdefault(y, []).append((weight, x, e))
        if x not in mate and y not in mate:
            mate[x], mate[y] = (y, e), (x, e)

    def unmatch(x: int) -> None:
        y, _ = mate.pop(x)
        mate.pop(y, None)

    def pair(x: int, y: int, e: int) -> None:
        mate[x], mate[y] = (y, e), (x, e)

    def best_free(z: int, besides: int) -> tuple[float, int, int]:
        for weight, t, e in adjacency.get(z, []):
            if t != besides and t not in mate:
                return weight, t, e
        return 0.0, -1, -1

    for _ in range(rounds):
        changed = False
        for x in sorted(adjacency):
            if x in mate:
                # Two pairs trading partners: (x, y) and (c, d) -> (x, c) and (y, d).
                y, exy = mate[x]
                for wxc, c, exc in adjacency[x]:
                    if c == y or c not in mate:
                        continue
                    d, ecd = mate[c]
                    if d in (x, y):
                        continue
                    for wyd, t, eyd in adjacency.get(y, []):
                        if t == d:
                            if wxc + wyd > float(w[exy]) + float(w[ecd]) + 1e-9:
                                unmatch(x)
                                unmatch(c)
                                pair(x, c, exc)
                                pair(y, d, eyd)
                                changed = True
                            break
                    if changed:
                        break
                continue
            for wxy, y, exy in adjacency[x]:
                if y not in mate:
                    pair(x, y, exy)
                    changed = True
                    break
                z, eyz = mate[y]
                wzt, t, ezt = best_free(z, x)
                if wxy + wzt > float(w[eyz]) + 1e-9:
                    unmatch(y)
                    pair(x, y, exy)
                    if t >= 0:
                        pair(z, t, ezt)
                    changed = True
                    break
        if not changed:
            break
    return sorted({e for _, e in mate.values()})


def _matching(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, flexible: list[tuple[int | None, int | None]],
              n_rows: int, n_cols: int) -> tuple[np.ndarray, str, float]:
    """Pairs when everyone takes one partner at most: a maximum-weight matching in a general graph.

    With one partner each, a side only labels the pair, so each person is one node and each two
    people one edge, weighted by their better orientation. Edmonds' blossom algorithm
    (`rustworkx.max_weight_matching`) finds the optimum in polynomial time, where the integer
    program has to branch over the many plans of equal weight a pool of peers allows.
    """
    import rustworkx

    u, v = _nodes(er, ec, n_rows, n_cols, flexible)
    keep = _better(u, v, ew)
    keep = keep[ew[keep] > 0]
    graph = rustworkx.PyGraph(multigraph=True)  # edges are already unique; skipping the check is 40x faster
    graph.add_nodes_from(range(n_rows + n_cols))
    graph.add_edges_from([(int(min(u[e], v[e])), int(max(u[e], v[e])), (int(ew[e]), int(e))) for e in keep])
    matched = rustworkx.max_weight_matching(graph, weight_fn=lambda data: data[0])
    chosen = np.array(sorted(graph.get_edge_data(a, b)[1] for a, b in matched), dtype=np.int64)
    return chosen, "blossom (rustworkx)", float(ew[chosen].sum()) if len(chosen) else 0.0


def greedy(weights: Any, rows_cap: np.ndarray, cols_cap: np.ndarray) -> list[tuple[int, int]]:
    """A first-come baseline for benchmarks: best remaining pair first. Not used for matching."""
    r, c = np.nonzero(weights > 0)
    order = np.lexsort((c, r, -weights[r, c]))
    left_r, left_c = rows_cap.copy(), cols_cap.copy()
    out = []
    for e in order:
        a, b = r[e], c[e]
        if left_r[a] > 0 and left_c[b] > 0:
            left_r[a] -= 1
            left_c[b] -= 1
            out.append((int(a), int(b)))
    return out
