"""The statistics a report needs, as small pure functions: numbers in, one tidy result out.

Each result is a frozen dataclass that keeps the sample size, the statistic, the p-value and the
effect size side by side, so a report can print any of them without recomputing. Nothing here
reads files or knows about programs; `None` marks a value that cannot be computed (a standard
deviation of one number, an alpha with no variance).

Choices, stated once:
- Standard deviations and item variances are sample ones (n - 1 in the denominator).
- Cronbach's alpha uses listwise complete cases: a respondent who skipped any item of the scale
  is left out of alpha (they may still have a score). Alpha below `LOW_ALPHA` is flagged.
- The Wilcoxon signed-rank test drops zero differences before ranking (scipy's
  ``zero_method="wilcox"``, Wilcoxon's original procedure); tied absolute differences get average
  ranks. With up to `EXACT_UP_TO` non-zero differences the p-value is exact: every one of the
  2**n sign patterns is enumerated (scipy's permutation method, which, unlike its "exact"
  method, stays exact when differences tie). Above that it uses the normal approximation with
  the tie correction and no continuity correction. The test is two-sided.
- The effect size is the matched-pairs rank-biserial correlation: (sum of ranks of positive
  differences - sum of ranks of negative ones) / sum of all ranks, over the same non-zero
  differences the test ranks. It runs from -1 (every pair fell) to +1 (every pair rose).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Sequence

LOW_ALPHA = 0.7
EXACT_UP_TO = 20
#: The significance level the small-sample warning speaks about.
ALPHA_LEVEL = 0.05


@dataclass(frozen=True)
class Descriptive:
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    minimum: float | None
    maximum: float | None


def describe(values: Sequence[float]) -> Descriptive:
    """n, mean, sample standard deviation, median, minimum and maximum of `values`."""
    data = [float(v) for v in values]
    if not data:
        return Descriptive(0, None, None, None, None, None)
    return Descriptive(
        n=len(data), mean=statistics.fmean(data), sd=statistics.stdev(data) if len(data) > 1 else None,
        median=float(statistics.median(data)), minimum=min(data), maximum=max(data),
    )


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha of a multi-item scale."""

    items: int
    n: int  # respondents who answered every item
    alpha: float | None
    low: bool  # alpha < LOW_ALPHA

    @property
    def computable(self) -> bool:
        return self.alpha is not None


def cronbach_alpha(rows: Sequence[Sequence[float | None]]) -> Alpha:
    """Alpha from one row of item answers per respondent (None for a skipped item).

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the totals), on the rows with
    every item answered. None when there are fewer than two items or two complete rows, or when
    the totals do not vary (every respondent gave the same total).
    """
    items = max((len(row) for row in rows), default=0)
    complete = [[float(x) for x in row if x is not None] for row in rows if len(row) == items and None not in row]
    if items < 2 or len(complete) < 2:
        return Alpha(items, len(complete), None, False)
    item_variance = sum(statistics.variance([row[i] for row in complete]) for i in range(items))
    total_variance = statistics.variance([sum(row) for row in complete])
    if total_variance == 0:
        return Alpha(items, len(complete), None, False)
    alpha = items / (items - 1) * (1 - item_variance / total_variance)
    return Alpha(items, len(complete), alpha, alpha < LOW_ALPHA)


@dataclass(frozen=True)
class PairedChange:
    """Before and after for the same people: the change and its Wilcoxon signed-rank test."""

    n: int  # pairs (people with both a before and an after value)
    nonzero: int  # pairs whose value changed; the test ranks only these
    before: Descriptive
    after: Descriptive
    mean_change: float | None
    median_change: float | None
    statistic: float | None  # W: the smaller of the positive and negative rank sums
    p: float | None
    method: str  # "exact" | "normal approximation" | "not computed"
    rank_biserial: float | None
    smallest_p: float | None  # the smallest two-sided p any result could give with `nonzero` pairs
    warning: str | None  # plain words when the sample is too small for the test to mean much


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def rank_biserial(differences: Sequence[float]) -> float | None:
    """Matched-pairs rank-biserial correlation of the non-zero `differences`."""
    nonzero = [d for d in differences if d != 0]
    if not nonzero:
        return None
    r = ranks([abs(d) for d in nonzero])
    positive = sum(rank for rank, d in zip(r, nonzero) if d > 0)
    negative = sum(rank for rank, d in zip(r, nonzero) if d < 0)
    return (positive - negative) / (positive + negative)


def p_text(p: float) -> str:
    """A p-value for people: three decimals rounded half up (1/16 is 0.063, as a reader working it
    by hand would write), or "< 0.001"; the same wherever a report prints one."""
    from decimal import ROUND_HALF_UP, Decimal

    if p < 0.001:
        return "< 0.001"
    return str(Decimal(repr(p)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def smallest_two_sided_p(nonzero: int) -> float:
    """With n non-zero pairs all moving the same way, the exact two-sided p is 2 / 2**n."""
    return min(1.0, math.ldexp(1.0, 1 - nonzero))  # 2 / 2**n without overflowing for large n


def _warning(nonzero: int) -> str | None:
    if nonzero == 0:
        return "nobody's value changed, so there is nothing to test"
    smallest = smallest_two_sided_p(nonzero)
    if smallest >= ALPHA_LEVEL:
        return (f"with {nonzero} {'person' if nonzero == 1 else 'people'} whose value changed, no result can reach "
                f"p < {ALPHA_LEVEL:g} (the smallest possible p is {p_text(smallest)}); read the change as a description "
                "of these people, not as evidence")
    if nonzero < 10:
        return (f"only {nonzero} people's values changed: the test can detect only a large, consistent change, "
                "and one person more or less can swing the p-value")
    return None


def wilcoxon_signed_rank(before: Sequence[float], after: Sequence[float]) -> PairedChange:
    """The paired change from `before[i]` to `after[i]` (same person at index i)."""
    if len(before) != len(after):
        raise ValueError("before and after must pair up: they have different lengths")
    differences = [float(b) - float(a) for a, b in zip(before, after)]
    n = len(differences)
    nonzero = [d for d in differences if d != 0]
    statistic: float | None = None
    p: float | None = None
    method = "not computed"
    if nonzero:
        from scipy import stats as scipy_stats  # imported here: plain validation never needs scipy

        chosen: object = (scipy_stats.PermutationMethod(n_resamples=2 ** len(nonzero))
                          if len(nonzero) <= EXACT_UP_TO else "asymptotic")
        result = scipy_stats.wilcoxon(nonzero, zero_method="wilcox", correction=False, alternative="two-sided",
                                      method=chosen)
        statistic = float(result.statistic)
        p = min(1.0, float(result.pvalue))
        method = "exact" if len(nonzero) <= EXACT_UP_TO else "normal approximation"
        if math.isnan(p):
            p, method = None, "not computed"
    return PairedChange(
        n=n, nonzero=len(nonzero), before=describe(before), after=describe(after),
        mean_change=statistics.fmean(differences) if differences else None,
        median_change=float(statistics.median(differences)) if differences else None,
        statistic=statistic, p=p, method=method, rank_biserial=rank_biserial(differences),
        smallest_p=smallest_two_sided_p(len(nonzero)) if nonzero else None,
        warning=_warning(len(nonzero)) if n else "no one answered both surveys",
    )


def share(count: int, total: int) -> float | None:
    """`count` of `total` as a percentage, or None of nobody."""
    return 100.0 * count / total if total else None


__all__ = ["p_text", "ALPHA_LEVEL", "Alpha", "Descriptive", "EXACT_UP_TO", "LOW_ALPHA", "PairedChange", "cronbach_alpha",
           "describe", "rank_biserial", "ranks", "share", "smallest_two_sided_p", "wilcoxon_signed_rank"]
