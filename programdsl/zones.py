"""Time zones by IANA name, looked up safely.

`zoneinfo.ZoneInfo(name)` reads a file under the tz database folder named by `name`, so text
from a program or a roster can make it fail in ways beyond "not found": `Europe` is a folder
(IsADirectoryError), `zone.tab` is not a zone file, a NUL byte or a 5,000-character name is an
OSError or ValueError. Every lookup goes through `zone()`, which turns all of those into None,
so no caller can show a traceback or the install path of the tz database.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

from .diagnostics import suggest

# What an IANA name looks like: words of letters, digits, `_`, `-` and `+`, joined by `/`.
_NAME = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,3}")


@lru_cache(maxsize=512)
def zone(name: str) -> dt.tzinfo | None:
    """The zone called `name`, or None when there is no such zone (whatever the reason)."""
    if not isinstance(name, str) or len(name) > 64 or not _NAME.fullmatch(name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every zone name, sorted (listing them walks the tz database: done once)."""
    return tuple(sorted(zoneinfo.available_timezones()))


@lru_cache(maxsize=256)
def suggest_zone(name: str) -> str:
    """'did you mean ...? ' for the closest zone name; cached, as a roster can repeat one typo
    on thousands of rows."""
    return suggest(name[:64], zone_names())
