"""Questions scored together share one response range.

Questions that feed the same metric through `metric:` are added up or averaged together, so they
must be likert questions on the same range (or all be the same single kind of answer). A scale
makes this impossible to get wrong: its items share `response`.

Bad:
    metrics:
      - {id: confidence-score, name: Confidence, definition: Mean of the two confidence items, unit: score (1-5), target: 4}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}, metric: confidence-score}
          - {id: prepared, text: I feel prepared., type: likert, scale: {min: 1, max: 7}, metric: confidence-score}

Good:
    metrics:
      - {id: confidence-score, name: Confidence, definition: Mean of the two confidence items, unit: score (1-5), target: 4}
    surveys:
      - id: closing-survey
        title: Closing survey
        audience: [mentor, mentee]
        when: {milestone: closing}
        questions:
          - {id: confident, text: I feel confident., type: likert, scale: {min: 1, max: 5}, metric: confidence-score}
          - {id: prepared, text: I feel prepared., type: likert, scale: {min: 1, max: 5}, metric: confidence-score}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import Question
from .context import Context

CODE = register("PD323", "mixed-item-ranges", Severity.ERROR, "Questions scored together use different answer ranges.")


def _shape(q: Question) -> str:
    return f"likert {q.scale_min}-{q.scale_max}" if q.type == "likert" else q.type


def check(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, tuple[Question, str]] = {}
    for survey in ctx.program.surveys:
        for q in survey.questions:
            if q.metric is None or q.scale is not None:
                continue
            seen = first.setdefault(q.metric, (q, survey.id))
            if _shape(seen[0]) != _shape(q):
                other, where = seen
                yield CODE.at(ctx.span(q.path + ("metric",)),
                              f"question '{q.id}' of survey '{survey.id}' feeds metric '{q.metric}' as {_shape(q)}, "
                              f"but question '{other.id}' of survey '{where}' feeds it as {_shape(other)}",
                              hint="give every question a metric combines the same type and range, or define a scale "
                                   "(`scales:`) whose items share one `response` range", path=q.path + ("metric",))
