"""Ids are unique within their kind.

Objectives, metrics, phases, milestones, training modules, surveys, group sessions and
pairing rules each form one namespace, and so do the questions of one survey. A repeated
id makes every reference to it ambiguous.

Bad:
    objectives:
      - {id: confidence, title: Mentors give feedback with confidence, beneficiary: mentor, metrics: [feedback-score]}
      - {id: confidence, title: Leaders understand junior colleagues, beneficiary: mentee, metrics: [empathy-score]}

Good:
    objectives:
      - {id: mentor-confidence, title: Mentors give feedback with confidence, beneficiary: mentor, metrics: [feedback-score]}
      - {id: leader-empathy, title: Leaders understand junior colleagues, beneficiary: mentee, metrics: [empathy-score]}
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD301", "duplicate-id", Severity.ERROR, "Two items of the same kind share an id.")


def _repeats(ctx: Context, kind: str, items: Iterable[tuple[str | None, tuple[Any, ...]]]) -> Iterator[Diagnostic]:
    first: dict[str, tuple[Any, ...]] = {}
    for item_id, path in items:
        if item_id is None:
            continue
        if item_id in first:
            earlier = ctx.span(first[item_id] + ("id",))
            yield CODE.at(ctx.span(path + ("id",)), f"{kind} id '{item_id}' is already used",
                          hint=f"the first '{item_id}' is at {earlier.file}:{earlier.line}; give each {kind} its own id",
                          path=path + ("id",))
        else:
            first[item_id] = path


def check(ctx: Context) -> Iterator[Diagnostic]:
    p = ctx.program
    yield from _repeats(ctx, "objective", ((o.id, o.path) for o in p.objectives))
    yield from _repeats(ctx, "metric", ((m.id, m.path) for m in p.metrics))
    yield from _repeats(ctx, "phase", ((x.id, x.path) for x in p.schedule.phases))
    yield from _repeats(ctx, "milestone", ((x.id, x.path) for x in p.schedule.milestones))
    yield from _repeats(ctx, "training module", ((t.id, t.path) for t in p.training))
    yield from _repeats(ctx, "survey", ((s.id, s.path) for s in p.surveys))
    yield from _repeats(ctx, "group session", ((g.id, g.path) for g in p.meetings.group_sessions))
    rules = p.pairing.constraints + p.pairing.preferences
    yield from _repeats(ctx, "pairing rule", ((r.id, r.path) for r in rules))
    yield from _repeats(ctx, "scale", ((x.id, x.path) for x in p.scales))
    yield from _repeats(ctx, "self-code question", ((q.id, q.path) for q in p.measurement.self_code))
    for scale in p.scales:
        yield from _repeats(ctx, f"item of scale '{scale.id}'", ((i.id, i.path) for i in scale.items))
        yield from _repeats(ctx, f"subscale of scale '{scale.id}'", ((x.id, x.path) for x in scale.subscales))
    for survey in p.surveys:
        # A scale item that shares a column with another question is a column collision (PD332).
        yield from _repeats(ctx, "question", ((q.id, q.path) for q in survey.questions if q.scale is None))
