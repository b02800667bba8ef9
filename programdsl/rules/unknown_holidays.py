"""The public holiday calendar exists.

`schedule.holidays` names a country (ISO 3166-1 alpha-2) and optionally a subdivision that the
`holidays` package knows; otherwise no meeting could be moved off a public holiday, and the
build would fail long after validation passed.

Bad:
    schedule:
      holidays: {country: GB, subdivision: XYZ}

Good:
    schedule:
      holidays: {country: GB, subdivision: ENG}
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from ..schedule import check_holidays
from .context import Context

CODE = register("PD316", "unknown-holidays", Severity.ERROR, "The public holiday country or subdivision is unknown.")


@lru_cache(maxsize=128)
def _problem(country: str, subdivision: str | None) -> str | None:
    return check_holidays(country, subdivision)


def check(ctx: Context) -> Iterator[Diagnostic]:
    schedule = ctx.program.schedule
    if schedule.holiday_country is None:
        return
    problem = _problem(schedule.holiday_country, schedule.holiday_subdivision)
    if problem is None:
        return
    country_only = _problem(schedule.holiday_country, None)
    key = "country" if country_only is not None or schedule.holiday_subdivision is None else "subdivision"
    path = schedule.path + ("holidays", key)
    yield CODE.at(ctx.span(path), problem[0].upper() + problem[1:],
                  hint="use an ISO 3166-1 country code such as GB, US or AU, and a subdivision the holidays package "
                       "lists for it (e.g. ENG, SCT, CA, NSW); or remove `holidays`", path=path)
