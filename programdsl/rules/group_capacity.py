"""Group and one-to-many programs let someone take more than one partner.

When both capacities are 1, a group program is really one-to-one pairs, which is almost always
a copy-and-paste mistake. Circles (`pairing.circles`) take their size from `circles.size`
instead. (A shadow board is a group the other way round: each executive has
several mentors, so `capacity.mentee` is above 1.)

Bad:
    type: group
    pairing: {mode: group, capacity: {mentor: 1}}

Good:
    type: group
    pairing: {mode: group, capacity: {mentor: 6}}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD309", "group-capacity", Severity.ERROR, "A group or one-to-many program lets nobody take more than one partner.")
# Judges the capacities as a whole: it does not run if the schema set part of pairing aside.
READS: tuple[tuple[str, ...], ...] = (("pairing",),)


def check(ctx: Context) -> Iterator[Diagnostic]:
    program = ctx.program
    pairing = program.pairing
    if pairing.mentor_capacity != 1 or (pairing.mentee_capacity or 1) > 1 or pairing.circles is not None:
        return  # circles take their size from pairing.circles.size
    if pairing.mode in ("group", "one-to-many") or program.type == "group":
        what = f"mode {pairing.mode}" if pairing.mode != "one-to-one" else f"a {program.type} program"
        path = pairing.path + ("capacity", "mentor")
        yield CODE.at(ctx.span(path), f"{what} needs mentors who take several people, but capacity.mentor is 1",
                      hint="raise capacity.mentor to the group size (e.g. 6), or use mode one-to-one", path=path)
