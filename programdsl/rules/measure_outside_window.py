"""A measure is taken at a milestone only if a survey that feeds it is open then.

`collectedAt` tells participants when each measure is taken ("at kickoff"). When the measure
comes from surveys, one of them (its `source.survey`, or a survey with a question that feeds
it) must be open on that milestone's day; a baseline survey that closes the day before kickoff
does not measure anything at kickoff.

Bad:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confidence, text: I feel confident., type: likert, scale: {min: 1, max: 5}, metric: confidence-score}
    metrics:
      - id: confidence-score
        name: Confidence score
        definition: Self-rated confidence
        unit: score (1-5)
        baseline: 3
        target: 4
        collectedAt: [kickoff, closing]

Good:
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confidence, text: I feel confident., type: likert, scale: {min: 1, max: 5}, metric: confidence-score}
    metrics:
      - id: confidence-score
        name: Confidence score
        definition: Self-rated confidence
        unit: score (1-5)
        baseline: 3
        target: 4
        collectedAt: [closing]
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context
from .survey_past_end import _last_opening

# Judges every metric against every survey window: a survey or question the schema set aside would
# make a metric look unmeasured.
READS: tuple[tuple[str, ...], ...] = (("surveys",), ("metrics",), ("schedule",), ("meetings",))

CODE = register("PD354", "measure-outside-window", Severity.WARNING,
                "A measure is said to be taken at a milestone when none of the surveys that feed it is open.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    program, tl = ctx.program, ctx.timeline
    span = tl.program
    if span is None:
        return
    for metric in program.metrics:
        if metric.source is not None and metric.source.kind != "survey":
            continue  # taken from records, which are there at any milestone
        feeding = [s for s in program.surveys
                   if (metric.source is not None and metric.source.survey == s.id)
                   or any(q.metric == metric.id for q in s.questions)]
        if not feeding:
            continue  # measured some other way (HR records, a register): no window to check
        windows: list[tuple[dt.date, dt.date]] = []
        for survey in feeding:
            first = tl.anchor_date(survey.when)
            if first is None:
                continue
            days = dt.timedelta(days=(survey.open_days or 1) - 1)
            opening = first
            while True:
                windows.append((opening, opening + days))
                if survey.repeat_every is None or opening >= _last_opening(first, survey.repeat_every, span.end):
                    break
                opening = _next(opening, first, survey.repeat_every, len(windows))
        if not windows:
            continue
        for index, milestone_id in enumerate(metric.collected_at):
            day = tl.milestones.get(milestone_id)
            if day is None or any(start <= day <= end for start, end in windows):
                continue
            names = ", ".join(f"'{s.id}'" for s in feeding)
            shown = "; ".join(f"{start} to {end}" if end != start else f"{start}" for start, end in sorted(windows)[:4])
            path = metric.path + ("collectedAt", index)
            yield CODE.at(ctx.span(path), f"metric '{metric.id}' is said to be measured at '{milestone_id}' ({day}), "
                          f"but no survey that feeds it ({names}) is open that day", hint=f"open then: {shown}; "
                          "open a survey over that day, or remove the milestone from `collectedAt`", path=path)


def _next(current: dt.date, first: dt.date, every: object, count: int) -> dt.date:
    from ..model import Duration

    assert isinstance(every, Duration)
    return Duration(every.amount * count, every.unit).after(first)
