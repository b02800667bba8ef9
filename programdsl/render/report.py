"""The outcomes report as files: report.json, report.md, report.html (with SVG plots), report.pdf,
and the coordinator's separate follow-up list.

Everything is rendered from one `Analysis`, so the formats always agree. The JSON shape is
versioned (`format: programdsl-report/1`) and documented in docs/reporting.md; numbers are rounded
to four decimals so equal inputs give equal bytes. The report names nobody: the follow-up files
are the only outputs that carry names, and they say so at the top.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from markupsafe import Markup

from ..reporters.base import plural
from ..measure.analysis import (
    BEHIND, LOW_RESPONSE, LOW_SESSIONS, MET, NOT_MET, ON_TRACK, Analysis, ItemSummary, MetricResult, ScaleSummary, SurveySummary, alpha_text,
)
from ..measure.follow_up import FollowUp
from ..measure.sessions import PAIRS
from ..measure.stats import PairedChange, p_text
from .escape import csv_cell, md_escape
from .templating import Templates, load_templates

FORMAT_ID = "programdsl-report/1"
FILES = ("report.json", "report.md", "report.html")
FOLLOW_UP_FILES = ("coordinator-follow-up.md", "coordinator-follow-up.csv")


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None:
        return None
    rounded = round(float(value), digits)
    return 0.0 if rounded == 0 else rounded


def number(value: float | None, digits: int = 1) -> str:
    """A number for people: no trailing zeros, 'n/a' for none."""
    if value is None:
        return "n/a"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def p_value(p: float | None) -> str:
    if p is None:
        return "n/a"
    text = p_text(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _unit(value: float | None, unit: str) -> str:
    return number(value) + ("%" if unit in ("percent", "%") and value is not None else "")


# --- JSON -------------------------------------------------------------------------------------------------


def _descriptive(d: Any) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"n": d.n, "mean": _round(d.mean), "sd": _round(d.sd), "median": _round(d.median),
            "min": _round(d.minimum), "max": _round(d.maximum)}


def _change(c: PairedChange | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"pairs": c.n, "changed": c.nonzero, "before": _descriptive(c.before), "after": _descriptive(c.after),
            "meanChange": _round(c.mean_change), "medianChange": _round(c.median_change),
            "test": "wilcoxon-signed-rank", "statistic": _round(c.statistic), "p": _round(c.p, 6), "method": c.method,
            "rankBiserial": _round(c.rank_biserial), "smallestPossibleP": _round(c.smallest_p, 6), "warning": c.warning}


def _metric_json(m: MetricResult) -> dict[str, Any]:
    return {"id": m.id, "name": m.name, "unit": m.unit, "kind": m.kind, "statistic": m.statistic if m.kind else None,
            "baseline": m.baseline, "target": m.target, "direction": m.direction, "value": _round(m.value),
            "n": None if m.kind == "manual" else m.n,  # a hand-entered figure rests on nobody programdsl counted
            "status": m.status, "reason": m.reason, "due": m.due.isoformat() if m.due else None,
            "suppressed": m.suppressed, "source": m.source, "change": _change(m.change)}


def _item_json(i: ItemSummary) -> dict[str, Any]:
    return {"column": i.column, "type": i.type, "n": i.n, "suppressed": i.suppressed,
            **(_descriptive(i.stats) or {"mean": None, "sd": None, "median": None}),
            "n": i.n, "counts": {str(point): count for point, count in i.counts}}


def _scale_json(s: ScaleSummary) -> dict[str, Any]:
    alpha = s.alpha
    return {"id": s.scale, "name": s.name, "n": s.n, "range": list(s.score_range), "suppressed": s.suppressed,
            **(_descriptive(s.stats) or {"mean": None, "sd": None, "median": None}), "n": s.n,
            "alpha": _round(alpha.alpha) if alpha else None, "alphaN": alpha.n if alpha else None,
            "lowAlpha": bool(alpha and alpha.low)}


def _survey_json(s: SurveySummary) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "opens": s.opens.isoformat() if s.opens else None,
            "closes": s.closes.isoformat() if s.closes else None, "state": s.state, "responses": s.responses,
            "respondents": s.respondents, "expected": s.expected, "responseRate": _round(s.rate),
            "byRole": dict(s.by_role), "suppressed": s.suppressed,
            "scales": [_scale_json(x) for x in s.scales], "items": [_item_json(x) for x in s.items],
            "freeText": [{"column": f.column, "answered": f.answered, "quotes": list(f.quotes)} for f in s.free_text]}


def report_data(analysis: Analysis) -> dict[str, Any]:
    plan = analysis.plan
    return {
        "format": FORMAT_ID,
        "program": {"id": plan.program_id, "name": plan.program_name, "start": plan.start.isoformat() if plan.start else None,
                    "end": plan.end.isoformat() if plan.end else None},
        "asOf": analysis.as_of.isoformat(),
        "final": analysis.final,
        "inputs": analysis.inputs,
        "privacy": {"minimumGroupSize": plan.minimum_group_size, "quoteFreeText": plan.quote_free_text,
                    "withheld": analysis.suppressed},
        "metrics": [_metric_json(m) for m in analysis.metrics],
        "surveys": [_survey_json(s) for s in analysis.surveys],
        "meetings": [{"id": m.id, "name": m.name, "planned": m.planned, "dueByAsOf": m.due, "groups": m.groups,
                      "held": m.held, "cancelled": m.cancelled, "complete": m.complete,
                      "completeShare": _round(m.complete_share), "heldShareOfDue": _round(m.held_share_of_due),
                      "meanMinutes": _round(m.mean_minutes), "suppressed": m.suppressed} for m in analysis.meetings],
        "whatToChange": [{"subject": c.subject, "id": c.id, "message": c.message, "file": c.file, "line": c.line}
                         for c in analysis.changes],
    }


def report_json(analysis: Analysis) -> bytes:
    return (json.dumps(report_data(analysis), indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


# --- words shared by Markdown and HTML ----------------------------------------------------------------------


def headline(analysis: Analysis) -> str:
    plan = analysis.plan
    if analysis.final:
        return f"Final report as of {analysis.as_of}" + (f" (the program ran {plan.start} to {plan.end})." if plan.start else ".")
    return (f"Mid-program report as of {analysis.as_of}; the program runs {plan.start} to {plan.end}. Metrics whose "
            "data is not due yet are marked so; sessions are compared with those scheduled so far.")


def status_sentence(m: MetricResult) -> str:
    if m.value is None:
        return f"{m.status}: {m.reason}."
    target = f" against a target of {_unit(m.target, m.unit)}" if m.target is not None else ""
    baseline = f" (baseline {_unit(m.baseline, m.unit)})" if m.baseline is not None else ""
    source = f" Source: {m.source}." if m.source else ""
    return f"{m.status}: {_unit(m.value, m.unit)}{target}{baseline}; {m.reason}.{source}"


def change_sentence(c: PairedChange) -> str:
    sign = "+" if (c.mean_change or 0) > 0 else ""
    r = f"rank-biserial r = {number(c.rank_biserial, 2)}" if c.rank_biserial is not None else "no effect size"
    test = (f"Wilcoxon signed-rank W = {number(c.statistic, 1)}, {p_value(c.p)} ({c.method}, two-sided), {r}"
            if c.p is not None else "no test: nobody's value changed")
    return (f"{c.n} pairs: mean {number(c.before.mean)} before (sd {number(c.before.sd)}), {number(c.after.mean)} "
            f"after (sd {number(c.after.sd)}); mean change {sign}{number(c.mean_change)}, median change "
            f"{sign if (c.median_change or 0) > 0 else ''}{number(c.median_change)}. {test}.")


def method_notes(analysis: Analysis) -> list[str]:
    """How the numbers were computed: only the methods this report used, so every note is true of it."""
    plan = analysis.plan
    scales = [plan.scales[x.scale] for s in analysis.surveys for x in s.scales if x.scale in plan.scales]
    notes = []
    if scales:
        scoring = ["Scores follow each scale's scoring rule (" + ", ".join(
            f"{x.name}: {'the sum' if x.scoring == 'sum' else 'the mean'} of its {len(x.items)} items"
            for x in dict.fromkeys(scales)) + ")"]
        if any(reverse for x in scales for _item, reverse in x.items):
            scoring.append("reverse-coded items count as (lowest + highest) minus the answer")
        if any(x.scoring == "sum" and x.min_answered < len(x.items) for x in scales):
            scoring.append("a sum with allowed missing items is the mean of the answered items times the number of items")
        notes.append("; ".join(scoring) + ".")
    if any(m.change is not None for m in analysis.metrics):
        notes.append("Before/after changes pair each person's two responses by respondent key. The Wilcoxon signed-rank "
                     "test drops unchanged pairs, ranks the rest by size (ties share a rank), and is exact up to 20 "
                     "changed pairs (normal approximation above). The rank-biserial correlation runs from -1 (everyone "
                     "fell) to +1 (everyone rose).")
    if any(len(plan.scales[x.scale].items) > 1 for s in analysis.surveys for x in s.scales if x.scale in plan.scales):
        notes.append("Cronbach's alpha uses the respondents who answered every item of the scale; below 0.7 is flagged.")
    notes.append(f"Any result from fewer than {plan.minimum_group_size} people is withheld "
                 "(measurement.minimumGroupSize in the program).")
    if any(s.free_text for s in analysis.surveys):
        notes.append("Free-text answers are counted but not quoted" + (
            " unless the group is large enough (measurement.quoteFreeText is on)." if plan.quote_free_text
            else " (measurement.quoteFreeText is off)."))
    return notes


def nothing_to_change(analysis: Analysis) -> str:
    """Why 'What to change' is empty, saying only what was checked."""
    checks = ["no metric that could be measured is off target"]
    if any(s.state == "closed" and s.rate is not None for s in analysis.surveys):
        checks.append(f"every closed survey was answered by at least {LOW_RESPONSE:g}% of those expected")
    if any(x.alpha is not None for s in analysis.surveys for x in s.scales):
        checks.append("every scale's items hang together (Cronbach's alpha of 0.7 or more)")
    if analysis.meetings:
        checks.append(f"every meeting held at least {LOW_SESSIONS:g}% of the sessions due")
    return "Nothing stands out: " + ", ".join(checks[:-1]) + (" and " if len(checks) > 1 else "") + checks[-1] + "."


def sessions_note(analysis: Analysis) -> str | None:
    """What the sessions table's Counted and Complete columns mean, for the kinds of meeting it has."""
    pairs = any(m.id == PAIRS for m in analysis.meetings)
    groups = any(m.id != PAIRS for m in analysis.meetings)
    if not (pairs or groups):
        return None
    counted = " and ".join(x for x in ("pairs for pair sessions" if pairs else "",
                                       "people expected to attend for group sessions" if groups else "") if x)
    complete = " or ".join(x for x in ("pairs that held every planned session" if pairs else "",
                                       "people who attended the minimum number of group sessions" if groups else "") if x)
    return f"Counted: {counted}. Complete: {complete}."


# --- Markdown ----------------------------------------------------------------------------------------------


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]  # md_escape already escapes |
    return out


def report_md(analysis: Analysis, templates: Templates | None = None) -> str:
    """report.md from `templates/report.md.j2` (or the user's copy of it)."""
    return (templates or load_templates()).render("report.md.j2", report_context(analysis, plots=False))


def _share_text(count: int | None, percent: float | None) -> str:
    return "n/a" if count is None else f"{count} ({number(percent)}%)"


def _inputs_sentence(analysis: Analysis) -> str:
    i = analysis.inputs
    responses, files = i.get("responses", 0), i.get("responseFiles", 0)
    parts = [f"{plural(responses, 'response')} kept from {plural(files, 'file')}"]
    parts.append("a session log" if i.get("sessionLog") else "no session log")
    parts.append(f"participants from the {i['participants']}" if i.get("participants") else "no pairs file or roster (no response rates)")
    if i.get("values"):
        parts.append("hand-entered values")
    return "Read: " + ", ".join(parts) + "."


def _survey_lines(s: SurveySummary) -> list[str]:
    window = f"open {s.opens} to {s.closes} ({s.state})" if s.opens else "not on the schedule"
    rate = f" of {s.expected} expected ({number(s.rate)}%)" if s.expected is not None else ""
    roles = ", ".join(f"{role}: {n}" for role, n in s.by_role)
    lines = [f"{window}. {s.respondents} respondents{rate}" + (f"; by role {roles}" if roles else "") + "."]
    if s.suppressed:
        lines.append("Fewer respondents than the minimum group size: results are withheld.")
    return lines


def _stats_cells(d: Any) -> list[str]:
    if d is None:
        return ["n/a"] * 3
    return [number(d.mean, 2), number(d.sd, 2), number(d.median, 2)]


def _scale_row(x: ScaleSummary) -> list[str]:
    cells = _stats_cells(x.stats) if not x.suppressed else ["withheld"] * 3
    alpha = "n/a"
    if x.alpha is not None and x.alpha.alpha is not None:
        alpha = f"{alpha_text(x.alpha.alpha, x.alpha.low)} ({x.alpha.n})" + (" low" if x.alpha.low else "")
    return [f"{x.name} ({x.scale})", str(x.n), *cells, f"{number(x.score_range[0])}-{number(x.score_range[1])}", alpha]


def _counts(i: ItemSummary) -> str:
    if i.suppressed:
        return "withheld"
    return " ".join(f"{point}:{count}" for point, count in i.counts) if i.counts else ""


# --- what the templates see ---------------------------------------------------------------------------------


def report_context(analysis: Analysis, plots: bool = True) -> dict[str, Any]:
    """Everything report.html.j2 and report.md.j2 show, as words and table cells already worked out
    (the same sentences in both formats), and the plots as SVG text when `plots` is on."""
    plan = analysis.plan
    if plots:
        from . import report_plots
    metrics = []
    for m in analysis.metrics:
        chart = None
        if plots and m.change is not None and m.before:
            scale = plan.scales.get(_metric_scale(analysis, m.id) or "")
            low, high = scale.score_range if scale else (None, None)
            chart = Markup(report_plots.before_after(m, low, high))
        metrics.append({
            "id": m.id, "name": m.name, "status": m.status, "status_class": _status_class(m.status),
            "cells": [f"{m.name} ({m.id})", _unit(m.baseline, m.unit), _unit(m.target, m.unit), _unit(m.value, m.unit),
                      _people(m)],
            "sentence": status_sentence(m), "change": change_sentence(m.change) if m.change is not None else None,
            "warning": m.change.warning if m.change is not None else None, "chart": chart,
        })
    surveys = []
    for s in analysis.surveys:
        distribution = report_plots.item_distributions(f"{s.title}: answers to each rating question", s.items) if plots else None
        surveys.append({
            "id": s.id, "title": s.title, "lines": _survey_lines(s),
            "scales": [_scale_row(x) for x in s.scales],
            "questions": [[i.column, str(i.n), *(_stats_cells(i.stats) if not i.suppressed else ["withheld"] * 3), _counts(i)]
                      for i in s.items if i.type != "choice"],
            "choices": [{"column": i.column, "n": i.n, "counts": _choice_counts(i)} for i in s.items if i.type == "choice"],
            "free_text": [{"column": f.column, "answered": plural(f.answered, "free-text answer"), "quotes": list(f.quotes)}
                          for f in s.free_text],
            "chart": Markup(distribution) if distribution else None,
        })
    progress = report_plots.progress(analysis.metrics) if plots else None
    return {
        "program_name": plan.program_name, "as_of": analysis.as_of.isoformat(), "headline": headline(analysis),
        "inputs": _inputs_sentence(analysis), "css": Markup(_CSS), "progress_chart": Markup(progress) if progress else None,
        "metrics": metrics, "surveys": surveys,
        "meetings": [[m.name, number(m.planned) if m.planned is not None else "not set", str(m.due), str(m.groups),
                      str(m.held), str(m.cancelled), _share_text(m.complete, m.complete_share),
                      _unit(m.held_share_of_due, "%"), number(m.mean_minutes)] for m in analysis.meetings],
        "minimum_group_size": plan.minimum_group_size, "withheld": list(analysis.suppressed),
        "changes": [{"file": c.file, "line": c.line, "message": c.message} for c in analysis.changes],
        "method_notes": method_notes(analysis), "sessions_note": sessions_note(analysis),
        "nothing_to_change": nothing_to_change(analysis),
    }


def _people(m: MetricResult) -> str:
    """The n column: how many people (or pairs) the value rests on; a hand-entered figure rests on
    none that programdsl counted."""
    if m.value is None and not m.n:
        return ""
    return "entered by hand" if m.kind == "manual" else str(m.n)


def _choice_counts(i: ItemSummary) -> str:
    if i.suppressed:
        return "withheld"
    return "; ".join(f"{i.labels[q - 1] if q - 1 < len(i.labels) else q}: {c}" for q, c in i.counts)


# --- HTML -------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{margin-top:1.4rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.met,.on-track{color:#0a6b2d;font-weight:600}.not-met,.behind{color:#a61b00;font-weight:600}
.plot svg{max-width:100%;height:auto}tr,figure{break-inside:avoid}h2,h3{break-after:avoid}.note{color:#444;font-size:.9rem}.warning{background:#fff6e0;padding:.4rem .6rem;border-left:4px solid #e0a000}
""".strip()


def _status_class(status: str) -> str:
    return {MET: "met", NOT_MET: "not-met", ON_TRACK: "on-track", BEHIND: "behind"}.get(status, "open")


def report_html(analysis: Analysis, plots: bool = True, templates: Templates | None = None) -> str:
    """report.html from `templates/report.html.j2` (or the user's copy of it): autoescaped, with the
    plots inline as SVG."""
    return (templates or load_templates()).render("report.html.j2", report_context(analysis, plots))


def _metric_scale(analysis: Analysis, metric_id: str) -> str | None:
    return next((m.scale for m in analysis.plan.metrics if m.id == metric_id), None)


# --- the coordinator's follow-up ------------------------------------------------------------------------


def follow_up_md(analysis: Analysis, entries: Sequence[FollowUp]) -> str:
    e = md_escape
    out = [f"# Follow-up for the coordinator: {e(analysis.plan.program_name)}", "",
           "This list names people. Keep it to the program team; it is not part of the report.", "",
           e(f"As of {analysis.as_of}."), ""]
    pairs = [x for x in entries if x.kind == "no-recent-session"]
    quiet = [x for x in entries if x.kind == "no-response"]
    out += ["## Pairs with no recent session", ""]
    out += _md_table(["Pair", "People", "Detail"], [[x.person_id, x.name, x.detail] for x in pairs]) if pairs else \
        ["None (or no session log and pairs file to check)."]
    out += ["", "## People who have not answered a closed survey", ""]
    out += _md_table(["Survey", "Id", "Name", "Role", "Detail"], [[x.subject, x.person_id, x.name, x.role, x.detail] for x in quiet]) \
        if quiet else ["None (or no pairs file or roster to check against)."]
    return "\n".join(out) + "\n"


def follow_up_csv(entries: Sequence[FollowUp]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["kind", "subject", "id", "name", "role", "detail"])
    for x in entries:
        writer.writerow([csv_cell(v) for v in (x.kind, x.subject, x.person_id, x.name, x.role, x.detail)])
    return buffer.getvalue()


__all__ = ["FILES", "FOLLOW_UP_FILES", "FORMAT_ID", "follow_up_csv", "follow_up_md", "report_data", "report_html",
           "report_json", "report_md"]
