"""Every bound programdsl puts on its inputs and outputs, in one place.

programdsl runs on files other people wrote (in CI on every pull request, on rosters exported
from HR systems, with template folders shared between teams), so every input has a size limit and
every piece of work a bound. Each limit is far above what real programs and the benchmarks in
bench/ use, is reported with a stable code and a location when it is reached, and is read from
this module when it is checked, so tests lower it (`monkeypatch.setattr(limits, "ROSTER_ROWS",
10)`) and run on small inputs. docs/limits.md lists them, and a test
(tests/security/test_security_limits.py) keeps that page in step with the values here.
"""

from __future__ import annotations

# --- program files ---------------------------------------------------------------------------------
#: Bytes in a program or defaults file (PD002), checked by the file's size before it is read.
PROGRAM_BYTES = 1024 * 1024
#: Values a program file may expand to, aliases included (PD009).
PROGRAM_VALUES = 100_000
#: Levels of nesting in a program or roster file (PD010).
NESTING = 48
#: Dated items (sessions, surveys, milestones, training) one program's schedule may expand to
#: (PD031). Each recurring series is also capped at 1,100 dates (schedule.MAX_SLOTS).
OCCURRENCES = 20_000
#: Events in all the calendars of one `calendar` or `build` run, pairs' calendars included (PD031).
CALENDAR_EVENTS = 500_000
#: Characters of event text (titles and descriptions) in all the calendars of one run (PD031).
CALENDAR_TEXT = 128 * 1024 * 1024
#: References to undefined ids per file that get a "did you mean" search (each search compares
#: with every defined id); later ones get the list of ids only.
REFERENCE_PROBLEMS = 50
#: Ids listed in one hint ("defined metrics: ..."); the rest are counted.
HINT_IDS = 20

# --- project configuration ----------------------------------------------------------------------
#: Bytes in programdsl.yaml or pyproject.toml (PD050), checked by the file's size before reading.
CONFIG_BYTES = 1024 * 1024

# --- rosters (matching) ----------------------------------------------------------------------------
#: Bytes in a roster file (PD401), checked by the file's size before it is read.
ROSTER_BYTES = 64 * 1024 * 1024
#: People (rows) in a roster (PD443).
ROSTER_ROWS = 100_000
#: Characters in one roster cell (PD444).
ROSTER_CELL = 10_000
#: Values a YAML roster may expand to, aliases included (PD445).
ROSTER_VALUES = 2_000_000
#: Fraction of the machine's available memory a match may plan to use (PD446).
MATCH_MEMORY_SHARE = 0.7
#: Bytes a match may plan to use, instead of the share of available memory (None: use the share).
MATCH_MEMORY_BYTES: int | None = None

# --- output folders -------------------------------------------------------------------------------
#: Bytes of a record or commit journal programdsl reads back from an output folder; a larger one
#: (or a link, or a pipe, under its name) is ignored, so nothing is removed on its say-so.
OUTPUT_RECORD_BYTES = 16 * 1024 * 1024

# --- templates (documents) -------------------------------------------------------------------------
#: Bytes in one template file (PD440).
TEMPLATE_BYTES = 1024 * 1024
#: Seconds one document may take to render (PD441).
RENDER_SECONDS = 10.0
#: Seconds all the documents of one build may take to render together (PD441).
BUILD_RENDER_SECONDS = 120.0
#: Bytes all the files of one build may be together (PD053): they are held in memory until the
#: last is made, so that a failed build writes nothing.
BUILD_OUTPUT_BYTES = 1024 * 1024 * 1024
#: Characters in one rendered document, and in any one value a template builds (PD441).
RENDER_OUTPUT = 10_000_000
#: Largest integer a template may pass as a size: a width, a count, a number of slices (PD441).
RENDER_COUNT = 100_000
#: Bits in an integer a template computes: `10 ** 400` fits, `10 ** 100000000` does not (PD441).
RENDER_INT_BITS = 4_096
