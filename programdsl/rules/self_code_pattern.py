"""A self-code question's pattern is a valid regular expression.

Forms check each self-code answer against its pattern (in the browser, in XLSForm tools and in
the report), so the pattern must be a regular expression all of them read the same way: plain
characters, classes like [A-Za-z], counts like {2}, and alternatives.

Bad:
    measurement:
      respondentKey: self-code
      returnTo: {name: Programme office}
      selfCode:
        - {id: code-letters, text: The first two letters of the town you were born in, pattern: "[A-Za-z{2}"}
        - {id: code-day, text: The day of the month of your birthday, pattern: "[0-9]{1,2}"}

Good:
    measurement:
      respondentKey: self-code
      returnTo: {name: Programme office}
      selfCode:
        - {id: code-letters, text: The first two letters of the town you were born in, pattern: "[A-Za-z]{2}"}
        - {id: code-day, text: The day of the month of your birthday, pattern: "[0-9]{1,2}"}
"""

from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD335", "self-code-pattern", Severity.ERROR, "A self-code question's pattern is not a usable regular expression.")
# Features Python has but browsers' and XPath's regular expressions read differently or not at all.
_UNPORTABLE = re.compile(r"\(\?|\\[AZzbBd]|\\[pP]\{")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for q in ctx.program.measurement.self_code:
        if q.pattern is None:
            continue
        where = q.path + ("pattern",)
        try:
            re.compile(q.pattern)
        except re.error as error:
            yield CODE.at(ctx.span(where), f"self-code question '{q.id}' has a pattern that is not a regular expression "
                          f"({error.msg})", hint="e.g. `[A-Za-z]{2}` for two letters, `[0-9]{1,2}` for one or two digits",
                          path=where)
            continue
        if _UNPORTABLE.search(q.pattern) or q.pattern.startswith("^") or q.pattern.endswith("$"):
            yield CODE.at(ctx.span(where), f"self-code question '{q.id}' has a pattern that forms and survey tools "
                          "would read differently", hint="write the whole answer's shape without ^, $, (?...) or \\d-style "
                          "escapes: patterns always match the whole answer; use [0-9] for a digit", path=where)
