"""The program's time zone exists.

Calendars place every session in this zone; a misspelt zone would silently shift them.

Bad:
    metadata: {id: pilot, name: Pilot, timezone: Europe/Londres}

Good:
    metadata: {id: pilot, name: Pilot, timezone: Europe/London}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..zones import suggest_zone, zone as find_zone
from .context import Context

CODE = register("PD315", "unknown-timezone", Severity.ERROR, "The time zone is not a known IANA zone.")


def known(zone: str) -> bool:
    return find_zone(zone) is not None


def check(ctx: Context) -> Iterator[Diagnostic]:
    zone = ctx.program.timezone
    if known(zone):
        return
    path = ("metadata", "timezone")
    yield CODE.at(ctx.span(path), f"'{zone}' is not a known time zone",
                  hint=f"{suggest_zone(zone)}use an IANA name such as Europe/London or America/New_York",
                  path=path)
