"""Reference documentation built from the schema and the diagnostic catalogue, so neither can drift.

`format_reference()` renders docs/format.md from schemas/program.schema.json; `rules_reference()`
(in ruledocs.py, which SARIF output shares) renders docs/rules.md from the catalogue of diagnostic
codes and the docstrings of the rule modules. Both are pure and deterministic: the same schema and code give byte-identical text.

Regenerate both files after changing the schema, a code or a rule:

    python -m programdsl.docgen            # rewrite docs/format.md and docs/rules.md
    python -m programdsl.docgen --check    # exit 1 if either file is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .resources import PACKAGE_DIR, program_schema
from .ruledocs import REGENERATE, markdown_table, parse_rule_doc, rules_reference

__all__ = ["format_reference", "main", "parse_rule_doc", "rules_reference"]

# ---------------------------------------------------------------------------------------------
# The example program shown at the top of docs/format.md. tests/test_docs.py checks that it
# validates with no problems at all, so keep it complete when the format changes.

EXAMPLE_PROGRAM = """\
apiVersion: programdsl/v1
kind: Program
metadata:
  id: engineering-mentoring-2026
  name: Engineering Mentoring 2026
  description: Pairs engineers in their first two years with experienced colleagues.
  owner: {name: Engineering Enablement, email: enablement@example.com}
  version: 1.0.0
  locale: en-GB
  timezone: Europe/London
type: traditional          # roles, training and meeting format come from this preset
roles:                     # mappings merge with the preset: labels and duties are kept
  mentor:
    eligibility:
      - {attribute: tenureMonths, min: 36}
  mentee:
    eligibility:
      - {attribute: tenureMonths, max: 24}
objectives:
  - id: faster-ramp-up
    title: New engineers become confident in their role sooner
    beneficiary: mentee
    metrics: [role-confidence]
metrics:
  - id: role-confidence
    name: Role confidence
    definition: Mean answer of mentees to the confidence question in the closing survey
    unit: score (1-5)
    baseline: 3.1
    target: 4
    direction: increase
    source: {kind: survey, survey: closing}
    collectedAt: [closing]
schedule:
  start: 2026-03-02
  duration: 6 months
  holidays: {country: GB, subdivision: ENG}
  phases:
    - {id: getting-started, name: Getting started, duration: 6 weeks}
    - {id: growing, name: Growing, end: 2026-09-01}
  milestones:              # lists replace the preset's list as a whole
    - {id: kickoff, name: Kickoff, kind: kickoff, at: start}
    - {id: closing, name: Closing, kind: closing, at: end}
meetings: {frequency: monthly, sessions: 6, minutes: 60}
pairing:
  constraints:
    - {rule: level-gap, direction: mentor-senior, min: 1, max: 3}
    - {rule: not-reporting-line}
  preferences:
    - {rule: overlap, mentor: skills, mentee: interests, priority: high}
    - {rule: timezone-within, hours: 3, priority: low}
surveys:
  - id: closing
    title: Closing survey
    audience: [mentor, mentee]
    when: {milestone: closing}
    questions:
      - {id: confidence, text: I feel confident in my role., type: likert, scale: {min: 1, max: 5}, metric: role-confidence}
      - {id: change, text: What would you change about the program?, type: text}
contacts:
  - {name: Sam Patel, role: Program coordinator, email: sam.patel@example.com}
"""

# ---------------------------------------------------------------------------------------------
# Words for the schema's regular expressions. A pattern missing here is shown as the expression
# itself, which is correct but less friendly: add its words when you add a pattern.

PATTERN_WORDS: dict[str, str] = {
    r"^[a-z0-9][a-z0-9-]*$": "lowercase letters, digits and hyphens, starting with a letter or digit",
    r"^[1-9][0-9]{0,3} (day|week|month|year)s?$":
        "a whole number from 1 to 9999, a space, then `day`, `week`, `month` or `year`, "
        "singular or plural, e.g. `6 months`",
    r"^custom\.[A-Za-z0-9_-]+$": "`custom.` followed by letters, digits, `_` or `-`, e.g. `custom.guild`",
    r"^[^@\s]+@[^@\s]+$": "an email address: one `@` and no spaces",
    r"^[0-9]+(\.[0-9]+){0,2}$": "one to three whole numbers joined by dots, e.g. `2`, `1.4` or `1.2.0`",
    r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$":
        "a language of 2 or 3 lowercase letters, optionally followed by a script such as `-Hant` "
        "and a region of 2 capital letters or 3 digits, e.g. `en`, `en-GB`, `es-419`",
    r"^[A-Z]{2}$": "two capital letters",
    r"^([01][0-9]|2[0-3]):[0-5][0-9]$": "a 24-hour time written HH:MM, from `00:00` to `23:59`",
}

# Section titles and anchors for $defs whose names do not read well on their own.
DEF_TITLES: dict[str, str] = {"pairingRuleCommon": "Pairing rule"}
DEF_ANCHORS: dict[str, str] = {"pairingRuleCommon": "pairing-rule"}

# What each pairing rule tests. The keys each kind takes come from the schema; these sentences
# explain them. A kind missing here is still listed, with its keys.
PAIRING_RULE_MEANINGS: dict[str, str] = {
    "level-gap": "The levels of mentor and mentee differ in the way `direction` says (mentor senior, "
                 "mentor junior, or peers), by at least `min` and at most `max` levels.",
    "same": "Mentor and mentee have the same value of `attribute`.",
    "different": "Mentor and mentee have different values of `attribute`.",
    "overlap": "The mentor's `mentor` attribute and the mentee's `mentee` attribute share values "
               "(at least `min` of them), e.g. the mentor's skills and the mentee's interests.",
    "timezone-within": "Their time zones are at most `hours` hours apart.",
    "not-reporting-line": "Neither person is in the other's management chain (manager, manager's manager, and so on).",
    "not-previously-paired": "The two have not been paired before.",
    "not-excluded": "Neither has been excluded from being paired with the other.",
}

# ---------------------------------------------------------------------------------------------
# Markdown helpers


def _code(value: Any) -> str:
    text = _literal(value)
    return f"``{text}``" if "`" in text else f"`{text}`"


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _list_words(items: Sequence[str], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def _words(name: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", name).lower()
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# Reading the schema


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return ref[len("#/$defs/"):]
    return None


def _is_object(node: dict[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node


def _is_map(node: dict[str, Any]) -> bool:
    return _is_object(node) and not node.get("properties") and isinstance(node.get("additionalProperties"), dict)


def _range_words(node: dict[str, Any]) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return f"from {low} to {high}"
    parts = []
    if "exclusiveMinimum" in node:
        parts.append(f"more than {node['exclusiveMinimum']}")
    if low is not None:
        parts.append(f"at least {low}")
    if high is not None:
        parts.append(f"at most {high}")
    if "exclusiveMaximum" in node:
        parts.append(f"less than {node['exclusiveMaximum']}")
    return " and ".join(parts)


def _length_words(node: dict[str, Any], unit: str) -> list[str]:
    words = []
    low = node.get("minLength" if unit == "characters" else "minItems")
    high = node.get("maxLength" if unit == "characters" else "maxItems")
    if low == 1 and unit == "characters":
        words.append("not empty")
    elif low == 1:
        words.append("at least one item")
    elif low:
        words.append(f"at least {low} {unit}")
    if high is not None:
        words.append(f"at most {high} {unit}")
    return words


def _pattern_words(pattern: str) -> str:
    return PATTERN_WORDS.get(pattern, f"matching the regular expression {_code(pattern)}")


_BASIC = {
    "string": ("text", "text"),
    "integer": ("whole number", "whole numbers"),
    "number": ("number", "numbers"),
    "boolean": ("`true` or `false`", "`true` or `false`"),
    "null": ("nothing", "nothing"),
}


class Schema:
    """The program schema, read for documentation: sections, value types and their links."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.defs: dict[str, dict[str, Any]] = root.get("$defs", {})

    # $defs ---------------------------------------------------------------------------------

    def wrapped(self, name: str) -> tuple[str | None, list[dict[str, Any]]]:
        """For a $def that only wraps another, with or without extra constraints
        (`{"$ref": ...}` or `{"allOf": [{"$ref": ...}, {...}]}`): the wrapped name and the extras."""
        node = self.defs[name]
        if "properties" in node:
            return None, []
        target = _ref_name(node)
        if target is not None:
            return target, [{k: v for k, v in node.items() if k not in ("$ref", "description")}]
        parts = node.get("allOf", [])
        refs = [p for p in parts if isinstance(p, dict) and _ref_name(p) is not None]
        if len(refs) == 1:
            return _ref_name(refs[0]), [p for p in parts if p is not refs[0]]
        return None, []

    def banned_keys(self, name: str) -> list[str]:
        """Keys a wrapper $def forbids (`propertyNames: {not: {enum: [...]}}`)."""
        banned: list[str] = []
        for extra in self.wrapped(name)[1]:
            banned += extra.get("propertyNames", {}).get("not", {}).get("enum", [])
        return banned

    def final_def(self, name: str) -> tuple[str, list[str]]:
        """Follow a chain of $defs that only wrap another (pairingRule -> pairingRuleCommon).
        Returns the last name and the names passed through."""
        chain = [name]
        while True:
            target = self.wrapped(chain[-1])[0]
            if target is None or target not in self.defs or target in chain:
                return chain[-1], chain[:-1]
            chain.append(target)

    def is_object_def(self, name: str) -> bool:
        return _is_object(self.defs[self.final_def(name)[0]])

    def def_anchor(self, name: str) -> str:
        return DEF_ANCHORS.get(name, _kebab(name))

    def def_title(self, name: str) -> str:
        return DEF_TITLES.get(name, _words(name))

    def description(self, node: dict[str, Any]) -> str:
        """A property's own description, else that of what it refers to."""
        seen: set[str] = set()
        while True:
            if node.get("description"):
                return str(node["description"])
            name = _ref_name(node)
            if name is None or name in seen or name not in self.defs:
                return ""
            seen.add(name)
            node = self.defs[name]

    # types in words -------------------------------------------------------------------------

    def type_words(self, node: dict[str, Any], inline_anchor: str = "", plural: bool = False) -> str:
        """The type of a value in words. `inline_anchor` ("anchor label") is where an object
        written inline at this place is documented."""
        name = _ref_name(node)
        if name is not None and name in self.defs:
            final, wrappers = self.final_def(name)
            if self.is_object_def(final):
                text = f"[{self.def_title(final).lower()}](#{self.def_anchor(final)})"
                for wrapper in wrappers:
                    banned = self.banned_keys(wrapper)
                    if banned:
                        text += f" without {_list_words([_code(b) for b in banned], 'or')}"
                return text
            return f"[{_kebab(name)}](#{self.def_anchor(name)})"
        if "const" in node:
            return f"always {_code(node['const'])}"
        if "enum" in node:
            return "one of " + ", ".join(_code(v) for v in node["enum"])
        for combiner in ("anyOf", "oneOf"):
            if combiner in node and all(isinstance(alt, dict) for alt in node[combiner]):
                return " or ".join(self.type_words(alt, inline_anchor, plural) for alt in node[combiner])
        if isinstance(node.get("then"), dict) and isinstance(node.get("else"), dict):
            return " or ".join(self.type_words(node[branch], inline_anchor, plural) for branch in ("then", "else"))
        kind = node.get("type")
        if isinstance(kind, list):
            names = ["`true`/`false`" if k == "boolean" else _BASIC.get(k, (k, k))[1 if plural else 0] for k in kind]
            return _list_words(names, "or")
        if kind == "array":
            items = node.get("items", {})
            text = "list of " + (self.type_words(items, inline_anchor, plural=True) if isinstance(items, dict) else "anything")
            extra = _length_words(node, "items")
            if node.get("uniqueItems"):
                extra.append("no repeats")
            return text + (f" ({', '.join(extra)})" if extra else "")
        if kind == "object" or "properties" in node:
            if _is_map(node):
                keys = node.get("propertyNames")
                key_text = self.type_words(keys) if isinstance(keys, dict) else "text"
                return f"mapping from {key_text} to {self.type_words(node['additionalProperties'], inline_anchor)}"
            if not inline_anchor:
                return "mapping"
            anchor, _, label = inline_anchor.partition(" ")
            return f"[{label or 'mapping'}](#{anchor})"
        if kind == "string":
            if node.get("format") == "date":
                return "text in the form YYYY-MM-DD naming a real calendar day, e.g. `2026-03-02`"
            lengths = _length_words(node, "characters")
            if "pattern" not in node:
                if lengths == ["not empty"]:
                    return "non-empty text"
                return "text" + (f" ({', '.join(lengths)})" if lengths else "")
            return "text (" + "; ".join([_pattern_words(node["pattern"])] + lengths) + ")"
        if kind in _BASIC:
            text = _BASIC[kind][1 if plural else 0]
            limits = _range_words(node)
            if not limits:
                return text
            return f"{text} {limits}" if limits.startswith("from") else f"{text}, {limits}"
        return "any value"


# ---------------------------------------------------------------------------------------------
# Sections of the format reference


@dataclass
class Field:
    name: str
    type: str
    required: str
    description: str


@dataclass
class Section:
    """One mapping of the format: a $defs object, or an object written inline in a property."""

    anchor: str
    name: str  # what it is, e.g. Phase
    depth: int  # heading level
    description: str
    used_at: list[str]  # where it appears, e.g. schedule.phases[]
    fields: list[Field] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)  # bullet points on the wrappers it is used through
    rule_kinds: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return ", ".join(f"`{w}`" for w in self.used_at) if self.used_at else self.name


def _program_requirements(root: dict[str, Any]) -> tuple[list[str], dict[str, list[str]]]:
    """Keys required only when kind is Program: at the top level, and inside top-level keys."""
    top: list[str] = []
    nested: dict[str, list[str]] = {}
    for branch in root.get("allOf", []):
        condition = branch.get("if", {}).get("properties", {}).get("kind", {})
        if condition.get("const") != "Program":
            continue
        then = branch.get("then", {})
        top += [k for k in then.get("required", []) if k not in top]
        for key, sub in then.get("properties", {}).items():
            nested.setdefault(key, []).extend(sub.get("required", []))
    return top, nested


# The key whose value selects which other keys a mapping takes (if/then blocks keyed on it).
DISCRIMINATORS = ("rule", "kind")
COMPUTATION_MEANINGS: dict[str, str] = {
    "score": "A scale, subscale or question at one survey: mean, median, share at or above a threshold, or share answering yes.",
    "change": "The same scale or question before and after, paired by respondent; the value is the follow-up level.",
    "sessions": "From the session log: pairs holding all their sessions, or people attending enough group sessions.",
    "manual": "Entered by hand (`report --values`) from a source outside programdsl.",
}


def _discriminator(node: dict[str, Any]) -> str:
    return next((key for key in DISCRIMINATORS if key in node.get("properties", {})), "rule")


def _rule_kinds(node: dict[str, Any]) -> list[tuple[list[str], list[str], list[str]]]:
    """The if/then blocks keyed on `rule` (or `kind`): (kinds, required keys, allowed keys)."""
    key = _discriminator(node)
    kinds = []
    for branch in node.get("allOf", []):
        test = branch.get("if", {}).get("properties", {}).get(key, {})
        names = [test["const"]] if "const" in test else list(test.get("enum", []))
        if not names:
            continue
        then = branch.get("then", {})
        if key == "kind" and "propertyNames" not in then:
            continue  # the top level's `kind` (Program or ProgramDefaults) changes requirements, not keys
        allowed = list(then.get("propertyNames", {}).get("enum", node.get("properties", {}).keys()))
        kinds.append((names, list(then.get("required", [])), allowed))
    return kinds


class FormatBuilder:
    """Walks the schema from the top, making one section per mapping in the order they appear."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.schema = Schema(root)
        self.root = root
        self.sections: list[Section] = []
        self.by_def: dict[str, Section] = {}
        self.program_top, self.program_nested = _program_requirements(root)

    def build(self) -> list[Section]:
        top = Section("top-level", "Top level", 2, "The keys a file may have at its top level.", [])
        self.sections.append(top)
        self._fields(top, self.root, "", self.program_top)
        return self.sections

    def _fields(self, section: Section, node: dict[str, Any], path: str, program_required: Sequence[str]) -> None:
        required = node.get("required", [])
        choices = [k for alt in node.get("oneOf", []) if set(alt) == {"required"} for k in alt["required"]]
        kinds = _rule_kinds(node)
        nested_depth = section.depth if section.anchor == "top-level" else section.depth + 1
        children = []
        for name, sub in node.get("properties", {}).items():
            anchor = _kebab(name) if section.anchor == "top-level" else f"{section.anchor}-{_kebab(name)}"
            if name in required:
                needed = "yes"
            elif name in program_required:
                needed = "in a Program"
            elif name in choices:
                needed = "one of"
            else:
                by_kind = [k for names, req, _ in kinds if name in req for k in names]
                needed = "for " + ", ".join(_code(k) for k in by_kind) if by_kind else "no"
            inline = f"{anchor} {_words(name).lower()}"
            section.fields.append(Field(name, self.schema.type_words(sub, inline), needed, self.schema.description(sub)))
            children.append((f"{path}.{name}" if path else name, sub, anchor))
        if choices:
            section.notes.append(f"Give exactly one of {_list_words([_code(k) for k in choices], 'or')}.")
        if kinds:
            section.rule_kinds = self._rule_kind_table(node, kinds)
        for child_path, sub, anchor in children:
            self._visit(child_path, sub, anchor, nested_depth)

    def _visit(self, path: str, node: dict[str, Any], inline_anchor: str, depth: int, at: str | None = None) -> None:
        """Make sections for the mappings a property holds: directly, in a list or in a map.
        `at` is where `node` is used, when the caller has already stepped into it."""
        where = at or path
        while at is None:
            if node.get("type") == "array" and isinstance(node.get("items"), dict):
                node, where = node["items"], where + "[]"
            elif _is_map(node):
                node, where = node["additionalProperties"], where + ".<name>"
            else:
                break
        if isinstance(node.get("then"), dict) and isinstance(node.get("else"), dict):  # one of two shapes
            for branch in ("then", "else"):
                self._visit(path, node[branch], inline_anchor, depth, where)
            return
        name = _ref_name(node)
        if name is not None and name in self.schema.defs:
            final, wrappers = self.schema.final_def(name)
            if not self.schema.is_object_def(final):
                return
            section = self.by_def.get(final)
            if section is None:
                target = self.schema.defs[final]
                section = Section(self.schema.def_anchor(final), self.schema.def_title(final), min(depth, 6),
                                  self.schema.description(target), [where])
                self.by_def[final] = section
                self._add(section, target, where)
            else:
                section.used_at.append(where)
            for wrapper in wrappers:
                section.uses.append(self._wrapper_note(wrapper, where))
        elif _is_object(node) and not _is_map(node):
            section = Section(inline_anchor, _words(path.rsplit(".", 1)[-1]), min(depth, 6),
                              self.schema.description(node), [where])
            self._add(section, node, where)

    def _wrapper_note(self, wrapper: str, where: str) -> str:
        node = self.schema.defs[wrapper]
        text = f"`{where}`"
        if node.get("description"):
            text += f": {node['description']}"
        banned = self.schema.banned_keys(wrapper)
        if banned:
            text += f" {_list_words([_code(b) for b in banned])} are not allowed here."
        return text

    def _add(self, section: Section, node: dict[str, Any], where: str) -> None:
        self.sections.append(section)
        top_key = where.split(".", 1)[0].split("[", 1)[0]
        program_required: list[str] = []
        if where == top_key:
            program_required = self.program_nested.get(top_key, [])
        elif where == f"{top_key}.<name>" and self.program_nested.get(top_key):
            keys = _list_words([_code(k) for k in self.program_nested[top_key]])
            section.notes.append(f"In a Program, `{top_key}` must include {keys}.")
        self._fields(section, node, where, program_required)

    def _rule_kind_table(self, node: dict[str, Any], kinds: list[tuple[list[str], list[str], list[str]]]) -> list[str]:
        key = _discriminator(node)
        names = node.get("properties", {}).get(key, {}).get("enum", [k for group, _, _ in kinds for k in group])
        meanings = PAIRING_RULE_MEANINGS if key == "rule" else COMPUTATION_MEANINGS
        noun = "rule" if key == "rule" else "computation"
        allowed_sets = [set(allowed) for _, _, allowed in kinds]
        common = [k for k in node.get("properties", {}) if all(k in s for s in allowed_sets)]
        rows = []
        for kind in names:
            match = next(((req, allowed) for group, req, allowed in kinds if kind in group), None)
            if match is None:
                required, other = "none", "any"
            else:
                req, allowed = match
                required = ", ".join(_code(k) for k in req) or "none"
                other = ", ".join(_code(k) for k in allowed if k not in req and k not in common) or "none"
            rows.append([_code(kind), required, other, meanings.get(kind, "")])
        lines = [
            f"Every {noun} may take " + _list_words([_code(k) for k in common]) + f". Each kind of {noun} "
            "takes the further keys below, and no others.",
            "",
        ]
        header = ["Rule", "Required keys", "Other keys", "What it tests"] if key == "rule" else \
            ["Kind", "Required keys", "Other keys", "What it computes"]
        return lines + markdown_table(header, rows)


def format_reference(schema: dict[str, Any] | None = None) -> str:
    """docs/format.md: the program format, generated from the JSON Schema."""
    root = program_schema() if schema is None else schema
    builder = FormatBuilder(root)
    sections = builder.build()
    spec = builder.schema
    out: list[str] = [
        f"<!-- Generated from schemas/program.schema.json by `{REGENERATE}`. Edit the schema, not this file. -->",
        "",
        "# Program file format",
        "",
        str(root.get("description", "")),
        "",
        "A program is one YAML file. This page lists every key the format allows, generated from the JSON "
        "Schema that `programdsl validate` and editors use (`programdsl schema` prints it). "
        "The diagnostic codes are explained in [rules.md](rules.md).",
        "",
        "## Contents",
        "",
        "- [Example](#example)",
        "- [How a file is put together](#how-a-file-is-put-together)",
    ]
    for section in sections:
        out.append(f"{'  ' * (section.depth - 2)}- [{section.title}](#{section.anchor})")
    out += ["- [Value types](#value-types)", ""]

    out += _example_section()
    out += _putting_together(root, builder)

    for section in sections:
        out += _render_section(section)

    out += _value_types(spec)
    return "\n".join(out).rstrip("\n") + "\n"


def _example_section() -> list[str]:
    return [
        '<a id="example"></a>',
        "",
        "## Example",
        "",
        "A complete program that validates with no problems. It starts from the built-in `traditional` "
        "preset, which supplies the role descriptions, the training modules and the pairing mode; "
        "everything written here is laid over the preset.",
        "",
        "```yaml",
        EXAMPLE_PROGRAM.rstrip("\n"),
        "```",
        "",
    ]


def _putting_together(root: dict[str, Any], builder: FormatBuilder) -> list[str]:
    from .model import TYPE_SUMMARIES

    props = root.get("properties", {})
    api_version = props.get("apiVersion", {}).get("const", "programdsl/v1")
    kinds = props.get("kind", {}).get("enum", ["Program", "ProgramDefaults"])
    types = props.get("type", {}).get("enum", [])
    always = root.get("required", [])
    out = [
        '<a id="how-a-file-is-put-together"></a>',
        "",
        "## How a file is put together",
        "",
        "### `apiVersion` and `kind`",
        "",
        f"Every file starts with `apiVersion: {api_version}`, the version of the format it is written in. "
        "`programdsl validate` looks for this line to tell program files from other YAML in a directory.",
        "",
        f"`kind` is one of {_list_words([_code(k) for k in kinds], 'or')}:",
        "",
        "- `Program` describes one complete mentoring program.",
        "- `ProgramDefaults` holds values that several programs share, such as the owner, contacts or "
        "training. Programs name it in `extends`. Only "
        + _list_words([_code(k) for k in always]) + " are required in it.",
        "",
        "### Presets",
        "",
        "`type` names the kind of mentoring program. Each type has a built-in preset: a defaults file "
        "with the roles, schedule length, meeting rhythm, pairing rules and training that usually suit "
        "that type. A program only writes what differs. `programdsl types` lists the types:",
        "",
    ]
    out += markdown_table(["Type", "What it is"], [[_code(t), TYPE_SUMMARIES.get(t, "")] for t in types])
    out += [
        "",
        "### `extends`",
        "",
        "`extends` names a `ProgramDefaults` file, by a path relative to the file that contains it. "
        "A defaults file may itself extend another, forming a chain; a loop is an error "
        "([PD102](rules.md#pd102)), and so is a missing file ([PD101](rules.md#pd101)) or one that is "
        "not a defaults file ([PD103](rules.md#pd103)).",
        "",
        "```yaml",
        "# shared/defaults.yaml",
        f"apiVersion: {api_version}",
        "kind: ProgramDefaults",
        "metadata:",
        "  owner: {name: People Development, email: mentoring@example.com}",
        "  timezone: Europe/London",
        "```",
        "",
        "```yaml",
        "# programs/reverse-2026.yaml (the beginning)",
        f"apiVersion: {api_version}",
        "kind: Program",
        "extends: ../shared/defaults.yaml",
        "metadata: {id: reverse-2026, name: Reverse mentoring 2026}   # owner and timezone come from the defaults",
        "type: reverse",
        "```",
        "",
        "### Precedence and merging",
        "",
        "The program that is checked and used is built in layers, lowest precedence first:",
        "",
        "1. the preset of the program's `type`;",
        "2. the `extends` chain, starting with the file farthest up the chain;",
        "3. the file itself.",
        "",
        "Each layer is laid over the ones before it. Mappings are merged key by key, at every depth, so "
        "a file can change one key of a preset's `meetings` and keep the rest. Lists and single values "
        "are replaced as a whole: a file that gives `schedule.milestones` gets exactly the milestones it "
        "lists, not the preset's as well.",
        "",
        "Validation runs on the merged program, so a required key may come from any layer. Every problem "
        "is still reported at the file and line where the offending value was written; a value that "
        "came from a preset is reported as `preset:<type>`.",
        "",
        "### Required keys",
        "",
        "Every file needs " + _list_words([_code(k) for k in always]) + ". After merging, a `Program` also needs "
        + _list_words([_code(k) for k in builder.program_top]) + ".",
    ]
    nested = [_code(f"{top}.{key}") for top, keys in builder.program_nested.items() for key in keys]
    if nested:
        out[-1] += " Inside those it needs " + _list_words(nested) + "."
    out += [
        "",
        "In the tables below, *Required* is `yes` when the key is always required where its mapping "
        "appears, `in a Program` when only a `Program` needs it, `one of` when the mapping must have "
        "exactly one key from a group, and `for` followed by kinds of pairing rule when only those "
        "kinds need it.",
        "",
    ]
    return out


def _render_section(section: Section) -> list[str]:
    out = [f'<a id="{section.anchor}"></a>', "", f"{'#' * section.depth} {section.title}", ""]
    lead = section.description
    if section.anchor != "top-level":
        lead = f"**{section.name}.** {lead}".rstrip()
    out += [lead, ""]
    if section.uses:
        out += [f"- {use}" for use in section.uses] + [""]
    if section.fields:
        rows = [[f"`{f.name}`", f.type, f.required, f.description] for f in section.fields]
        out += markdown_table(["Key", "Type", "Required", "Description"], rows)
        out.append("")
    for note in section.notes:
        out += [note, ""]
    if section.rule_kinds:
        depth = min(section.depth + 1, 6)
        title = "Rule kinds" if section.anchor == "pairing-rule" else "Kinds"
        out += [f'<a id="{section.anchor}-kinds"></a>', "", f"{'#' * depth} {title}", ""]
        out += section.rule_kinds + [""]
    return out


def _value_types(spec: Schema) -> list[str]:
    out = [
        '<a id="value-types"></a>',
        "",
        "## Value types",
        "",
        "Kinds of value that many keys share. The *Type* column above links here.",
        "",
    ]
    for name, node in spec.defs.items():
        final, _ = spec.final_def(name)
        if spec.is_object_def(final):
            continue
        resolved = dict(node)
        resolved.pop("description", None)
        target = _ref_name(resolved)
        if target is not None and target in spec.defs and not spec.is_object_def(target):
            form = spec.type_words(resolved)
        else:
            form = spec.type_words({k: v for k, v in resolved.items() if k != "$ref"})
        out += [f'<a id="{spec.def_anchor(name)}"></a>', "", f"### `{_kebab(name)}`", ""]
        if node.get("description"):
            out += [str(node["description"]), ""]
        out += [f"Form: {form}.", ""]
    return out


# ---------------------------------------------------------------------------------------------
# Command line


def default_docs_dir() -> Path:
    """docs/ of the source checkout programdsl runs from, else docs/ under the working directory."""
    checkout = PACKAGE_DIR.parent / "docs"
    return checkout if (PACKAGE_DIR.parent / "pyproject.toml").is_file() else Path.cwd() / "docs"


GENERATED: dict[str, Callable[[], str]] = {
    "format.md": format_reference,
    "rules.md": rules_reference,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m programdsl.docgen",
                                     description="Regenerate docs/format.md and docs/rules.md.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    parser.add_argument("--docs-dir", type=Path, default=None, help="where the docs live (default: the checkout's docs/)")
    args = parser.parse_args(argv)
    docs = args.docs_dir or default_docs_dir()
    stale = []
    for name, render in GENERATED.items():
        path = docs / name
        text = render()
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    if args.check:
        for path in stale:
            print(f"{path} is out of date; run `{REGENERATE}`", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
