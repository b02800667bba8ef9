"""Matching mentors with mentees by executing a program's pairing rules.

    roster.py     read and check a roster (CSV or YAML) against what the program reads
    rules.py      eligibility, hard constraints and weighted preferences, vectorised and per pair
    sentences.py  each rule as a plain sentence (shared with the charter)
    solver.py     the globally optimal assignment (scipy)
    engine.py     roster -> fixed pairs -> assignment -> explained pairs file
    codes.py      the PD4xx diagnostic codes

This package imports numpy, scipy and rustworkx only when matching runs: `import programdsl.matching`
stays cheap, so the command line starts quickly.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "read_roster": "roster", "needs_of": "roster", "Roster": "roster", "Person": "roster",
    "match": "engine", "read_fixed": "engine", "FixedPair": "engine", "MatchResult": "engine",
    "describe_rule": "sentences", "describe_condition": "sentences", "describe_pairing": "sentences",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = sorted(_EXPORTS)
