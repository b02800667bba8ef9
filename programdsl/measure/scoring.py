"""Scores from answers: pure functions, the model's types in and plain numbers out.

A scale's score is the sum or the mean of its items' coded answers. A reverse-coded item is
coded as (min + max) - answer, so a higher score always means more of what the scale measures.
A score counts only when at least `minAnswered` items are answered (default: all of them); a sum
with some items missing is prorated, the mean of the answered items times the number of items,
so a respondent who skipped an item is not scored as if they had answered the lowest point.
"""

from __future__ import annotations

import math
from typing import Mapping

from ..model import (
    ChangeComputation,
    Computation,
    Program,
    Question,
    Scale,
    ScoreComputation,
    SessionsComputation,
    Survey,
)

PERCENT_RANGE = (0.0, 100.0)
SHARE_STATISTICS = ("share-at-least", "share-yes", "share-complete", "share-attending-at-least")


def _answered(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def score(scale: Scale, answers: Mapping[str, float | None]) -> float | None:
    """The score of one respondent's `answers` (item id -> answer, None when unanswered).

    None when fewer than the needed number of items are answered. Raises ValueError for an answer
    outside the scale's response range: responses are checked before they are scored.
    """
    if scale.low is None or scale.high is None or not scale.items:
        return None
    coded: list[float] = []
    for item in scale.items:
        value = answers.get(item.id)
        if not _answered(value):
            continue
        assert value is not None
        if not scale.low <= value <= scale.high:
            raise ValueError(f"answer {value} to item '{item.id}' is outside the scale's range {scale.low}-{scale.high}")
        coded.append(scale.low + scale.high - value if item.reverse else float(value))
    if not coded or len(coded) < scale.needed:
        return None
    mean = sum(coded) / len(coded)
    return mean if scale.scoring == "mean" else mean * len(scale.items)


def score_range(scale: Scale) -> tuple[float, float] | None:
    """Lowest and highest possible score: sum -> items x min .. items x max; mean -> min .. max."""
    return scale.score_range


def question_range(question: Question) -> tuple[float, float] | None:
    """The range of a single question's answer: its likert scale, 0-1 for yes-no (yes = 1), else None."""
    if question.type == "likert" and question.scale_min is not None and question.scale_max is not None:
        return (float(question.scale_min), float(question.scale_max))
    if question.type == "yes-no":
        return (0.0, 1.0)
    return None


def measured_scale(program: Program, computation: ScoreComputation | ChangeComputation) -> Scale | None:
    """The scale (or subscale, as a Scale) a score or change computation reads, if it reads one."""
    if computation.scale is None:
        return None
    scale = program.scale(computation.scale)
    if scale is not None and computation.subscale is not None:
        return scale.part(computation.subscale)
    return scale


def measured_question(program: Program, computation: ScoreComputation | ChangeComputation) -> Question | None:
    """The single question a score or change computation reads, found in the survey(s) it names."""
    if computation.question is None:
        return None
    surveys = [computation.survey] if isinstance(computation, ScoreComputation) else [computation.follow_up, computation.baseline]
    for survey_id in surveys:
        survey = program.survey(survey_id)
        question = next((q for q in survey.questions if q.id == computation.question), None) if survey else None
        if question is not None:
            return question
    return None


def metric_range(program: Program, computation: Computation | None) -> tuple[float, float] | None:
    """The range a computed metric's value can take, or None when it is unbounded or unknown.

    Shares are percentages (0-100); a mean or median takes the range of the score it summarises.
    """
    if computation is None or computation.kind == "manual":
        return None
    if isinstance(computation, SessionsComputation) or computation.statistic in SHARE_STATISTICS:  # type: ignore[union-attr]
        return PERCENT_RANGE
    assert isinstance(computation, (ScoreComputation, ChangeComputation))
    scale = measured_scale(program, computation)
    if scale is not None:
        return scale.score_range
    question = measured_question(program, computation)
    return question_range(question) if question is not None else None


def asked(survey: Survey, computation: ScoreComputation | ChangeComputation, program: Program) -> tuple[Question, ...]:
    """The questions of `survey` a score or change computation reads, asked of its role if it has one."""
    questions = survey.questions_for(computation.role) if computation.role else survey.questions
    if computation.question is not None:
        return tuple(q for q in questions if q.id == computation.question)
    if computation.scale is None:
        return ()
    scale = measured_scale(program, computation)
    wanted = {item.id for item in scale.items} if scale is not None else set()
    return tuple(q for q in questions if q.scale == computation.scale and q.id in wanted)
