"""Jinja environments for the document templates, and errors that name the template and line.

Templates are looked up first in the user's `--templates DIR`, then in the shipped `templates/`,
so a user overrides any single file by giving one of the same name. Every template, shipped or
not, runs in the sandbox of `sandbox.py` with `StrictUndefined`: a template can read what it is
given, and only files inside its folder, but cannot reach Python internals or run without bound,
and a misspelt variable is an error rather than an empty string.
HTML templates (`*.html.j2`) autoescape; Markdown templates escape through `md_finalize`.
"""

from __future__ import annotations

import contextvars
import os
import re
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .. import diagnostics as d
from .. import limits
from ..resources import templates_dir
from .sandbox import FolderLoader, RenderTimeout, Sandbox, TemplateLimit, TemplateOutside, checked_file, deadline, guard_filter
from .escape import MdSafe, is_plain_email, md_escape, md_finalize
from . import words

FORMATS = ("md", "html")


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; says which file, which line, and why (with a
    stable code for the sandbox's refusals and limits)."""

    def __init__(self, file: str, line: int | None, message: str, code: d.Code | None = None) -> None:
        file, message = _shown(file), _without_shipped_folder(message)
        where = f"{file}:{line}:" if line else f"{file}:"
        super().__init__(f"{where} error[{code.code}]: {message}" if code else f"{where} {message}")
        self.file = file
        self.line = line
        self.message = message
        self.code = code.code if code else None


SHIPPED = "<shipped>"  # how messages name the shipped templates folder: where it is installed is nobody's business


def _shown(file: str) -> str:
    """A template's path as a message shows it: a shipped template as `<shipped>/NAME`, a user
    template relative to the working directory (as compilers do)."""
    from ..api import display_path

    if not os.path.isabs(file):
        return file
    shipped = os.path.abspath(templates_dir())
    if os.path.abspath(file).startswith(shipped + os.sep):
        return f"{SHIPPED}/" + os.path.relpath(os.path.abspath(file), shipped).replace(os.sep, "/")
    return display_path(file)


def _without_shipped_folder(message: str) -> str:
    from ..api import without_install_paths

    return without_install_paths(message.replace(os.path.abspath(templates_dir()), SHIPPED))


def _md_raw(value: Any) -> MdSafe:
    """Mark text a template built itself as finished Markdown (no further escaping)."""
    return MdSafe(value)


def _md_cell(value: Any) -> MdSafe:
    """Text for a Markdown table cell: escaped, with pipes and line breaks made harmless."""
    return MdSafe(md_escape(value))


def _ends_sentence(value: Any) -> bool:
    """Whether text already ends with a full stop, question or exclamation mark (so adding one
    would double it: "How was your conversation?.")."""
    return str(value).rstrip().endswith((".", "?", "!", "…"))


def _role_nouns(refs: Any, me: Any = None) -> str:
    """Roles as plural nouns, each once: "reverse mentors and supervision facilitators". Two roles
    with one label (peer partners on both sides) are named once; the reader's own role (`me`) is
    "other reverse mentors"."""
    nouns = list(dict.fromkeys(str(getattr(r, "noun", "") or getattr(r, "label", r)) for r in refs))
    mine = getattr(me, "noun", None)
    return words.join_and([("other " if noun == mine else "") + words.plural(noun) for noun in nouns])


def _html_id(value: Any) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-") or "section"


@dataclass(frozen=True)
class Templates:
    """The two environments (Markdown and HTML) sharing one loader."""

    md: SandboxedEnvironment
    html: SandboxedEnvironment
    search_path: tuple[str, ...]

    def env(self, fmt: str) -> SandboxedEnvironment:
        return self.md if fmt == "md" else self.html

    def source_of(self, name: str) -> str:
        """The file `name` is read from: the first folder that has it, checked like a template
        (inside its folder, a regular file); `name` itself when no folder has it."""
        for root in self.search_path:
            try:
                found = checked_file(root, name)
            except TemplateOutside as error:
                raise TemplateFailure(os.path.join(root, name), None, error.reason, d.TEMPLATE_OUTSIDE) from None
            if found is not None:
                return found
        return name

    def render(self, name: str, context: dict[str, Any]) -> str:
        env = self.env("md" if name.endswith(".md.j2") else "html")
        seconds, whole_build = _time_for_one_document()
        if seconds <= 0:
            raise TemplateFailure(self.source_of(name), None, _BUILD_TOO_LONG.format(limits.BUILD_RENDER_SECONDS),
                                  d.TEMPLATE_LIMIT)
        try:
            with deadline(seconds):
                template = env.get_template(name)
                text = template.render(context)
        except TemplateFailure:
            raise
        except TemplateOutside as error:
            file, line = self._locate(error, name)
            raise TemplateFailure(file, line, error.reason, d.TEMPLATE_OUTSIDE) from None
        except TemplateLimit as error:
            file, line = error.where or self._locate(error, name)
            raise TemplateFailure(file, line, str(error), d.TEMPLATE_LIMIT) from None
        except RenderTimeout as error:
            file, line = _running_line(error) or self._locate(error, name)
            message = (_BUILD_TOO_LONG.format(limits.BUILD_RENDER_SECONDS) if whole_build else
                       f"rendering took longer than {limits.RENDER_SECONDS:g} seconds, the limit for one document")
            raise TemplateFailure(file, line, message, d.TEMPLATE_LIMIT) from None
        except SecurityError as error:
            file, line = self._locate(error, name)
            raise TemplateFailure(file, line, f"{error} - not allowed in a template (sandbox)", d.TEMPLATE_SANDBOX) from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateFailure(error.filename or self.source_of(error.name or name), error.lineno,
                                  f"template syntax error: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise TemplateFailure(self.source_of(name), self._line_in_templates(error),
                                  f"template not found: {error.name}") from None
        except Exception as error:  # UndefinedError, TypeError in a filter, ...
            file, line = self._locate(error, name)
            if isinstance(error, (OverflowError, MemoryError, RecursionError)):  # range() too big, deep recursion
                raise TemplateFailure(file, line, f"{error}", d.TEMPLATE_LIMIT) from None
            raise TemplateFailure(file, line, f"{type(error).__name__}: {error}") from None
        return text if text.endswith("\n") else text + "\n"

    def _frames(self, error: BaseException) -> list[traceback.FrameSummary]:
        roots = tuple(os.path.abspath(r) + os.sep for r in self.search_path)
        return [f for f in traceback.extract_tb(error.__traceback__)
                if os.path.abspath(f.filename).startswith(roots)]

    def _line_in_templates(self, error: BaseException) -> int | None:
        frames = self._frames(error)
        return frames[-1].lineno if frames else None

    def _locate(self, error: BaseException, name: str) -> tuple[str, int | None]:
        frames = self._frames(error)
        if frames:
            return frames[-1].filename, frames[-1].lineno
        return self.source_of(name), None


# When the current build's rendering must end (time.monotonic()), or None outside a build.
_BUILD_ENDS: contextvars.ContextVar[float | None] = contextvars.ContextVar("build_ends", default=None)
_BUILD_TOO_LONG = ("rendering the build's documents took longer than {:g} seconds together, the limit for one build; "
                   "make the templates do less work per document")


@contextmanager
def build_time_limit() -> Iterator[None]:
    """Bound the rendering of a whole build by `limits.BUILD_RENDER_SECONDS`: each document still
    has `limits.RENDER_SECONDS`, but no more than what is left of the build's time, so a templates
    folder whose every document runs just under its own limit cannot make a build take hours."""
    if _BUILD_ENDS.get() is not None:  # a build inside a build keeps the outer limit
        yield
        return
    token = _BUILD_ENDS.set(time.monotonic() + limits.BUILD_RENDER_SECONDS)
    try:
        yield
    finally:
        _BUILD_ENDS.reset(token)


def _time_for_one_document() -> tuple[float, bool]:
    """Seconds the next document may render, and whether the build's limit (not the document's) sets them."""
    ends = _BUILD_ENDS.get()
    if ends is None or ends - time.monotonic() >= limits.RENDER_SECONDS:
        return limits.RENDER_SECONDS, False
    return max(ends - time.monotonic(), 0.0), True


def _running_line(error: BaseException) -> tuple[str, int] | None:
    """The template file and line that was running when `error` interrupted it. Jinja maps its
    compiled code's lines back to the template's only for the exceptions it catches itself; a
    timeout passes by it, so map the innermost template frame here."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return found


VIEW_TYPES: set[type] = set()


def view_type(cls: type) -> type:
    """Register a class whose public attributes templates may read without the sandbox's slow checks.

    Only for programdsl's own plain data classes: their public attributes are data, properties and
    methods written for templates. Names starting with `_` still go through the full checks.
    """
    VIEW_TYPES.add(cls)
    return cls


class ViewSandbox(Sandbox):
    """The bounded sandbox, with a fast path for attributes of programdsl's own view objects."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if type(obj) in VIEW_TYPES and not attr.startswith("_"):
            return True
        return bool(super().is_safe_attribute(obj, attr, value))


def _environment(loader: jinja2.BaseLoader, fmt: str) -> SandboxedEnvironment:
    env = ViewSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=fmt == "html",
        finalize=md_finalize if fmt == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"],
    )
    env.filters["md_raw"] = _md_raw
    env.filters["md_cell"] = _md_cell
    env.filters["html_id"] = _html_id
    env.tests["plain_email"] = is_plain_email  # {% if c.email is plain_email %}: safe to link with mailto:
    # grammar for sentences built from the file's values (render/words.py)
    env.filters["duration"] = words.duration  # 90 -> "1 hour 30 minutes"
    env.filters["about"] = words.approximate_duration  # 870 -> "about 14½ hours"
    env.filters["about_range"] = words.approximate_range  # (270, 360) -> "about 4½ to 6 hours"
    env.filters["session_length"] = words.length  # 60 -> "1 hour"; (60, 45) -> "45-60 minutes"
    env.filters["times"] = words.times  # 1 -> "once", 3 -> "three times"
    env.filters["number_word"] = words.number_word  # 2 -> "two"
    env.filters["a"] = words.with_article  # "executive partner" -> "an executive partner"
    env.filters["plural"] = words.plural
    env.filters["join_and"] = words.join_and
    env.filters["capitalise"] = words.capitalise
    env.filters["role_nouns"] = _role_nouns  # roles|role_nouns(role) -> "other reverse mentors and ..."
    env.tests["ends_sentence"] = _ends_sentence  # {{ title }}{% if title is not ends_sentence %}.{% endif %}
    env.filters = {name: guard_filter(name, function) for name, function in env.filters.items()}
    env.globals.pop("lipsum", None)  # placeholder text has no place in a participant's document
    return env


@lru_cache(maxsize=8)
def _cached(search_path: tuple[str, ...], mtimes: tuple[float, ...]) -> Templates:
    loader = FolderLoader(search_path)
    return Templates(_environment(loader, "md"), _environment(loader, "html"), search_path)


def _tree_mtime(root: str) -> float:
    latest = 0.0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            try:
                latest = max(latest, os.stat(os.path.join(folder, name)).st_mtime)
            except OSError:
                pass
    return latest


def load_templates(user_dir: str | os.PathLike[str] | None = None) -> Templates:
    """The template set: `user_dir` (if given) in front of the shipped templates.

    Environments are reused across builds in one process (compiled templates are the expensive
    part); a change to any template file gives fresh ones.
    """
    roots = ([os.path.abspath(user_dir)] if user_dir is not None else []) + [str(templates_dir())]
    return _cached(tuple(roots), tuple(_tree_mtime(r) for r in roots))

