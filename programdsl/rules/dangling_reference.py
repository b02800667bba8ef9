"""Every reference names something the program defines.

Objectives name metrics; metrics name the milestones they are collected at and the survey they
come from; survey questions name metrics; surveys and training name roles and are placed at
milestones or phases; milestones may be placed at phases; group sessions name roles. Surveys ask
scales by id and give questions to roles; subscales list their scale's items; a metric's `compute`
names surveys, a scale and its subscale, a role, and a group session (or `pairs`).

Bad:
    objectives:
      - {id: digital-fluency, title: Leaders use new tools with ease, beneficiary: mentee, metrics: [digital-score]}
    metrics:
      - {id: digital-confidence, name: Digital confidence, definition: Self-rated confidence, unit: score (1-5)}

Good:
    objectives:
      - {id: digital-fluency, title: Leaders use new tools with ease, beneficiary: mentee, metrics: [digital-confidence]}
    metrics:
      - {id: digital-confidence, name: Digital confidence, definition: Self-rated confidence, unit: score (1-5)}
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register, suggest
from ..model import PAIR_MEETING, Anchor, ChangeComputation, Metric, Program, ScoreComputation, SessionsComputation
from .context import Context

CODE = register("PD302", "dangling-reference", Severity.ERROR, "A reference names an id that is not defined.")


def _check(ctx: Context, kind: str, target: str, known: list[str], path: tuple[Any, ...], where: str) -> Iterator[Diagnostic]:
    if target in known:  # defined twice is still defined: the duplicate-id rule reports that
        return
    counts = Counter(known)
    defined = f"defined {kind}s: {', '.join(counts)}" if known else f"no {kind}s are defined"
    # An id written twice and an id missing usually mean a copied item whose id was not changed.
    twice = next((f"{kind} id '{k}' is used twice; if one of them should be '{target}', rename it. "
                  for k, n in counts.items() if n > 1), "")
    yield CODE.at(ctx.span(path), f"{where} refers to {kind} '{target}', which is not defined",
                  hint=f"{suggest(target, counts)}{twice}{defined}", path=path)


def _anchor(ctx: Context, anchor: Anchor | None, where: str, milestones: list[str], phases: list[str]) -> Iterator[Diagnostic]:
    if anchor is None:
        return
    if anchor.milestone is not None:
        yield from _check(ctx, "milestone", anchor.milestone, milestones, anchor.path + ("milestone",), where)
    if anchor.phase is not None:
        yield from _check(ctx, "phase", anchor.phase, phases, anchor.path + ("phase",), where)


def check(ctx: Context) -> Iterator[Diagnostic]:
    p = ctx.program
    metrics = [m.id for m in p.metrics]
    milestones = [m.id for m in p.schedule.milestones]
    phases = [x.id for x in p.schedule.phases]
    surveys = [s.id for s in p.surveys]
    roles = list(p.roles)

    for objective in p.objectives:
        for i, metric_id in enumerate(objective.metrics):
            yield from _check(ctx, "metric", metric_id, metrics, objective.path + ("metrics", i), f"objective '{objective.id}'")
    for metric in p.metrics:
        for i, milestone_id in enumerate(metric.collected_at):
            yield from _check(ctx, "milestone", milestone_id, milestones, metric.path + ("collectedAt", i), f"metric '{metric.id}'")
        if metric.source is not None and metric.source.survey is not None:
            yield from _check(ctx, "survey", metric.source.survey, surveys, metric.path + ("source", "survey"), f"metric '{metric.id}'")
    for milestone in p.schedule.milestones:
        if milestone.phase is not None:
            yield from _check(ctx, "phase", milestone.phase, phases, milestone.path + ("phase",), f"milestone '{milestone.id}'")
    for survey in p.surveys:
        where = f"survey '{survey.id}'"
        for i, role in enumerate(survey.audience):
            yield from _check(ctx, "role", role, roles, survey.path + ("audience", i), where)
        yield from _anchor(ctx, survey.when, where, milestones, phases)
        for question in survey.questions:
            if question.metric is not None:
                yield from _check(ctx, "metric", question.metric, metrics, question.path + ("metric",),
                                  f"question '{question.id}' of {where}")
        for use in survey.scale_uses:
            yield from _check(ctx, "scale", use.scale, [x.id for x in p.scales], use.path + ("scale",), where)
        for question in survey.questions:
            if question.scale is None:  # a scale's items share its use's audience, reported once below
                for i, role in enumerate(question.audience or ()):
                    yield from _check(ctx, "role", role, roles, question.path + ("audience", i), f"question '{question.id}' of {where}")
        for use in survey.scale_uses:
            for i, role in enumerate(use.audience or ()):
                yield from _check(ctx, "role", role, roles, use.path + ("audience", i), f"scale '{use.scale}' in {where}")
    for scale in p.scales:
        items = [item.id for item in scale.items]
        for sub in scale.subscales:
            for i, item_id in enumerate(sub.items):
                yield from _check(ctx, "item", item_id, items, sub.path + ("items", i),
                                  f"subscale '{sub.id}' of scale '{scale.id}'")
    for metric in p.metrics:
        yield from _computation(ctx, p, metric, surveys, roles)
    for module in p.training:
        where = f"training module '{module.id}'"
        for i, role in enumerate(module.audience):
            yield from _check(ctx, "role", role, roles, module.path + ("audience", i), where)
        yield from _anchor(ctx, module.when, where, milestones, phases)
    yield from _anchor(ctx, p.meetings.begin, "meetings", milestones, phases)
    for group in p.meetings.group_sessions:
        for i, role in enumerate(group.audience):
            yield from _check(ctx, "role", role, roles, group.path + ("audience", i), f"group session '{group.id}'")


def _computation(ctx: Context, p: Program, metric: Metric, surveys: list[str], roles: list[str]) -> Iterator[Diagnostic]:
    c = metric.compute
    where = f"metric '{metric.id}'"
    if isinstance(c, ScoreComputation):
        yield from _check(ctx, "survey", c.survey, surveys, c.path + ("survey",), where)
    if isinstance(c, ChangeComputation):
        yield from _check(ctx, "survey", c.baseline, surveys, c.path + ("baseline",), where)
        yield from _check(ctx, "survey", c.follow_up, surveys, c.path + ("followUp",), where)
    if isinstance(c, (ScoreComputation, ChangeComputation)):
        if c.scale is not None:
            yield from _check(ctx, "scale", c.scale, [x.id for x in p.scales], c.path + ("scale",), where)
            scale = p.scale(c.scale)
            if scale is not None and c.subscale is not None:
                yield from _check(ctx, "subscale", c.subscale, [x.id for x in scale.subscales],
                                  c.path + ("subscale",), f"{where} (scale '{scale.id}')")
    if isinstance(c, SessionsComputation) and c.meeting != PAIR_MEETING:
        groups = [g.id for g in p.meetings.group_sessions]
        yield from _check(ctx, "group session", c.meeting, groups, c.path + ("meeting",), where)
    role = getattr(c, "role", None)
    if isinstance(role, str):
        yield from _check(ctx, "role", role, roles, c.path + ("role",), where)  # type: ignore[union-attr]
