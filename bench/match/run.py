"""Matching benchmark: synthetic rosters of 1k-20k people, one-to-one and with capacities.

For each case, in a fresh process (so peak memory is that case's own):

- programdsl: read the roster CSV and match it (`programdsl.matching`), timed from the roster
  read to the finished pairs file (imports excluded; they are reported once on their own);
- an independent solver on the same instance: the same allowed pairs and weights given to
  `scipy.sparse.csgraph.min_weight_full_bipartite_matching` (LAPJVsp, a different algorithm
  from the dense shortest-augmenting-path code programdsl uses), and for the smallest size
  also `networkx.max_weight_matching` (blossom) when networkx is installed;
- a greedy baseline: best remaining pair first, as first-come matching tools do.

Totals are compared exactly, on the integer weights the solvers optimise. Run:

    python bench/match/run.py                 # all sizes (several minutes)
    python bench/match/run.py --sizes 1000    # one size
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CASES = {
    "one-to-one": {"mentor_share": 0.5, "capacity": 1},
    "capacity-3": {"mentor_share": 0.3, "capacity": 3},
}
INDEPENDENT_LIMIT = 12_000  # people; LAPJVsp on every allowed pair gets slow beyond this


def run_case(people: int, case: str, workdir: Path, checks: bool = True) -> dict[str, object]:
    import synth

    spec = CASES[case]
    program_path = workdir / f"program-{case}.yaml"
    roster_path = workdir / f"roster-{people}-{case}.csv"
    program_path.write_text(synth.program_text(case, mentor_capacity=int(spec["capacity"])), encoding="utf-8")
    synth.write_roster(roster_path, synth.roster_rows(people, float(spec["mentor_share"])))

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

    if not checks:
        return row
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

    if people <= INDEPENDENT_LIMIT:
        t = time.perf_counter()
        chosen, _ = solver._sparse(er, ec, weights, np.ones(len(mentees), np.int64), np.full(len(mentors), cap, np.int64))
        row["independent_s"] = round(time.perf_counter() - t, 2)
        row["independent"] = "LAPJVsp"
        row["independent_pairs"] = int(len(chosen))
        row["independent_score"] = round(float(eq[chosen].sum()) / SCALE, 4)
        row["optimal"] = bool(int(eq[chosen].sum()) == ours_q and len(chosen) == len(pairs.matches))
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


def table(rows: list[dict[str, object]]) -> str:
    head = ("| people | case | allowed pairs | match s | peak MB | pairs | score (programdsl) | score (independent) "
            "| independent s | optimal | score (greedy) | pairs (greedy) | greedy / optimum |")
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        independent = r.get("independent_score", "—")
        if "networkx_score" in r:
            independent = f"{independent} (nx {r['networkx_score']})"
        ratio = f"{float(r['greedy_score']) / float(r['score']):.3f}" if float(r["score"]) else "—"  # type: ignore[arg-type]
        out.append(f"| {r['people']:,} | {r['case']} | {r['allowed_pairs']:,} | {r['match_s']} | {r['peak_mb']} | {r['pairs']:,} | "
                   f"{r['score']} | {independent} | {r.get('independent_s', '—')} | {r.get('optimal', '—')} | "
                   f"{r['greedy_score']} | {r['greedy_pairs']:,} | {ratio} |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 10000, 20000])
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--one", nargs=2, metavar=("PEOPLE", "CASE"), help=argparse.SUPPRESS)
    parser.add_argument("--timing-only", action="store_true", help="skip the independent solver and the greedy baseline")
    parser.add_argument("--out", type=Path, default=None, help="also write the table (markdown) here")
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run_case(int(args.one[0]), args.one[1], Path(tmp), not args.timing_only)))
        return 0
    rows = []
    for people in args.sizes:
        for case in args.cases:
            extra = ["--timing-only"] if args.timing_only else []
            proc = subprocess.run([sys.executable, __file__, "--one", str(people), case, *extra], capture_output=True, text=True,
                                  env={**os.environ, "PYTHONHASHSEED": "0"})
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    text = table(rows) if not args.timing_only else "\n".join(json.dumps(r) for r in rows)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
