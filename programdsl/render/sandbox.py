"""The template sandbox: what a template may read, and how much work it may do.

Templates come from folders other people share, so they are treated as hostile:

- `FolderLoader` reads a template only as a regular file inside its templates folder. Names are
  paths relative to the folder; absolute names and `..` are refused, and a symlink (to a file or a
  folder) is followed only while it stays inside the folder.
- `Sandbox` is Jinja's sandbox (no Python internals: `__class__`, `__globals__` and friends are
  refused) with bounds on work: integer arguments that size things (widths, counts), repetition
  (`'a' * n`), powers, concatenation and every value a filter or call builds are checked before or
  right after they are made, and a document's whole output is capped.
- `deadline()` stops a render that runs longer than `limits.RENDER_SECONDS`, wherever it is looping.

The limits live in programdsl/limits.py (and docs/limits.md).
"""

from __future__ import annotations

import ctypes
import functools
import math
import os
import re
import stat
import string
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from .. import limits


class TemplateOutside(jinja2.TemplateError):
    """A template name or file the loader refuses: outside the folder, or not a regular file.
    Not a TemplateNotFound, so `ignore missing` cannot silence it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.reason = message


class TemplateLimit(Exception):
    """A template exceeded a bound on time, size or arithmetic. `where` is the template file and
    line when the raiser knows them better than the traceback does."""

    def __init__(self, message: str, where: tuple[str, int] | None = None) -> None:
        super().__init__(message)
        self.where = where


def _suspended_line(parts: Any) -> tuple[str, int] | None:
    """The template line a generator of output is paused at (the output itself is joined outside
    the template's frames, so the traceback cannot say)."""
    frame = getattr(parts, "gi_frame", None)
    if frame is None:
        return None
    template = frame.f_globals.get("__jinja_template__")
    if template is None or not template.filename:
        return None
    return template.filename, template.get_corresponding_lineno(frame.f_lineno)


def inside(path: str, root: str) -> bool:
    """Whether `path`, with every symlink resolved, is `root` or under it (`root` resolved too)."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def checked_file(root: str, relative: str) -> str | None:
    """`root/relative` if it exists; None if it does not. Raises TemplateOutside when it is a link
    leading out of `root` or not a regular file."""
    candidate = os.path.join(root, relative)
    if not os.path.lexists(candidate):
        return None
    if not inside(candidate, root):
        raise TemplateOutside(relative, f"{relative} is a link to a file outside the templates folder {root}; "
                                        "templates are read only from inside their folder")
    try:
        info = os.stat(candidate)
    except OSError as error:
        raise TemplateOutside(relative, f"{relative} cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise TemplateOutside(relative, f"{relative} is not a regular file")
    if info.st_size > limits.TEMPLATE_BYTES:
        raise TemplateOutside(relative, f"{relative} is {info.st_size:,} bytes, more than the "
                                        f"{limits.TEMPLATE_BYTES:,} a template may have")
    return candidate


class FolderLoader(jinja2.BaseLoader):
    """Templates from a list of folders, first match wins, never leaving a folder."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = [os.path.abspath(root) for root in roots]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template.startswith("/") or re.match(r"^[A-Za-z]:", template):
            raise TemplateOutside(template, f"'{template}' is an absolute path; include templates by their "
                                            "path inside the templates folder, e.g. 'partials/toc.md.j2'")
        if "\\" in template:
            raise TemplateOutside(template, f"'{template}' holds a backslash; write template paths with '/', "
                                            "e.g. 'partials/toc.md.j2'")
        if ".." in template.split("/"):
            raise TemplateOutside(template, f"'{template}' climbs out of the templates folder with '..'; "
                                            "include templates by their path inside the folder")
        relative = os.path.join(*split_template_path(template))
        for root in self.roots:
            path = checked_file(root, relative)
            if path is None:
                continue
            # Read what was checked: the resolved file, not following a link swapped in since.
            fd = os.open(os.path.realpath(path), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise TemplateOutside(template, f"{relative} is not a regular file")
                raw = handle.read(limits.TEMPLATE_BYTES + 1)
            try:
                source = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise TemplateOutside(template, f"{relative} is not UTF-8 text (byte {error.start})") from None
            mtime = os.path.getmtime(path)
            return source, path, lambda: os.path.exists(path) and os.path.getmtime(path) == mtime
        raise jinja2.TemplateNotFound(template)


# --- bounds on values -----------------------------------------------------------------------------

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def _too_big(what: str, size: int, limit: int) -> TemplateLimit:
    return TemplateLimit(f"{what} would be {size:,} characters or items long, more than the {limit:,} a template may build")


def bounded(value: Any) -> Any:
    """`value`, refused when it is a string or collection longer than limits.RENDER_OUTPUT, or an integer
    of more than limits.RENDER_INT_BITS bits."""
    if isinstance(value, _SIZED) and len(value) > limits.RENDER_OUTPUT:
        raise _too_big("a value", len(value), limits.RENDER_OUTPUT)
    if type(value) is int and value.bit_length() > limits.RENDER_INT_BITS:
        raise TemplateLimit(f"a number of {value.bit_length():,} bits is more than the {limits.RENDER_INT_BITS:,} a template may compute")
    return value


def _count(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limits.RENDER_COUNT:
        raise TemplateLimit(f"{what} {value:,} is more than the {limits.RENDER_COUNT:,} a template may use")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else len(str(value))


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent(template: str, arguments: Any) -> None:
    """`'%0999999999d' % 1` would allocate a gigabyte: widths and precisions must be counts."""
    star = False
    for match in _PERCENT_SPEC.finditer(template):
        for number in match.groups():
            if number == "*":
                star = True
            elif number:
                _count(int(number), "a width of")
    if star:
        for value in arguments if isinstance(arguments, tuple) else (arguments,):
            _count(value, "a width of")


def _check_format(template: str, args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    """`'{:>999999999}'.format(1)`: the same for str.format."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format will say what is wrong
    for _literal, _name, spec, _conversion in fields:
        for number in re.findall(r"\d+", spec or ""):
            _count(int(number), "a width of")
        if spec and "{" in spec:
            for value in [*args, *kwargs.values()]:
                _count(value, "a width of")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, _SIZED) and isinstance(times, int) and not isinstance(times, bool):
                if len(seq) * max(times, 0) > limits.RENDER_OUTPUT:
                    raise _too_big("the repetition", len(seq) * times, limits.RENDER_OUTPUT)
        if type(left) is int and type(right) is int and left.bit_length() + right.bit_length() > limits.RENDER_INT_BITS + 1:
            raise TemplateLimit(f"the product would have about {left.bit_length() + right.bit_length():,} bits, "
                                f"more than the {limits.RENDER_INT_BITS:,} a template may compute")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            bits = right * math.log2(abs(left))
            if bits > limits.RENDER_INT_BITS:
                raise TemplateLimit(f"{left} ** {right} would have about {bits:,.0f} bits, more than the "
                                    f"{limits.RENDER_INT_BITS:,} a template may compute")
    elif operator == "+":
        if isinstance(left, _SIZED) and isinstance(right, _SIZED) and len(left) + len(right) > limits.RENDER_OUTPUT:
            raise _too_big("the concatenation", len(left) + len(right), limits.RENDER_OUTPUT)
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)


def _check_growth(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Estimates for the string operations whose result can be far larger than their input."""
    every = [*args, *kwargs.values()]
    if name in ("center", "ljust", "rjust", "zfill", "expandtabs", "batch", "slice", "truncate", "wordwrap",
                "urlize", "indent", "lipsum"):
        for argument in every:
            _count(argument, "a size of")
    if not isinstance(value, str):
        if name == "extend" and isinstance(value, list) and args and isinstance(args[0], _SIZED):
            if len(value) + len(args[0]) > limits.RENDER_OUTPUT:
                raise _too_big("the list", len(value) + len(args[0]), limits.RENDER_OUTPUT)
        if name == "join" and isinstance(value, (list, tuple)):
            separator = args[0] if args and isinstance(args[0], str) else kwargs.get("d", "")
            size = sum(_length(x) for x in value) + max(len(value) - 1, 0) * len(str(separator))
            if size > limits.RENDER_OUTPUT:
                raise _too_big("the joined text", size, limits.RENDER_OUTPUT)
        return
    if name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        count = (value.count(old) if old else len(value) + 1)
        size = len(value) + count * (len(new) - len(old))
        if size > limits.RENDER_OUTPUT:
            raise _too_big("the replaced text", size, limits.RENDER_OUTPUT)
    elif name == "indent":
        width = args[0] if args else kwargs.get("width", 4)
        size = len(value) + (value.count("\n") + 1) * _length(width)
        if size > limits.RENDER_OUTPUT:
            raise _too_big("the indented text", size, limits.RENDER_OUTPUT)
    elif name == "wordwrap":
        wrap = kwargs.get("wrapstring") or (args[2] if len(args) > 2 and isinstance(args[2], str) else "\n")
        size = len(value) + (len(value) + 1) * len(str(wrap))
        if size > limits.RENDER_OUTPUT:
            raise _too_big("the wrapped text", size, limits.RENDER_OUTPUT)
    elif name == "join":
        if len(value) * (sum(_length(x) for x in args[0]) if args and isinstance(args[0], (list, tuple)) else 0) > limits.RENDER_OUTPUT:
            raise _too_big("the joined text", len(value) * sum(_length(x) for x in args[0]), limits.RENDER_OUTPUT)
    elif name in ("format", "format_map"):
        _check_format(value, args, kwargs)


def bounded_range(*args: int) -> range:
    """`range`, refused past limits.RENDER_COUNT values."""
    values = range(*args)
    if len(values) > limits.RENDER_COUNT:
        raise TemplateLimit(f"range() of {len(values):,} values is more than the {limits.RENDER_COUNT:,} a template may use")
    return values


def guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter checked before it runs (size arguments, growth) and after (the value it built)."""
    passes_first = hasattr(function, "jinja_pass_arg")

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        rest = args[1:] if passes_first else args
        if rest:
            if name == "format" and isinstance(rest[0], str):
                _check_percent(rest[0], tuple(rest[1:]) if len(rest) > 2 else (rest[1] if len(rest) > 1 else ()))
            else:
                _check_growth(name, rest[0], tuple(rest[1:]), kwargs)
        return bounded(function(*args, **kwargs))

    return guarded


class _BoundedCodeGenerator(CodeGenerator):
    """`a ~ b` is compiled to a join Jinja does not route through the sandbox; check its result."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with the bounds described in the module's docstring."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range

    @staticmethod
    def bounded(value: Any) -> Any:
        return bounded(value)

    def concat(self, parts: Iterable[str]) -> str:
        """The join of a document's (or a `{% set %}` block's) output, stopped at limits.RENDER_OUTPUT."""
        kept: list[str] = []
        size = 0
        for part in parts:
            size += len(part)
            if size > limits.RENDER_OUTPUT:
                raise TemplateLimit(f"the output is longer than the {limits.RENDER_OUTPUT:,} characters a document may have",
                                    _suspended_line(parts))
            kept.append(part)
        return "".join(kept)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return bounded(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # str.format comes wrapped by the sandbox; the string is the wrapped method's owner.
        owner = getattr(__obj, "__self__", None) or getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, _SIZED):
            _check_growth(name, owner, args, kwargs)
        elif name == "generate_lorem_ipsum" or name == "lipsum":
            for argument in [*args, *kwargs.values()]:
                _count(argument, "a size of")
        return bounded(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))


# --- time -------------------------------------------------------------------------------------------

try:
    _set_async_exc: Any = ctypes.pythonapi.PyThreadState_SetAsyncExc
    _set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
except (AttributeError, ValueError):  # not CPython: renders are bounded by size only
    _set_async_exc = None


class RenderTimeout(BaseException):
    """Raised inside the rendering thread when its time is up (a BaseException, so nothing a
    template calls can swallow it). Its traceback runs through the template's frames, so the
    caller can name the line that was running."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the calling thread's work with RenderTimeout once `seconds` have passed.

    A timer thread raises the exception asynchronously in this thread: that stops pure-Python
    loops (nested `range` loops in a template) wherever they are. The lock makes sure it is never
    delivered after the block has ended: one fired too late to arrive is cleared."""
    if _set_async_exc is None:
        yield
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, RenderTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            fired = state["fired"]
        timer.cancel()
        if fired:
            _set_async_exc(target, ctypes.py_object())  # clear it if it has not arrived yet
