"""A circle's size range must be a range.

`pairing.circles.size` gives the fewest and the most members of a circle; when the fewest is
above the most, no circle can be formed and everyone would be left out.

Bad:
    type: group
    pairing: {mode: group, capacity: {mentor: 6}, circles: {size: {min: 6, max: 4}}}

Good:
    type: group
    pairing: {mode: group, capacity: {mentor: 6}, circles: {size: {min: 4, max: 6}}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD463", "circle-size", Severity.ERROR, "A circle's smallest size is above its largest, so no circle can be formed.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    circles = ctx.program.pairing.circles
    if circles is None or circles.min <= circles.max:
        return
    path = ctx.program.pairing.path + ("circles", "size", "min")
    yield CODE.at(ctx.span(path), f"circles of at least {circles.min} and at most {circles.max} members cannot be formed",
                  hint="make size.min at most size.max", path=path)
