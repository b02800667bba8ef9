"""The report's plots as SVG text, byte for byte the same for the same numbers.

matplotlib is imported only here, and only when a report is made (the `report` extra). Figures are
built with `matplotlib.figure.Figure` (no pyplot, so no global figure state), text is kept as
text (`svg.fonttype: none`, smaller and searchable), element ids come from a fixed hash salt and
the file carries no date, so two runs write the same bytes.
"""

from __future__ import annotations

import io
from typing import Any, Sequence

from ..measure.analysis import ItemSummary, MetricResult

_RC: Any = {"svg.hashsalt": "programdsl-report", "svg.fonttype": "none", "font.size": 9.0,
       "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}
# Colour-blind-safe pair and a neutral (Okabe-Ito blue and vermillion, grey).
BEFORE, AFTER, NEUTRAL, TARGET = "#999999", "#0072B2", "#BBBBBB", "#D55E00"
#: Up to this many people, the before/after plot draws one line per person; above, two box plots.
MAX_LINES = 60


def _svg(figure: Any) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text  # drop the XML prolog and doctype: the SVG sits inside HTML


def _figure(width: float, height: float) -> Any:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=72)


def before_after(metric: MetricResult, low: float | None = None, high: float | None = None) -> str:
    """One line per paired person from before to after, with both means marked."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = _figure(4.2, 3.0)
        axes = figure.add_subplot()
        if len(metric.before) <= MAX_LINES:
            from matplotlib.collections import LineCollection

            axes.add_collection(LineCollection([[(0, b), (1, a)] for b, a in zip(metric.before, metric.after)],
                                               colors=NEUTRAL, linewidths=1.0))
            axes.scatter([0] * len(metric.before) + [1] * len(metric.after), list(metric.before) + list(metric.after),
                         s=9, color=NEUTRAL, zorder=2)
        else:  # too many people for one line each: the two distributions as boxes
            axes.boxplot([list(metric.before), list(metric.after)], positions=[0, 1], widths=0.25, showfliers=False,
                         patch_artist=True, boxprops={"facecolor": "#EEEEEE", "edgecolor": BEFORE},
                         medianprops={"color": "#333333"})
        if metric.before:
            mean_before = sum(metric.before) / len(metric.before)
            mean_after = sum(metric.after) / len(metric.after)
            axes.plot([0, 1], [mean_before, mean_after], color=AFTER, linewidth=2.5, marker="o", label="mean")
        if metric.target is not None:
            axes.axhline(metric.target, color=TARGET, linestyle="--", linewidth=1.2, label=f"target {metric.target:g}")
        axes.set_xticks([0, 1], ["before", "after"])
        axes.set_xlim(-0.3, 1.3)
        if low is not None and high is not None:
            axes.set_ylim(low, high)
        axes.set_ylabel(metric.unit)
        axes.set_title(f"{metric.name} (n = {metric.n} pairs)", fontsize=9)
        axes.legend(frameon=False, fontsize=8, loc="lower right")
        return _svg(figure)


def item_distributions(title: str, items: Sequence[ItemSummary]) -> str | None:
    """Stacked horizontal bars: for each likert item, the share of answers at each scale point."""
    import matplotlib

    shown = [i for i in items if i.type == "likert" and i.counts and i.n and not i.suppressed]
    if not shown:
        return None
    points = max(len(i.counts) for i in shown)
    # A sequential blue ramp: darker is higher on the scale.
    ramp = ["#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B", "#041F4A"]
    step = max(1, (len(ramp) - 1) // max(1, points - 1))
    with matplotlib.rc_context(_RC):
        figure = _figure(6.4, 0.38 * len(shown) + 1.1)
        axes = figure.add_subplot()
        names = [i.column for i in shown][::-1]
        lefts = [0.0] * len(shown)
        for k in range(points):
            widths = []
            for item in shown[::-1]:
                count = item.counts[k][1] if k < len(item.counts) else 0
                widths.append(100.0 * count / item.n)
            label = shown[0].labels[k] if k < len(shown[0].labels) else str(shown[0].counts[k][0]) if k < len(shown[0].counts) else ""
            axes.barh(names, widths, left=lefts, color=ramp[min(k * step, len(ramp) - 1)], edgecolor="white",
                      linewidth=0.5, label=label)
            lefts = [a + b for a, b in zip(lefts, widths)]
        axes.set_xlim(0, 100)
        axes.set_xlabel("% of answers")
        axes.set_title(title, fontsize=9)
        axes.legend(frameon=False, fontsize=7, ncol=min(points, 5), loc="upper center", bbox_to_anchor=(0.5, -0.25))
        return _svg(figure)


def progress(metrics: Sequence[MetricResult]) -> str | None:
    """For each metric with a value and a target: baseline, value and target on the metric's own axis."""
    import matplotlib

    shown = [m for m in metrics if m.value is not None and m.target is not None]
    if not shown:
        return None
    with matplotlib.rc_context(_RC):
        figure = _figure(6.4, 0.75 * len(shown) + 0.6)
        for index, metric in enumerate(shown):
            assert metric.value is not None and metric.target is not None
            axes = figure.add_subplot(len(shown), 1, index + 1)
            known = [v for v in (metric.baseline, metric.value, metric.target) if v is not None]
            low, high = min(known + [0.0]), max(known)
            pad = (high - low) * 0.1 or 1.0
            axes.barh([0], [metric.value - low], left=low, height=0.5,
                      color=AFTER if metric.status in ("met", "on track") else NEUTRAL)
            if metric.baseline is not None:
                axes.plot([metric.baseline], [0], marker="|", markersize=16, color="#333333", label="baseline")
            axes.plot([metric.target], [0], marker="D", markersize=7, color=TARGET, label="target")
            axes.set_xlim(low, high + pad)
            axes.set_yticks([])
            axes.spines["left"].set_visible(False)
            axes.set_title(f"{metric.name}: {metric.value:.3g} of {metric.target:g} ({metric.status})", fontsize=8, loc="left")
        figure.subplots_adjust(hspace=1.2)
        return _svg(figure)
