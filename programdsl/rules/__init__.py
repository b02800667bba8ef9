"""Semantic rules: checks the JSON Schema cannot express, one module per rule.

Each module defines `CODE` (its catalogue entry) and `check(ctx)`, which yields diagnostics.
A rule that judges a part of the program as a whole (all the dates, all the pairing rules) names
those parts in `READS`; when the schema set something in them aside, the rule does not run, since
it would judge an incomplete picture.
Its docstring states the rule and carries a bad and a good example; `docs/rules.md` is built
from these docstrings, so the reference cannot drift from the code.
"""

from __future__ import annotations

from types import ModuleType
from typing import Iterator

from ..diagnostics import Diagnostic
from . import (
    cadence_fit,
    dangling_reference,
    date_order,
    duplicate_id,
    flash_too_long,
    group_capacity,
    meeting_day,
    metric_without_target,
    objective_without_metric,
    one_sided_training,
    outside_program,
    phase_overlap,
    phase_without_sessions,
    question_scale,
    reverse_senior_mentor,
    survey_without_questions,
    unknown_holidays,
    unknown_timezone,
)
from .context import Context

RULES: tuple[ModuleType, ...] = (
    duplicate_id,
    dangling_reference,
    date_order,
    outside_program,
    phase_overlap,
    cadence_fit,
    phase_without_sessions,
    meeting_day,
    reverse_senior_mentor,
    flash_too_long,
    group_capacity,
    objective_without_metric,
    metric_without_target,
    survey_without_questions,
    question_scale,
    one_sided_training,
    unknown_timezone,
    unknown_holidays,
)


def run(ctx: Context) -> Iterator[Diagnostic]:
    for rule in RULES:
        if any(ctx.passed.touches(part) for part in getattr(rule, "READS", ())):
            continue
        for finding in rule.check(ctx):
            if not ctx.passed.hides(finding.path):  # it may rest on a part the schema refused
                yield finding


__all__ = ["Context", "RULES", "run"]
