"""Data-driven tests: every file under fixtures/invalid declares the diagnostics it must produce.

Header comments (before the first line that is not a comment) say what to expect:

    # expect: PD302 14:15                    a diagnostic with this code at line 14, column 15
    # expect-hint: PD201 did you mean        some PD201 diagnostic's hint contains the text
    # expect-message: PD311 has no target    some PD311 diagnostic's message contains the text

The (code, line, column) of the diagnostics reported must equal the `expect` lines exactly (as a
multiset: reporting one problem twice fails too); every invalid fixture needs at least one.
Files under fixtures/valid must produce no diagnostic. Every case runs once with each available
YAML parser (the `parser` fixture in conftest.py).

To add a case, write tests/fixtures/invalid/<case>.yaml with a one-line description and its
`# expect:` lines, run this test, and check each reported position by eye before trusting it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from programdsl.diagnostics import CATALOGUE

from conftest import INVALID_DIR, VALID_DIR, check, describe

EXPECT = re.compile(r"^#\s*expect:\s*(PD\d{3})\s+(\d+):(\d+)\s*$")
EXPECT_TEXT = re.compile(r"^#\s*expect-(hint|message):\s*(PD\d{3})\s+(.+?)\s*$")


def _header(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def expectations(path: Path) -> tuple[Counter[tuple[str, int, int]], list[tuple[str, str, str]]]:
    located_: Counter[tuple[str, int, int]] = Counter()
    texts: list[tuple[str, str, str]] = []
    for line in _header(path):
        if match := EXPECT.match(line):
            located_[(match.group(1), int(match.group(2)), int(match.group(3)))] += 1
        elif match := EXPECT_TEXT.match(line):
            texts.append((match.group(1), match.group(2), match.group(3)))
        elif line.lstrip("# ").startswith("expect"):
            raise AssertionError(f"{path.name}: malformed expectation {line!r}")
    return located_, texts


INVALID = sorted(INVALID_DIR.glob("*.yaml"))
VALID = sorted(VALID_DIR.glob("*.yaml"))


def test_fixture_directories_are_populated() -> None:
    assert len(INVALID) >= 40
    assert VALID


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture(path: Path, parser: str) -> None:
    expected, texts = expectations(path)
    assert expected, f"{path.name} declares no `# expect:` line"
    result = check(path)
    got = Counter((x.code, x.line, x.col) for x in result.diagnostics)
    assert got == expected, f"{path.name}: reported\n{describe(result.diagnostics)}"
    # Every diagnostic points into the fixture itself (none of these come from a preset).
    assert {x.file for x in result.diagnostics} == {result.file}
    for kind, code, text in texts:
        pool = [x.hint if kind == "hint" else x.message for x in result.diagnostics if x.code == code]
        assert any(text in entry for entry in pool), f"{path.name}: no {code} {kind} contains {text!r}; got {pool}"
    for diag in result.diagnostics:
        assert diag.severity is CATALOGUE[diag.code].severity
        assert diag.code != "PD999", diag.message


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture(path: Path, parser: str) -> None:
    result = check(path)
    assert result.diagnostics == [], describe(result.diagnostics)
    assert result.program is not None


# --- the words behind schema patterns


def test_every_schema_pattern_has_words_and_a_fitting_example() -> None:
    """Hints never show a regular expression: each pattern in the schema is described in FORMS."""
    from programdsl.schema import FORMS, _fits, schema_patterns

    used = set(schema_patterns())
    assert used, "the schema has no patterns any more?"
    assert used <= set(FORMS), f"patterns without words in schema.FORMS: {sorted(used - set(FORMS))}"
    assert set(FORMS) <= used, f"FORMS describes patterns the schema no longer uses: {sorted(set(FORMS) - used)}"
    for pattern, form in FORMS.items():
        assert _fits(pattern, form.example), (pattern, form.example)
        assert "^" not in form.words and "[" not in form.words, form.words


@pytest.mark.parametrize(("path", "value", "hint"), [
    (("metadata", "id"), "Reverse Mentoring 2027",
     "use lowercase letters, digits and hyphens, starting with a letter or digit, e.g. reverse-mentoring-2027"),
    (("metadata", "id"), "Zoë's Club", "use lowercase letters, digits and hyphens, starting with a letter or digit, e.g. zoe-s-club"),
    (("metadata", "id"), "---", "use lowercase letters, digits and hyphens, starting with a letter or digit, e.g. reverse-mentoring-2027"),
    (("metadata", "locale"), "en_gb",
     "write a language tag: a lowercase language code, optionally a hyphen and a region in capitals, e.g. en-GB"),
    (("metadata", "locale"), "english",
     "write a language tag: a lowercase language code, optionally a hyphen and a region in capitals, e.g. en-GB"),
    (("meetings", "time"), "9.30", "write a 24-hour time as HH:MM, e.g. 09:30"),
    (("meetings", "time"), "25:00", "write a 24-hour time as HH:MM, e.g. 09:30"),
    (("schedule", "holidays", "country"), "gb", "write a two-letter ISO 3166-1 country code in capitals, e.g. GB"),
    (("schedule", "duration"), "6 Months", "write a whole number and a unit: days, weeks, months or years, e.g. 6 months"),
    (("metadata", "version"), "v1.2", "write up to three numbers separated by dots, e.g. 1.2"),
    (("metadata", "owner", "email"), "Ana <ana@example.org>", "write one e-mail address, e.g. ana@example.org"),
])
def test_pattern_hints_say_what_is_allowed(path: tuple[str, ...], value: str, hint: str) -> None:
    from programdsl.schema import _schema_at, pattern_hint

    schema = _schema_at(path)
    assert schema is not None and "pattern" in schema
    assert pattern_hint(schema["pattern"], value) == hint
