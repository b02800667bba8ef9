"""The report's statistics against independent computations written here: hand-worked cases,
and the exact Wilcoxon distribution by brute force over every sign pattern."""

from __future__ import annotations

import itertools
import math

import pytest

from programdsl.measure import stats


def test_describe_hand_worked() -> None:
    d = stats.describe([2, 4, 4, 4, 5, 5, 7, 9])
    assert d.n == 8 and d.mean == 5.0 and d.median == 4.5 and (d.minimum, d.maximum) == (2.0, 9.0)
    # sum of squared deviations 32, sample variance 32/7
    assert d.sd == pytest.approx(math.sqrt(32 / 7))
    assert stats.describe([3]).sd is None
    assert stats.describe([]) == stats.Descriptive(0, None, None, None, None, None)


def test_alpha_hand_worked() -> None:
    rows = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5], [None, 1, 1]]
    a = stats.cronbach_alpha(rows)
    # complete rows only: items (1,2,3,4) var 5/3; (2,3,3,5) var 1.5833; (2,3,4,5) var 5/3; totals 5,8,10,14 var 14.25
    item_var = 5 / 3 + 19 / 12 + 5 / 3
    expected = 3 / 2 * (1 - item_var / 14.25)
    assert a.n == 4 and a.items == 3 and a.alpha == pytest.approx(expected) and not a.low


def test_alpha_low_and_undefined() -> None:
    low = stats.cronbach_alpha([[1, 4], [5, 2], [3, 3], [2, 5]])
    assert low.alpha is not None and low.alpha < 0.7 and low.low
    assert stats.cronbach_alpha([[3, 3], [3, 3]]).alpha is None  # totals do not vary
    assert stats.cronbach_alpha([[1, 2]]).alpha is None  # one complete row
    assert stats.cronbach_alpha([[1], [2], [3]]).alpha is None  # one item


def brute_force_p(differences: list[float]) -> float:
    """Two-sided exact p of the signed-rank statistic: every sign pattern of the non-zero
    differences' (average) ranks, counted as likely as any other."""
    nonzero = [d for d in differences if d != 0]
    ranked = sorted(abs(d) for d in nonzero)
    def rank(v: float) -> float:
        positions = [i + 1 for i, x in enumerate(ranked) if x == v]
        return sum(positions) / len(positions)
    r = [rank(abs(d)) for d in nonzero]
    total = sum(r)
    observed = sum(x for x, d in zip(r, nonzero) if d > 0)
    observed_distance = abs(observed - total / 2)
    count = 0
    patterns = list(itertools.product((0, 1), repeat=len(r)))
    for signs in patterns:
        plus = sum(x for x, s in zip(r, signs) if s)
        if abs(plus - total / 2) >= observed_distance - 1e-9:
            count += 1
    return count / len(patterns)


@pytest.mark.parametrize("before, after", [
    ([20, 22, 23, 24, 25, 24], [27, 28, 30, 29, 31, 29]),  # everyone up: p = 2/64
    ([10, 12, 9, 14, 11, 13, 10], [12, 11, 13, 14, 15, 13, 16]),  # zeros dropped, a fall
    ([3, 3, 3, 3, 3, 3, 3, 3], [4, 5, 4, 2, 5, 4, 1, 4]),  # ties among |differences|
    ([1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 1, 5, 3, 8, 6, 9, 7, 14]),
])
def test_wilcoxon_exact_matches_brute_force(before: list[float], after: list[float]) -> None:
    result = stats.wilcoxon_signed_rank(before, after)
    differences = [b - a for a, b in zip(before, after)]
    assert result.method == "exact"
    assert result.p == pytest.approx(brute_force_p(differences))
    assert result.n == len(before) and result.nonzero == sum(d != 0 for d in differences)
    assert result.mean_change == pytest.approx(sum(differences) / len(differences))


def test_everyone_rises_hand_worked() -> None:
    result = stats.wilcoxon_signed_rank([20, 22, 23, 24, 25, 24], [27, 28, 30, 29, 31, 29])
    assert result.p == pytest.approx(2 / 64) and result.statistic == 0.0 and result.rank_biserial == 1.0
    assert result.smallest_p == pytest.approx(2 / 64)
    assert result.warning is not None and "only 6" in result.warning


def test_rank_biserial_hand_worked() -> None:
    # |d| = 1, 2, 3, 4 -> ranks 1, 2, 3, 4; positives 1+3+4 = 8, negatives 2: (8-2)/10
    assert stats.rank_biserial([1, -2, 3, 4, 0]) == pytest.approx(0.6)
    # ties: |d| 2, 2, 5 -> ranks 1.5, 1.5, 3; positive 1.5+3, negative 1.5 -> (4.5-1.5)/6
    assert stats.rank_biserial([2, -2, 5]) == pytest.approx(0.5)
    assert stats.rank_biserial([0, 0]) is None


def test_small_sample_cannot_reach_significance() -> None:
    five = stats.wilcoxon_signed_rank([1, 1, 1, 1, 1], [2, 3, 4, 5, 6])
    assert five.p == pytest.approx(1 / 16) and five.warning is not None and "no result can reach p < 0.05" in five.warning
    assert stats.smallest_two_sided_p(5) > 0.05 > stats.smallest_two_sided_p(6)
    none = stats.wilcoxon_signed_rank([3, 4], [3, 4])
    assert none.p is None and none.nonzero == 0 and none.method == "not computed" and none.warning


def test_large_sample_uses_normal_approximation() -> None:
    before = [float(i % 7) for i in range(40)]
    after = [b + (1 if i % 3 else -1) * (i % 5 + 1) for i, b in enumerate(before)]
    result = stats.wilcoxon_signed_rank(before, after)
    assert result.method == "normal approximation" and result.warning is None
    # independent normal approximation with tie correction
    d = [b - a for a, b in zip(before, after) if b != a]
    n = len(d)
    r = stats.ranks([abs(x) for x in d])
    plus = sum(x for x, v in zip(r, d) if v > 0)
    counts: dict[float, int] = {}
    for x in r:
        counts[x] = counts.get(x, 0) + 1
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(t ** 3 - t for t in counts.values()) / 48
    z = (plus - n * (n + 1) / 4) / math.sqrt(variance)
    expected = math.erfc(abs(z) / math.sqrt(2))
    assert result.p == pytest.approx(expected, rel=1e-9)
    assert result.statistic == pytest.approx(min(plus, n * (n + 1) / 2 - plus))


def test_pairs_must_line_up() -> None:
    with pytest.raises(ValueError):
        stats.wilcoxon_signed_rank([1, 2], [1])


def test_p_values_print_rounded_half_up_to_three_decimals() -> None:
    from programdsl.measure.stats import p_text

    assert [p_text(p) for p in (1 / 16, 1 / 32, 2 / 64, 0.0449999, 0.05, 1.0, 0.001, 0.00099)] == [
        "0.063", "0.031", "0.031", "0.045", "0.050", "1.000", "0.001", "< 0.001"]
