"""Bottom-up programs train both sides.

In reverse mentoring the junior mentor needs preparation to give upward feedback, and the
senior mentee needs preparation to receive it. Training only one side is a common cause of
failed pairs.

Bad:
    type: reverse
    training:
      - {id: mentor-induction, title: Mentor induction, audience: [mentor]}

Good:
    type: reverse
    training:
      - {id: mentor-induction, title: Mentor induction, audience: [mentor]}
      - {id: leader-briefing, title: Being mentored by a junior colleague, audience: [mentee]}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import BOTTOM_UP_TYPES, PAIR_ROLES
from .context import Context

CODE = register("PD314", "one-sided-training", Severity.WARNING, "A bottom-up program trains only one side.")
# Judges the training as a whole: it does not run if the schema set a module aside.
READS: tuple[tuple[str, ...], ...] = (("training",),)


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.program
    if program.type not in BOTTOM_UP_TYPES:
        return
    trained = {role for module in program.training for role in module.audience}
    missing = [role for role in PAIR_ROLES if role not in trained]
    if not missing:
        return
    path = ("training",)
    sides = " and ".join(program.role_label(role) for role in missing)
    yield CODE.at(ctx.span(path, key=True), f"no training module in this {program.type} program prepares the {sides}",
                  hint=f"add a module with `audience: [{', '.join(missing)}]`", path=path)
