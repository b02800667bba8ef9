"""Words that depend on the program's locale, shared by the documents and the calendars.

programdsl ships its wording in English. The locale decides the spelling (`programme` in en-GB,
`program` in en-US), the paper size of the PDFs, and, in `dates.py`, how dates and times are
written. Everything that prints one of these words takes it from here, so the charter, the
guides and the calendars never disagree:

- `spelling(locale)`: the words spelt differently across English locales, for templates as `w`;
- `FORMAT_PHRASES`: how a meeting or training format is said ("by video call"), for templates
  as `phrases.formats` (through `partials/phrases.j2`) and for calendar descriptions;
- `paper_size(locale)`: `letter` where Letter paper is the norm, otherwise `A4`.
"""

from __future__ import annotations

from functools import lru_cache

# Regions that spell -ize/-or/-er the American way.
US_SPELLING_REGIONS = ("US", "CA", "PH")
# Regions where Letter paper is the norm (CLDR's paperSize data); everywhere else uses A4.
LETTER_REGIONS = frozenset({"US", "CA", "PH", "MX", "BZ", "CL", "CO", "CR", "GT", "NI", "PA", "PR", "SV", "VE"})

_BRITISH = {
    "programme": "programme", "organisation": "organisation", "organiser": "organiser", "prioritise": "prioritise",
    "recognise": "recognise", "behaviour": "behaviour", "practise": "practise", "centre": "centre",
}
_AMERICAN = {
    "programme": "program", "organisation": "organization", "organiser": "organizer", "prioritise": "prioritize",
    "recognise": "recognize", "behaviour": "behavior", "practise": "practice", "centre": "center",
}

FORMAT_PHRASES = {
    "in-person": "in person",
    "virtual": "by video call",
    "hybrid": "in person or by video call",
    "self-paced": "self-paced, in your own time",
}


def region_of(locale: str) -> str | None:
    """The region subtag of a BCP 47 tag (`en-US` -> `US`, `en-Latn-CA` -> `CA`), if it has one."""
    return next((p for p in locale.split("-")[1:] if len(p) == 2 and p.isalpha() and p.isupper()), None)


@lru_cache(maxsize=16)
def _spelling(locale: str) -> tuple[tuple[str, str], ...]:
    american = locale.split("-")[0] == "en" and region_of(locale) in US_SPELLING_REGIONS
    words = dict(_AMERICAN if american else _BRITISH)
    words.update({k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in list(words.items())})
    # plurals, for prose such as "the organisers will confirm the time"
    words.update({f"{k}s": f"{v}s" for k, v in list(words.items()) if k.lower() in ("organiser", "organisation",
                                                                                   "programme", "centre")})
    return tuple(words.items())


def spelling(locale: str) -> dict[str, str]:
    """Words spelt differently across English locales (British spelling as the keys): templates
    write `{{ w.programme }}`, guidance.yaml `{programme}`. A fresh dict each call."""
    return dict(_spelling(locale))


def paper_size(locale: str) -> str:
    """The CSS page size for PDFs: `letter` for regions that use Letter paper, else `A4`."""
    return "letter" if region_of(locale) in LETTER_REGIONS else "A4"


def format_phrase(format_id: str) -> str:
    """How a format reads in a sentence ("by video call"); an unknown id is printed as it is."""
    return FORMAT_PHRASES.get(format_id, format_id)


__all__ = ["FORMAT_PHRASES", "LETTER_REGIONS", "format_phrase", "paper_size", "region_of", "spelling"]
