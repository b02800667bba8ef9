"""YAML text -> plain data plus the position of every key and value.

PyYAML's own loaders lose positions, keep the last of two duplicate keys, and expand aliases
without bound. This loader builds the data itself from the parser's events (the C parser when
it is available), so it can keep a position for every value, report duplicates, refuse unsafe
tags and stop alias bombs and deep nesting before they cost anything. The event loop is
iterative: no input can exhaust the Python stack.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from . import diagnostics as d
from . import limits
from .diagnostics import Diagnostic, Span

# The values in force are read from `limits` each time (tests lower them there); these names
# stay for readers of this module.
MAX_FILE_BYTES = limits.PROGRAM_BYTES
MAX_DEPTH = limits.NESTING
MAX_NODES = limits.PROGRAM_VALUES
MAX_NUMBER_CHARS = 40

_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
try:
    from yaml import cyaml

    _C_PARSER: Any = getattr(cyaml, "CParser", None)
except ImportError:  # PyYAML built without libyaml
    _C_PARSER = None
_TAG = "tag:yaml.org,2002:"


class Loc:
    """Where a value sits in its source: `span` is the value, `key` the key that introduced it,
    `children` the positions of a mapping's members (by key) or a list's items (by index)."""

    __slots__ = ("span", "key", "children", "raw")

    def __init__(
        self,
        span: Span,
        key: Span | None = None,
        children: dict[str, "Loc"] | list["Loc"] | None = None,
        raw: str | None = None,
    ) -> None:
        self.span = span
        self.key = key
        self.children = children
        # The source text of a plain scalar that YAML read as something other than a string
        # (NO -> false, 1.10 -> 1.1): lets errors suggest quoting it.
        self.raw = raw

    def child(self, step: Any) -> "Loc | None":
        children = self.children
        if isinstance(children, dict):
            return children.get(step) if isinstance(step, str) else None
        if isinstance(children, list) and isinstance(step, int) and 0 <= step < len(children):
            return children[step]
        return None

    def find(self, path: tuple[Any, ...]) -> tuple["Loc", int]:
        """The deepest position along `path`, and how many steps of the path it covers."""
        loc, depth = self, 0
        for step in path:
            nxt = loc.child(step)
            if nxt is None:
                break
            loc, depth = nxt, depth + 1
        return loc, depth


@dataclass
class Document:
    """One loaded file: its data, positions and the problems met while reading it."""

    file: str
    data: Any = None
    loc: Loc | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.loc is not None and not any(x.severity is d.Severity.ERROR for x in self.diagnostics)


class _Fatal(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


_RESOLVER = yaml.resolver.Resolver()
_CTOR = SafeConstructor()
_SCALAR_BUILDERS = {
    _TAG + "int": SafeConstructor.construct_yaml_int,
    _TAG + "float": SafeConstructor.construct_yaml_float,
}
_resolved_tags: dict[str, str] = {}


def _span(file: str, mark: Any) -> Span:
    return Span(file, mark.line + 1, mark.column + 1)


def _tag_problem(file: str, tag: str, mark: Any) -> Diagnostic:
    shown = tag.replace(_TAG, "!!")
    if "python/" in tag:
        message = f"the tag {shown} asks YAML to build a Python object; programdsl never loads those"
    else:
        message = f"the tag {shown} is not supported in program files"
    return d.YAML_UNSAFE_TAG.at(
        _span(file, mark), message, hint="remove the tag and write the value as plain YAML (strings, numbers, lists, mappings)"
    )


def _tag_value_problem(file: str, tag: str, value: str, mark: Any) -> Diagnostic:
    shown = tag.replace(_TAG, "!!")
    return d.YAML_SYNTAX.at(_span(file, mark), f"the tag {shown} does not fit the value {value!r}",
                            hint=f"remove {shown} and write the value plainly")


def _scalar(file: str, event: ScalarEvent) -> tuple[Any, Loc]:
    span = _span(file, event.start_mark)
    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        plain = event.implicit[0]
        tag = _resolved_tags.get(value) if plain else None
        if tag is None:
            tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
            if plain and len(_resolved_tags) < 4096:  # program files repeat their plain values a lot
                _resolved_tags[value] = tag
    if tag == _TAG + "str" or tag == _TAG + "value":
        return value, Loc(span)
    if tag == _TAG + "timestamp":
        # Dates stay text: the schema checks they are real calendar dates and points at them.
        return value, Loc(span)
    if tag == _TAG + "null":
        return None, Loc(span, raw=value)
    if tag == _TAG + "bool":
        flag = _CTOR.bool_values.get(value.lower())
        if flag is None:  # only an explicit `!!bool` tag can get here
            raise _Fatal(_tag_value_problem(file, tag, value, event.start_mark))
        return flag, Loc(span, raw=value)
    if tag in _SCALAR_BUILDERS:
        if len(value) > MAX_NUMBER_CHARS:
            raise _Fatal(d.YAML_NUMBER.at(span, f"the number {value[:20]}... has {len(value)} characters",
                                          hint="programs need no number this large; check the value"))
        if tag == _TAG + "int" and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value), Loc(span, raw=value)  # plain decimal: YAML 1.1 reads a leading 0 as octal
        try:
            built = _SCALAR_BUILDERS[tag](_CTOR, ScalarNode(tag, value))
        except (ValueError, IndexError):  # an explicit `!!int` or `!!float` on text that is not one
            raise _Fatal(_tag_value_problem(file, tag, value, event.start_mark)) from None
        if isinstance(built, float) and not math.isfinite(built):
            raise _Fatal(d.YAML_NUMBER.at(span, f"{value} is not a finite number",
                                          hint="write the number itself; .nan and .inf mean nothing in a program"))
        return built, Loc(span, raw=value)
    if tag == _TAG + "merge":
        return _MERGE, Loc(span)
    raise _Fatal(_tag_problem(file, tag, event.start_mark))


class _MergeKey:
    pass


_MERGE = _MergeKey()
_COLLECTION_TAGS = {None, "!", _TAG + "map", _TAG + "seq"}


class _Frame:
    __slots__ = ("data", "locs", "loc", "anchor", "nodes", "key", "key_span", "merges")

    def __init__(self, data: dict[str, Any] | list[Any], loc: Loc, anchor: str | None) -> None:
        self.data = data
        self.locs: dict[str, Loc] | list[Loc] = {} if isinstance(data, dict) else []
        loc.children = self.locs
        self.loc = loc
        self.anchor = anchor
        self.nodes = 1
        self.key: Any = None
        self.key_span: Span | None = None
        self.merges: list[tuple[dict[str, Any], Loc]] = []


def parse(text: str, file: str, max_values: int | None = None) -> Document:
    """Build data and positions from YAML text. Never raises for bad input. `max_values` bounds
    what the document may expand to, aliases included (default: `limits.PROGRAM_VALUES`)."""
    doc = Document(file=file, text=text)
    try:
        doc.data, doc.loc = _build(text, file, doc.diagnostics, max_values or limits.PROGRAM_VALUES)
    except _Fatal as fatal:
        doc.diagnostics.append(fatal.diagnostic)
        doc.data, doc.loc = None, None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = (error.problem or "malformed YAML").strip()
        problem = _tab_problem(file, text, mark, message) if mark is not None else None
        if problem is None:
            if error.context:
                message = f"{message} ({error.context.strip()})"
            span = _span(file, mark) if mark is not None else Span(file, 1, 1)
            problem = d.YAML_SYNTAX.at(span, message, hint="check indentation, quoting and that every ':' is followed by a space")
        doc.diagnostics.append(problem)
        doc.data, doc.loc = None, None
    except yaml.YAMLError as error:  # reader errors: characters YAML does not allow
        position = getattr(error, "position", 0) or 0
        if _C_PARSER is not None and issubclass(_PARSER, _C_PARSER):
            # libyaml counts bytes of the UTF-8 text; PyYAML (and Span) count characters.
            position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        doc.diagnostics.append(
            d.YAML_SYNTAX.at(_offset_span(file, text, position), str(error).splitlines()[0],
                             hint="remove control characters from the file")
        )
        doc.data, doc.loc = None, None
    return doc


def _tab_problem(file: str, text: str, mark: Any, message: str) -> Diagnostic | None:
    """A tab where YAML needs spaces. The parsers word this as "found character that cannot
    start any token" or "a tab character that violates indentation"; say what it is instead."""
    lines = _LINE_BREAK.split(text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    column = mark.column
    if line[column:column + 1] != "\t":
        if "tab" not in message or "\t" not in line:
            return None
        column = line.index("\t")
    span = Span(file, mark.line + 1, column + 1)
    if not line[:column].strip(" \t"):
        return d.YAML_SYNTAX.at(span, "a tab indents this line, but YAML indents with spaces only",
                                hint="replace the tab with spaces, and set your editor to indent YAML files with spaces")
    return d.YAML_SYNTAX.at(span, "a tab where YAML needs a space",
                            hint="replace the tab with a space; if the tab belongs to the value, put the value in quotes")


def _build(text: str, file: str, problems: list[Diagnostic], max_nodes: int) -> tuple[Any, Loc | None]:
    max_depth = limits.NESTING
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, Loc, int]] = {}
    result: tuple[Any, Loc | None] = (None, None)
    documents = 0
    expanded = 0

    def emit(value: Any, loc: Loc, size: int, at: Span | None = None) -> None:
        nonlocal result, expanded
        expanded += size
        if expanded > max_nodes:
            raise _Fatal(d.YAML_ALIAS_LIMIT.at(
                at or loc.span, f"the document expands to more than {max_nodes:,} values",
                hint="remove aliases that repeat large parts of the file; program files never need this many values"))
        if value is _MERGE and not (stack and isinstance(stack[-1].data, dict) and stack[-1].key_span is None):
            value = "<<"  # `<<` merges only as a key; anywhere else it is plain text
        if not stack:
            result = (value, loc)
            return
        frame = stack[-1]
        frame.nodes += size
        if isinstance(frame.data, list):
            frame.data.append(value)
            frame.locs.append(loc)  # type: ignore[union-attr]
            return
        if frame.key_span is None:  # this value is a key
            if value is _MERGE:
                frame.key, frame.key_span = _MERGE, loc.span
            elif isinstance(value, str):
                frame.key, frame.key_span = value, loc.span
            else:
                if loc.raw is not None:
                    message, hint = f"the key {loc.raw} is not a string", f'quote the key: "{loc.raw}"'
                else:
                    kind = "list" if isinstance(value, list) else "mapping"
                    message, hint = f"a {kind} is used as a key", "keys are plain names; move the value under a named key"
                problems.append(d.YAML_KEY_TYPE.at(loc.span, message, hint=hint))
                frame.key, frame.key_span = None, loc.span
            return
        key, key_span = frame.key, frame.key_span
        frame.key, frame.key_span = None, None
        if key is _MERGE:
            sources: list[Any] = value if isinstance(value, list) else [value]
            source_locs: list[Loc] = loc.children if isinstance(loc.children, list) and isinstance(value, list) else [loc]
            for source, source_loc in zip(sources, source_locs):
                if not isinstance(source, dict):
                    problems.append(d.YAML_MERGE.at(source_loc.span, "`<<` must be followed by a mapping or a list of mappings",
                                                    hint="point `<<` at an anchored mapping, e.g. `<<: *defaults`"))
                else:
                    frame.merges.append((source, source_loc))
            return
        if key is None:
            return
        data: dict[str, Any] = frame.data
        locs: dict[str, Loc] = frame.locs  # type: ignore[assignment]
        if key in data:
            first = locs[key].key
            where = f"line {first.line}" if first else "earlier"
            problems.append(d.YAML_DUPLICATE_KEY.at(
                key_span, f"the key '{key}' appears twice in this mapping; YAML would silently keep only the last one",
                hint=f"the first '{key}' is at {where}: remove one of them or merge their contents"))
            return
        data[key] = value
        # Each value gets a Loc of its own (aliases included), so its key can be set in place.
        loc.key = key_span
        locs[key] = loc

    parser = _PARSER(text)
    try:
        while True:
            event = parser.get_event()
            cls = type(event)
            if cls is ScalarEvent:
                value, loc = _scalar(file, event)
                if event.anchor:
                    anchors[event.anchor] = (value, loc, 1)
                emit(value, loc, 1)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag not in _COLLECTION_TAGS:
                    raise _Fatal(_tag_problem(file, event.tag, event.start_mark))
                if len(stack) >= max_depth:
                    raise _Fatal(d.YAML_TOO_DEEP.at(
                        _span(file, event.start_mark), f"values are nested more than {max_depth} levels deep",
                        hint="flatten the structure; program files need only a few levels"))
                container: dict[str, Any] | list[Any] = {} if cls is MappingStartEvent else []
                stack.append(_Frame(container, Loc(_span(file, event.start_mark)), event.anchor))
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.merges:
                    _apply_merges(frame)
                if frame.anchor:
                    anchors[frame.anchor] = (frame.data, frame.loc, frame.nodes)
                nodes = frame.nodes
                # A finished collection counts once in its parent; its own nodes were counted already.
                expanded -= nodes
                emit(frame.data, frame.loc, nodes)
            elif cls is AliasEvent:
                span = _span(file, event.start_mark)
                if event.anchor not in anchors:
                    raise _Fatal(d.YAML_SYNTAX.at(span, f"the alias *{event.anchor} names no anchor defined before it",
                                                  hint=f"define &{event.anchor} on a value above this line"))
                value, loc, size = anchors[event.anchor]
                # The value keeps the anchor's position; a size problem points at this alias.
                emit(value, Loc(loc.span, None, loc.children, loc.raw), size, at=span)
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Fatal(d.YAML_MULTI_DOC.at(
                        _span(file, event.start_mark), "the file holds more than one YAML document",
                        hint="keep one program per file; remove the second '---' and what follows it"))
            elif cls is StreamEndEvent:
                break
    finally:
        parser.dispose()
    return result


def expansion_problem(text: str, file: str, max_values: int) -> Diagnostic | None:
    """The alias-limit (PD009) or nesting (PD010) problem of `text`, found from the parser's
    events without building anything: the same counting `parse` does, for readers (rosters) that
    build their data another way. None when the text stays inside the limits, or is not YAML
    (its reader reports that itself)."""
    parser = _PARSER(text)
    sizes: dict[str, int] = {}
    open_counts: list[list[Any]] = []  # [anchor, values so far] per open collection
    total = 0
    try:
        while True:
            event = parser.get_event()
            cls = type(event)
            if cls is ScalarEvent or cls is AliasEvent:
                size = sizes.get(event.anchor, 1) if cls is AliasEvent else 1
                if cls is ScalarEvent and event.anchor:
                    sizes[event.anchor] = 1
                total += size
                if open_counts:
                    open_counts[-1][1] += size
                if total > max_values:
                    return d.YAML_ALIAS_LIMIT.at(
                        _span(file, event.start_mark), f"the document expands to more than {max_values:,} values",
                        hint="remove aliases that repeat large parts of the file")
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if len(open_counts) >= limits.NESTING:
                    return d.YAML_TOO_DEEP.at(_span(file, event.start_mark),
                                              f"values are nested more than {limits.NESTING} levels deep",
                                              hint="flatten the structure")
                total += 1
                open_counts.append([event.anchor, 1])
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                anchor, count = open_counts.pop()
                if anchor:
                    sizes[anchor] = count
                if open_counts:
                    open_counts[-1][1] += count
            elif cls is StreamEndEvent:
                return None
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()


def _apply_merges(frame: _Frame) -> None:
    """`<<: *base` keys fill in what the mapping does not set itself; earlier sources win."""
    data: dict[str, Any] = frame.data  # type: ignore[assignment]
    locs: dict[str, Loc] = frame.locs  # type: ignore[assignment]
    for source, source_loc in frame.merges:
        children = source_loc.children if isinstance(source_loc.children, dict) else {}
        for key, value in source.items():
            if key not in data:
                data[key] = value
                locs[key] = children.get(key, source_loc)


# What YAML counts as a line break (so positions match the parser's marks and the text reporter).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _offset_span(file: str, text: str, offset: int) -> Span:
    before = text[:offset]
    breaks = 0
    line_start = 0
    for match in _LINE_BREAK.finditer(before):
        breaks, line_start = breaks + 1, match.end()
    return Span(file, breaks + 1, offset - line_start + 1)


def decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """Bytes -> text, refusing what is too large, binary or not UTF-8."""
    if len(raw) > limits.PROGRAM_BYTES:
        return None, _too_large(file, None)
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        return None, d.FILE_BINARY.at(
            _byte_span(file, raw, at), "the file holds binary data (a NUL byte), not YAML text",
            hint="check that the path names a YAML program file")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, d.FILE_ENCODING.at(
            _byte_span(file, raw, error.start), f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
            hint="save the file as UTF-8")


def _too_large(file: str, size: int | None) -> Diagnostic:
    what = f"the file is {size:,} bytes, larger than" if size is not None else "the file is larger than"
    return d.FILE_TOO_LARGE.at(
        Span(file, 1, 1), f"{what} {limits.PROGRAM_BYTES:,} bytes, the limit for a program file",
        hint="split shared settings into a defaults file named by `extends`")


def _byte_span(file: str, raw: bytes, at: int) -> Span:
    before = raw[:at].decode("utf-8", "replace")
    return _offset_span(file, before, len(before))


def load_bytes(raw: bytes, file: str) -> Document:
    text, problem = decode(raw, file)
    if problem is not None:
        return Document(file=file, diagnostics=[problem])
    assert text is not None
    doc = parse(text, file)
    if doc.diagnostics and doc.loc is None:
        return doc
    if doc.loc is None or doc.data is None:
        doc.diagnostics.append(d.FILE_EMPTY.at(
            Span(file, 1, 1), "the file holds no YAML document",
            hint="start from `programdsl init --type TYPE`, or remove the file"))
        doc.loc = None
    elif not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        doc.diagnostics.append(d.YAML_NOT_MAPPING.at(
            doc.loc.span, f"the document is {kind}, but a program file must be a mapping of keys to values",
            hint="start the file with `apiVersion: programdsl/v1` and `kind: Program`"))
        doc.loc = None
    return doc


# `-` names standard input (as for most command-line tools); its diagnostics say <stdin>.
STDIN, STDIN_NAME = "-", "<stdin>"


def _not_regular(mode: int) -> tuple[str, str]:
    """Why a path that is not a regular file cannot be read, and what to do instead."""
    if stat.S_ISDIR(mode):
        return "a directory", "name a YAML program file"
    what = "a pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    # A pipe or device may never end, and cannot be read twice (once to check, once to show lines).
    return what, "to read a program from standard input, give `-` as the path, e.g. `cat program.yaml | programdsl validate -`"


def load_file(path: Union[str, os.PathLike[str]], display: str | None = None) -> Document:
    file = display if display is not None else str(path)
    if os.fspath(path) == STDIN:
        return _load_stdin(display if display not in (None, STDIN) else STDIN_NAME)
    try:
        info = os.stat(path)
        mode = info.st_mode
        if not stat.S_ISREG(mode):
            what, hint = _not_regular(mode)
            return Document(file=file, diagnostics=[d.FILE_UNREADABLE.at(
                Span(file, 1, 1), f"not a regular file but {what}", hint=hint)])
        if info.st_size > limits.PROGRAM_BYTES:  # refused by its size, without reading a byte
            return Document(file=file, diagnostics=[_too_large(file, info.st_size)])
        with open(path, "rb") as handle:
            # Read one byte past the limit: a file that grew since stat() is still caught.
            raw = handle.read(limits.PROGRAM_BYTES + 1)
    except OSError as error:
        return Document(file=file, diagnostics=[d.FILE_UNREADABLE.at(
            Span(file, 1, 1), f"cannot read the file: {error.strerror or error}",
            hint="check the path and its permissions")])
    except ValueError:  # a NUL byte in the path: no file can have that name
        return Document(file=file, diagnostics=[d.BAD_PATH.at(
            Span(file, 1, 1), "the path holds a NUL character, which no file name can have",
            hint="check how the path was written")])
    return load_bytes(raw, file)


def _load_stdin(file: str) -> Document:
    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is None:
            raise OSError("standard input is closed")
        raw: bytes = stream.read(limits.PROGRAM_BYTES + 1)  # the same limit as a file, the same early stop
    except (OSError, ValueError) as error:  # ValueError: reading a closed stream
        return Document(file=file, diagnostics=[d.FILE_UNREADABLE.at(
            Span(file, 1, 1), f"cannot read standard input: {error}", hint="pipe a program file into the command")])
    return load_bytes(raw, file)


# A program or defaults file (an optional UTF-8 byte-order mark, then the apiVersion line).
PROGRAM_HEADER = re.compile(rb"^(?:\xef\xbb\xbf)?apiVersion:\s*[\"']?programdsl/", re.MULTILINE)
# A file that names a programdsl kind is one, even with its header missing or inherited.
PROGRAM_KIND = re.compile(rb"^kind:\s*[\"']?Program(?:Defaults)?[\"']?\s*(?:#.*)?$", re.MULTILINE)
# A top-level `extends:` key: the file may inherit its header.
EXTENDS_LINE = re.compile(rb"^[\"']?extends[\"']?\s*:", re.MULTILINE)
# Pairs files written by `programdsl match` share the header but are not programs.
PAIRS_KIND = re.compile(rb"^kind:\s*[\"']?Pairs\b", re.MULTILINE)
