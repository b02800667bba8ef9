"""What a rule sees: the typed program, its timeline, and where each value came from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..diagnostics import Span
from ..loader import Loc
from ..model import Program
from ..prune import NOTHING_CUT, Pruned
from ..schedule import Timeline, timeline


@dataclass
class Context:
    program: Program
    loc: Loc
    # Set when a date falls past 9999-12-31 (e.g. `duration: 9999 years`); the date-order rule
    # reports it, and rules that need dates see an empty timeline instead of failing.
    dates_overflow: bool = False
    # The parts cut out because they failed the schema (nothing, for a schema-valid file).
    passed: Pruned = NOTHING_CUT

    @cached_property
    def timeline(self) -> Timeline:
        # Dates computed from a schedule or meetings the schema set part of aside would be wrong:
        # a rule then sees no dates, as it does when they overflow.
        if self.passed.touches(("schedule",)) or self.passed.touches(("meetings",)):
            return Timeline(program=None)
        try:
            return timeline(self.program)
        except (OverflowError, ValueError) as error:  # datetime says "year 12025 is out of range"
            if isinstance(error, ValueError) and "out of range" not in str(error):
                raise
            self.dates_overflow = True
            return Timeline(program=None)

    def span(self, path: tuple[Any, ...], key: bool = False) -> Span:
        """Where the value at `path` was written (or its key, with key=True).

        A value the program never wrote (a preset default that a rule needs but is absent)
        falls back to the nearest enclosing value that exists.
        """
        loc, depth = self.loc.find(path)
        if key and depth == len(path) and loc.key is not None:
            return loc.key
        return loc.span
