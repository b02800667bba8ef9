"""A scale has at least two items.

A scale of one item has no internal consistency to check and is scored exactly like a single
question: ask the question instead (a metric can read a question directly).

Bad:
    scales:
      - id: confidence
        name: Confidence
        response: {min: 1, max: 5}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}

Good:
    scales:
      - id: confidence
        name: Confidence
        response: {min: 1, max: 5}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD321", "single-item-scale", Severity.WARNING, "A scale has only one item.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for scale in ctx.program.scales:
        if len(scale.items) == 1:
            yield CODE.at(ctx.span(scale.path + ("items",)), f"scale '{scale.id}' has only one item",
                          hint="add the scale's other items, or ask it as a likert question and let the metric read "
                               "`question:` instead of `scale:`", path=scale.path + ("items",))
