"""Words that depend on the program's locale, shared by the documents and the calendars.

programdsl ships its wording in English. The locale decides the spelling (`programme` in en-GB,
`program` in en-US), the paper size of the PDFs, and, in `dates.py`, how dates and times are
written. Everything that prints one of these words takes it from here, so the charter, the
guides and the calendars never disagree:

- `spelling(locale)`: the words spelt differently across English locales, for templates as `w`;
- `FORMAT_PHRASES`: how a meeting or training format is said ("by video call"), for templates
  as `phrases.formats` (through `partials/phrases.j2`) and for calendar descriptions;
- `paper_size(locale)`: `letter` where Letter paper is the norm, otherwise `A4`;
- small grammar helpers for sentences built from the file's values: `duration` and
  `approximate_duration` ("1 hour 20 minutes", "about 2½ hours", never decimal hours),
  `times` ("once", "twice", "3 times"), `number_word`, `with_article` ("an executive partner"),
  `role_noun` (a role's label as it reads mid-sentence), `plural` and `join_and`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Program

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
    # plurals, for prose such as "the organisers of the programme"
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



# --- grammar for sentences built from the program's values ---------------------------------------

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve")


def number_word(n: int) -> str:
    """Small counts in words, as prose wants them ("two of the three"); larger ones in digits."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def figure(value: float) -> str:
    """A value from the file as written: "4", "2.5", never "4.0"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def times(n: int) -> str:
    """How many times something happens: "once", "twice", "three times", "14 times"."""
    return {1: "once", 2: "twice"}.get(n, f"{number_word(n)} times")


def duration(minutes: int) -> str:
    """An exact length in words: "45 minutes", "1 hour", "1 hour 30 minutes", "2 hours 5 minutes"."""
    hours, rest = divmod(int(minutes), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def approximate_duration(minutes: int) -> str:
    """A total to the nearest sensible unit, with "about": exact below two hours (to 5 minutes),
    then to the half hour ("about 14½ hours"). Totals are estimates, and "14.5 hours" reads as
    a timesheet, not as prose."""
    minutes = int(minutes)
    if minutes < 120:
        return f"about {duration(max(5, 5 * round(minutes / 5)) if minutes else 0)}"
    halves = round(minutes / 30)
    whole, half = divmod(halves, 2)
    return f"about {whole}{'½' if half else ''} hours"


def approximate_range(low: int, high: int) -> str:
    """A total that depends on how long sessions run: "about 4½ to 6 hours" ("about 6 hours" when
    both ends round the same)."""
    shorter, longer = approximate_duration(low), approximate_duration(high)
    if shorter == longer:
        return longer
    if shorter.endswith(" hours") and longer.endswith(" hours"):
        shorter = shorter[: -len(" hours")]
    return f"{shorter} to {longer.removeprefix('about ')}"


def length(minutes: int, shortest: int | None = None) -> str:
    """One session's length: exact ("1 hour"), or a range as the program gives it ("45-60 minutes")."""
    if shortest is not None and shortest < minutes:
        return f"{shortest}-{minutes} minutes"
    return duration(minutes)


# Acronyms read letter by letter: "an MP", "an HR partner", "a CEO".
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")
# Words spelt with a vowel but said with a consonant, and the reverse.
_CONSONANT_SOUND = ("uni", "use", "usu", "eu", "one", "once", "ukr", "ura")
_VOWEL_SOUND = ("hour", "honest", "honour", "honor", "heir")


def with_article(noun: str) -> str:
    """'a mentor', 'an executive partner', 'an HR adviser', 'a university lecturer'."""
    word = noun.split(" ", 1)[0].split("-", 1)[0]
    lower = word.lower()
    if len(word) > 1 and word.isupper():
        vowel = word[0] in _VOWEL_SOUND_LETTERS
    elif lower.startswith(_VOWEL_SOUND):
        vowel = True
    elif lower.startswith(_CONSONANT_SOUND):
        vowel = False
    else:
        vowel = lower[:1] in ("a", "e", "i", "o", "u")
    return f"{'an' if vowel else 'a'} {noun}"


def role_noun(label: str) -> str:
    """A role's label as it reads mid-sentence.

    A label written in sentence case is an ordinary noun phrase and is lower-cased ("Reverse
    mentor" -> "reverse mentor", "Host's supervisor" -> "host's supervisor"). Anything else keeps
    its capitals, because they are part of the name: a title in title case ("Chief Operating
    Officer"), an acronym ("CEO", "HR partner") or a name ("McKinsey alumni").
    """
    words = label.split()
    if not words:
        return label
    first, rest = words[0], words[1:]
    ordinary_first = first[:1].isupper() and first[1:] == first[1:].lower()
    ordinary_rest = all(w == w.lower() for w in rest)
    return first[:1].lower() + label[1:] if ordinary_first and ordinary_rest else label


def plural(noun: str) -> str:
    """English plural of a noun phrase (its last word): "hosts", "board secretaries", "coaches";
    a label told apart by its id keeps the id last: "peer partners (mentor)"."""
    if noun.endswith(")") and " (" in noun:
        head, _, tail = noun.rpartition(" (")
        return f"{plural(head)} ({tail}"
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def counted(count: int, noun: str) -> str:
    """The count with its noun: '1 file', '3 files', '2 matches', '4 board secretaries'."""
    return f"{count} {noun if count == 1 else plural(noun)}"


def join_and(items: "list[str] | tuple[str, ...]") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def capitalise(text: str) -> str:
    """The first letter in upper case, the rest untouched (for a sentence that starts with a noun)."""
    return text[:1].upper() + text[1:]


# --- role words -------------------------------------------------------------------------------


def display_labels(program: "Program") -> dict[str, str]:
    """Each role's label as documents print it. Two roles the file gives the same label are told
    apart by their ids ("Peer partner (mentor)"), so no two titles, links or calendars read the
    same; validation warns about it (PD355) so the designer can choose better labels."""
    labels = {role_id: role.label for role_id, role in program.roles.items()}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
    return {role_id: f"{label} ({role_id})" if counts[label.casefold()] > 1 else label
            for role_id, label in labels.items()}


def role_words(program: "Program") -> dict[str, str]:
    """The guidance placeholders for the two sides of a pair ({mentor}, {Mentees}, {aMentor}...) and
    {Arranger}, from the program's labels and `meetings.initiator` (guidance.yaml's header lists them)."""
    labels = display_labels(program)
    words: dict[str, str] = {}
    for side in ("mentor", "mentee"):
        noun = role_noun(labels[side]) if side in labels else side
        words[side] = noun
        words[plural(side)] = plural(noun)
        words["a" + capitalise(side)] = with_article(noun)
    words.update({capitalise(k): capitalise(v) for k, v in list(words.items()) if not k.startswith("a")})
    initiator = program.meetings.initiator
    if initiator in ("mentor", "mentee"):
        words["Arranger"] = f"The {words[initiator]}"
    elif initiator == "coordinator":
        words["Arranger"] = f"The {spelling(program.locale)['programme']} team"
    else:  # either, or not set: the pair agrees between them
        words["Arranger"] = "One of you"
    words["withinCharterLimits"] = ", within the limits the charter sets out" if program.confidentiality else ""
    return words


def unbracketed(label: str) -> str:
    """A label fit to go inside brackets: a label told apart by its role id ("Peer partner
    (mentor)") reads "Peer partner, mentor", so a title never nests brackets."""
    if label.endswith(")") and " (" in label:
        head, _, tail = label[:-1].rpartition(" (")
        return f"{head}, {tail}"
    return label


def partner_words(program: "Program", role_id: str) -> dict[str, str]:
    """{partner} and {Partner} for one role's guide: the other side of the pair as that role reads it
    ("your consultant mentee" in a reverse mentor's guide), or plain "partner" for a role that is
    not one side of a pair."""
    labels = display_labels(program)
    other = {"mentor": "mentee", "mentee": "mentor"}.get(role_id)
    noun = role_noun(labels[other]) if other in labels else "partner"
    return {"partner": noun, "Partner": capitalise(noun), "partners": plural(noun)}


__all__ = ["FORMAT_PHRASES", "LETTER_REGIONS", "approximate_duration", "approximate_range", "capitalise", "display_labels", "duration", "format_phrase",
           "join_and", "length", "number_word", "paper_size", "partner_words", "unbracketed", "plural", "region_of", "role_noun", "role_words", "spelling", "times",
           "with_article"]
