"""Each rule's docstring examples are real: the Bad one triggers the rule, the Good one does not.

docs/rules.md is built from these docstrings, so this keeps the documentation honest. Each
example is deep-merged onto the minimal program (mappings merge, lists replace), exactly as a
user would paste it into a valid file.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from programdsl.diagnostics import CATALOGUE
from programdsl.rules import RULES

from conftest import check_data, codes, describe


def examples(module: ModuleType) -> dict[str, str]:
    """The indented blocks under `Bad:` and `Good:` in a rule module's docstring."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (module.__doc__ or "").splitlines():
        stripped = line.strip()
        if stripped in ("Bad:", "Good:") and not line.startswith(" "):
            current = blocks.setdefault(stripped[:-1], [])
        elif current is not None and (not stripped or line.startswith(" ")):
            current.append(line)
        else:
            current = None
    return {label: textwrap.dedent("\n".join(lines)).strip() + "\n" for label, lines in blocks.items()}


def rule_id(module: ModuleType) -> str:
    return f"{module.CODE.code}-{module.__name__.rsplit('.', 1)[-1]}"


@pytest.mark.parametrize("module", RULES, ids=rule_id)
def test_rule_is_documented(module: ModuleType) -> None:
    assert CATALOGUE[module.CODE.code] is module.CODE
    found = examples(module)
    assert set(found) == {"Bad", "Good"}, f"{module.__name__}: docstring needs a Bad: and a Good: example"
    for label, block in found.items():
        assert isinstance(yaml.safe_load(block), dict), f"{module.__name__} {label} example is not a YAML mapping"


def _run(tmp_path: Path, module: ModuleType, label: str) -> tuple[set[str], Any]:
    fragment = yaml.safe_load(examples(module)[label])
    result = check_data(tmp_path, fragment)
    # The example must get through reading and the schema, or the rules never run and a Good
    # example would pass for the wrong reason.
    early = sorted(x.code for x in result.diagnostics if x.code < "PD300")
    assert not early, f"{module.__name__} {label} example is not schema-valid when merged:\n{describe(result.diagnostics)}"
    assert result.program is not None
    return codes(result.diagnostics), result


@pytest.mark.parametrize("module", RULES, ids=rule_id)
def test_bad_example_triggers_the_rule(tmp_path: Path, module: ModuleType) -> None:
    found, result = _run(tmp_path, module, "Bad")
    assert module.CODE.code in found, f"{module.__name__} Bad example:\n{describe(result.diagnostics)}"


@pytest.mark.parametrize("module", RULES, ids=rule_id)
def test_good_example_passes_the_rule(tmp_path: Path, module: ModuleType) -> None:
    found, result = _run(tmp_path, module, "Good")
    assert module.CODE.code not in found, f"{module.__name__} Good example:\n{describe(result.diagnostics)}"


def test_every_rule_is_registered() -> None:
    """Every rules/*.py module with a CODE takes part in RULES, once."""
    import pkgutil

    import programdsl.rules as package

    names = {info.name for info in pkgutil.iter_modules(package.__path__)} - {"context"}
    assert {m.__name__.rsplit(".", 1)[-1] for m in RULES} == names
    assert len({m.CODE.code for m in RULES}) == len(RULES)


# --- duplicate and dangling ids together


def _surveys(*ids: str) -> list[dict[str, Any]]:
    return [{"id": survey_id, "title": f"Survey {i}", "audience": ["mentor"], "when": {"milestone": "closing"},
             "questions": [{"id": "q", "text": "Going well?", "type": "yes-no"}]} for i, survey_id in enumerate(ids)]


def test_an_id_defined_twice_is_still_defined(tmp_path: Path) -> None:
    """References to a repeated id are not dangling: only the repeat (PD301) is reported."""
    metric = {"id": "confidence-score", "name": "Confidence", "definition": "Self-rated", "unit": "score (1-5)",
              "target": 4, "source": {"kind": "survey", "survey": "closing"}}
    result = check_data(tmp_path, {"metrics": [metric], "surveys": _surveys("closing", "closing")})
    assert [x.code for x in result.diagnostics] == ["PD301"], describe(result.diagnostics)
    assert result.diagnostics[0].message == "survey id 'closing' is already used"


def test_a_dangling_reference_next_to_a_repeated_id_names_the_repeat(tmp_path: Path) -> None:
    """A copied survey whose id was not changed leaves the reference to the intended id dangling:
    the hint says so, and lists each defined id once."""
    metric = {"id": "confidence-score", "name": "Confidence", "definition": "Self-rated", "unit": "score (1-5)",
              "target": 4, "source": {"kind": "survey", "survey": "closing"}}
    result = check_data(tmp_path, {"metrics": [metric], "surveys": _surveys("fit-check", "fit-check")})
    dangling = [x for x in result.diagnostics if x.code == "PD302"]
    assert len(dangling) == 1 and {x.code for x in result.diagnostics} == {"PD301", "PD302"}, describe(result.diagnostics)
    assert dangling[0].message == "metric 'confidence-score' refers to survey 'closing', which is not defined"
    assert dangling[0].hint == ("survey id 'fit-check' is used twice; if one of them should be 'closing', rename it. "
                                "defined surveys: fit-check")
