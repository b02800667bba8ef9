"""Presets and `extends:` merged into the program a file really describes.

Order of precedence, lowest first: the type's built-in preset, then each `extends` file from the
farthest ancestor down, then the file itself. Mappings merge key by key; lists and scalars are
replaced whole. Every merged value keeps the position (file, line, column) it came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import diagnostics as d
from .diagnostics import Diagnostic
from .loader import EXTENDS_LINE, PAIRS_KIND, PROGRAM_HEADER, PROGRAM_KIND, Document, Loc, load_file
from .resources import preset_path, program_types


@dataclass
class Resolved:
    """A program with its presets and `extends` chain merged in."""

    file: str
    data: dict[str, Any]
    loc: Loc
    sources: list[str] = field(default_factory=list)  # files merged in, lowest precedence first


class Workspace:
    """Loads files once per run: programs that share a defaults file parse it once."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._kinds: dict[str, bool] = {}  # absolute path -> is a programdsl file

    def load(self, path: str | os.PathLike[str], display: str | None = None, cache: bool = True) -> Document:
        """The file's document; with cache=False (a program checked once) it is not kept, so a
        large run holds only the presets and defaults files that other programs share."""
        try:
            key = os.path.realpath(path)
        except ValueError:  # a NUL in the path: load_file reports it
            key = os.fspath(path)
        doc = self._documents.get(key)
        if doc is None:
            doc = load_file(path, display)
            if cache:
                self._documents[key] = doc
        return doc

    def exists(self, path: str | os.PathLike[str]) -> bool:
        return os.path.isfile(path)

    def is_programdsl(self, path: str | os.PathLike[str]) -> bool:
        """Whether a file is a programdsl program or defaults file once `extends` is resolved: it
        declares `apiVersion: programdsl/...` itself, or names a programdsl kind, or its `extends`
        chain reaches a file that does (it inherits the header). Pairs files are not programs.
        Other YAML (CI workflows, other tools' configuration) is not, and is never parsed whole."""
        # Keyed without touching the disk (realpath costs a system call per path component, and
        # discovery asks about every YAML file): normpath is enough to end an `extends` loop.
        key = os.path.normpath(os.path.abspath(path))
        known = self._kinds.get(key)
        if known is None:
            self._kinds[key] = False  # an `extends` loop ends here
            known = self._kinds[key] = self._classify(Path(path))
        return known

    def _classify(self, path: Path) -> bool:
        try:
            with open(path, "rb") as handle:
                head = handle.read(64 * 1024)
        except OSError:
            return False
        if PAIRS_KIND.search(head) is not None:
            return False
        if PROGRAM_HEADER.search(head) is not None or PROGRAM_KIND.search(head) is not None:
            return True
        if EXTENDS_LINE.search(head) is None:
            return False
        doc = self.load(path)
        target = doc.data.get("extends") if isinstance(doc.data, dict) else None
        if not isinstance(target, str) or os.path.isabs(target) or not target.endswith((".yaml", ".yml")):
            return False
        parent = path.parent / target
        return parent.is_file() and self.is_programdsl(parent)

    def preset(self, program_type: str) -> Document:
        return self.load(preset_path(program_type), f"preset:{program_type}")

    def resolve(self, doc: Document, path: str | os.PathLike[str]) -> tuple[Resolved | None, list[Diagnostic]]:
        """Merge presets and `extends` under `doc`. Returns None when a link in the chain is broken."""
        assert doc.loc is not None and isinstance(doc.data, dict)
        problems: list[Diagnostic] = []
        chain: list[Document] = [doc]
        seen = {os.path.realpath(path)}
        current, current_path = doc, Path(path)
        while isinstance(current.data, dict) and isinstance(current.data.get("extends"), str):
            target = current.data["extends"]
            loc = current.loc.child("extends") if current.loc else None
            span = loc.span if loc else d.Span(current.file, 1, 1)
            if "\x00" in target or len(target) > 1024:
                problems.append(d.EXTENDS_PATH.at(
                    span, "`extends` holds a NUL character or is longer than any path" if "\x00" in target
                    else f"`extends` is {len(target):,} characters long, longer than any path",
                    hint="e.g. extends: ../shared/defaults.yaml"))
                return None, problems
            if os.path.isabs(target) or not target.endswith((".yaml", ".yml")):
                problems.append(d.EXTENDS_PATH.at(
                    span, f"`extends` must name a .yaml file by a path relative to this file, not '{target}'",
                    hint="e.g. extends: ../shared/defaults.yaml"))
                return None, problems
            target_path = current_path.parent / target
            real = os.path.realpath(target_path)
            if real in seen:
                problems.append(d.EXTENDS_CYCLE.at(
                    span, f"'{target}' is already part of this file's `extends` chain, so the files extend each other in a loop",
                    hint="remove `extends` from one of the files in the loop"))
                return None, problems
            seen.add(real)
            if not self.exists(target_path):
                # A pipe or a folder exists but is no file to read (a pipe would block the reader).
                what = "is not a regular file" if os.path.exists(target_path) else "does not exist"
                problems.append(d.EXTENDS_MISSING.at(
                    span, f"`extends` names '{target}', which {what} (looked for {target_path})",
                    hint="give the path relative to this file, e.g. ../shared/defaults.yaml"))
                return None, problems
            parent_display = os.path.normpath(os.path.join(os.path.dirname(current.file), target))
            parent = self.load(target_path, parent_display)
            if not self.is_programdsl(target_path):
                # Say nothing of the file's content: `extends` must not become a way to print any file.
                problems.append(d.EXTENDS_KIND.at(
                    span, f"'{target}' is not a programdsl defaults file",
                    hint="a file named by `extends` starts with `apiVersion: programdsl/v1` and `kind: ProgramDefaults`"))
                return None, problems
            problems.extend(parent.diagnostics)
            if parent.loc is None:
                return None, problems
            assert isinstance(parent.data, dict)
            if parent.data.get("kind") != "ProgramDefaults":
                problems.append(d.EXTENDS_KIND.at(
                    span, f"'{target}' is not a defaults file (its kind is {parent.data.get('kind')!r})",
                    hint="a file named by `extends` starts with `kind: ProgramDefaults`"))
                return None, problems
            chain.append(parent)
            current, current_path = parent, target_path

        data: Any = None
        merged_loc: Loc | None = None
        for layer in reversed(chain):
            if data is None:
                data, merged_loc = layer.data, layer.loc
            else:
                data, merged_loc = merge_layer(data, merged_loc, layer.data, layer.loc)  # type: ignore[arg-type]
        sources = [layer.file for layer in reversed(chain)]

        program_type = data.get("type")
        if isinstance(program_type, str) and program_type in program_types():
            preset = self.preset(program_type)
            if not preset.ok:  # a broken preset is a packaging bug; say so rather than hide it
                problems.extend(preset.diagnostics)
                return None, problems
            assert isinstance(preset.data, dict) and preset.loc is not None
            base = {k: v for k, v in preset.data.items() if k not in ("apiVersion", "kind")}
            data, merged_loc = merge_layer(base, preset.loc, data, merged_loc)  # type: ignore[arg-type]
            sources.insert(0, preset.file)
        assert merged_loc is not None
        return Resolved(file=doc.file, data=data, loc=merged_loc, sources=sources), problems


# A program's length is one setting written one of two ways: a layer that gives `end` replaces an
# inherited `duration`, and the other way round, instead of contradicting it.
_ALTERNATIVES = (("schedule", ("end", "duration")),)


def merge_layer(base: dict[str, Any], base_loc: Loc, over: dict[str, Any], over_loc: Loc) -> tuple[Any, Loc]:
    """Merge one layer over the layers below it."""
    for section, keys in _ALTERNATIVES:
        lower, upper = base.get(section), over.get(section)
        if not (isinstance(lower, dict) and isinstance(upper, dict)):
            continue
        given = [k for k in keys if k in upper]
        if len(given) == 1:
            dropped = [k for k in keys if k not in given and k in lower]
            if dropped:
                base = {**base, section: {k: v for k, v in lower.items() if k not in dropped}}
    return merge(base, base_loc, over, over_loc)


def merge(base: Any, base_loc: Loc, over: Any, over_loc: Loc) -> tuple[Any, Loc]:
    """Deep-merge mappings; anything else in `over` replaces `base`. Inputs are not modified."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over, over_loc
    data = dict(base)
    base_children = base_loc.children if isinstance(base_loc.children, dict) else {}
    over_children = over_loc.children if isinstance(over_loc.children, dict) else {}
    children = dict(base_children)
    for key, value in over.items():
        value_loc = over_children.get(key, over_loc)
        if key in data and key in base_children:
            data[key], children[key] = merge(data[key], base_children[key], value, value_loc)
        else:
            data[key], children[key] = value, value_loc
    return data, Loc(over_loc.span, over_loc.key, children)
