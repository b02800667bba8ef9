"""SARIF that code scanning can use.

No Python package ships the SARIF 2.1.0 JSON schema, so SARIF_SUBSET below states, as a JSON
Schema, the structure of the SARIF 2.1.0 objects programdsl writes (required properties, types,
no misspelt properties), and the tests add what GitHub's code scanning needs on top (the checks
Microsoft's SARIF validator runs as its GitHub rules: full descriptions and help for every rule,
relative locations with a checkout base, fully formatted messages). docs/releasing.md says how to
run that validator by hand.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from programdsl.cli import main
from programdsl.diagnostics import CATALOGUE
from programdsl.reporters.sarif import sentences
from programdsl.ruledocs import code_help, parse_rule_doc, rule_modules

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "invalid"

_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1},
                                                                  "markdown": {"type": "string"}},
         "additionalProperties": False}
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/run"}},
    },
    "$defs": {
        "run": {
            "type": "object", "required": ["tool"], "additionalProperties": False,
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "additionalProperties": False,
                         "properties": {"driver": {"$ref": "#/$defs/driver"}}},
                "automationDetails": {"type": "object", "additionalProperties": False,
                                      "properties": {"id": {"type": "string"}}},
                "originalUriBaseIds": {"type": "object", "additionalProperties": {
                    "type": "object", "required": ["uri"], "additionalProperties": False,
                    "properties": {"uri": {"type": "string", "pattern": "/$"}}}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
            },
        },
        "driver": {
            "type": "object", "required": ["name"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                           "semanticVersion": {"type": "string"},
                           "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}}},
        },
        "rule": {
            "type": "object", "required": ["id"], "additionalProperties": False,
            "properties": {
                "id": {"type": "string"}, "name": {"type": "string"},
                "shortDescription": _TEXT, "fullDescription": _TEXT, "help": _TEXT,
                "helpUri": {"type": "string", "format": "uri-reference"},
                "defaultConfiguration": {"type": "object", "additionalProperties": False,
                                         "properties": {"level": {"enum": ["none", "note", "warning", "error"]}}},
                "properties": {"type": "object", "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}}},
            },
        },
        "result": {
            "type": "object", "required": ["message"], "additionalProperties": False,
            "properties": {
                "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": 0},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": _TEXT,
                "locations": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"physicalLocation": {
                        "type": "object", "required": ["artifactLocation"], "additionalProperties": False,
                        "properties": {
                            "artifactLocation": {"type": "object", "required": ["uri"], "additionalProperties": False,
                                                 "properties": {"uri": {"type": "string", "format": "uri-reference"},
                                                                "uriBaseId": {"type": "string"}}},
                            "region": {"type": "object", "required": ["startLine"], "additionalProperties": False,
                                       "properties": {"startLine": {"type": "integer", "minimum": 1},
                                                      "startColumn": {"type": "integer", "minimum": 1}}},
                        }}}}},
            },
        },
    },
}


def sarif_for(*paths: str) -> dict[str, Any]:
    old = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(main, ["validate", "--format", "sarif", *paths], catch_exceptions=False)
    finally:
        os.chdir(old)
    document: dict[str, Any] = json.loads(result.output)
    return document


@pytest.fixture(scope="module")
def sarif() -> dict[str, Any]:
    return sarif_for("tests/fixtures/invalid/one-pass-kept-positions.yaml", "tests/fixtures/invalid/unknown-key-typo.yaml",
                     "tests/fixtures/invalid/metric-without-target.yaml", "tests/fixtures/invalid/weekday-full-name.yaml")


def test_the_subset_is_itself_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SARIF_SUBSET)


def test_sarif_matches_the_structure_of_sarif_2_1_0(sarif: dict[str, Any]) -> None:
    checker = jsonschema.Draft202012Validator(SARIF_SUBSET, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checker.iter_errors(sarif)]
    assert not errors, errors[:5]


def test_every_rule_has_what_code_scanning_shows(sarif: dict[str, Any]) -> None:
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(CATALOGUE)
    for rule in rules:
        for key in ("shortDescription", "fullDescription"):
            assert rule[key]["text"].endswith("."), (rule["id"], key)
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"] == f"docs/rules.md#{rule['id'].lower()}"
        assert not re.match(r"[a-z][a-z0-9+.-]*://", rule["helpUri"])  # no site that does not exist
        assert rule["properties"]["tags"][0] == "programdsl" and len(rule["properties"]["tags"]) == 2


def test_help_comes_from_the_rule_docstring_like_the_reference(sarif: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    reference = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    modules = rule_modules()
    assert "PD302" in modules
    for code, module in modules.items():
        doc = parse_rule_doc(module.__doc__ or "")
        rule = rules[code]
        assert rule["fullDescription"]["text"].startswith(doc.title)
        markdown = rule["help"]["markdown"]
        assert f"```yaml\n{doc.bad}\n```" in markdown and f"```yaml\n{doc.good}\n```" in markdown
        assert doc.bad.splitlines()[0] in rule["help"]["text"]
        # The reference page shows the same statement and examples, at the anchor helpUri names.
        assert f'<a id="{code.lower()}"></a>' in reference
        assert f"```yaml\n{doc.bad}\n```" in reference
    assert rules["PD201"]["fullDescription"]["text"] == code_help("PD201").summary


def test_results_are_sentences_with_the_hint_apart(sarif: dict[str, Any]) -> None:
    results = sarif["runs"][0]["results"]
    texts = {r["ruleId"]: r["message"]["text"] for r in results}  # the last of each code
    assert texts["PD201"] == ("Unknown key 'timezon' in metadata. Did you mean 'timezone'? Allowed keys here: "
                              "description, id, locale, name, owner, timezone, version.")
    assert texts["PD302"] == ("Survey 'closing-survey' refers to role 'sponsor', which is not defined. "
                              "Defined roles: mentor, mentee.")
    for result in results:
        text = result["message"]["text"]
        assert text[-1] in ".?!" and " Hint:" not in text
        assert not re.search(r"\{\d+\}", text)  # fully formatted: no placeholders left
    # A message that starts with a path keeps the path's spelling.
    anonymous = next(r["message"]["text"] for r in results if "anonymous" in r["message"]["text"])
    assert anonymous.startswith("surveys[0].anonymous must be true or false")


def test_locations_are_relative_to_the_checkout(sarif: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    assert run["automationDetails"] == {"id": "programdsl/validate/"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("tests/fixtures/invalid/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]}
    assert ("PD302", 14) in located and ("PD204", 13) in located  # the one-pass fixture's lines


def test_sarif_is_byte_identical_for_the_same_problems() -> None:
    first = sarif_for(str(FIXTURES / "duplicate-ids.yaml"))
    assert first == sarif_for(str(FIXTURES / "duplicate-ids.yaml"))


@pytest.mark.parametrize("text, expected", [
    ("unknown key 'x' at the top level", "Unknown key 'x' at the top level."),
    ("did you mean 'a'? allowed keys here: a, b", "Did you mean 'a'? Allowed keys here: a, b."),
    ("schedule.end is before the start", "schedule.end is before the start."),
    ("write it as e.g. reverse-mentoring. then save", "Write it as e.g. reverse-mentoring. Then save."),
    ("It ends here!", "It ends here!"),
    ("", ""),
])
def test_sentences(text: str, expected: str) -> None:
    assert sentences(text) == expected
