"""A change compares the same question before and after.

A `change` metric pairs each respondent's baseline and follow-up answers; a question whose
wording, type, range, options or coding differs between the two surveys measures something
else at each, and the change means nothing. Define the question once as a scale and ask
`{scale: id}` in both surveys, or keep the two copies identical.

Bad:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (1-5)
        target: 4
        compute: {kind: change, question: confident, baseline: opening-survey, followUp: closing-survey}
    surveys:
      - id: opening-survey
        title: Opening survey
        audience: [mentee]
        when: {milestone: kickoff}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
      - id: closing-survey
        title: Closing survey
        audience: [mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 7}}

Good:
    metrics:
      - id: confidence-score
        name: Confidence
        unit: score (1-5)
        target: 4
        compute: {kind: change, question: confident, baseline: opening-survey, followUp: closing-survey}
    surveys:
      - id: opening-survey
        title: Opening survey
        audience: [mentee]
        when: {milestone: kickoff}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
      - id: closing-survey
        title: Closing survey
        audience: [mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import ChangeComputation, Question
from .context import Context

CODE = register("PD326", "change-differs", Severity.ERROR, "A change metric's two surveys ask its question differently.")


def _differences(before: Question, after: Question) -> list[str]:
    found = []
    if before.text != after.text:
        found.append("wording")
    if before.type != after.type:
        found.append(f"type ({before.type}, then {after.type})")
    elif (before.scale_min, before.scale_max) != (after.scale_min, after.scale_max):
        found.append(f"range ({before.scale_min}-{before.scale_max}, then {after.scale_min}-{after.scale_max})")
    if before.options != after.options:
        found.append("options")
    if before.reverse != after.reverse:
        found.append("reverse coding")
    return found


def check(ctx: Context) -> Iterator[Diagnostic]:
    for metric in ctx.program.metrics:
        c = metric.compute
        if not isinstance(c, ChangeComputation) or c.question is None:
            continue
        first, second = ctx.program.survey(c.baseline), ctx.program.survey(c.follow_up)
        if first is None or second is None:
            continue
        before = next((q for q in first.questions if q.id == c.question), None)
        after = next((q for q in second.questions if q.id == c.question), None)
        if before is None or after is None:
            continue  # metric-not-asked
        differences = _differences(before, after)
        if differences:
            yield CODE.at(ctx.span(after.path), f"metric '{metric.id}' compares question '{c.question}' of survey "
                          f"'{first.id}' with survey '{second.id}', but its {', '.join(differences)} differ",
                          hint="ask exactly the same question in both surveys: define it once as a scale and write "
                               "`- {scale: id}` in each, or copy it with a YAML anchor (&name, *name)", path=after.path)
