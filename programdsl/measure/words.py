"""A metric's computation in plain words, for the charter and the codebooks."""

from __future__ import annotations

from ..model import (
    PAIR_MEETING,
    ChangeComputation,
    ManualComputation,
    Metric,
    Program,
    ScoreComputation,
    SessionsComputation,
)
from .scoring import measured_question, measured_scale


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _plural(role: str) -> str:
    return role if role.endswith("s") else role + "s"


def _measure(program: Program, computation: ScoreComputation | ChangeComputation) -> str:
    scale = measured_scale(program, computation)
    if scale is not None:
        rule = "sum" if scale.scoring == "sum" else "mean"
        span = scale.score_range
        extent = f", from {_number(span[0])} to {_number(span[1])}" if span else ""
        return f"the {rule} of the {len(scale.items)} items of the {scale.name} scale{extent}"
    question = measured_question(program, computation)
    if question is not None:
        return f"the answer to “{question.text}”"
    return f"question '{computation.question}'"


def _who(program: Program, role: str | None, default: str = "respondents") -> str:
    return _plural(program.role_label(role).lower()) if role else default


def describe(program: Program, metric: Metric) -> str | None:
    """How `metric` is computed, in one sentence; None when it has no computation."""
    c = metric.compute
    if isinstance(c, ScoreComputation):
        survey = program.survey(c.survey)
        title = survey.title if survey else c.survey
        who = _who(program, c.role)
        measure = _measure(program, c)
        if c.statistic == "share-yes":
            return f"The percentage of {who} answering yes to {measure.removeprefix('the answer to ')} in “{title}”."
        if c.statistic == "share-at-least":
            return (f"The percentage of {who} whose score, {measure}, is at least "
                    f"{_number(c.threshold if c.threshold is not None else 0)} in “{title}”.")
        return f"The {c.statistic} over {who} of {measure}, in “{title}”."
    if isinstance(c, ChangeComputation):
        before, after = program.survey(c.baseline), program.survey(c.follow_up)
        return (f"The {c.statistic} of {_measure(program, c)}, at “{after.title if after else c.follow_up}”, over the "
                f"{_who(program, c.role)} who also answered “{before.title if before else c.baseline}”; their answers "
                "are paired by respondent, and the change from before to after is shown beside it.")
    if isinstance(c, SessionsComputation):
        if c.meeting == PAIR_MEETING:
            return "The percentage of pairs that record all their sessions in the session log."
        group = next((g for g in program.meetings.group_sessions if g.id == c.meeting), None)
        name = group.name if group else c.meeting
        who = _who(program, c.role, "those invited")
        if c.statistic == "share-attending-at-least":
            return f"The percentage of {who} who attend at least {c.at_least} of the {name} sessions."
        return f"The percentage of {who} who attend every {name} session."
    if isinstance(c, ManualComputation):
        return f"Entered by hand from a source outside programdsl{': ' + c.description if c.description else ''}."
    return None
