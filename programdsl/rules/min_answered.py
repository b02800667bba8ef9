"""`minAnswered` lies between 1 and the number of items.

A score counts only when at least `minAnswered` items are answered; more than the scale (or
subscale) has would mean no respondent is ever scored.

Bad:
    scales:
      - id: confidence
        name: Confidence
        minAnswered: 3
        response: {min: 1, max: 5}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}

Good:
    scales:
      - id: confidence
        name: Confidence
        minAnswered: 2
        response: {min: 1, max: 5}
        items:
          - {id: raise-topic, text: I raise a difficult topic with confidence.}
          - {id: plan-talk, text: I plan a difficult conversation.}
"""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD322", "min-answered-range", Severity.ERROR, "minAnswered is more than the items a scale has.")


def _check(ctx: Context, name: str, needed: int | None, items: int, path: tuple[Any, ...]) -> Iterator[Diagnostic]:
    if needed is not None and needed > items:
        yield CODE.at(ctx.span(path + ("minAnswered",)), f"{name} needs {needed} answered items but has {items}",
                      hint=f"set minAnswered to at most {items}, or leave it out to need every item", path=path + ("minAnswered",))


def check(ctx: Context) -> Iterator[Diagnostic]:
    for scale in ctx.program.scales:
        yield from _check(ctx, f"scale '{scale.id}'", scale.min_answered, len(scale.items), scale.path)
        for sub in scale.subscales:
            yield from _check(ctx, f"subscale '{sub.id}' of scale '{scale.id}'", sub.min_answered, len(sub.items), sub.path)
