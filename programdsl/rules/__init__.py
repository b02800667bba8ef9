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
    anonymous_key,
    cadence_fit,
    change_differs,
    change_order,
    circle_size,
    column_collision,
    computation_fit,
    dangling_reference,
    date_order,
    duplicate_id,
    flash_too_long,
    form_return,
    group_capacity,
    length_not_set,
    length_range,
    measure_outside_window,
    meeting_day,
    metric_not_asked,
    metric_range,
    metric_without_target,
    min_answered,
    mixed_item_ranges,
    objective_without_metric,
    on_day_off,
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
    shared_role_label,
    single_item_scale,
    survey_past_end,
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
    circle_size,
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
    length_range,
    length_not_set,
    shared_role_label,
    survey_past_end,
    on_day_off,
    measure_outside_window,
)


def run(ctx: Context) -> Iterator[Diagnostic]:
    for rule in RULES:
        if any(ctx.passed.touches(part) for part in getattr(rule, "READS", ())):
            continue
        for finding in rule.check(ctx):
            if not ctx.passed.hides(finding.path):  # it may rest on a part the schema refused
                yield finding


__all__ = ["Context", "RULES", "run"]
