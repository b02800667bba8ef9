"""Bottom-up programs never pair a senior mentor with a junior mentee.

In reverse, reverse-shadowing and shadow-board programs the junior person is the mentor. The
pairing constraints must include a level-gap rule with direction mentor-junior, and no rule may
ask for a senior mentor or a peer.

Bad:
    type: reverse
    pairing:
      constraints:
        - {rule: level-gap, direction: mentor-senior, min: 1}

Good:
    type: reverse
    pairing:
      constraints:
        - {rule: level-gap, direction: mentor-junior, min: 2}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..model import BOTTOM_UP_TYPES
from .context import Context

CODE = register("PD307", "reverse-senior-mentor", Severity.ERROR,
                "A bottom-up program's pairing rules allow a mentor who is senior to the mentee.")
# Judges the pairing rules as a whole: it does not run if the schema set one of them aside.
READS: tuple[tuple[str, ...], ...] = (("pairing",),)


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.program
    if program.type not in BOTTOM_UP_TYPES:
        return
    pairing = program.pairing
    junior_rule = False
    for rule in pairing.constraints + pairing.preferences:
        if rule.rule != "level-gap":
            continue
        if rule.direction == "mentor-junior":
            junior_rule = junior_rule or rule.hard
        else:
            yield CODE.at(ctx.span(rule.path + ("direction",)),
                          f"a {program.type} program pairs a junior mentor with a senior mentee, but this rule asks for direction {rule.direction}",
                          hint="use direction: mentor-junior", path=rule.path + ("direction",))
    if not junior_rule:
        where = pairing.path + ("constraints",)
        yield CODE.at(ctx.span(where, key=True),
                      f"nothing in this {program.type} program's pairing constraints stops a senior person from being the mentor",
                      hint="add `{rule: level-gap, direction: mentor-junior, min: 1}` to pairing.constraints", path=where)
