"""What-if: the same roster matched under two versions of a program's rules, side by side.

`compare(before, after)` takes the two pairs files (made from the same roster) and says how
coverage, scores and the unmatched reasons move, and how many pairs the two plans share. It is
pure: the command runs the matcher twice and prints the result; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pairs import PairsFile, UNMATCHED_REASONS


@dataclass(frozen=True)
class Row:
    label: str
    before: float
    after: float
    kind: str = "count"  # count | score

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class Comparison:
    rows: list[Row] = field(default_factory=list)
    reasons: list[Row] = field(default_factory=list)
    shared_pairs: int = 0
    only_before: int = 0
    only_after: int = 0
    participants: int = 0


def _links(pairs: PairsFile) -> set[tuple[str, str]]:
    return {(a.id, b.id) for m in pairs.matches for a in m.mentors for b in m.mentees}


def compare(before: PairsFile, after: PairsFile) -> Comparison:
    """How `after` differs from `before` on the same roster."""
    out = Comparison()
    sb, sa = before.summary, after.summary
    out.participants = int(sb.get("matched", 0)) + len(before.unmatched)
    out.rows = [
        Row("people matched", sb.get("matched", 0), sa.get("matched", 0)),
        Row("matches", sb.get("matches", 0), sa.get("matches", 0)),
        Row("pairs", sb.get("pairs", 0), sa.get("pairs", 0)),
        Row("mean score", sb.get("meanScore", 0.0), sa.get("meanScore", 0.0), "score"),
        Row("lowest score", sb.get("minScore", 0.0), sa.get("minScore", 0.0), "score"),
    ]
    reasons_b, reasons_a = sb.get("unmatched", {}), sa.get("unmatched", {})
    for reason in UNMATCHED_REASONS:
        if reasons_b.get(reason) or reasons_a.get(reason):
            out.reasons.append(Row(reason, reasons_b.get(reason, 0), reasons_a.get(reason, 0)))
    lb, la = _links(before), _links(after)
    out.shared_pairs, out.only_before, out.only_after = len(lb & la), len(lb - la), len(la - lb)
    return out


def render(result: Comparison, before_name: str, after_name: str) -> str:
    """The comparison as an aligned plain-text table."""
    width = max([len(r.label) for r in result.rows] + [len(r.label) + 2 for r in result.reasons]) + 1
    col = max(len(before_name), len(after_name), 10) + 2

    def shown(value: float, kind: str) -> str:
        return f"{value:.2f}" if kind == "score" else str(int(value))

    def change(row: Row) -> str:
        if row.kind == "score":
            return f"{row.change:+.2f}"
        return f"{int(row.change):+d}" if row.change else "0"

    lines = [f"{'':<{width}}{before_name:<{col}}{after_name:<{col}}change"]
    for row in result.rows:
        lines.append(f"{row.label:<{width}}{shown(row.before, row.kind):<{col}}{shown(row.after, row.kind):<{col}}{change(row)}")
    if result.reasons:
        lines.append("unmatched")
        for row in result.reasons:
            lines.append(f"{'  ' + row.label:<{width}}{shown(row.before, row.kind):<{col}}{shown(row.after, row.kind):<{col}}{change(row)}")
    lines.append(f"pairs in both plans: {result.shared_pairs}; only under {before_name}: {result.only_before}; "
                 f"only under {after_name}: {result.only_after}")
    return "\n".join(lines) + "\n"


__all__ = ["Comparison", "Row", "compare", "render"]
