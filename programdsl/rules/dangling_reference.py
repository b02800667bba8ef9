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

from .. import limits
from ..diagnostics import Diagnostic, Severity, register, suggest
from ..model import PAIR_MEETING, Anchor, ChangeComputation, Metric, Program, ScoreComputation, SessionsComputation
from .context import Context

CODE = register("PD302", "dangling-reference", Severity.ERROR, "A reference names an id that is not defined.")


# Where each kind of id is defined: a reference to an id that a part the schema refused may have
# defined is not reported.
_COLLECTIONS = {"metric": ("metrics",), "milestone": ("schedule", "milestones"), "phase": ("schedule", "phases"),
                "survey": ("surveys",), "role": ("roles",), "scale": ("scales",),
                "group session": ("meetings", "groupSessions")}


class _Ids:
    """The ids of one kind, with what every hint about them says, worked out once: a program with
    thousands of references to undefined ids gets short hints, and "did you mean" searches for
    the first `limits.REFERENCE_PROBLEMS` of them only (each search compares with every id)."""

    def __init__(self, kind: str, ids: list[str], collection: tuple[Any, ...] | None = None) -> None:
        self.kind = kind
        self.collection = collection if collection is not None else _COLLECTIONS.get(kind)
        self.known = set(ids)
        counts = Counter(ids)
        self.choices = list(counts)
        shown = ", ".join(self.choices[:limits.HINT_IDS])
        more = len(self.choices) - limits.HINT_IDS
        self.defined = (f"defined {kind}s: {shown}" + (f" and {more} more" if more > 0 else "")) if ids \
            else f"no {kind}s are defined"
        self.twice = next((k for k, n in counts.items() if n > 1), None)


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.searches = 0

    def check(self, target: str, ids: _Ids, path: tuple[Any, ...], where: str) -> Iterator[Diagnostic]:
        if target in ids.known:  # defined twice is still defined: the duplicate-id rule reports that
            return
        if ids.collection is not None and self.ctx.passed.may_define(ids.collection, target):  # perhaps in a refused part
            return
        kind = ids.kind
        # An id written twice and an id missing usually mean a copied item whose id was not changed.
        twice = (f"{kind} id '{ids.twice}' is used twice; if one of them should be '{target}', rename it. "
                 if ids.twice is not None else "")
        self.searches += 1
        close = suggest(target, ids.choices) if self.searches <= limits.REFERENCE_PROBLEMS else ""
        yield CODE.at(self.ctx.span(path), f"{where} refers to {kind} '{target}', which is not defined",
                      hint=f"{close}{twice}{ids.defined}", path=path)

    def anchor(self, anchor: Anchor | None, where: str, milestones: _Ids, phases: _Ids) -> Iterator[Diagnostic]:
        if anchor is None:
            return
        if anchor.milestone is not None:
            yield from self.check(anchor.milestone, milestones, anchor.path + ("milestone",), where)
        if anchor.phase is not None:
            yield from self.check(anchor.phase, phases, anchor.path + ("phase",), where)


def check(ctx: Context) -> Iterator[Diagnostic]:
    p = ctx.program
    metrics = _Ids("metric", [m.id for m in p.metrics])
    milestones = _Ids("milestone", [m.id for m in p.schedule.milestones])
    phases = _Ids("phase", [x.id for x in p.schedule.phases])
    surveys = _Ids("survey", [s.id for s in p.surveys])
    roles = _Ids("role", list(p.roles))
    scales = _Ids("scale", [x.id for x in p.scales])
    groups = _Ids("group session", [g.id for g in p.meetings.group_sessions])
    checker = _Checker(ctx)
    _check, _anchor = checker.check, checker.anchor

    for objective in p.objectives:
        for i, metric_id in enumerate(objective.metrics):
            yield from _check(metric_id, metrics, objective.path + ("metrics", i), f"objective '{objective.id}'")
    for metric in p.metrics:
        for i, milestone_id in enumerate(metric.collected_at):
            yield from _check(milestone_id, milestones, metric.path + ("collectedAt", i), f"metric '{metric.id}'")
        if metric.source is not None and metric.source.survey is not None:
            yield from _check(metric.source.survey, surveys, metric.path + ("source", "survey"), f"metric '{metric.id}'")
    for milestone in p.schedule.milestones:
        if milestone.phase is not None:
            yield from _check(milestone.phase, phases, milestone.path + ("phase",), f"milestone '{milestone.id}'")
    for survey in p.surveys:
        where = f"survey '{survey.id}'"
        for i, role in enumerate(survey.audience):
            yield from _check(role, roles, survey.path + ("audience", i), where)
        yield from _anchor(survey.when, where, milestones, phases)
        for question in survey.questions:
            if question.metric is not None:
                yield from _check(question.metric, metrics, question.path + ("metric",),
                                  f"question '{question.id}' of {where}")
        for use in survey.scale_uses:
            yield from _check(use.scale, scales, use.path + ("scale",), where)
        for question in survey.questions:
            if question.scale is None:  # a scale's items share its use's audience, reported once below
                for i, role in enumerate(question.audience or ()):
                    yield from _check(role, roles, question.path + ("audience", i), f"question '{question.id}' of {where}")
        for use in survey.scale_uses:
            for i, role in enumerate(use.audience or ()):
                yield from _check(role, roles, use.path + ("audience", i), f"scale '{use.scale}' in {where}")
    for scale in p.scales:
        items = _Ids("item", [item.id for item in scale.items], scale.path + ("items",))
        for sub in scale.subscales:
            for i, item_id in enumerate(sub.items):
                yield from _check(item_id, items, sub.path + ("items", i), f"subscale '{sub.id}' of scale '{scale.id}'")
    for module in p.training:
        where = f"training module '{module.id}'"
        for i, role in enumerate(module.audience):
            yield from _check(role, roles, module.path + ("audience", i), where)
        yield from _anchor(module.when, where, milestones, phases)
    yield from _anchor(p.meetings.begin, "meetings", milestones, phases)
    for group in p.meetings.group_sessions:
        for i, role in enumerate(group.audience):
            yield from _check(role, roles, group.path + ("audience", i), f"group session '{group.id}'")
    for metric in p.metrics:
        yield from _computation(checker, p, metric, surveys, roles, scales, groups)


def _computation(checker: _Checker, p: Program, metric: Metric, surveys: _Ids, roles: _Ids, scales: _Ids,
                 groups: _Ids) -> Iterator[Diagnostic]:
    c = metric.compute
    where = f"metric '{metric.id}'"
    if isinstance(c, ScoreComputation):
        yield from checker.check(c.survey, surveys, c.path + ("survey",), where)
    if isinstance(c, ChangeComputation):
        yield from checker.check(c.baseline, surveys, c.path + ("baseline",), where)
        yield from checker.check(c.follow_up, surveys, c.path + ("followUp",), where)
    if isinstance(c, (ScoreComputation, ChangeComputation)):
        if c.scale is not None:
            yield from checker.check(c.scale, scales, c.path + ("scale",), where)
            scale = p.scale(c.scale)
            if scale is not None and c.subscale is not None:
                yield from checker.check(c.subscale, _Ids("subscale", [x.id for x in scale.subscales], scale.path + ("subscales",)),
                                         c.path + ("subscale",), f"{where} (scale '{scale.id}')")
    if isinstance(c, SessionsComputation) and c.meeting != PAIR_MEETING:
        yield from checker.check(c.meeting, groups, c.path + ("meeting",), where)
    role = getattr(c, "role", None)
    if isinstance(role, str):
        yield from checker.check(role, roles, c.path + ("role",), where)  # type: ignore[union-attr]
