"""A metric's computation in plain words, for the charter (used when the metric has no prose
`definition`, and always meaning exactly what `programdsl report` computes)."""

from __future__ import annotations

from ..measure.scoring import measured_question, measured_scale
from ..model import (
    PAIR_MEETING,
    ChangeComputation,
    ManualComputation,
    Metric,
    Program,
    ScoreComputation,
    SessionsComputation,
)
from .words import figure, number_word, plural, role_noun

STATISTIC_WORDS = {"mean": "average", "median": "median"}


def _title(program: Program, survey_id: str) -> str:
    survey = program.survey(survey_id)
    return f"“{survey.title if survey else survey_id}”"


def _who(program: Program, role: str | None, default: str = "respondents") -> str:
    return plural(role_noun(program.role_label(role))) if role else default


def _measure(program: Program, computation: ScoreComputation | ChangeComputation) -> str:
    """'total of the 7 “Consultant insight” items (7 to 35)' or 'answer to “...”'."""
    scale = measured_scale(program, computation)
    if scale is not None:
        rule = "total" if scale.scoring == "sum" else "average"
        span = scale.score_range
        extent = f" ({figure(span[0])} to {figure(span[1])})" if span else ""
        return f"{rule} of the {number_word(len(scale.items))} “{scale.name}” items{extent}"
    question = measured_question(program, computation)
    return f"answer to “{question.text}”" if question is not None else f"answer to question '{computation.question}'"


def describe(program: Program, metric: Metric) -> str | None:
    """How `metric` is computed, in one or two sentences; None when it has no computation."""
    c = metric.compute
    if isinstance(c, ScoreComputation):
        who, measure, where = _who(program, c.role), _measure(program, c), _title(program, c.survey)
        if c.statistic == "share-yes":
            return f"The percentage of {who} answering yes to {measure.removeprefix('answer to ')} in {where}."
        if c.statistic == "share-at-least":
            threshold = figure(c.threshold if c.threshold is not None else 0)
            return f"The percentage of {who} whose {measure} is at least {threshold}, in {where}."
        return f"The {STATISTIC_WORDS.get(c.statistic, c.statistic)} {measure} of {who} in {where}."
    if isinstance(c, ChangeComputation):
        return (f"The {STATISTIC_WORDS.get(c.statistic, c.statistic)} {_measure(program, c)} of {_who(program, c.role)} "
                f"in {_title(program, c.follow_up)}, among those who also answered {_title(program, c.baseline)}. "
                "Each person's answers are paired over time, and the change since the start is reported beside it.")
    if isinstance(c, SessionsComputation):
        if c.meeting == PAIR_MEETING:
            return "The percentage of pairs that record all their sessions in the session log."
        group = next((g for g in program.meetings.group_sessions if g.id == c.meeting), None)
        name = group.name if group else c.meeting
        who = _who(program, c.role, "those invited")
        held = f" {number_word(group.sessions)}" if group is not None and group.sessions else ""
        if c.statistic == "share-attending-at-least" and c.at_least is not None:
            return f"The percentage of {who} who attend at least {number_word(c.at_least)} of the{held} sessions of {name}."
        return f"The percentage of {who} who attend every session of {name}."
    if isinstance(c, ManualComputation):
        return "Entered by hand from a source outside the programme's own forms" + (f": {c.description}" if c.description else "") + ("" if (c.description or "").endswith(".") else ".")
    return None
