"""Dates and times as participants in the program's locale expect to read them.

programdsl ships its wording in English, so the locale decides only how dates and times are
written: the order of day and month, the weekday comma, and the 12- or 24-hour clock. A small
explicit table covers the English locales; it never changes under us (a CLDR update in a
localisation library would change every golden file), needs no dependency, and is easy to read.
Any other locale gets the day-month-year style, which with the month spelt out cannot be misread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import WEEKDAY_NAMES
from ..model import WEEKDAYS as WEEKDAY_IDS

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class DateStyle:
    month_first: bool  # "October 5, 2026" rather than "5 October 2026"
    weekday_comma: bool  # "Monday, 5 October" rather than "Monday 5 October"
    hour12: bool
    am: str = "am"
    pm: str = "pm"

    def date(self, day: dt.date, weekday: bool = False, year: bool = True) -> str:
        month = MONTHS[day.month - 1]
        if self.month_first:
            text = f"{month} {day.day}" + (f", {day.year}" if year else "")
        else:
            text = f"{day.day} {month}" + (f" {day.year}" if year else "")
        if weekday:
            text = WEEKDAY_NAMES[day.weekday()] + ("," if self.weekday_comma else "") + " " + text
        return text

    def short(self, day: dt.date) -> str:
        """A compact date for tables: "5 Oct 2026" or "Oct 5, 2026"."""
        month = MONTHS[day.month - 1][:3]
        return f"{month} {day.day}, {day.year}" if self.month_first else f"{day.day} {month} {day.year}"

    def time(self, moment: dt.time | dt.datetime) -> str:
        if not self.hour12:
            return f"{moment.hour:02d}:{moment.minute:02d}"
        hour = moment.hour % 12 or 12
        suffix = self.am if moment.hour < 12 else self.pm
        return f"{hour}:{moment.minute:02d} {suffix}"

    def range(self, start: dt.date, end: dt.date) -> str:
        """Both ends of an inclusive range of days, without repeating the year when it is shared."""
        if start == end:
            return self.date(start)
        if start.year == end.year:
            return f"{self.date(start, year=False)} to {self.date(end)}"
        return f"{self.date(start)} to {self.date(end)}"

    def month(self, day: dt.date) -> str:
        return f"{MONTHS[day.month - 1]} {day.year}"


BRITISH = DateStyle(month_first=False, weekday_comma=False, hour12=False)
STYLES: dict[str, DateStyle] = {
    "en-GB": BRITISH,
    "en-IE": BRITISH,
    "en-ZA": BRITISH,
    "en-US": DateStyle(month_first=True, weekday_comma=True, hour12=True, am="AM", pm="PM"),
    "en-CA": DateStyle(month_first=True, weekday_comma=True, hour12=True, am="a.m.", pm="p.m."),
    "en-PH": DateStyle(month_first=True, weekday_comma=True, hour12=True, am="AM", pm="PM"),
    "en-AU": DateStyle(month_first=False, weekday_comma=True, hour12=True),
    "en-NZ": DateStyle(month_first=False, weekday_comma=True, hour12=True),
    "en-IN": DateStyle(month_first=False, weekday_comma=True, hour12=True),
}


def style_for(locale: str) -> DateStyle:
    """The style for a BCP 47 tag: an exact match, then language and region, else British."""
    if locale in STYLES:
        return STYLES[locale]
    parts = locale.split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    if region is not None and f"en-{region}" in STYLES and parts[0] == "en":
        return STYLES[f"en-{region}"]
    return BRITISH


def weekday_name(weekday_id: str) -> str:
    return WEEKDAY_NAMES[WEEKDAY_IDS.index(weekday_id)]
