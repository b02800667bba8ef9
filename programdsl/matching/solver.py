"""The assignment: a globally optimal choice of pairs under hard rules and capacities.

The problem is a maximum-weight bipartite b-matching. Mentees are rows, mentors columns; a pair
that breaks a hard rule, or scores below the minimum, has weight 0 (never chosen). Each allowed
pair's weight encodes the objective exactly in integers (q is the pair's score in steps of
1/SCALE, P the largest number of pairs any plan can have):

    quality:   w = q * (P + 1) + 1       best total score; among equal totals, more pairs
    coverage:  w = q + (P + 1) * SCALE   most pairs; among plans with as many, best total score

Capacities become repeated slots on one side, so the problem is a rectangular assignment that
`scipy.optimize.linear_sum_assignment` solves to optimality on the complete matrix: nothing is
pruned, so the plan is optimal over every allowed pair. When the matrix would not fit in memory,
the allowed pairs go to `scipy.sparse.csgraph.min_weight_full_bipartite_matching` instead (a
private "unmatched" partner per person makes a full matching always exist). When both sides take
several partners, slots could pair the same two people twice, so the problem is solved as a
linear program with a bound of 1 on each pair (`scipy.optimize.linprog`, HiGHS dual simplex);
the constraint matrix is totally unimodular, so its basic optimal solution is whole.

People whose role is `either` may sit on both sides; that is no longer bipartite. When everyone
takes one partner, it is a maximum-weight matching in a general graph, which Edmonds' blossom
algorithm solves exactly (`rustworkx.max_weight_matching`); otherwise it is an integer program
(`scipy.optimize.milp`) with one more variable per flexible person choosing their side.

Every routine is deterministic, and people enter in id order, so the same roster (in any row
order) gives the same plan.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .rules import SCALE, Compiled

DENSE_LIMIT = 400_000_000  # cells of the slot matrix (8 bytes each, 3.2 GB) before going sparse
BLOCK_CELLS = 2_000_000


@dataclass
class Stats:
    """Per person, over every partner on the other side (ignoring capacity)."""

    allowed_rows: np.ndarray
    allowed_cols: np.ndarray
    suitable_rows: np.ndarray
    suitable_cols: np.ndarray
    best_rows: np.ndarray
    best_cols: np.ndarray
    rule_rows: np.ndarray  # (hard rules, mentees): partners passing that rule alone
    rule_cols: np.ndarray


@dataclass
class Plan:
    pairs: list[tuple[int, int]]  # (mentee position, mentor position)
    scores: dict[tuple[int, int], float]
    stats: Stats
    method: str
    objective_value: float = 0.0
    notes: list[str] = field(default_factory=list)


def _weights(q: np.ndarray, objective: str, bound: int, step: float) -> np.ndarray:
    """A new array of weights for quantized scores `q` (see the module docstring)."""
    w = np.rint(q / step) if step != 1 else q.copy()
    if objective == "coverage":
        w += (bound + 1) * (SCALE / step)
    else:
        w *= bound + 1
        w += 1
    return w


def _score_of(w: float, objective: str, bound: int, step: float) -> float:
    """The score (0..1) a chosen pair's weight encodes: `_weights` inverted."""
    if objective == "coverage":
        qs = w - (bound + 1) * (SCALE / step)
    else:
        qs = (w - 1) / (bound + 1)
    return round(qs) * step / SCALE


def _step(bound: int) -> float:
    step = 1.0
    while (bound + 1) * (SCALE / step) * (bound + 2) >= 2.0 ** 52 and step < SCALE:
        step *= 10
    return step


def solve(compiled: Compiled, cap_rows: np.ndarray, cap_cols: np.ndarray, objective: str,
          forbidden: set[tuple[int, int]] | None = None, flexible: dict[str, tuple[int, int]] | None = None) -> Plan:
    """Choose pairs. `cap_rows`/`cap_cols` are remaining capacities of mentees/mentors;
    `forbidden` pairs (already pinned) are not chosen again; `flexible` maps the id of a person
    on both sides to (mentee position, mentor position)."""
    n_rows, n_cols = compiled.shape
    forbidden = forbidden or set()
    cap_rows = np.asarray(cap_rows, dtype=np.int64)
    cap_cols = np.asarray(cap_cols, dtype=np.int64)
    act_rows = np.nonzero(cap_rows > 0)[0]
    act_cols = np.nonzero(cap_cols > 0)[0]
    bound = int(min(np.minimum(cap_rows[act_rows], len(act_cols)).sum(), np.minimum(cap_cols[act_cols], len(act_rows)).sum()))
    step = _step(bound)
    n_hard = len(compiled.hard)
    stats = Stats(
        np.zeros(n_rows, np.int64), np.zeros(n_cols, np.int64), np.zeros(n_rows, np.int64), np.zeros(n_cols, np.int64),
        np.full(n_rows, -1.0), np.full(n_cols, -1.0), np.zeros((n_hard, n_rows), np.int64), np.zeros((n_hard, n_cols), np.int64),
    )
    row_map = np.full(n_rows, -1, np.int64)
    row_map[act_rows] = np.arange(len(act_rows))
    rows_cap = cap_rows[act_rows]
    cols_cap = cap_cols[act_cols]
    # The dense matrix holds one row per mentee slot and one column per mentor slot; only one
    # side may have several slots (otherwise two people could meet twice: that is the LP's job).
    row_reps = np.minimum(rows_cap, max(1, len(act_cols)))
    col_reps = np.minimum(cols_cap, max(1, len(act_rows)))
    both = bool((row_reps > 1).any() and (col_reps > 1).any())
    cells = int(row_reps.sum()) * int(col_reps.sum())
    dense = cells <= DENSE_LIMIT and not flexible and not both
    weights = np.zeros((int(row_reps.sum()), int(col_reps.sum())), dtype=np.float64) if dense else None
    row_first = np.concatenate([[0], np.cumsum(row_reps)[:-1]]).astype(np.int64)
    col_slots = np.repeat(np.arange(len(act_cols)), col_reps)
    q_all: dict[tuple[int, int], float] = {}
    edges_r: list[np.ndarray] = []
    edges_c: list[np.ndarray] = []
    edges_w: list[np.ndarray] = []
    forb = sorted(forbidden)
    col_active = np.zeros(n_cols, dtype=bool)
    col_active[act_cols] = True
    rows_per_block = max(1, BLOCK_CELLS // max(1, n_cols))
    for start in range(0, n_rows, rows_per_block):
        stop = min(n_rows, start + rows_per_block)
        allowed, q, passes = compiled.block(start, stop)
        suitable = allowed & (q >= compiled.minimum_q)
        stats.allowed_rows[start:stop] = allowed.sum(axis=1)
        stats.allowed_cols += allowed.sum(axis=0)
        stats.suitable_rows[start:stop] = suitable.sum(axis=1)
        stats.suitable_cols += suitable.sum(axis=0)
        masked = np.where(allowed, q, -1.0)
        stats.best_rows[start:stop] = masked.max(axis=1) if n_cols else -1
        if n_cols:
            np.maximum(stats.best_cols, masked.max(axis=0), out=stats.best_cols)
        for i, ok in enumerate(passes):
            stats.rule_rows[i, start:stop] = ok.sum(axis=1)
            stats.rule_cols[i] += ok.sum(axis=0)
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
        w = _weights(q_sub, objective, bound, step)
        w[~sub] = 0.0
        if dense:
            assert weights is not None
            if len(col_slots) != len(act_cols):
                w = w[:, col_slots]
            first = row_first[row_map[start + block_rows[0]]]
            reps = row_reps[row_map[start + block_rows]]
            if (reps == 1).all():
                weights[first:first + len(block_rows)] = w
            else:
                weights[first:first + int(reps.sum())] = np.repeat(w, reps, axis=0)
        else:
            nz_r, nz_c = np.nonzero(sub)
            edges_r.append(row_map[start + block_rows[nz_r]])
            edges_c.append(nz_c)
            edges_w.append(w[nz_r, nz_c])
        del allowed, q, passes, suitable, sub, q_sub, w
    if dense:
        assert weights is not None
        chosen, method = _dense(weights, np.repeat(np.arange(len(act_rows)), row_reps), col_slots)
        del weights
        weights = None
        plan_pairs = [(int(act_rows[r]), int(act_cols[c])) for r, c, _ in chosen]
        chosen_keys = list(plan_pairs)
        chosen_w = [w for _, _, w in chosen]
        value = float(sum(chosen_w))
    else:
        er = np.concatenate(edges_r) if edges_r else np.zeros(0, np.int64)
        ec = np.concatenate(edges_c) if edges_c else np.zeros(0, np.int64)
        ew = np.concatenate(edges_w) if edges_w else np.zeros(0)
        if flexible:
            chosen_e, method = _milp(er, ec, ew, rows_cap, cols_cap, act_rows, act_cols, flexible)
        else:
            chosen_e, method = _sparse(er, ec, ew, rows_cap, cols_cap)
        plan_pairs = [(int(act_rows[er[e]]), int(act_cols[ec[e]])) for e in chosen_e]
        chosen_keys = list(plan_pairs)
        chosen_w = [float(ew[e]) for e in chosen_e]
        value = float(ew[chosen_e].sum()) if len(chosen_e) else 0.0
    plan_pairs.sort()
    for key, weight in zip(chosen_keys, chosen_w):
        q_all[key] = _score_of(weight, objective, bound, step)
    return Plan(plan_pairs, q_all, stats, method, value)


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


def _sparse(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, rows_cap: np.ndarray, cols_cap: np.ndarray) -> tuple[np.ndarray, str]:
    """Max-weight b-matching on an edge list, exact, without a dense matrix."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    if len(er) == 0:
        return np.zeros(0, np.int64), "none"
    if (rows_cap > 1).any() and (cols_cap > 1).any():
        return _lp(er, ec, ew, rows_cap, cols_cap)
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
    w = ew[edge_of]
    n_u, n_v = len(lcap), int(slots_of.sum())
    # Full matching always exists: u -> its own dummy, v's dummy -> v, and dummy_v -> dummy_u
    # wherever u-v is an edge. All weights shifted to be positive (a perfect matching has a
    # fixed size, so the shift does not change which matching is best).
    big = float(w.max()) + 1.0
    # rows: u in [0, n_u) and dummy_v in [n_u, n_u + n_v); cols: v in [0, n_v) and dummy_u in [n_v, n_v + n_u)
    rows = np.concatenate([u, np.arange(n_u), n_u + np.arange(n_v), n_u + v])
    cols = np.concatenate([v, n_v + np.arange(n_u), np.arange(n_v), n_v + u])
    vals = np.concatenate([big - w, np.full(n_u, big), np.full(n_v, big), np.full(len(v), big)])
    graph = csr_matrix((vals, (rows, cols)), shape=(n_u + n_v, n_v + n_u))
    graph.sum_duplicates()
    _, match = min_weight_full_bipartite_matching(graph)
    mate = match[:n_u]
    slot_owner = np.repeat(np.arange(len(rcap)), slots_of)
    chosen_pairs = {(int(a), int(slot_owner[b])) for a, b in enumerate(mate) if b < n_v}
    key = {(int(a), int(b)): e for e, (a, b) in enumerate(zip(left, right))}
    chosen = np.array(sorted(key[p] for p in chosen_pairs), dtype=np.int64)
    return chosen, "min_weight_full_bipartite_matching"


def _lp(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, rows_cap: np.ndarray, cols_cap: np.ndarray) -> tuple[np.ndarray, str]:
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    n_e = len(er)
    if n_e == 0:
        return np.zeros(0, np.int64), "none"
    n_r, n_c = len(rows_cap), len(cols_cap)
    a = csr_matrix((np.ones(2 * n_e), (np.concatenate([er, n_r + ec]), np.concatenate([np.arange(n_e)] * 2))),
                   shape=(n_r + n_c, n_e))
    b = np.concatenate([rows_cap, cols_cap]).astype(np.float64)
    # Weights are integers; unscaled, every difference of 1 is far above HiGHS's tolerances.
    result = linprog(-ew, A_ub=a, b_ub=b, bounds=(0, 1), method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"the linear program failed: {result.message}")
    x = result.x
    if np.any((x > 1e-6) & (x < 1 - 1e-6)):
        raise RuntimeError("the linear program returned a fractional plan")
    return np.nonzero(x > 0.5)[0], "linprog (HiGHS)"


def _milp(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, rows_cap: np.ndarray, cols_cap: np.ndarray,
          act_rows: np.ndarray, act_cols: np.ndarray, flexible: dict[str, tuple[int, int]]) -> tuple[np.ndarray, str]:
    """Pairs when some people may take either side: an integer program.

    Variables: x_e in {0,1} per allowed pair, s_p in {0,1} per flexible person (1 = mentor).
    Each mentee-side position r: sum x_e <= cap_r, and for a flexible person also
    sum x_e <= cap_r * (1 - s_p). Each mentor-side position c: sum x_e <= cap_c (* s_p).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n_e = len(er)
    if n_e == 0:
        return np.zeros(0, np.int64), "none"
    row_index = {int(p): i for i, p in enumerate(act_rows)}
    col_index = {int(p): i for i, p in enumerate(act_cols)}
    people = sorted(flexible.items())
    if (rows_cap == 1).all() and (cols_cap == 1).all() and importlib.util.find_spec("rustworkx") is not None:
        return _matching(er, ec, ew, [(row_index.get(r), col_index.get(c)) for _, (r, c) in people],
                         len(rows_cap), len(cols_cap))
    n_s = len(people)
    n_r, n_c = len(rows_cap), len(cols_cap)
    data_r = list(er) + list(n_r + ec)
    data_c = list(range(n_e)) * 2
    data_v = [1.0] * (2 * n_e)
    upper = np.concatenate([rows_cap, cols_cap]).astype(np.float64)
    extra_r: list[int] = []
    extra_c: list[int] = []
    extra_v: list[float] = []
    for j, (_, (row_pos, col_pos)) in enumerate(people):
        var = n_e + j
        r = row_index.get(row_pos)
        c = col_index.get(col_pos)
        if r is not None:  # as mentee: sum x <= cap_r * (1 - s)  ->  sum x + cap_r * s <= cap_r
            extra_r.append(r)
            extra_c.append(var)
            extra_v.append(float(rows_cap[r]))
        if c is not None:  # as mentor: sum x <= cap_c * s  ->  sum x - cap_c * s <= 0
            extra_r.append(n_r + c)
            extra_c.append(var)
            extra_v.append(-float(cols_cap[c]))
            upper[n_r + c] = 0.0
    a = coo_matrix((data_v + extra_v, (data_r + extra_r, data_c + extra_c)), shape=(n_r + n_c, n_e + n_s)).tocsr()
    cost = np.concatenate([-ew, np.zeros(n_s)])
    result = milp(cost, constraints=LinearConstraint(a, -np.inf, upper), integrality=np.ones(n_e + n_s),
                  bounds=Bounds(0, 1), options={"mip_rel_gap": 0.0})
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"the integer program failed: {result.message}")
    return np.nonzero(result.x[:n_e] > 0.5)[0], "milp (HiGHS)"


def _matching(er: np.ndarray, ec: np.ndarray, ew: np.ndarray, flexible: list[tuple[int | None, int | None]],
              n_rows: int, n_cols: int) -> tuple[np.ndarray, str]:
    """Pairs when everyone takes one partner at most: a maximum-weight matching in a general graph.

    With one partner each, a side only labels the pair, so each person is one node and each two
    people one edge, weighted by their better orientation. Edmonds' blossom algorithm
    (`rustworkx.max_weight_matching`) finds the optimum in polynomial time, where the integer
    program has to branch over the many plans of equal weight a pool of peers allows.
    """
    import rustworkx

    node_of_row = np.arange(n_rows)
    node_of_col = np.arange(n_rows, n_rows + n_cols)
    for r, c in flexible:  # one node for both positions of a flexible person
        if r is not None and c is not None:
            node_of_col[c] = node_of_row[r]
    u, v = node_of_row[er], node_of_col[ec]
    low, high = np.minimum(u, v), np.maximum(u, v)
    # The better orientation of each two people: sort by pair, then weight descending, then edge.
    order = np.lexsort((np.arange(len(ew)), -ew, high, low))
    first = np.ones(len(order), dtype=bool)
    first[1:] = (low[order][1:] != low[order][:-1]) | (high[order][1:] != high[order][:-1])
    keep = order[first & (low[order] != high[order])]
    graph = rustworkx.PyGraph(multigraph=True)  # edges are already unique; skipping the check is 40x faster
    graph.add_nodes_from(range(n_rows + n_cols))
    graph.add_edges_from([(int(low[e]), int(high[e]), (int(ew[e]), int(e))) for e in keep])
    matched = rustworkx.max_weight_matching(graph, weight_fn=lambda data: data[0])
    return np.array(sorted(graph.get_edge_data(a, b)[1] for a, b in matched), dtype=np.int64), "blossom (rustworkx)"


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
