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
    handbooks/<role>.{md,html,pdf}                charter + guide + schedule + forms, with contents
    handbooks/people/<person>.{md,html,pdf}       with a pairs file: one per matched person
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

from ..model import Program
from ..output import safe_name
from ..pairs import PairsFile
from ..schedule import ProgramSchedule
from . import forms as formlib
from .context import RoleView, View, build_view
from .escape import MdSafe, tidy_markdown
from .templating import Templates, TemplateFailure, load_templates, view_type

DOC_FORMATS = ("md", "html", "pdf")
GUIDANCE_FILE = "guidance.yaml"
TOC_MARKER = "<!-- programdsl:toc -->"


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


@view_type
@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str | None
    role: str
    match_id: str
    partners: tuple[Partner, ...]
    explanation: tuple[str, ...]
    status: str
    calendar: str | None = None  # the pair's own calendar file, when one is written alongside


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


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _guidance_sections(value: Any) -> list[dict[str, Any]]:
    """Sections as templates expect them: a title, paragraphs and tips (both lists, maybe empty)."""
    return [{"title": str(s.get("title", "")), "text": _as_list(s.get("text")), "tips": _as_list(s.get("tips"))}
            for s in (value or []) if isinstance(s, dict)]


US_SPELLING = ("en-US", "en-CA", "en-PH")


def spelling(locale: str) -> dict[str, str]:
    """Words spelt differently across English locales; templates write `{{ w.programme }}`."""
    us = locale in US_SPELLING or (locale.startswith("en-") and locale.split("-")[-1] in ("US", "CA", "PH"))
    words = {"programme": "program", "organisation": "organization", "prioritise": "prioritize",
             "recognise": "recognize", "behaviour": "behavior", "practise": "practice", "centre": "center"} if us else {
        "programme": "programme", "organisation": "organisation", "prioritise": "prioritise",
        "recognise": "recognise", "behaviour": "behaviour", "practise": "practise", "centre": "centre"}
    words.update({k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in list(words.items())})
    return words


def _fill(text: Any, words: dict[str, str]) -> Any:
    """`{programme}` and the other spelling placeholders in guidance text, for the program's locale."""
    if not isinstance(text, str) or "{" not in text:
        return text
    return re.sub(r"\{([A-Za-z]+)\}", lambda m: words.get(m.group(1), m.group(0)), text)


def _fill_all(value: Any, words: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill_all(v, words) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_all(v, words) for v in value]
    return _fill(value, words)


def guide_for(guidance: dict[str, Any], program_type: str, role: RoleView) -> Guide:
    """The wording for one role's guide: the type's sections for this kind of role, then the common ones."""
    kinds = [role.kind, "both"] if role.kind in ("mentor", "mentee") else [role.kind]
    own = guidance.get("types", {}).get(program_type, {})
    intro_table = own.get("intro", {})
    intro = intro_table.get(role.kind) or intro_table.get("both") or intro_table.get("other") or ()
    sections: list[dict[str, Any]] = []
    for kind in kinds:
        sections += _guidance_sections(own.get("sections", {}).get(kind))
    for kind in kinds:
        sections += _guidance_sections(guidance.get("common", {}).get(kind))
    return Guide(tuple([intro] if isinstance(intro, str) else intro), tuple(sections))


def people_from_pairs(pairs: PairsFile, program: Program) -> list[Person]:
    """Everyone in a pairs file, each with the partners they were matched with."""
    labels = {rid: r.label for rid, r in program.roles.items()}
    people: list[Person] = []
    for match in pairs.matches:
        members = [(m, "mentor") for m in match.mentors] + [(m, "mentee") for m in match.mentees]
        for member, role in members:
            partners = tuple(
                Partner(other.name, other.email, other_role, labels.get(other_role, other_role))
                for other, other_role in members if other_role != role
            )
            people.append(Person(member.id, member.name, member.email, role, match.id, partners,
                                 match.explanation, pairs.status))
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
    """guidance.yaml, parsed once per version of the file (callers must not modify the result)."""
    if not os.path.isfile(path):
        raise TemplateFailure(GUIDANCE_FILE, None, "file not found in the template directories")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise TemplateFailure(path, mark.line + 1 if mark else None, f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise TemplateFailure(path, 1, "expected a mapping with types, common and agendas")
    return data


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
        self.guidance = _fill_all(self._load_guidance(), self.words)
        self.view: View = build_view(program, self.guidance, schedule)
        self.forms = formlib.form_views(program, self.view)
        self.calendars = self._calendar_links(calendars)
        self.people = self._with_calendars(people_from_pairs(self.options.pairs, program)) if self.options.pairs else []
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
        name = self.view.name
        docs = [Doc("charter", "charter", f"{name}: charter")]
        for role in self.view.roles:
            docs.append(Doc("guide", f"guides/{role.id}", f"{name}: guide for {role.label}", role=role))
        for form in self.forms:
            title = f"{form.survey.title} ({form.role.label})"
            docs.append(Doc("form", form.base, title, role=self.view.role(form.role.id), form=form))
            docs.append(Doc("form-print", f"{form.base}.print", title, role=self.view.role(form.role.id), form=form))
        for role in self.view.roles:
            docs.append(Doc("handbook", f"handbooks/{role.id}", f"{name}: handbook for {role.label}", role=role))
        used: set[str] = set()
        for person in self.people:
            if person.role not in self.view.role_map:
                continue
            stem = safe_name(person.id or person.name)
            while stem in used:
                stem = safe_name(f"{stem}-{person.match_id}")
            used.add(stem)
            docs.append(Doc("handbook", f"handbooks/people/{stem}", f"{name}: handbook for {person.name}",
                            role=self.view.role(person.role), person=person))
        return docs

    def _with_calendars(self, people: list[Person]) -> list[Person]:
        """Point each person at their pair's calendar, if the build writes it."""
        try:
            from .calendar import pair_file_name
        except ImportError:
            return people
        written = {c["path"] for c in self.calendars}
        matches = {m.id: m for m in self.options.pairs.matches} if self.options.pairs else {}
        result = []
        for person in people:
            path = f"calendars/{pair_file_name(matches[person.match_id])}" if person.match_id in matches else None
            result.append(replace(person, calendar=path) if path in written else person)
        return result

    def _calendar_links(self, paths: Iterable[str]) -> list[dict[str, Any]]:
        """Calendar files (as calendar_files names them, under calendars/) for the index to word."""
        links = []
        for path in paths:
            parts = path.split("/")
            name = parts[-1].rsplit(".", 1)[0]
            if len(parts) >= 2 and parts[-2] == "roles":
                role = self.view.role_map.get(name)
                links.append({"kind": "role", "path": path, "label": role.label if role else name})
            elif len(parts) >= 2 and parts[-2] == "pairs":
                links.append({"kind": "pair", "path": path, "label": name})
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
                "generator": "programdsl", "version": self.program.version}

    def context(self, doc: Doc, fmt: str, here: str, target: str) -> dict[str, Any]:
        folder = posixpath.dirname(here)

        def link(path: str) -> str:
            return posixpath.relpath(path, folder or ".")

        role = doc.role
        guide = guide_for(self.guidance, self.program.type, role) if role is not None else None
        role_forms = [f for f in self.forms if role is not None and f.role.id == role.id]
        return {
            "program": self.view,
            "doc": {"kind": doc.kind, "title": doc.title, "path": here, "format": fmt, "target": target},
            "meta": self._meta(),
            "w": self.words,
            "link": link,
            "role": role,
            "guide": guide,
            "form": doc.form,
            "forms": role_forms,
            "person": doc.person,
            "files": self._file_table(),
        }

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
                              "json": f"{doc.form.base}.json", "csv": f"{doc.form.base}.csv",
                              "codebook": f"{doc.form.base}.codebook.csv"})
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

    def render_pdf(self, doc: Doc, here: str) -> bytes:
        from .pdf import html_to_pdf

        return html_to_pdf(*self.pdf_arguments(doc, here))

    def jobs(self) -> list[Job]:
        jobs: list[Job] = []
        for doc in self.docs:
            for fmt, path in self.outputs_of(doc):
                jobs.append(self._job(doc, fmt, path))
            if doc.kind == "form" and doc.form is not None:
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
            }
        return run


def iter_jobs(program: Program, options: BuildOptions | None = None,
              calendars: Iterable[str] = (), schedule: ProgramSchedule | None = None) -> list[Job]:
    return DocumentBuild(program, options, calendars, schedule).jobs()


def run_jobs(jobs: list[Job], workers: int = 1,
             on_done: Callable[[Job], None] | None = None) -> dict[str, bytes]:
    """Run every job; PDF conversions go to `workers` processes when there are several.

    Files come back in the jobs' order whatever order the workers finish in, so the result does
    not depend on `workers`. A template error in any job raises before anything is returned.
    """
    produced: dict[str, dict[str, bytes]] = {}
    pdf_jobs: list[tuple[Job, tuple[str, bytes, int]]] = []
    for job in jobs:
        if job.run is not None:
            produced[job.label] = job.run()
            if on_done is not None:
                on_done(job)
        elif job.prepare is not None:
            pdf_jobs.append((job, job.prepare()))
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
                    produced[job.label] = {job.label: future.result()}
                    if on_done is not None:
                        on_done(job)
        else:
            for job, args in pdf_jobs:
                produced[job.label] = {job.label: html_to_pdf(*args)}
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


__all__ = ["BuildOptions", "DOC_FORMATS", "DocumentBuild", "Job", "TemplateFailure", "render_documents", "run_jobs"]
