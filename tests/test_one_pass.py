"""Every problem in one run, and no follow-on reports from one bad value.

The fixtures under fixtures/invalid/one-pass-*.yaml pin exact cases (a schema error beside a
dangling reference, references to a broken element, positions after a broken element). This
module checks the property behind them on the real examples: one value broken anywhere in a clean
program gives schema findings only, never a semantic finding the clean program does not have,
and never an internal error.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from programdsl.api import Validator
from programdsl.prune import Kept, indexed

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROGRAMS = sorted(p for p in EXAMPLES.glob("*.yaml") if "kind: Program\n" in p.read_text(encoding="utf-8"))
# Every n-th place in each example, so the suite stays fast while every part of the format is hit
# across the examples (the offset differs per example).
EVERY = 53


def _places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, path + (index,))


def _wrong(value: Any) -> Any:
    """A value of another type than `value` (so the schema refuses it wherever it is)."""
    return 12345 if isinstance(value, (str, dict, list)) else "not a number"


def _cases() -> Iterator[Any]:
    for number, program in enumerate(PROGRAMS):
        data = yaml.safe_load(program.read_text(encoding="utf-8"))
        places = [p for p in _places(data) if p[0] not in ("apiVersion", "kind", "type", "extends")]
        for place in places[number % EVERY::EVERY]:
            yield pytest.param(program, place, id=f"{program.stem}:{'.'.join(map(str, place))}")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("one-pass")
    shutil.copytree(EXAMPLES / "shared", root / "shared")
    return root


def test_the_examples_are_clean(validator: Validator) -> None:
    for program in PROGRAMS:
        assert validator.check_file(program).diagnostics == [], program.name


@pytest.mark.parametrize("program, place", list(_cases()))
def test_one_bad_value_gives_schema_findings_only(program: Path, place: tuple[Any, ...], validator: Validator,
                                                   workdir: Path) -> None:
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    holder = data
    for step in place[:-1]:
        holder = holder[step]
    holder[place[-1]] = _wrong(holder[place[-1]])
    target = workdir / program.name
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = validator.check_file(target).diagnostics
    # (A few places accept any value, e.g. the items of an eligibility list: then nothing is found.)
    assert all(x.code.startswith("PD2") for x in found), [(x.code, x.line, x.message) for x in found]


def test_kept_lists_report_positions_in_the_file() -> None:
    kept = Kept(["b", "d"])
    kept.origin = [1, 3]
    assert list(indexed(kept)) == [(1, "b"), (3, "d")]
    assert list(indexed(["a", "b"])) == [(0, "a"), (1, "b")]


def test_rules_see_no_dates_when_the_schedule_lost_a_part(tmp_path: Path) -> None:
    """Any rule that reads the timeline (not only those declaring READS) gets no dates when part of
    the schedule or the meetings failed the schema, instead of dates computed without it."""
    from programdsl import schema
    from programdsl.model import build
    from programdsl.resolve import Workspace
    from programdsl.rules import Context

    program = EXAMPLES / "reverse-nhs-clinical.yaml"
    workspace = Workspace()
    resolved, _ = workspace.resolve(workspace.load(program), program)
    assert resolved is not None
    clean = Context(build(resolved.data), resolved.loc)
    assert clean.timeline.program is not None
    broken = {**resolved.data, "meetings": {**resolved.data["meetings"], "frequency": "fortnightly"}}
    problems = schema.check(broken, resolved.loc)
    assert [p.code for p in problems] == ["PD204"]
    passed = schema.passed(broken, resolved.loc, problems)
    assert Context(build(passed.data), resolved.loc, passed=passed).timeline.program is None
