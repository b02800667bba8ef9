"""Semantic rules: checks the JSON Schema cannot express, one module per rule.

Each module defines `CODE` (its catalogue entry) and `check(ctx)`, which yields diagnostics.
Its docstring states the rule and carries a bad and a good example; `docs/rules.md` is built
from these docstrings, so the reference cannot drift from the code.
"""

from __future__ import annotations

from types import ModuleType
from typing import Iterator

from ..diagnostics import Diagnostic
from . import (
    anonymous_key,
    cadence_fit,
    change_differs,
    change_order,
    column_collision,
    computation_fit,
    dangling_reference,
    date_order,
    duplicate_id,
    flash_too_long,
    form_return,
    group_capacity,
    meeting_day,
    metric_not_asked,
    metric_range,
    metric_without_target,
    min_answered,
    mixed_item_ranges,
    objective_without_metric,
    one_sided_training,
    outside_program,
    partner_survey,
    phase_overlap,
    phase_without_sessions,
    question_audience,
    question_scale,
    reverse_non_likert,
    reverse_senior_mentor,
    scale_shape,
    self_code_pattern,
    single_item_scale,
    survey_tool_name,
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
    scale_shape,
    single_item_scale,
    min_answered,
    mixed_item_ranges,
    reverse_non_likert,
    question_audience,
    column_collision,
    partner_survey,
    anonymous_key,
    self_code_pattern,
    survey_tool_name,
    form_return,
    computation_fit,
    metric_not_asked,
    change_differs,
    change_order,
    metric_range,
    one_sided_training,
    unknown_timezone,
    unknown_holidays,
)


def run(ctx: Context) -> Iterator[Diagnostic]:
    for rule in RULES:
        yield from rule.check(ctx)


__all__ = ["Context", "RULES", "run"]
