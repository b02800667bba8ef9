"""Matching benchmark: synthetic rosters of 1k-20k people, one-to-one, with capacities, and peers.

For each case, in a fresh process (so peak memory is that case's own):

- programdsl: read the roster CSV and match it (`programdsl.matching`), timed from the roster
  read to the finished pairs file (imports excluded; they are reported once on their own);
- an independent solver on the same instance: the same allowed pairs and weights given to
  `scipy.sparse.csgraph.min_weight_full_bipartite_matching` (LAPJVsp, a different algorithm
  from the dense shortest-augmenting-path code programdsl uses), and for the smallest size
  also `networkx.max_weight_matching` (blossom) when networkx is installed;
- a greedy baseline: best remaining pair first, as first-come matching tools do.

The peer case (everyone may take either side, one partner each) is not bipartite, so its check
is a matching in a general graph: one node per person, one edge per two people who may be
paired, weighted by their better orientation, given to networkx's pure-Python blossom (up to
1,000 people) and, up to 500 people, to `scipy.optimize.milp` as a 0/1 program (one variable
per edge, each person in at most one chosen edge, at most n // 2 edges in all).

Totals are compared exactly, on the integer weights the solvers optimise. Run:

    python bench/match/run.py                       # all cases and sizes (several minutes)
    python bench/match/run.py --sizes 1000          # one size
    python bench/match/run.py --cases peer          # peers: 1,000, 2,000 and 5,000 people
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CASES = {
    "one-to-one": {"mentor_share": 0.5, "capacity": 1},
    "capacity-3": {"mentor_share": 0.3, "capacity": 3},
    "peer": {"mentor_share": 0.0, "capacity": 1, "peer": True},
    # The same peer rosters through the large-pool route (each person's best partners, double
    # cover, path matching, local search) at every size, measured against the exact blossom.
    "peer-large": {"mentor_share": 0.0, "capacity": 1, "peer": True, "large": True},
    # Mentees rank up to five mentors (a pull towards popular ones): wishes tried first (stable),
    # or weighed as a preference of weight 3.
    "choices-first": {"mentor_share": 0.5, "capacity": 1, "wishes": "first"},
    "choices-weighed": {"mentor_share": 0.5, "capacity": 1, "wishes": "weight"},
    # Leaderless peer circles of 4-6, balanced on department, location and level.
    "circles": {"mentor_share": 0.0, "capacity": 1, "peer": True, "circles": True},
    # Everyone may take either side in a traditional program (roles differ): mentors take up to
    # two mentees, so each person's one side is chosen by the relaxation-and-rounding route.
    "sided": {"mentor_share": 0.0, "capacity": 2, "sided": True},
    # PwC-style reverse pool: 38 % junior mentors of capacity 2, one preference; spread on.
    "fair-load": {"mentor_share": 0.38, "capacity": 2, "fair": True},
}
DEFAULT_SIZES = {
    "one-to-one": [1000, 5000, 10000, 20000],
    "capacity-3": [1000, 5000, 10000, 20000],
    "peer": [1000, 2000],
    "peer-large": [1000, 2000, 5000, 10000],
    "fair-load": [1000, 5000, 10000],
    "choices-first": [1000, 5000],
    "choices-weighed": [1000, 5000],
    "circles": [120, 300, 600],
    "sided": [150, 500, 2000],
}
LARGE_REFERENCE_LIMIT = 2_000  # people; the exact blossom the large-pool route is measured against
INDEPENDENT_LIMIT = 12_000  # people; LAPJVsp on every allowed pair gets slow beyond this
NETWORKX_LIMIT = 1_000  # people; networkx's pure-Python blossom gets slow beyond this
MILP_LIMIT = 500  # people; the peer case's 0/1 program
SIDED_REFERENCE_LIMIT = 150  # people; the exact integer program the sided route is measured against
SIDED_REFERENCE_SECONDS = 60  # its time limit: it does not prove an optimum for 150 people in minutes


def run_case(people: int, case: str, workdir: Path, checks: bool = True) -> dict[str, object]:
    import synth

    spec = CASES[case]
    peer = bool(spec.get("peer"))
    program_path = workdir / f"program-{case}.yaml"
    roster_path = workdir / f"roster-{people}-{case}.csv"
    text = synth.program_text(case, mentor_capacity=int(spec["capacity"]), peer=peer, fair=bool(spec.get("fair")))
    if spec.get("wishes"):
        text = synth.with_wishes(text, spec["wishes"] == "first")
    if spec.get("circles"):
        text = synth.circles_program(case)
    program_path.write_text(text, encoding="utf-8")
    rows = synth.roster_rows(people, float(spec["mentor_share"]), peer=peer, reverse=bool(spec.get("fair")),
                             sided=bool(spec.get("sided")))
    if spec.get("wishes"):
        synth.add_wishes(rows)
    synth.write_roster(roster_path, rows)

    t0 = time.perf_counter()
    import numpy as np

    from programdsl.api import load_program
    from programdsl.matching import solver
    from programdsl.matching.engine import match
    from programdsl.matching.roster import needs_of, read_roster
    from programdsl.matching.rules import SCALE, Compiled, Sides
    from programdsl.pairs import write_pairs
    import scipy.optimize  # noqa: F401  (imported here so its start-up cost is reported apart)
    import scipy.sparse.csgraph  # noqa: F401

    imports = time.perf_counter() - t0
    if spec.get("large"):
        solver.PEER_FULL_LIMIT = 0
    program, result = load_program(program_path)
    assert program is not None, result.diagnostics
    start = time.perf_counter()
    roster = read_roster(roster_path, needs_of(program))
    assert roster.errors == 0, roster.diagnostics[:3]
    read_s = time.perf_counter() - start
    outcome = match(program, roster)
    assert outcome.pairs is not None
    write_pairs(outcome.pairs, workdir / f"pairs-{people}-{case}.csv")
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs = outcome.pairs
    ours_q = sum(round(m.score * SCALE) for m in pairs.matches)
    row: dict[str, object] = {
        "people": people, "case": case, "imports_s": round(imports, 2), "read_s": round(read_s, 2),
        "match_s": round(elapsed, 2), "peak_mb": round(peak_mb), "pairs": len(pairs.matches),
        "score": round(ours_q / SCALE, 4), "solver": outcome.method,
    }

    if spec.get("fair"):
        load = pairs.summary.get("load", {}).get("mentor", {})
        row["mentors_used"] = sum(n for count, n in load.items() if int(count) > 0)
        row["mentors"] = sum(load.values())
        import dataclasses

        filled = match(dataclasses.replace(program, pairing=dataclasses.replace(program.pairing, spread=False)), roster).pairs
        assert filled is not None
        fill_load = filled.summary.get("load", {}).get("mentor", {})
        row["mentors_used_without_spread"] = sum(n for count, n in fill_load.items() if int(count) > 0)
    if spec.get("wishes"):
        row.update(wish_checks(program, roster, pairs, spec["wishes"] == "first"))
        return row
    if spec.get("circles"):
        circles = pairs.summary["circles"]
        row["imbalance"], row["bound"] = circles["imbalance"], circles["imbalanceLowerBound"]
        row["sizes"] = circles["sizes"]
        row["unmatched"] = len(pairs.unmatched)
        return row
    if not checks:
        return row
    if spec.get("large"):
        return large_checks(row, program, roster, pairs, ours_q)
    if spec.get("sided"):
        return sided_checks(row, program, roster)
    if peer:
        return peer_checks(row, program, roster, pairs, ours_q)
    # The same instance, as integer weights, for the other solvers.
    mentors = sorted((p for p in roster.people if p.role == "mentor"), key=lambda p: p.id)
    mentees = sorted((p for p in roster.people if p.role == "mentee"), key=lambda p: p.id)
    compiled = Compiled(program, Sides(mentors, mentees, roster.people))
    rows, cols, qs = [], [], []
    step = 2_000_000 // max(1, len(mentors))
    for s in range(0, len(mentees), step):
        allowed, q, _ = compiled.block(s, min(len(mentees), s + step))
        ok = allowed & (q >= compiled.minimum_q)
        r, c = np.nonzero(ok)
        rows.append(r + s)
        cols.append(c)
        qs.append(q[r, c])
    er, ec, eq = np.concatenate(rows), np.concatenate(cols), np.concatenate(qs)
    cap = int(spec["capacity"])
    bound = int(min(len(mentees), cap * len(mentors)))
    weights = eq * (bound + 1) + 1  # quality: total score first, then more pairs
    row["allowed_pairs"] = int(len(er))

    # Greedy: best remaining pair first.
    t = time.perf_counter()
    order = np.lexsort((ec, er, -weights))
    left_r = np.ones(len(mentees), np.int64)
    left_c = np.full(len(mentors), cap, np.int64)
    greedy_q = 0
    greedy_pairs = 0
    for e in order.tolist():
        a, b = er[e], ec[e]
        if left_r[a] and left_c[b]:
            left_r[a] -= 1
            left_c[b] -= 1
            greedy_q += int(eq[e])
            greedy_pairs += 1
            if greedy_pairs == bound:
                break
    row["greedy_s"] = round(time.perf_counter() - t, 2)
    row["greedy_pairs"] = greedy_pairs
    row["greedy_score"] = round(greedy_q / SCALE, 4)

    if spec.get("fair"):
        return fair_checks(row, er, ec, len(mentees), len(mentors), cap)
    if people <= INDEPENDENT_LIMIT:
        t = time.perf_counter()
        # Mentor slots spelled out, every allowed pair once per slot, for LAPJVsp.
        slot_edge = np.repeat(np.arange(len(er)), cap)
        slot_v = ec[slot_edge] * cap + np.tile(np.arange(cap), len(er))
        picked = solver._lapjv(er[slot_edge], slot_v, weights[slot_edge].astype(np.float64), len(mentees), len(mentors) * cap)
        chosen = slot_edge[picked]
        row["independent_s"] = round(time.perf_counter() - t, 2)
        row["independent"] = "LAPJVsp"
        row["independent_pairs"] = int(len(chosen))
        row["independent_score"] = round(float(eq[chosen].sum()) / SCALE, 4)
        row["optimal"] = bool(int(eq[chosen].sum()) == ours_q)
    if people <= 1000 and cap == 1:
        try:
            import networkx as nx
        except ImportError:
            pass
        else:
            t = time.perf_counter()
            graph = nx.Graph()
            graph.add_weighted_edges_from((("e", int(a)), ("m", int(b)), int(w)) for a, b, w in zip(er, ec, weights))
            matching = nx.max_weight_matching(graph)
            q_of = {(int(a), int(b)): int(v) for a, b, v in zip(er, ec, eq)}
            total = 0
            for x, y in matching:
                mentee, mentor = (x, y) if x[0] == "e" else (y, x)
                total += q_of[(mentee[1], mentor[1])]
            row["networkx_s"] = round(time.perf_counter() - t, 2)
            row["networkx_score"] = round(total / SCALE, 4)
            row["optimal"] = bool(row.get("optimal", True) and total == ours_q)
    return row


def wish_checks(program: Any, roster: Any, pairs: Any, first: bool) -> dict[str, object]:
    """How many mentees got their 1st..5th wish, and, for wishes tried first, the number of
    blocking pairs (a mentee and a wished mentor who would both rather have each other than
    what the wishes gave them: the mentor ranks by fit, then the fixed draw); 0 means stable."""
    from programdsl.matching.engine import draw_order
    from programdsl.matching.rules import SCALE, Compiled, Sides

    out: dict[str, object] = {"wishes": pairs.summary.get("wishes")}
    if not first:
        return out
    by_id = {p.id: p for p in roster.people}
    mentors = [p for p in roster.people if p.role == "mentor"]
    mentees = [p for p in roster.people if p.role == "mentee"]
    compiled = Compiled(program, Sides(mentors, mentees, roster.people))
    held: dict[str, list[str]] = {}
    got: dict[str, str] = {}
    for m in pairs.matches:
        if m.explanation and m.explanation[0].startswith("made first, as a wish"):
            held.setdefault(m.mentors[0].id, []).append(m.mentees[0].id)
            got[m.mentees[0].id] = m.mentors[0].id
    blocking = 0
    cap = program.pairing.mentor_capacity or 1
    for e in mentees:
        wishes = [w for w in e.values.get("wishes", ()) if w in by_id][:5]
        upto = wishes.index(got[e.id]) if e.id in got else len(wishes)
        for w in wishes[:upto]:
            mentor = by_id[w]
            if mentor.role != "mentor" or compiled.broken(mentor, e) or compiled.score(mentor, e) * SCALE < compiled.minimum_q - 1e-6:
                continue
            rivals = held.get(w, [])
            mine = (-compiled.score(mentor, e), draw_order(program, e))
            if len(rivals) < cap or any((-compiled.score(mentor, by_id[r]), draw_order(program, by_id[r])) > mine for r in rivals):
                blocking += 1
    out["blocking_pairs"] = blocking
    return out


def fair_checks(row: dict[str, object], er: Any, ec: Any, n_mentees: int, n_mentors: int, cap: int) -> dict[str, object]:
    """The fair-load case's top tier and coverage are counts an independent algorithm gives: the
    most mentors who can each have a partner is a maximum bipartite matching (Hopcroft-Karp,
    `maximum_bipartite_matching`), and the most pairs within capacities a maximum flow
    (`maximum_flow`), shown beside programdsl's pairs. With spread first, programdsl must use
    exactly that many mentors ("optimal")."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching, maximum_flow

    t = time.perf_counter()
    graph = csr_matrix((np.ones(len(er), np.int8), (ec, er)), shape=(n_mentors, n_mentees))
    mentors_possible = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
    # source -> mentor (capacity cap) -> mentee (1) -> sink (1)
    source, sink = 0, 1 + n_mentors + n_mentees
    rows = np.concatenate([np.zeros(n_mentors, np.int64), 1 + ec, 1 + n_mentors + np.arange(n_mentees)])
    cols = np.concatenate([1 + np.arange(n_mentors), 1 + n_mentors + er, np.full(n_mentees, sink)])
    caps = np.concatenate([np.full(n_mentors, cap), np.ones(len(er), np.int64), np.ones(n_mentees, np.int64)]).astype(np.int32)
    network = csr_matrix((caps, (rows, cols)), shape=(sink + 1, sink + 1))
    pairs_possible = int(maximum_flow(network, source, sink).flow_value)
    row["independent_s"] = round(time.perf_counter() - t, 2)
    row["independent"] = "Hopcroft-Karp + max flow"
    row["independent_pairs"] = pairs_possible
    row["independent_score"] = float(pairs_possible)
    row["mentors_possible"] = mentors_possible
    row["allowed_pairs"] = int(len(er))
    row["greedy_score"], row["greedy_pairs"] = "—", "—"
    row["optimal"] = bool(row["mentors_used"] == mentors_possible)
    return row


def large_checks(row: dict[str, object], program: Any, roster: Any, pairs: Any, ours_q: int) -> dict[str, object]:
    """The large-pool route's plan against the exact optimum (programdsl's blossom on every
    allowed pair, itself checked against networkx and an integer program in the peer case) where
    that runs, and against the route's own double-cover bound at every size."""
    import re

    from programdsl.matching import solver
    from programdsl.matching.engine import match
    from programdsl.matching.rules import SCALE

    found = re.search(r"within ([0-9.]+)% of its bound", str(row["solver"]))
    row["bound_gap_pct"] = float(found.group(1)) if found else None
    row["allowed_pairs"] = "—"
    row["greedy_score"], row["greedy_pairs"] = "—", "—"
    if int(row["people"]) <= LARGE_REFERENCE_LIMIT:  # type: ignore[call-overload]
        solver.PEER_FULL_LIMIT = 10**9
        t = time.perf_counter()
        exact = match(program, roster)
        row["independent_s"] = round(time.perf_counter() - t, 2)
        assert exact.pairs is not None
        exact_q = sum(round(m.score * SCALE) for m in exact.pairs.matches)
        row["independent"] = exact.method
        row["independent_score"] = round(exact_q / SCALE, 4)
        row["independent_pairs"] = len(exact.pairs.matches)
        row["gap_pct"] = round(100 * (1 - ours_q / exact_q), 3) if exact_q else 0.0
        row["optimal"] = ours_q == exact_q
    return row


def sided_checks(row: dict[str, object], program: Any, roster: Any) -> dict[str, object]:
    """The sided route's plan against its own linear-relaxation bound (at every size), and,
    up to `SIDED_REFERENCE_LIMIT` people, against the integer program that chooses each side
    (HiGHS branch and bound, `SIDED_REFERENCE_SECONDS` at most): its best plan and the bound it
    proved. Totals are the solver's own objective (score and people matched, as one integer)."""
    import re

    from programdsl.matching import solver
    from programdsl.matching.engine import match

    found = re.search(r"within ([0-9.]+)% of its bound", str(row["solver"]))
    row["bound_gap_pct"] = float(found.group(1)) if found else None
    row["allowed_pairs"] = "—"
    row["greedy_score"], row["greedy_pairs"] = "—", "—"
    if int(row["people"]) > SIDED_REFERENCE_LIMIT:  # type: ignore[call-overload]
        return row
    values: dict[str, float] = {}
    sided, milp_options = solver._sided, {}

    def record(*args: Any) -> Any:
        chosen, method, value = sided(*args)
        values["ours"] = value
        return chosen, method, value

    solver._sided = record  # type: ignore[assignment]
    match(program, roster)
    solver._sided = sided  # type: ignore[assignment]
    import scipy.optimize

    real_milp = scipy.optimize.milp

    def limited(*args: Any, **kwargs: Any) -> Any:
        options = dict(kwargs.pop("options", {}) or {})
        options["time_limit"] = SIDED_REFERENCE_SECONDS
        result = real_milp(*args, options=options, **kwargs)
        milp_options["status"] = result.status
        milp_options["gap"] = getattr(result, "mip_gap", None)
        milp_options["bound"] = getattr(result, "mip_dual_bound", None)
        if result.x is not None:
            values["milp"] = float(-result.fun)
            result.status = 0
        return result

    solver.SIDED_EXACT_LIMIT = 10**9
    scipy.optimize.milp = limited
    t = time.perf_counter()
    try:
        match(program, roster)
    except RuntimeError:
        pass
    finally:
        scipy.optimize.milp = real_milp
    row["independent_s"] = round(time.perf_counter() - t, 2)
    row["independent"] = "milp (HiGHS), time-limited"
    if "milp" in values:
        row["milp_objective"] = values["milp"]
        row["ours_objective"] = values["ours"]
        row["milp_proven"] = milp_options["status"] == 0
        row["gap_pct"] = round(100 * (1 - values["ours"] / values["milp"]), 3) if values["milp"] else 0.0
        row["optimal"] = values["ours"] >= values["milp"] if milp_options["status"] == 0 else "not proven"
    return row


def peer_checks(row: dict[str, object], program: Any, roster: Any, pairs: Any, ours_q: int) -> dict[str, object]:
    """The peer case's checks, on the general graph: one node per person (in id order), one edge
    per two people with an allowed orientation scoring at least the minimum, weighted by the
    better of the two orientations (person a as mentor and b as mentee, or the reverse)."""
    import numpy as np

    from programdsl.matching.rules import SCALE, Compiled, Sides

    people = sorted(roster.people, key=lambda p: p.id)
    n = len(people)
    # Everyone sits on both sides, as in programdsl (no eligibility conditions here).
    compiled = Compiled(program, Sides(people, people, roster.people))
    # q[r, c]: the quantized score of r as mentee with c as mentor, -1 where not allowed.
    q = np.full((n, n), -1, dtype=np.int32)
    step = max(1, 2_000_000 // max(1, n))
    for s in range(0, n, step):
        stop = min(n, s + step)
        allowed, qs, _ = compiled.block(s, stop)
        ok = allowed & (qs >= compiled.minimum_q)
        q[s:stop] = np.where(ok, qs, -1).astype(np.int32)
        del allowed, qs, ok
    best = np.maximum(q, q.T)  # best[a, b] == best[b, a]: the better orientation
    del q
    ea, eb = np.nonzero(np.triu(best >= 0, k=1))  # a < b
    eq = best[ea, eb].astype(np.int64)
    del best
    # The weights programdsl's quality objective gives: every person is a row and a column with
    # one slot, so its bound on the number of pairs is n; weight = q * (bound + 1) + 1.
    bound = n
    weights = eq * (bound + 1) + 1
    row["allowed_pairs"] = int(len(ea))

    # programdsl's plan must be a matching on these edges, each pair scored its better orientation.
    index = {p.id: i for i, p in enumerate(people)}
    edge_q = {(int(a), int(b)): int(v) for a, b, v in zip(ea, eb, eq)}
    used: set[int] = set()
    feasible = True
    plan_q = 0
    for m in pairs.matches:
        a, b = index[m.mentors[0].id], index[m.mentees[0].id]
        key = (min(a, b), max(a, b))
        if a in used or b in used or key not in edge_q or round(m.score * SCALE) != edge_q[key]:
            feasible = False
        used.update((a, b))
        plan_q += edge_q.get(key, 0)
    feasible = feasible and plan_q == ours_q

    # Greedy: best remaining pair first.
    t = time.perf_counter()
    order = np.lexsort((eb, ea, -weights))
    free = np.ones(n, dtype=bool)
    greedy_q = 0
    greedy_pairs = 0
    for e in order.tolist():
        a, b = ea[e], eb[e]
        if free[a] and free[b]:
            free[a] = free[b] = False
            greedy_q += int(eq[e])
            greedy_pairs += 1
            if greedy_pairs == n // 2:
                break
    row["greedy_s"] = round(time.perf_counter() - t, 2)
    row["greedy_pairs"] = greedy_pairs
    row["greedy_score"] = round(greedy_q / SCALE, 4)

    ours_pairs = len(pairs.matches)
    if n <= NETWORKX_LIMIT:
        import networkx as nx

        t = time.perf_counter()
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_weighted_edges_from(zip(ea.tolist(), eb.tolist(), weights.tolist()))
        matching = nx.max_weight_matching(graph)
        total = sum(edge_q[(min(x, y), max(x, y))] for x, y in matching)
        row["independent_s"] = round(time.perf_counter() - t, 2)
        row["independent"] = "networkx max_weight_matching"
        row["independent_pairs"] = len(matching)
        row["independent_score"] = round(total / SCALE, 4)
        row["independent_q"] = total
        row["optimal"] = bool(feasible and total == ours_q and len(matching) == ours_pairs)
    if n <= MILP_LIMIT:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csr_matrix

        t = time.perf_counter()
        n_e = len(ea)
        if n_e:
            a_matrix = csr_matrix((np.ones(2 * n_e), (np.concatenate([ea, eb]), np.concatenate([np.arange(n_e)] * 2))),
                                  shape=(n, n_e))
            # Each person in at most one chosen edge; and at most n // 2 edges in all. The second
            # holds for every matching and adds nothing when n is even, but with n odd the linear
            # relaxation can otherwise cover everyone with halves around an odd cycle, and
            # branch-and-bound then takes minutes (201 people: over 120 s instead of 0.5 s).
            constraints = [LinearConstraint(a_matrix, -np.inf, 1.0),
                           LinearConstraint(csr_matrix(np.ones((1, n_e))), -np.inf, float(n // 2))]
            result = milp(-weights.astype(np.float64), constraints=constraints, integrality=np.ones(n_e),
                          bounds=Bounds(0, 1), options={"mip_rel_gap": 0.0, "time_limit": 600.0})
            status, x = int(result.status), result.x
        else:  # nobody may be paired: the empty plan
            status, x = 0, np.zeros(0)
        row["milp_s"] = round(time.perf_counter() - t, 2)
        row["milp_status"] = status
        if status == 0 and x is not None:
            chosen = np.nonzero(x > 0.5)[0]
            total = int(eq[chosen].sum())
            row["milp_pairs"] = int(len(chosen))
            row["milp_score"] = round(total / SCALE, 4)
            row["milp_q"] = total
            row["optimal"] = bool(row.get("optimal", feasible) and total == ours_q and len(chosen) == ours_pairs)
        # Otherwise (time limit, status 1) there is no proven optimum to compare with: milp_status says so.
    row["ours_q"] = ours_q
    row["feasible"] = feasible
    return row


def choice_table(rows: list[dict[str, object]]) -> str:
    out = ["| people | case | match s | peak MB | pairs | 1st | 2nd | 3rd | 4th | 5th | no wish met | blocking pairs |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        w: Any = r["wishes"]
        got = w["got"]
        out.append(f"| {r['people']:,} | {r['case']} | {r['match_s']} | {r['peak_mb']} | {r['pairs']:,} | "
                   + " | ".join(str(got.get(k, 0)) for k in ("1st", "2nd", "3rd", "4th", "5th"))
                   + f" | {w['none']} | {r.get('blocking_pairs', '—')} |")
    return "\n".join(out)


def circle_table(rows: list[dict[str, object]]) -> str:
    out = ["| people | match s | peak MB | circles | sizes | left out | imbalance | lower bound | gap |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        gap = f"{float(r['imbalance']) - float(r['bound']):.2f}"  # type: ignore[arg-type]
        sizes = ", ".join(f"{n} of {k}" for k, n in r["sizes"].items())  # type: ignore[attr-defined]
        out.append(f"| {r['people']:,} | {r['match_s']} | {r['peak_mb']} | {r['pairs']} | {sizes} | {r['unmatched']} | "
                   f"{r['imbalance']} | {r['bound']} | {gap} |")
    return "\n".join(out)


def table(rows: list[dict[str, object]]) -> str:
    head = ("| people | case | allowed pairs | match s | peak MB | pairs | score (programdsl) | score (independent) "
            "| independent s | optimal | gap to optimum | gap to bound | mentors used | score (greedy) | pairs (greedy) | greedy / optimum |")
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        independent = r.get("independent_score", "—")
        if "networkx_score" in r:
            independent = f"{independent} (nx {r['networkx_score']})"
        if "milp_score" in r:
            independent = f"{independent} (milp {r['milp_score']})"
        elif "milp_status" in r:
            independent = f"{independent} (milp: no proven optimum, status {r['milp_status']})"
        ratio = f"{float(r['greedy_score']) / float(r['score']):.3f}" if r["greedy_score"] != "—" and float(r["score"]) else "—"  # type: ignore[arg-type]
        gap = f"{r['gap_pct']}%" if "gap_pct" in r else "—"
        bound = f"{r['bound_gap_pct']}%" if r.get("bound_gap_pct") is not None else "—"
        used = f"{r['mentors_used']} of {r['mentors']} ({r['mentors_used_without_spread']} without spread)" if "mentors_used" in r else "—"
        pairs_greedy = f"{r['greedy_pairs']:,}" if r["greedy_pairs"] != "—" else "—"
        allowed = f"{r['allowed_pairs']:,}" if r["allowed_pairs"] != "—" else "—"
        out.append(f"| {r['people']:,} | {r['case']} | {allowed} | {r['match_s']} | {r['peak_mb']} | {r['pairs']:,} | "
                   f"{r['score']} | {independent} | {r.get('independent_s', '—')} | {r.get('optimal', '—')} | {gap} | {bound} | "
                   f"{used} | {r['greedy_score']} | {pairs_greedy} | {ratio} |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=None,
                        help="people per roster (default: 1000 5000 10000 20000; peers 1000 2000 5000)")
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--one", nargs=2, metavar=("PEOPLE", "CASE"), help=argparse.SUPPRESS)
    parser.add_argument("--timing-only", action="store_true", help="skip the independent solver and the greedy baseline")
    parser.add_argument("--out", type=Path, default=None, help="also write the table (markdown) here")
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run_case(int(args.one[0]), args.one[1], Path(tmp), not args.timing_only)))
        return 0
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; use one of: {', '.join(CASES)}")
    sizes = {case: args.sizes if args.sizes is not None else DEFAULT_SIZES[case] for case in args.cases}
    rows = []
    for people in sorted({n for case in args.cases for n in sizes[case]}):
        for case in args.cases:
            if people not in sizes[case]:
                continue
            extra = ["--timing-only"] if args.timing_only else []
            proc = subprocess.run([sys.executable, __file__, "--one", str(people), case, *extra], capture_output=True, text=True,
                                  env={**os.environ, "PYTHONHASHSEED": "0"})
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    plain = [r for r in rows if "wishes" not in r and "imbalance" not in r]
    parts = [table(plain)] if plain else []
    if any("wishes" in r for r in rows):
        parts.append(choice_table([r for r in rows if "wishes" in r]))
    if any("imbalance" in r for r in rows):
        parts.append(circle_table([r for r in rows if "imbalance" in r]))
    text = "\n\n".join(parts) if not args.timing_only else "\n".join(json.dumps(r) for r in rows)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
