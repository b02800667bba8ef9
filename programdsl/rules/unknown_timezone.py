"""The program's time zone exists.

Calendars place every session in this zone; a misspelt zone would silently shift them.

Bad:
    metadata: {id: pilot, name: Pilot, timezone: Europe/Londres}

Good:
    metadata: {id: pilot, name: Pilot, timezone: Europe/London}
"""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register, suggest
from .context import Context

CODE = register("PD315", "unknown-timezone", Severity.ERROR, "The time zone is not a known IANA zone.")


@lru_cache(maxsize=256)
def known(zone: str) -> bool:
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    """Every zone name, for suggestions (listing them walks the zoneinfo directories: do it once)."""
    return frozenset(zoneinfo.available_timezones())


def check(ctx: Context) -> Iterator[Diagnostic]:
    zone = ctx.program.timezone
    if known(zone):
        return
    path = ("metadata", "timezone")
    yield CODE.at(ctx.span(path), f"'{zone}' is not a known time zone",
                  hint=f"{suggest(zone, sorted(_zones()))}use an IANA name such as Europe/London or America/New_York",
                  path=path)
