"""Diagnostic codes for rosters, pin files and pairs files (PD4xx).

Kept free of heavy imports: the CLI imports this module at start-up so that every code is in the
catalogue (and in docs/rules.md) whether or not a match is ever run.
"""

from __future__ import annotations

from ..diagnostics import Severity, register

E, W = Severity.ERROR, Severity.WARNING

ROSTER_UNREADABLE = register("PD401", "roster-unreadable", E, "The roster file cannot be read, or is not CSV or YAML text.")
ROSTER_HEADER = register("PD402", "roster-header", E, "The roster's header row is missing, repeats a column, or lacks a column the program needs.")
ROSTER_UNKNOWN_COLUMN = register("PD403", "roster-unknown-column", W, "A roster column programdsl does not know; it is ignored.")
ROSTER_DUPLICATE_ID = register("PD404", "roster-duplicate-id", E, "Two roster rows have the same id.")
ROSTER_BAD_VALUE = register("PD405", "roster-bad-value", E, "A roster cell holds a value of the wrong kind (a level that is not a number, an unknown time zone).")
ROSTER_UNKNOWN_ROLE = register("PD406", "roster-unknown-role", E, "A roster row names a role the program does not define.")
ROSTER_MISSING_VALUE = register("PD407", "roster-missing-value", E, "A roster row leaves out its id or its name.")
ROSTER_UNPAIRABLE = register("PD408", "roster-unpairable", W, "A participant lacks a value a hard pairing rule needs, so they cannot be matched.")
ROSTER_ROW_SHAPE = register("PD409", "roster-row-shape", E, "A CSV row has more cells than the header has columns.")
ROSTER_STRUCTURE = register("PD410", "roster-structure", E, "A YAML roster is not a list of people (or a mapping with a `people` list).")
ROSTER_EMPTY = register("PD411", "roster-empty", E, "The roster has nobody to match on one side.")
# Limits on rosters (issue 13; values in programdsl/limits.py and docs/limits.md).
ROSTER_TOO_MANY_ROWS = register("PD443", "roster-too-many-rows", E, "The roster has more people than one match may take.")
ROSTER_CELL_TOO_LONG = register("PD444", "roster-cell-too-long", E, "A roster cell is longer than any real value.")
ROSTER_EXPANSION = register("PD445", "roster-expansion", E, "A YAML roster's aliases expand it past the limit, or it nests too deep.")
ROSTER_TOO_BIG_TO_MATCH = register("PD446", "roster-too-big-to-match", E, "Matching the roster may need more memory than the machine has; split the pool.")
PIN_INVALID = register("PD420", "pin-invalid", E, "A pinned or kept pair names someone not on the roster, or in the wrong role, or more pairs than capacity allows.")
PIN_BREAKS_RULE = register("PD421", "pin-breaks-rule", W, "A pinned pair breaks a hard pairing rule; it is kept because a coordinator chose it.")
PAIRS_UNREADABLE = register("PD430", "pairs-unreadable", E, "A pairs or pin file cannot be read or does not have the expected columns or keys.")
WISH_UNKNOWN = register("PD460", "wish-unknown", W, "A roster wish names someone who is not on the roster, the person themselves, or someone who cannot be their partner; it is ignored.")
WISHES_TOO_MANY = register("PD461", "wishes-too-many", W, "A roster row lists more wishes than the program reads (`pairing.wishes.most`); the later ones are ignored.")
WISHES_IGNORED = register("PD462", "wishes-ignored", W, "The roster has wishes but the program's pairing section does not say how they count (`pairing.wishes`); they are ignored.")
