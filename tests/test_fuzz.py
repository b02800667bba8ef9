"""Property tests: no input makes the validator fail, and every diagnostic has a real position.

`Validator.check_file` turns any exception into PD999 (internal error), so "never raises" is
checked as "never reports PD999". Each test runs a few hundred examples in a few seconds.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programdsl.api import FileResult, Report, Validator
from programdsl.diagnostics import CATALOGUE
from programdsl.measure import codebook, scoring, xlsform
from programdsl.reporters import REPORTERS, make

from conftest import MINIMAL, deep_merge, minimal_data

# PROGRAMDSL_HUNT=1 PROGRAMDSL_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py  hunts longer, by hand.
FUZZ = settings(
    max_examples=int(os.environ.get("PROGRAMDSL_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# YAML's own line breaks (the parser numbers lines by these, not by str.splitlines()).
YAML_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "program.yaml"


def assert_sound(path: Path, raw: bytes) -> FileResult:
    path.write_bytes(raw)
    result = Validator().check_file(path)
    try:
        lines = len(YAML_BREAKS.split(raw.decode("utf-8-sig")))
    except UnicodeDecodeError:
        lines = raw.count(b"\n") + 1
    for diag in result.diagnostics:
        assert diag.code != "PD999", f"internal error: {diag.message}"
        assert diag.code in CATALOGUE and diag.name == CATALOGUE[diag.code].name
        assert diag.line >= 1 and diag.col >= 1, diag
        assert diag.message
        if diag.file == result.file:
            assert diag.line <= lines + 1, (diag, lines)  # a parser may point just past the end
    return result


def assert_reports(result: FileResult) -> None:
    """Every output format renders any result."""
    report = Report([result])
    for name in REPORTERS:
        stream = io.StringIO()
        reporter = make(name, stream)
        reporter.file_done(result)
        reporter.finish(report, strict=True)
        assert stream.getvalue()


# --- raw input


@FUZZ
@given(raw=st.binary(max_size=2048))
def test_random_bytes(fuzz_file: Path, raw: bytes) -> None:
    assert_sound(fuzz_file, raw)


@FUZZ
@given(text=st.text(max_size=1024))
def test_random_text(fuzz_file: Path, text: str) -> None:
    assert_sound(fuzz_file, text.encode("utf-8"))


TOKENS = list(" \t\n\r-:?,[]{}&*!|>'\"%@`#~abc01.") + [
    "\n  ", "\n- ", ": ", "key: ", "<<: ", "<<", "&a ", "*a", "&b ", "*b", "!!int ", "!!float ", "!!bool ", "!!str ",
    "!!null ", "!!merge ", "!!binary ", "!!set ", "!!python/object:os.system ", "!local ", "--- ", "...\n", "%YAML 1.1\n",
    "? ", "0x1F", "1_000", "NO", "yes", "~", ".inf", "2026-02-30", "12:30:00",
]


@FUZZ
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=60))
def test_yaml_tokens(fuzz_file: Path, tokens: list[str]) -> None:
    assert_sound(fuzz_file, b"apiVersion: programdsl/v1\nkind: Program\n" + "".join(tokens).encode())


# --- YAML-ish documents

KEYS = sorted({
    "apiVersion", "kind", "extends", "metadata", "type", "roles", "objectives", "metrics", "schedule", "meetings",
    "pairing", "training", "surveys", "calendar", "contacts", "id", "name", "title", "start", "end", "duration",
    "phases", "milestones", "frequency", "sessions", "questions", "scale", "min", "max", "audience", "when",
    "milestone", "phase", "rule", "direction", "capacity", "mentor", "mentee", "target", "timezone", "holidays",
    "country", "constraints", "preferences", "week", "at", "edge", "offsetDays", "labels", "options", "metric",
    "groupSessions", "minimumAttendance", "repeatEvery", "blackouts", "collectedAt", "source", "survey",
    "measurement", "scales", "items", "subscales", "response", "compute", "kind", "baseline", "followUp", "statistic",
    "about", "respondentKey", "selfCode", "returnTo", "reverse", "minAnswered", "threshold", "atLeast", "role",
})
WORDS = [
    "programdsl/v1", "Program", "ProgramDefaults", "traditional", "reverse", "flash", "group", "shadow-board",
    "mentor", "mentee", "closing", "kickoff", "monthly", "weekly", "once", "likert", "choice", "level-gap",
    "mentor-junior", "mentor-senior", "one-to-many", "group", "start", "end", "midpoint", "Europe/London", "NO",
    "2026-01-05", "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "1 day", "6 months", "9999 years",
    "52 weeks", "", "defaults.yaml", "../x.yaml", "self-code", "roster-id", "partner", "score", "change", "sessions",
    "share-yes", "share-at-least", "pairs",
]
SCALARS = (
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.sampled_from([0.5, -1.0, 1e300, float("inf"), float("nan")])
    | st.sampled_from(WORDS) | st.text(max_size=8)
)
# Kept small: generating deep structures costs hypothesis more time than validating them.
JSONISH = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=4),
    max_leaves=8,
)


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: Any, flow: bool) -> bytes:
    return yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=flow).encode("utf-8")


@FUZZ
@given(data=JSONISH, flow=st.booleans())
def test_random_documents(fuzz_file: Path, data: Any, flow: bool) -> None:
    assert_sound(fuzz_file, dump(data, flow))


@FUZZ
@given(body=st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=5), flow=st.booleans())
def test_random_programs(fuzz_file: Path, body: dict[str, Any], flow: bool) -> None:
    data = {"apiVersion": "programdsl/v1", "kind": "Program", **body}
    assert_sound(fuzz_file, dump(data, flow))


# Overrides shaped like the format, merged onto the minimal program, so that many reach the rules.
SECTIONS = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["traditional", "reverse", "flash", "group", "peer", "shadow-board", "reverse-shadowing"]),
    "metadata": st.fixed_dictionaries({}, optional={"timezone": st.sampled_from(["UTC", "Europe/Londres", "", "../etc"])}),
    "schedule": st.fixed_dictionaries({}, optional={
        "start": st.sampled_from(WORDS[-16:-4]),
        "duration": st.sampled_from(["1 day", "2 weeks", "6 months", "9999 years", "9999 days", "1000 months"]),
        "end": st.sampled_from(["2026-01-04", "2026-12-31", "9999-12-31", "0001-01-01"]),
        "phases": st.lists(st.fixed_dictionaries(
            {"id": st.sampled_from(["a", "b", "c"]), "name": st.just("Phase")},
            optional={"start": st.sampled_from(["2026-01-05", "2026-03-01", "9999-12-31", "0001-01-01"]),
                      "end": st.sampled_from(["2026-02-01", "2026-06-30", "9999-12-31"]),
                      "duration": st.sampled_from(["1 day", "3 months", "9999 years"])}), max_size=4),
        "milestones": st.lists(st.fixed_dictionaries(
            {"id": st.sampled_from(["kickoff", "closing", "x"]), "name": st.just("M")},
            optional={"week": st.integers(1, 10**6)}), max_size=3),
    }),
    "meetings": st.fixed_dictionaries({}, optional={
        "frequency": st.sampled_from(["once", "weekly", "monthly", "quarterly"]),
        "sessions": st.integers(1, 400),
        "groupSessions": st.lists(st.fixed_dictionaries(
            {"id": st.just("g"), "name": st.just("G"), "audience": st.just(["mentor"]),
             "frequency": st.sampled_from(["once", "weekly", "quarterly"])},
            optional={"sessions": st.integers(1, 10**6), "minimumAttendance": st.integers(1, 10**6)}), max_size=2),
    }),
    "pairing": st.fixed_dictionaries({}, optional={
        "mode": st.sampled_from(["one-to-one", "one-to-many", "group"]),
        "capacity": st.fixed_dictionaries({}, optional={"mentor": st.integers(1, 3), "mentee": st.integers(1, 3)}),
        "constraints": st.lists(st.fixed_dictionaries(
            {"rule": st.just("level-gap"), "direction": st.sampled_from(["mentor-senior", "mentor-junior", "peer"])}),
            max_size=2),
    }),
    "surveys": st.lists(st.fixed_dictionaries(
        {"id": st.sampled_from(["s", "t"]), "title": st.just("S"), "audience": st.just(["mentee"]),
         "when": st.sampled_from([{"milestone": "closing"}, {"phase": "a", "edge": "end", "offsetDays": 366}])},
        optional={"repeatEvery": st.sampled_from(["1 day", "9999 years"]),
                  "about": st.sampled_from(["self", "partner"]), "anonymous": st.booleans(),
                  "respondentKey": st.sampled_from(["roster-id", "self-code"]),
                  "questions": st.lists(st.one_of(st.fixed_dictionaries(
                      {"id": st.just("q"), "text": st.just("Q?"), "type": st.sampled_from(["likert", "choice", "text", "yes-no"])},
                      optional={"scale": st.fixed_dictionaries({"min": st.integers(-5, 5), "max": st.integers(-5, 5)}),
                                "audience": st.sampled_from([["mentee"], ["mentor"]]), "reverse": st.booleans()}),
                      st.fixed_dictionaries({"scale": st.sampled_from(["sc", "sd"])},
                                            optional={"audience": st.sampled_from([["mentee"], ["mentor"]])})),
                      max_size=3)}), max_size=2),
    # Measurement: scales asked by surveys, computed metrics, respondent keys; ids drawn from small
    # sets so that references sometimes resolve and sometimes dangle.
    "scales": st.lists(st.fixed_dictionaries(
        {"id": st.sampled_from(["sc", "sd"]), "name": st.just("Scale"),
         "response": st.fixed_dictionaries({"min": st.integers(-2, 5), "max": st.integers(-2, 12)}),
         "items": st.lists(st.fixed_dictionaries({"id": st.sampled_from(["i1", "i2", "q", "respondent"]), "text": st.just("I")},
                                                 optional={"reverse": st.booleans()}), min_size=1, max_size=3)},
        optional={"scoring": st.sampled_from(["sum", "mean"]), "minAnswered": st.integers(1, 5),
                  "subscales": st.lists(st.fixed_dictionaries({"id": st.just("sub"), "name": st.just("Sub"),
                                                               "items": st.lists(st.sampled_from(["i1", "i2", "zz"]),
                                                                                 min_size=1, max_size=2, unique=True)}),
                                        max_size=1)}), max_size=2),
    "measurement": st.fixed_dictionaries({}, optional={
        "respondentKey": st.sampled_from(["roster-id", "self-code"]),
        "selfCode": st.lists(st.fixed_dictionaries({"id": st.sampled_from(["c1", "c2", "q", "about"]), "text": st.just("C")},
                                                   optional={"pattern": st.sampled_from(["[A-Z]{2}", "[", "^x$", "(?i)a"])}),
                             min_size=2, max_size=3),
        "returnTo": st.just({"name": "Office"})}),
    "metrics": st.lists(st.fixed_dictionaries(
        {"id": st.just("confidence-score"), "name": st.just("M"), "unit": st.just("u")},
        optional={"target": st.sampled_from([0, 4, 50, 1000]), "baseline": st.sampled_from([-1, 3]),
                  "compute": st.one_of(
                      st.fixed_dictionaries({"kind": st.just("score"), "survey": st.sampled_from(["s", "t", "x"])},
                                            optional={"scale": st.sampled_from(["sc", "zz"]), "question": st.just("q"),
                                                      "subscale": st.sampled_from(["sub", "nope"]),
                                                      "role": st.sampled_from(["mentor", "mentee", "x"]),
                                                      "statistic": st.sampled_from(["mean", "share-yes"])}),
                      st.fixed_dictionaries({"kind": st.just("change"), "baseline": st.sampled_from(["s", "t"]),
                                             "followUp": st.sampled_from(["s", "t", "x"])},
                                            optional={"scale": st.sampled_from(["sc", "sd"]), "question": st.just("q")}),
                      st.fixed_dictionaries({"kind": st.just("sessions"), "meeting": st.sampled_from(["pairs", "g", "x"]),
                                             "statistic": st.sampled_from(["share-complete", "share-attending-at-least"])},
                                            optional={"atLeast": st.integers(1, 10**6)}),
                      st.just({"kind": "manual"}))}), max_size=2),
})


@FUZZ
@given(overrides=SECTIONS)
def test_random_overrides_of_a_valid_program(fuzz_file: Path, overrides: dict[str, Any]) -> None:
    result = assert_sound(fuzz_file, dump(deep_merge(minimal_data(), overrides), flow=False))
    assert_reports(result)
    if result.program is not None and not result.errors:
        assert_measurable(result.program)


def assert_measurable(program: Any) -> None:
    """A valid program's codebooks, XLSForm sheets and score ranges can always be made."""
    for survey in program.surveys:
        for role in survey.audience:
            names = [c.name for c in codebook.columns(program, survey, role)]
            assert len(names) == len(set(names)), names  # column-collision keeps every name distinct
            sheets = xlsform.sheets(program, survey, role, (("2026-01-05", "5 January 2026"),))
            assert [row[1] for row in sheets["survey"][1:]] == names
    for scale in program.scales:
        # The least agreement everywhere (the highest answer to a reverse-coded item) scores the lowest score.
        lowest = {item.id: scale.high if item.reverse else scale.low for item in scale.items}
        assert scoring.score(scale, lowest) == scale.score_range[0]


# --- mutations of the minimal program

LINES = MINIMAL.splitlines(keepends=True)
MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("duplicate"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("swap"), st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("insert"), st.integers(0, len(MINIMAL)), st.characters()),
    st.tuples(st.just("insert"), st.integers(0, len(MINIMAL)), st.sampled_from(list(":-[]{}&*!#'\"\t\n "))),
    st.tuples(st.just("replace"), st.integers(0, len(MINIMAL)), st.characters()),
    st.tuples(st.just("indent"), st.integers(0, len(LINES) - 1), st.integers(-2, 2)),
)


def mutate(text: str, mutations: list[tuple[Any, ...]]) -> str:
    for mutation in mutations:
        kind = mutation[0]
        lines = text.splitlines(keepends=True) or [""]
        if kind in ("delete", "duplicate", "swap", "indent"):
            i = mutation[1] % len(lines)
            if kind == "delete":
                del lines[i]
            elif kind == "duplicate":
                lines.insert(i, lines[i])
            elif kind == "swap":
                j = mutation[2] % len(lines)
                lines[i], lines[j] = lines[j], lines[i]
            else:
                shift = mutation[2]
                lines[i] = " " * shift + lines[i] if shift > 0 else lines[i][min(-shift, len(lines[i]) - len(lines[i].lstrip(" "))):]
            text = "".join(lines)
        else:
            at = mutation[1] % (len(text) + 1)
            skip = 1 if kind == "replace" else 0
            text = text[:at] + mutation[2] + text[at + skip:]
    return text


@FUZZ
@given(mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_minimal_program(fuzz_file: Path, mutations: list[tuple[Any, ...]]) -> None:
    text = mutate(MINIMAL, mutations)
    result = assert_sound(fuzz_file, text.encode("utf-8", "surrogatepass"))
    assert_reports(result)


def test_mutate_is_identity_without_change() -> None:
    assert mutate(MINIMAL, [("swap", 3, 3)]) == MINIMAL
    assert mutate(MINIMAL, [("indent", 0, 0)]) == MINIMAL
