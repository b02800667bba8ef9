"""The report's plots as SVG text, byte for byte the same for the same numbers.

matplotlib is imported only here, and only when a report is made (the `report` extra). Figures are
built with `matplotlib.figure.Figure` (no pyplot, so no global figure state), text is kept as
text (`svg.fonttype: none`, smaller and searchable), element ids come from a fixed hash salt and
the file carries no date, so two runs write the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any, Sequence
from xml.sax.saxutils import escape

from ..measure.analysis import ItemSummary, MetricResult

_RC: Any = {"svg.hashsalt": "programdsl-report", "svg.fonttype": "none", "font.size": 9.0,
       "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}
# Colour-blind-safe pair and a neutral (Okabe-Ito blue and vermillion, grey).
BEFORE, AFTER, NEUTRAL, TARGET = "#999999", "#0072B2", "#BBBBBB", "#D55E00"
#: Up to this many people, the before/after plot draws one line per person; above, two box plots.
MAX_LINES = 60


def _svg(figure: Any, title: str, description: str) -> str:
    """The figure as inline SVG that a screen reader can name and describe (role, <title>, <desc>)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text  # drop the XML prolog and doctype: the SVG sits inside HTML
    end = text.find(">") + 1
    return (text[:end - 1] + ' role="img">' + f"\n <title>{escape(title)}</title>\n <desc>{escape(description)}</desc>"
            + text[end:])


def _n(value: float) -> str:
    return f"{value:.3g}"


def _figure(width: float, height: float) -> Any:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=72)


def before_after(metric: MetricResult, low: float | None = None, high: float | None = None) -> str:
    """One line per paired person from before to after, with both means marked."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = _figure(5.6, 3.6)
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
        title = f"Before and after: {metric.name}"
        if metric.before:
            description = (f"{len(metric.before)} people paired; mean {_n(mean_before)} before and {_n(mean_after)} after"
                           + (f"; target {metric.target:g}." if metric.target is not None else "."))
        else:
            description = "No paired values."
        return _svg(figure, title, description)


def item_distributions(title: str, items: Sequence[ItemSummary]) -> str | None:
    """Stacked horizontal bars: for each likert item, the share of answers at each scale point.

    Each bar is labelled with the question's wording (not its id), and each segment wide enough
    carries its percentage, so the colours are not the only way to read the chart.
    """
    import matplotlib

    shown = [i for i in items if i.type == "likert" and i.counts and i.n and not i.suppressed]
    if not shown:
        return None
    points = max(len(i.counts) for i in shown)
    # A sequential blue ramp: darker is higher on the scale.
    ramp = ["#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B", "#041F4A"]
    step = max(1, (len(ramp) - 1) // max(1, points - 1))
    labels = [_point_label(shown[0], k) for k in range(points)]
    with matplotlib.rc_context(_RC):
        figure = _figure(8.4, 0.55 * len(shown) + 1.4)
        axes = figure.add_subplot()
        names = [_wrapped(i.text or i.column) for i in shown][::-1]
        positions = list(range(len(shown)))
        lefts = [0.0] * len(shown)
        for k in range(points):
            widths = []
            for item in shown[::-1]:
                count = item.counts[k][1] if k < len(item.counts) else 0
                widths.append(100.0 * count / item.n)
            colour = ramp[min(k * step, len(ramp) - 1)]
            axes.barh(positions, widths, left=lefts, color=colour, edgecolor="#666666", linewidth=0.4, label=labels[k])
            dark = min(k * step, len(ramp) - 1) >= 4
            for y, left, width in zip(positions, lefts, widths):
                if width >= 8:
                    axes.text(left + width / 2, y, f"{width:.0f}%", ha="center", va="center", fontsize=8,
                              color="white" if dark else "#1a1a1a")
            lefts = [a + b for a, b in zip(lefts, widths)]
        axes.set_yticks(positions, names)
        axes.set_xlim(0, 100)
        axes.set_xlabel("% of answers")
        axes.set_title(title, fontsize=10)
        axes.legend(frameon=False, fontsize=8, ncol=min(points, 5), loc="upper center", bbox_to_anchor=(0.5, -0.18))
        description = "; ".join(
            f"{(i.text or i.column).rstrip('.')} ({i.n} answers): "
            + ", ".join(f"{i.labels[k]} {count}" if k < len(i.labels) else f"{count} at {point}"
                        for k, (point, count) in enumerate(i.counts))
            for i in shown)
        return _svg(figure, title, "Answers at each point of the scale. " + description + ".")


def _wrapped(text: str, width: int = 46, lines: int = 3) -> str:
    """A question's wording on at most `lines` lines, shortened with an ellipsis (never silently)."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def _point_label(item: ItemSummary, k: int) -> str:
    if k < len(item.labels):
        return item.labels[k]
    return str(item.counts[k][0]) if k < len(item.counts) else ""


def progress(metrics: Sequence[MetricResult]) -> str | None:
    """For each metric with a value and a target: baseline, value and target on the metric's own axis."""
    import matplotlib

    shown = [m for m in metrics if m.value is not None and m.target is not None]
    if not shown:
        return None
    with matplotlib.rc_context(_RC):
        figure = _figure(8.4, 1.05 * len(shown) + 0.4)
        for index, metric in enumerate(shown):
            assert metric.value is not None and metric.target is not None
            axes = figure.add_subplot(len(shown), 1, index + 1)
            known = [v for v in (metric.baseline, metric.value, metric.target) if v is not None]
            low, high = min(known + [0.0]), max(known)
            pad = (high - low) * 0.1 or 1.0
            reached = metric.status in ("met", "on track")
            axes.barh([0], [metric.value - low], left=low, height=0.5, color=AFTER if reached else NEUTRAL,
                      hatch=None if reached else "//", edgecolor="#555555", linewidth=0.5)
            if metric.baseline is not None:
                axes.plot([metric.baseline], [0], marker="|", markersize=18, markeredgewidth=2, color="#1a1a1a")
            axes.plot([metric.target], [0], marker="D", markersize=8, color=TARGET, markeredgecolor="#1a1a1a")
            axes.set_xlim(low, high + pad)
            axes.set_ylim(-0.5, 0.5)
            axes.set_yticks([])
            axes.spines["left"].set_visible(False)
            axes.tick_params(axis="x", labelsize=8)
            if metric.unit in ("percent", "%"):
                axes.xaxis.set_major_formatter("{x:g}%")
            axes.set_title(_progress_words(metric), fontsize=9, loc="left")
        figure.subplots_adjust(hspace=1.6)
        description = "; ".join(_progress_words(m) for m in shown) + "."
        return _svg(figure, "Progress toward each target", description)


def _progress_words(metric: MetricResult) -> str:
    percent = "%" if metric.unit in ("percent", "%") else ""
    assert metric.value is not None and metric.target is not None
    baseline = f", baseline {metric.baseline:g}{percent}" if metric.baseline is not None else ""
    return f"{metric.name}: {_n(metric.value)}{percent} against a target of {metric.target:g}{percent}{baseline} ({metric.status})"
