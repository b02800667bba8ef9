"""What each diagnostic code means, from one source: the catalogue and the rule modules' docstrings.

`rules_reference()` renders docs/rules.md from it, and the SARIF reporter gives code scanning the
same statement, examples and reference link for every rule (`code_help()`), so an alert's help
and the reference page cannot disagree.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Sequence

from .diagnostics import CATALOGUE, Code, Severity

REGENERATE = "python -m programdsl.docgen"
# Where the reference lives in the repository; SARIF links each rule to its anchor on this page.
RULES_PAGE = "docs/rules.md"

# Code prefix, title, introduction, and the tag code scanning can filter alerts by.
GROUPS: list[tuple[str, str, str, str]] = [
    ("PD0", "Reading files",
     "Problems found while reading a file, before its content is understood. programdsl reads YAML "
     "strictly: it reports duplicate keys that most YAML readers overwrite silently, refuses tags "
     "that would build arbitrary objects, and limits alias expansion and nesting depth.", "yaml"),
    ("PD1", "Resolving presets and extends",
     "Problems following `extends` to the defaults files a program builds on. See "
     "[Precedence and merging](format.md#how-a-file-is-put-together).", "extends"),
    ("PD2", "Schema",
     "The merged program does not match the format described in [format.md](format.md). Each problem "
     "is reported at the key or value at fault, in the file that value came from.", "schema"),
    ("PD3", "Semantic rules",
     "Checks the schema cannot express. They run on `Program` files, including those with schema "
     "problems: an element with a bad value (an objective, a question, a role) is set aside, the rules "
     "check the rest, and a finding that may rest on a part set aside is not reported. Each rule is one "
     "module under `programdsl/rules/`; its statement and examples below are taken from that module, so "
     "they always match what is checked. The examples show only the keys that matter.", "semantics"),
    ("PD4", "Rosters and pairs files",
     "Problems in the roster, pin and pairs files `programdsl match` reads, reported as "
     "file:line:column; see [matching.md](matching.md#roster-checks).", "roster"),
    ("PD5", "Responses, session logs and values",
     "Problems in the response files, session log and hand-entered values `programdsl report` reads, "
     "reported as file:line:column without quoting personal data; see "
     "[reporting.md](reporting.md#checked-input). Any error stops the report: nothing is written.", "report"),
    ("PD9", "Internal errors",
     "programdsl itself failed. The file is reported with this code instead of a crash.", "internal"),
]


@dataclass(frozen=True)
class RuleDoc:
    title: str
    body: str
    bad: str
    good: str


def parse_rule_doc(doc: str) -> RuleDoc:
    """Split a rule module's docstring into its statement, body, `Bad:` and `Good:` examples."""
    text = inspect.cleandoc(doc)
    match = re.search(r"^(?P<statement>.*?)^Bad:\s*\n(?P<bad>.*?)^Good:\s*\n(?P<good>.*)\Z", text, re.S | re.M)
    if match is None:
        raise ValueError("a rule's docstring needs a statement, then `Bad:` and `Good:` example sections")
    statement = match["statement"].strip()
    title, _, body = statement.partition("\n")
    bad, good = (_dedent_block(match[k]) for k in ("bad", "good"))
    if not bad or not good:
        raise ValueError("a rule's `Bad:` and `Good:` sections must each hold an example")
    return RuleDoc(title.strip(), body.strip(), bad, good)


def _dedent_block(text: str) -> str:
    return textwrap.dedent(text).strip("\n").rstrip()


def load_codes() -> None:
    """Import everything that registers codes: the rules, and the CLI with its commands."""
    importlib.import_module("programdsl.rules")
    importlib.import_module("programdsl.cli")


def rule_modules() -> dict[str, ModuleType]:
    """Every module under programdsl/rules that defines a `CODE`, by code."""
    package = importlib.import_module("programdsl.rules")
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        code = getattr(module, "CODE", None)
        if isinstance(code, Code):
            found[code.code] = module
    return found


def _group(code: str) -> tuple[int, str, str, str]:
    for i, (prefix, title, intro, tag) in enumerate(GROUPS):
        if code.startswith(prefix):
            return i, title, intro, tag
    hundred = code[:3]
    return len(GROUPS), f"Codes {hundred}xx", "", "other"


def severity_word(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _unlinked(text: str) -> str:
    """Markdown links between the docs pages mean nothing outside them: keep their words."""
    return _LINK.sub(r"\1", text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class CodeHelp:
    """Everything a reader needs about one code, for the reference page and for SARIF."""

    code: str
    name: str
    severity: Severity
    summary: str
    group: str
    tag: str
    rule: RuleDoc | None

    @property
    def anchor(self) -> str:
        return self.code.lower()

    @property
    def reference(self) -> str:
        """The code's entry in the repository's docs, as a path relative to the repository root."""
        return f"{RULES_PAGE}#{self.anchor}"

    @property
    def full_description(self) -> str:
        if self.rule is None:
            return self.summary
        return _one_line(_unlinked(f"{self.rule.title} {self.rule.body}"))

    def help_text(self) -> str:
        lines = [f"{self.code} {self.name} ({severity_word(self.severity)}): {self.summary}", ""]
        if self.rule is not None:
            lines += [_one_line(_unlinked(f"{self.rule.title} {self.rule.body}")), "",
                      "Bad:", "", textwrap.indent(self.rule.bad, "    "), "",
                      "Good:", "", textwrap.indent(self.rule.good, "    "), ""]
        lines.append(f"Reference: {self.reference} in the programdsl repository.")
        return "\n".join(lines)

    def help_markdown(self) -> str:
        lines = [f"**{self.code} `{self.name}`** ({severity_word(self.severity)}): {self.summary}", ""]
        if self.rule is not None:
            lines += [f"**Rule:** {_unlinked(self.rule.title)}", ""]
            if self.rule.body:
                lines += [_one_line(_unlinked(self.rule.body)), ""]
            lines += ["**Bad:**", "", "```yaml", self.rule.bad, "```", "",
                      "**Good:**", "", "```yaml", self.rule.good, "```", ""]
        lines.append(f"Reference: `{self.reference}` in the programdsl repository.")
        return "\n".join(lines)


@lru_cache(maxsize=1)
def _modules() -> dict[str, ModuleType]:
    return rule_modules()


def code_help(code: str) -> CodeHelp:
    entry = CATALOGUE[code]
    module = _modules().get(code)
    rule = None
    if module is not None and module.__doc__:
        try:
            rule = parse_rule_doc(module.__doc__)
        except ValueError as error:
            raise ValueError(f"{module.__name__}: {error}") from None
    _, group, _, tag = _group(code)
    return CodeHelp(code, entry.name, entry.severity, entry.summary, group, tag, rule)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table's lines; a cell's `|` is escaped and its line breaks become spaces."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows]
    return lines


def rules_reference() -> str:
    """docs/rules.md: every diagnostic code, with the semantic rules' statements and examples."""
    load_codes()
    codes = sorted(CATALOGUE)
    grouped: dict[tuple[int, str, str, str], list[str]] = {}
    for code in codes:
        grouped.setdefault(_group(code), []).append(code)

    out = [
        f"<!-- Generated from the diagnostic catalogue and programdsl/rules/ by `{REGENERATE}`. "
        "Edit those, not this file. -->",
        "",
        "# Diagnostic codes",
        "",
        "Every problem `programdsl validate` reports carries a stable code, a short name and a severity:",
        "",
        "```text",
        "programs/reverse.yaml:14:5: error[PD302]: objective 'digital-fluency' refers to metric 'digital-score', which is not defined",
        "```",
        "",
        "- **error**: the program is wrong or cannot be used; the check fails (exit status 1).",
        "- **warning**: the program works but is probably not what you meant; the check fails only with "
        "`--strict`.",
        "",
        "SARIF results (and so GitHub code scanning alerts) carry each code's statement and examples "
        f"from this page as their help, and link to the code's entry here (`{RULES_PAGE}#pd301`, for "
        "example). The command line is described in [cli.md](cli.md), the format in [format.md](format.md).",
        "",
        "## All codes",
        "",
    ]
    for (_, title, _, _), members in sorted(grouped.items()):
        out += [f"**[{title}](#{members[0][:3].lower()}xx)**", ""]
        rows = [[f"[{c}](#{c.lower()})", f"`{CATALOGUE[c].name}`", severity_word(CATALOGUE[c].severity), CATALOGUE[c].summary]
                for c in members]
        out += markdown_table(["Code", "Name", "Severity", "Summary"], rows)
        out.append("")

    for (_, title, intro, _), members in sorted(grouped.items()):
        span = f"{members[0][:3]}xx"
        out += [f'<a id="{span.lower()}"></a>', "", f"## {title} ({span})", ""]
        if intro:
            out += [intro, ""]
        for code in members:
            help_ = code_help(code)
            out += [f'<a id="{help_.anchor}"></a>', "", f"### {code} {help_.name}", ""]
            out += [f"Severity: **{severity_word(help_.severity)}**. {help_.summary}", ""]
            if help_.rule is not None:
                out += [f"**Rule:** {help_.rule.title}", ""]
                if help_.rule.body:
                    out += [help_.rule.body, ""]
                out += ["**Bad:**", "", "```yaml", help_.rule.bad, "```", "", "**Good:**", "", "```yaml", help_.rule.good,
                        "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
