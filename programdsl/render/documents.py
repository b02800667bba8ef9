"""The documents participants receive: charter, training guides, evaluation forms, handbooks, index.

    from programdsl.api import load_program
    from programdsl.render.documents import BuildOptions, render_documents
    from programdsl.output import write_outputs

    program, _ = load_program("examples/reverse-nhs-clinical.yaml")
    files = render_documents(program, BuildOptions(formats=("md", "html")))
    write_outputs("out/", files)

Everything is rendered in memory first (`render_documents` returns relative path -> bytes), so a
template error part-way through writes nothing; `output.write_outputs` then replaces the whole
set. The same program gives the same bytes, PDFs included.

Layout of a build (the index links everything that was generated):

    index.{md,html}
    charter.{md,html,pdf}
    guides/<role>.{md,html,pdf}                   one per role, tailored to the program type
    forms/<survey>/<role>.html                    the fillable form
    forms/<survey>/<role>.print.html              the printable form (and .pdf, .md)
    forms/<survey>/<role>.json                    machine-readable definition
    forms/<survey>/<role>.csv                     header row responses are collected under
    forms/<survey>/<role>.codebook.csv            what each column holds
    forms/<survey>/<role>.xlsx                    the same form as an XLSForm (ODK, KoboToolbox, Ona, SurveyCTO)
    forms/<survey>/<role>/<person>--<partner>.*   with a pairs file: a form about each partner, named in it
    handbooks/<role>.{md,html,pdf}                charter + guide + schedule + forms, with contents
    handbooks/people/<person>.{md,html,pdf}       with a pairs file: one per matched person

<role>, <survey> and <person> are ids (or a person's name) made safe as file names by
`output.safe_name` (`aux` becomes `aux-<hash>`: Windows reserves it); people's names are also
kept distinct ignoring case. Links between documents use the same paths.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable, Iterable

import yaml
from markupsafe import Markup

from .. import diagnostics as d
from .. import limits
from ..loader import expansion_problem
from ..model import Program
from ..output import safe_name
from ..pairs import Match, PairsFile
from ..schedule import ProgramSchedule
from . import forms as formlib
from .calendar import pair_file_names, people_of, person_file_stems
from .context import RoleView, View, build_view, plain_sentence
from .escape import MdSafe, tidy_markdown
from .templating import Templates, TemplateFailure, build_time_limit, load_templates, view_type
from .words import FORMAT_PHRASES, join_and, paper_size, partner_words, plural, role_words, spelling, unbracketed

DOC_FORMATS = ("md", "html", "pdf")
GUIDANCE_FILE = "guidance.yaml"
TOC_MARKER = "<!-- programdsl:toc -->"
# What a guidance paragraph may depend on (guidance.yaml's `needs` and `unless`).
GUIDANCE_FACTS = ("confidentiality", "conduct", "contacts", "topics", "preferences", "surveys", "one-session", "virtual")


@view_type
@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = DOC_FORMATS
    templates: str | os.PathLike[str] | None = None  # a directory whose files override the shipped ones
    pairs: PairsFile | None = None  # per-person handbooks for everyone matched in it


@view_type
@dataclass(frozen=True)
class Doc:
    """One document, before it has a format."""

    kind: str  # charter | guide | form | form-print | handbook | index
    base: str  # path without extension, e.g. "guides/mentor"
    title: str
    role: RoleView | None = None
    form: formlib.FormView | None = None
    person: "Person | None" = None


@view_type
@dataclass(frozen=True)
class Partner:
    name: str
    email: str | None
    role: str  # role id
    role_label: str
    id: str = ""  # their id in the pairs file (the roster id)


@view_type
@dataclass(frozen=True)
class Reasons:
    """The preferences one match meets, as plain sentences for the participant."""

    partner: str | None  # whose match they are about, when the person has several partners
    sentences: tuple[str, ...]


@view_type
@dataclass(frozen=True)
class PairCalendar:
    partners: str  # "Mei Lin Tan", "Ana Silva and Ben Okafor"
    path: str


@view_type
@dataclass(frozen=True)
class Person:
    """One person in a pairs file, with every partner they were matched with (one handbook each)."""

    id: str
    name: str
    email: str | None
    role: str
    match_ids: tuple[str, ...]
    partners: tuple[Partner, ...]
    reasons: tuple[Reasons, ...]
    status: str
    calendars: tuple[PairCalendar, ...] = ()  # their matches' calendar files, when written alongside
    own_calendar: str | None = None  # everything they attend, when written alongside

    @property
    def calendar(self) -> str | None:
        """The first calendar file (for templates written when a person had one match)."""
        return self.calendars[0].path if self.calendars else None


@view_type
@dataclass(frozen=True)
class Job:
    """One unit of work for the progress bar: one document in one format, or a form's data files.

    Text jobs have `run`; PDF jobs have `prepare`, which renders the HTML and returns the
    arguments of `pdf.html_to_pdf`, so the slow conversion can run in a worker process.
    """

    label: str
    run: Callable[[], dict[str, bytes]] | None = None
    prepare: Callable[[], tuple[str, bytes, int]] | None = None


@view_type
@dataclass(frozen=True)
class Guide:
    intro: tuple[str, ...]
    sections: tuple[dict[str, Any], ...]


def _fill(text: Any, words: dict[str, str]) -> Any:
    """`{programme}` and the other spelling placeholders in guidance text, for the program's locale."""
    if not isinstance(text, str) or "{" not in text:
        return text
    return re.sub(r"\{([A-Za-z]+)\}", lambda m: words.get(m.group(1), m.group(0)), text)


def _fill_all(value: Any, words: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill_all(v, words) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fill_all(v, words) for v in value)
    return _fill(value, words)


def guide_for(guidance: dict[str, Any], program_type: str, role: RoleView,
              facts: frozenset[str] = frozenset(GUIDANCE_FACTS)) -> Guide:
    """The wording for one role's guide: the type's sections for this kind of role, then the common ones.

    A type can reword a common section where the shared wording does not fit it (a circle has no
    "partner", a flash conversation no "first session"): its `common` sections replace the common
    section they name in `replaces` (else the one with the same title), in the same place; any
    that replace nothing come after the common ones. `guidance` is guidance.yaml as
    `check_guidance` returns it."""
    kinds = [role.kind, "both"] if role.kind in ("mentor", "mentee") else [role.kind]
    own = guidance["types"].get(program_type, {"intro": {}, "sections": {}, "common": {}})
    intros = own["intro"]
    intro = intros.get(role.kind) or intros.get("both") or intros.get("other") or []
    sections: list[dict[str, Any]] = []
    for kind in kinds:
        sections += own["sections"].get(kind, [])
    rewordings: dict[str, dict[str, Any]] = {}
    for kind in kinds:  # the role's own kind first, so it wins over "both"
        for section in own["common"].get(kind, []):
            rewordings.setdefault(section.get("replaces") or section["title"], section)
    used: set[str] = set()
    for kind in kinds:
        for section in guidance["common"].get(kind, []):
            replacement = rewordings.get(section["title"])
            if replacement is not None:
                used.add(section["title"])
            sections.append(replacement or section)
    sections += [s for key, s in rewordings.items() if key not in used]
    return Guide(shown(intro, facts), tuple({**s, "text": shown(s["text"], facts), "tips": shown(s["tips"], facts)}
                                            for s in sections))


# A matcher explanation line: "met: skills-match (high priority) - interests ...", and in a
# group the line that opens one member's lines: "Ana Silva (score 0.83, pinned):".
_EXPLAINED = re.compile(r"^(met|partly met|not met): (\S+) \(")
_GROUP_MEMBER = re.compile(r"^(\S.*) \(score [-0-9.]+(?:, pinned)?\):$")


def met_preferences(lines: Iterable[str], program: Program) -> tuple[str, ...]:
    """The preferences a match fully meets, each as the sentence the charter uses without its
    priority. Unmet and partly met ones are left out (participants are not told their match
    missed a priority; the coordinator sees that in the pairs file), and so is anything that is
    not one of this program's rules, so no rule id ever reaches a participant."""
    rules = {rule.id or rule.rule: rule for rule in program.pairing.preferences}
    found = (_EXPLAINED.match(line.strip()) for line in lines)
    return tuple(dict.fromkeys(plain_sentence(rules[m.group(2)], program)
                               for m in found if m and m.group(1) == "met" and m.group(2) in rules))


def _explanations(match: Match) -> dict[str | None, list[str]]:
    """A match's explanation lines by group member (None: lines not under a member's name)."""
    blocks: dict[str | None, list[str]] = {None: []}
    current: str | None = None
    for line in match.explanation:
        header = _GROUP_MEMBER.match(line)
        if header:
            current = header.group(1)
            blocks.setdefault(current, [])
        else:
            blocks[current].append(line)
    return blocks


def people_from_pairs(pairs: PairsFile, program: Program,
                      calendars: "list[str | None] | None" = None) -> list[Person]:
    """Everyone in a pairs file, once per role they take, with all the partners they were matched
    with, in the order they first appear.

    `calendars` gives, match by match, the path of the pair's calendar if the build writes one.
    """
    labels = {rid: r.label for rid, r in program.roles.items()}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for index, match in enumerate(pairs.matches):
        calendar = calendars[index] if calendars is not None and index < len(calendars) else None
        members = [(m, "mentor") for m in match.mentors] + [(m, "mentee") for m in match.mentees]
        blocks = _explanations(match)
        for member, role in members:
            others = [(other, other_role) for other, other_role in members if other_role != role]
            entry = found.setdefault((member.id or member.name, role), {
                "member": member, "matches": [], "partners": [], "reasons": [], "calendars": []})
            entry["matches"].append(match.id)
            entry["partners"] += [Partner(o.name, o.email, r, labels.get(r, r), o.id) for o, r in others]
            if member.name in blocks and len(blocks) > 1:  # a group member: the lines under their name
                entry["reasons"].append((None, met_preferences(blocks[member.name], program)))
            else:  # one pair, or the person a group gathers around: every member's lines
                for name, lines in blocks.items():
                    partner = name or join_and([o.name for o, _ in others])
                    entry["reasons"].append((partner, met_preferences(lines, program)))
            if calendar is not None:
                entry["calendars"].append(PairCalendar(join_and([o.name for o, _ in others]), calendar))
    people = []
    for (_, role), entry in found.items():
        member = entry["member"]
        partners = tuple(dict.fromkeys(entry["partners"]))
        several = len(partners) > 1
        reasons = tuple(Reasons(partner if several else None, sentences)
                        for partner, sentences in entry["reasons"] if sentences)
        people.append(Person(member.id, member.name, member.email, role, tuple(entry["matches"]), partners,
                             reasons, pairs.status, tuple(entry["calendars"])))
    return people


def _toc_entries_html(html: str) -> list[dict[str, Any]]:
    entries = []
    for match in re.finditer(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', html, flags=re.S):
        text = re.sub(r"<[^>]+>", "", match.group(3)).strip()
        entries.append({"level": int(match.group(1)), "id": match.group(2), "title": Markup(text)})
    return entries


def github_slug(text: str, seen: dict[str, int]) -> str:
    """The anchor GitHub and most Markdown viewers give a heading."""
    plain = re.sub(r"\\(.)", r"\1", text).strip().lower()
    slug = re.sub(r"[^\w\- ]", "", plain).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def _toc_entries_md(text: str) -> list[dict[str, Any]]:
    entries, seen = [], {}  # type: ignore[var-annotated]
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else re.match(r"^(#{1,3}) (.+?)\s*$", line)
        if match is None:
            continue
        slug = github_slug(match.group(2), seen)
        if len(match.group(1)) >= 2:
            entries.append({"level": len(match.group(1)), "id": slug, "title": MdSafe(match.group(2))})
    return entries


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=8)
def _parse_guidance(path: str, stamp: int) -> dict[str, Any]:
    """guidance.yaml, parsed and checked once per version of the file (callers must not modify
    the result). Every problem is a TemplateFailure naming the file, the line and the key."""
    if not os.path.isfile(path):
        raise TemplateFailure(GUIDANCE_FILE, None, "file not found in the template directories")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    # Aliases are shared by the parser but expanded by everything after it (each paragraph is
    # filled in and rendered): count them first, as the program loader does.
    problem = expansion_problem(text, path, limits.PROGRAM_VALUES)
    if problem is not None:
        raise TemplateFailure(path, problem.line, problem.message, d.TEMPLATE_LIMIT)
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise TemplateFailure(path, mark.line + 1 if mark else None, f"not valid YAML: {error}") from None
    try:
        return check_guidance(data)
    except GuidanceError as error:
        where = _dotted(error.keys)
        raise TemplateFailure(path, _line_of(text, error.keys), f"{where}: {error}" if where else str(error)) from None


# --- the shape of guidance.yaml ------------------------------------------------------------------
# (the file's own header describes it for users)

GUIDANCE_KEYS = ("types", "common", "agendas")
GUIDANCE_KINDS = ("mentor", "mentee", "both", "admin", "manager", "other")
AGENDA_POSITIONS = ("first", "middle", "midpoint", "last", "only")
Keys = tuple[Any, ...]


class GuidanceError(ValueError):
    """guidance.yaml does not have the expected shape; `keys` is where (e.g. ("types", "flash"))."""

    def __init__(self, keys: Keys, message: str) -> None:
        super().__init__(message)
        self.keys = keys


def _dotted(keys: Keys) -> str:
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def _line_of(text: str, keys: Keys) -> int | None:
    """The line of the value at `keys` in the YAML text (of its key, for a mapping entry)."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    line = 1 if node is not None else None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _kind_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}
    return names.get(type(value), f"a {type(value).__name__}")


def _mapping(value: Any, keys: Keys, allowed: tuple[str, ...] | None = None, what: str = "a mapping") -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise GuidanceError(keys, f"expected {what}, found {_kind_name(value)}")
    for key in value:
        if not isinstance(key, str):
            raise GuidanceError(keys, f"keys must be text, found {key!r}")
        if allowed is not None and key not in allowed:
            raise GuidanceError(keys + (key,), f"unknown key {key!r}; expected one of {', '.join(allowed)}")
    return value


def _text(value: Any, keys: Keys) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise GuidanceError(keys, f"expected text, found {_kind_name(value)}")
    return str(value)


def _paragraph(value: Any, keys: Keys) -> str | dict[str, Any]:
    """Text, or {text, needs} / {text, unless}: text shown only when the program has (or lacks) facts."""
    if not isinstance(value, dict):
        return _text(value, keys)
    entry = _mapping(value, keys, ("text", "needs", "unless"), "text, or a mapping with text and needs or unless")
    if "text" not in entry:
        raise GuidanceError(keys, "a conditional paragraph needs a text")
    checked: dict[str, Any] = {"text": _text(entry["text"], keys + ("text",))}
    for condition in ("needs", "unless"):
        facts = entry.get(condition, [])
        if not isinstance(facts, list) or any(f not in GUIDANCE_FACTS for f in facts):
            raise GuidanceError(keys + (condition,), f"{condition} must list facts among {', '.join(GUIDANCE_FACTS)}")
        checked[condition] = tuple(facts)
    return checked


def _paragraphs(value: Any, keys: Keys) -> list[str | dict[str, Any]]:
    """Text, or a list of texts (one per paragraph or tip), each possibly conditional."""
    if value is None:
        return []
    if isinstance(value, list):
        return [_paragraph(item, keys + (index,)) for index, item in enumerate(value)]
    return [_text(value, keys)]


def shown(paragraphs: Iterable[Any], facts: frozenset[str]) -> tuple[str, ...]:
    """The paragraphs (or tips) that apply to a program with `facts`."""
    return tuple(p if isinstance(p, str) else p["text"] for p in paragraphs
                 if isinstance(p, str) or (set(p["needs"]) <= facts and not set(p["unless"]) & facts))


def program_facts(program: Program) -> frozenset[str]:
    """What a program has that guidance text may depend on (see GUIDANCE_FACTS)."""
    facts = {"confidentiality": bool(program.confidentiality), "conduct": bool(program.conduct),
             "contacts": bool(program.contacts), "topics": any(p.topics for p in program.schedule.phases),
             "preferences": bool(program.pairing.preferences), "surveys": bool(program.surveys),
             "one-session": program.meetings.sessions == 1, "virtual": program.meetings.format == "virtual"}
    return frozenset(name for name, present in facts.items() if present)


def _sections(value: Any, keys: Keys, rewording: bool = False) -> list[dict[str, Any]]:
    """A list of sections; `rewording` ones (a type's `common`) may name the section they replace."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise GuidanceError(keys, f"expected a list of sections (title, text, tips), found {_kind_name(value)}")
    allowed = ("title", "text", "tips", "replaces") if rewording else ("title", "text", "tips")
    sections = []
    for index, raw in enumerate(value):
        here = keys + (index,)
        section = _mapping(raw, here, allowed, f"a section ({', '.join(allowed)})")
        if "title" not in section:
            raise GuidanceError(here, "a section needs a title")
        checked: dict[str, Any] = {"title": _text(section["title"], here + ("title",)),
                   "text": _paragraphs(section.get("text"), here + ("text",)),
                   "tips": _paragraphs(section.get("tips"), here + ("tips",))}
        if rewording:
            checked["replaces"] = _text(section["replaces"], here + ("replaces",)) if "replaces" in section else None
        sections.append(checked)
    return sections


def _steps(value: Any, keys: Keys) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise GuidanceError(keys, f"expected a list of agenda steps (share, title, text, topics), found {_kind_name(value)}")
    steps = []
    for index, raw in enumerate(value):
        here = keys + (index,)
        step = _mapping(raw, here, ("share", "title", "text", "topics", "plain"),
                        "an agenda step (share, title, text, topics, plain)")
        share = step.get("share", 1)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share < float("inf"):
            raise GuidanceError(here + ("share",), f"share must be a positive number, found {share!r}")
        topics = step.get("topics", False)
        if not isinstance(topics, bool):
            raise GuidanceError(here + ("topics",), f"topics must be true or false, found {topics!r}")
        checked: dict[str, Any] = {"share": share, "title": _text(step.get("title", ""), here + ("title",)),
                   "text": _text(step.get("text", ""), here + ("text",)), "topics": topics}
        if "plain" in step:
            plain = _mapping(step["plain"], here + ("plain",), ("title", "text"), "a mapping with title and text")
            checked["plain"] = {k: _text(plain[k], here + ("plain", k)) for k in ("title", "text") if k in plain}
        steps.append(checked)
    return steps


def check_guidance(data: Any) -> dict[str, Any]:
    """guidance.yaml's data checked and in one shape: sections with `title` and lists of `text` and
    `tips`; intros as lists of paragraphs; agenda steps with a numeric `share`. Raises GuidanceError."""
    top = _mapping(data, (), GUIDANCE_KEYS, "a mapping with types, common and agendas")
    types: dict[str, Any] = {}
    for type_id, raw in _mapping(top.get("types"), ("types",)).items():
        here: Keys = ("types", type_id)
        own = _mapping(raw, here, ("intro", "sections", "common"))
        intro = _mapping(own.get("intro"), here + ("intro",), GUIDANCE_KINDS)
        sections = _mapping(own.get("sections"), here + ("sections",), GUIDANCE_KINDS)
        rewordings = _mapping(own.get("common"), here + ("common",), GUIDANCE_KINDS)
        types[type_id] = {
            "intro": {kind: _paragraphs(v, here + ("intro", kind)) for kind, v in intro.items()},
            "sections": {kind: _sections(v, here + ("sections", kind)) for kind, v in sections.items()},
            "common": {kind: _sections(v, here + ("common", kind), rewording=True) for kind, v in rewordings.items()},
        }
    common = {kind: _sections(v, ("common", kind))
              for kind, v in _mapping(top.get("common"), ("common",), GUIDANCE_KINDS).items()}
    agendas: dict[str, Any] = {}
    for name, raw in _mapping(top.get("agendas"), ("agendas",)).items():
        positions = _mapping(raw, ("agendas", name), AGENDA_POSITIONS)
        agendas[name] = {position: _steps(v, ("agendas", name, position)) for position, v in positions.items()}
    return {"types": types, "common": common, "agendas": agendas}


class DocumentBuild:
    """One program's documents: plans them, then renders each on demand."""

    def __init__(self, program: Program, options: BuildOptions | None = None,
                 calendars: Iterable[str] = (), schedule: ProgramSchedule | None = None) -> None:
        self.program = program
        self.options = options or BuildOptions()
        unknown = sorted(set(self.options.formats) - set(DOC_FORMATS))
        if unknown:
            raise ValueError(f"unknown document format(s): {', '.join(unknown)}")
        self.formats = tuple(f for f in DOC_FORMATS if f in self.options.formats)
        self.templates: Templates = load_templates(self.options.templates)
        self.words = spelling(program.locale)
        self.facts = program_facts(program)
        self.guidance = _fill_all(self._load_guidance(), {**self.words, **role_words(program)})
        self.view: View = build_view(program, self.guidance, schedule)
        self.calendars = self._calendar_links(calendars)
        self.people = self._people()
        self.forms = formlib.form_views(program, self.view, self.people)
        self.docs = self._plan()
        self._html_cache: dict[tuple[str, str], str] = {}

    # -- planning ------------------------------------------------------------------------------
    def _load_guidance(self) -> dict[str, Any]:
        path = self.templates.source_of(GUIDANCE_FILE)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            stamp = 0
        return _parse_guidance(path, stamp)

    def _plan(self) -> list[Doc]:
        """Every document and its path. Path components made from ids or names go through
        `safe_name` (so a role called `aux` or `con` is written as a file Windows can hold), and
        the index and handbooks link these same paths."""
        name = self.view.name
        docs = [Doc("charter", "charter", f"{name}: charter")]
        for role in self.view.roles:
            docs.append(Doc("guide", f"guides/{safe_name(role.id)}", f"{name}: guide for {plural(role.noun)}", role=role))
        for form in self.forms:
            title = f"{form.survey.title} ({unbracketed(form.role.label)})"
            if form.partner is not None:
                who = f"{form.respondent.name}, " if form.respondent else ""
                title = f"{form.survey.title} ({who}about {form.partner.name})"
            docs.append(Doc("form", form.base, title, role=self.view.role(form.role.id), form=form))
            docs.append(Doc("form-print", f"{form.base}.print", title, role=self.view.role(form.role.id), form=form))
        for role in self.view.roles:
            docs.append(Doc("handbook", f"handbooks/{safe_name(role.id)}", f"{name}: handbook for {plural(role.noun)}",
                            role=role))
        people = [p for p in self.people if p.role in self.view.role_map]
        for person, stem in zip(people, person_file_stems((p.id or p.name, p.role) for p in people)):
            docs.append(Doc("handbook", f"handbooks/people/{stem}", f"{name}: handbook for {person.name}",
                            role=self.view.role(person.role), person=person))
        return docs

    def _people(self) -> list[Person]:
        """Everyone in the pairs file, each pointed at their pair's calendar if the build writes it."""
        pairs = self.options.pairs
        if pairs is None:
            return []
        written = {c["path"] for c in self.calendars}
        paths = [f"calendars/{name}" for name in pair_file_names(pairs.matches)]
        people = people_from_pairs(pairs, self.program, [path if path in written else None for path in paths])
        # their own calendar (everything they attend), named like their handbook
        known = [p for p in people if p.role in self.program.roles]
        own = {id(p): f"calendars/people/{stem}.ics"
               for p, stem in zip(known, person_file_stems((p.id or p.name, p.role) for p in known))}
        return [replace(p, own_calendar=own[id(p)]) if own.get(id(p)) in written else p for p in people]

    def _calendar_links(self, paths: Iterable[str]) -> list[dict[str, Any]]:
        """Calendar files (as calendar_files names them, under calendars/) for the index to word."""
        roles_by_file = {safe_name(r.id): r for r in self.view.roles}
        # a pair's calendar is named after its match id; people read the members' names instead
        matches = self.options.pairs.matches if self.options.pairs is not None else []
        pair_names = {posixpath.basename(file).rsplit(".", 1)[0]: join_and([m.name for m in match.mentors + match.mentees])
                      for match, file in zip(matches, pair_file_names(matches))}
        people = [(m, r) for m, r, _ in people_of(matches) if r in self.program.roles]
        person_names = dict(zip(person_file_stems((m.id or m.name, r) for m, r in people), (m.name for m, _ in people)))
        links = []
        for path in paths:
            parts = path.split("/")
            name = parts[-1].rsplit(".", 1)[0]
            if len(parts) >= 2 and parts[-2] == "roles":
                role = roles_by_file.get(name)
                links.append({"kind": "role", "path": path, "label": role.label if role else name,
                              "noun": role.noun if role else name})
            elif len(parts) >= 2 and parts[-2] == "people":
                links.append({"kind": "person", "path": path, "label": person_names.get(name, "one person")})
            elif len(parts) >= 2 and parts[-2] == "pairs":
                links.append({"kind": "pair", "path": path, "label": pair_names.get(name, "one pair")})
            else:
                links.append({"kind": name, "path": path, "label": name})
        return links

    def outputs_of(self, doc: Doc) -> list[tuple[str, str]]:
        """(format, path) for each file this document is written as."""
        if doc.kind == "form":
            return [("html", f"{doc.base}.html")] if "html" in self.formats or "pdf" in self.formats else []
        if doc.kind == "form-print":
            result = []
            if "md" in self.formats:
                result.append(("md", f"{doc.form.base}.md"))  # type: ignore[union-attr]
            if "html" in self.formats:
                result.append(("html", f"{doc.base}.html"))
            if "pdf" in self.formats:
                result.append(("pdf", f"{doc.form.base}.pdf"))  # type: ignore[union-attr]
            return result
        return [(fmt, f"{doc.base}.{fmt}") for fmt in self.formats]

    def index_formats(self) -> list[str]:
        chosen: list[str] = [f for f in ("md", "html") if f in self.formats]
        return chosen or ["html"]

    # -- context -------------------------------------------------------------------------------
    def _meta(self) -> dict[str, str]:
        start = self.view.start.iso if self.view.start else "2000-01-01"
        return {"created": start, "modified": start, "lang": self.program.locale,
                "generator": "programdsl", "version": self.program.version,
                "paper": paper_size(self.program.locale)}

    def context(self, doc: Doc, fmt: str, here: str, target: str) -> dict[str, Any]:
        folder = posixpath.dirname(here)

        def link(path: str) -> str:
            return posixpath.relpath(path, folder or ".")

        role = doc.role
        guide = guide_for(self.guidance, self.program.type, role, self.facts) if role is not None else None
        if guide is not None and role is not None:
            partner = partner_words(self.program, role.id)  # {partner}: the other side, as this role reads it
            guide = Guide(_fill_all(guide.intro, partner), _fill_all(guide.sections, partner))
        role_forms = self.forms_for(role.id, doc.person) if role is not None else []
        return {
            "program": self.view,
            "doc": {"kind": doc.kind, "title": doc.title, "path": here, "format": fmt, "target": target},
            "meta": self._meta(),
            "w": self.words,
            "phrases": {"formats": FORMAT_PHRASES},
            "link": link,
            "role": role,
            "guide": guide,
            "form": doc.form,
            "forms": role_forms,
            "person": doc.person,
            "files": self._file_table(),
        }

    def forms_for(self, role_id: str, person: Person | None) -> list[formlib.FormView]:
        """A role's forms; for one person (with a pairs file), a form about each of their partners
        takes the place of the general form of a survey about each partner."""
        mine = [f for f in self.forms if f.role.id == role_id and f.partner is None]
        if person is None:
            return mine
        result = []
        for form in mine:
            about = [f for f in self.forms if form.about_partner and f.partner is not None and f.data == form.base
                     and f.owner == (person.id or person.name)]
            result.extend(about or [form])
        return result

    def _file_table(self) -> dict[str, Any]:
        """What was generated, for the index and for links between documents."""
        table: dict[str, Any] = {"charter": {}, "guides": {}, "handbooks": {}, "people": [], "forms": [],
                                 "calendars": self.calendars}
        for doc in self.docs:
            outputs = dict(self.outputs_of(doc))
            if doc.kind == "charter":
                table["charter"] = outputs
            elif doc.kind == "guide" and doc.role:
                table["guides"][doc.role.id] = outputs
            elif doc.kind == "handbook" and doc.person is None and doc.role:
                table["handbooks"][doc.role.id] = outputs
            elif doc.kind == "handbook" and doc.person is not None:
                table["people"].append({"person": doc.person, "files": outputs})
            elif doc.kind == "form" and doc.form:
                table["forms"].append({"form": doc.form, "fill": outputs.get("html")})
            elif doc.kind == "form-print" and doc.form:
                entry = table["forms"][-1]
                entry.update({"print": outputs.get("html"), "md": outputs.get("md"), "pdf": outputs.get("pdf"),
                              "json": f"{doc.form.data}.json", "csv": f"{doc.form.data}.csv",
                              "codebook": f"{doc.form.data}.codebook.csv", "xlsx": f"{doc.form.data}.xlsx"})
        return table

    # -- rendering -----------------------------------------------------------------------------
    def template_name(self, doc: Doc, fmt: str) -> str:
        if doc.kind == "form-print" and fmt == "md":
            return "form.md.j2"  # Markdown has one form document: the printable one
        return f"{doc.kind}.{fmt}.j2"

    def render_text(self, doc: Doc, fmt: str, here: str, target: str | None = None) -> str:
        name = self.template_name(doc, fmt)
        text = self.templates.render(name, self.context(doc, fmt, here, target or fmt))
        if fmt == "md":
            text = tidy_markdown(text)
        if TOC_MARKER in text:
            text = self._insert_toc(text, fmt, here)
        return tidy_markdown(text) if fmt == "md" else text

    def _insert_toc(self, text: str, fmt: str, here: str) -> str:
        body = text.split(TOC_MARKER, 1)[1]
        flat = _toc_entries_md(body) if fmt == "md" else _toc_entries_html(body)
        entries: list[dict[str, Any]] = []
        for entry in flat:
            if entry["level"] == 2 or not entries:
                entries.append({**entry, "children": []})
            else:
                entries[-1]["children"].append(entry)
        toc = self.templates.render(f"partials/toc.{fmt}.j2", {"entries": entries})
        return text.replace(TOC_MARKER, toc.rstrip("\n"), 1)

    def pdf_arguments(self, doc: Doc, here: str) -> tuple[str, bytes, int]:
        from .pdf import epoch, identifier

        html = self.render_text(doc, "html", here, target="pdf")
        start = self.view.start
        return (html, identifier(self.program.id, self.program.version, here),
                epoch(dt.date.fromisoformat(start.iso) if start else None))

    def jobs(self) -> list[Job]:
        jobs: list[Job] = []
        for doc in self.docs:
            for fmt, path in self.outputs_of(doc):
                jobs.append(self._job(doc, fmt, path))
            if doc.kind == "form" and doc.form is not None and doc.form.partner is None:
                jobs.append(Job(f"{doc.form.base}.json", run=self._form_data(doc.form)))
        for fmt in self.index_formats():
            index = Doc("index", "index", f"{self.view.name}: documents")
            jobs.append(self._job(index, fmt, f"index.{fmt}"))
        return jobs

    def _job(self, doc: Doc, fmt: str, path: str) -> Job:
        if fmt == "pdf":
            return Job(path, prepare=lambda: self.pdf_arguments(doc, path))
        return Job(path, run=lambda: {path: self.render_text(doc, fmt, path).encode("utf-8")})

    def _form_data(self, form: formlib.FormView) -> Callable[[], dict[str, bytes]]:
        def run() -> dict[str, bytes]:
            return {
                f"{form.base}.json": formlib.definition_json(self.program, form),
                f"{form.base}.csv": formlib.header_csv(form),
                f"{form.base}.codebook.csv": formlib.codebook_csv(form),
                f"{form.base}.xlsx": formlib.xlsform_bytes(self.program, form),
            }
        return run


def iter_jobs(program: Program, options: BuildOptions | None = None,
              calendars: Iterable[str] = (), schedule: ProgramSchedule | None = None) -> list[Job]:
    return DocumentBuild(program, options, calendars, schedule).jobs()


class BuildTooLarge(ValueError):
    """A build's files together would pass `limits.BUILD_OUTPUT_BYTES` (they are all held in
    memory until the last is made, so that a failure writes nothing)."""

    def __init__(self, label: str) -> None:
        super().__init__(f"the documents would be larger than {limits.BUILD_OUTPUT_BYTES:,} bytes together, the limit "
                         f"for one build (crossed at {label})")
        self.label = label


class _SizeCheck:
    """Counts the bytes a build holds, and stops it at `limits.BUILD_OUTPUT_BYTES`."""

    def __init__(self) -> None:
        self.total = 0

    def count(self, label: str, size: int) -> None:
        self.total += size
        if self.total > limits.BUILD_OUTPUT_BYTES:
            raise BuildTooLarge(label)

    def add(self, label: str, files: dict[str, bytes]) -> dict[str, bytes]:
        self.count(label, sum(len(data) for data in files.values()))
        return files


def run_jobs(jobs: list[Job], workers: int = 1,
             on_done: Callable[[Job], None] | None = None) -> dict[str, bytes]:
    """Run every job; PDF conversions go to `workers` processes when there are several.

    Files come back in the jobs' order whatever order the workers finish in, so the result does
    not depend on `workers`. A template error in any job raises before anything is returned.
    """
    produced: dict[str, dict[str, bytes]] = {}
    pdf_jobs: list[tuple[Job, tuple[str, bytes, int]]] = []
    size = _SizeCheck()
    with build_time_limit():  # every template rendered for this build shares one time limit
        for job in jobs:
            if job.run is not None:
                produced[job.label] = size.add(job.label, job.run())
                if on_done is not None:
                    on_done(job)
            elif job.prepare is not None:
                pdf_jobs.append((job, job.prepare()))
                size.count(job.label, len(pdf_jobs[-1][1][0]))  # the HTML a PDF is made from, held until converted
    if pdf_jobs:
        from .pdf import html_to_pdf

        pool = None
        if workers > 1 and len(pdf_jobs) > 1:
            try:
                from concurrent.futures import ProcessPoolExecutor

                pool = ProcessPoolExecutor(max_workers=min(workers, len(pdf_jobs)))
            except (ImportError, OSError, NotImplementedError):
                pool = None  # no process support here: convert in this process
        if pool is not None:
            with pool:
                futures = [(job, pool.submit(html_to_pdf, *args)) for job, args in pdf_jobs]
                for job, future in futures:
                    produced[job.label] = size.add(job.label, {job.label: future.result()})
                    if on_done is not None:
                        on_done(job)
        else:
            for job, args in pdf_jobs:
                produced[job.label] = size.add(job.label, {job.label: html_to_pdf(*args)})
                if on_done is not None:
                    on_done(job)
    files: dict[str, bytes] = {}
    for job in jobs:
        files.update(produced[job.label])
    return files


def render_documents(program: Program, options: BuildOptions | None = None,
                     calendars: Iterable[str] = (), schedule: ProgramSchedule | None = None,
                     workers: int = 1) -> dict[str, bytes]:
    """Every document for `program`, as relative path -> bytes, in a stable order.

    `calendars` are paths of calendar files written alongside (the index links them);
    `schedule` is the program's schedule if the caller has already built it.
    """
    return run_jobs(iter_jobs(program, options, calendars, schedule), workers)


__all__ = ["BuildOptions", "BuildTooLarge", "DOC_FORMATS", "DocumentBuild", "Job", "TemplateFailure", "render_documents", "run_jobs"]
