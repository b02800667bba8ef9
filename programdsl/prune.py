"""The parts of a program that passed the schema, so semantic rules can check them too.

A schema error used to stop a file's check, so an unrelated dangling reference surfaced only on
the next run. Instead, the smallest enclosing part of each bad value is cut out: the list element
or role it belongs to (an objective, a question, a constraint), else the key that holds it. Rules
then run on what is left. Three things keep the one bad value from causing follow-on reports:

- list elements keep their original index (`Kept.origin`), so every path still points at the
  line the author wrote;
- the ids of cut elements stay known, so a reference to a broken metric is not "undefined";
- a rule's finding about a cut part, a part containing one, or a sibling of a cut value
  (`schedule.duration` beside a broken `schedule.end`) is dropped: it may rest on the gap.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .diagnostics import Diagnostic

Path = tuple[Any, ...]

# Re-checking after each cut catches what a cut itself breaks (a list left empty); a few rounds
# always suffice, and the bound keeps a pathological file from looping.
MAX_ROUNDS = 8


class Kept(list):  # type: ignore[type-arg]
    """A list with elements cut out; `origin[i]` is the index item i had in the file."""

    origin: list[int]


def indexed(items: Iterable[Any]) -> Iterable[tuple[int, Any]]:
    """(index in the file, item) for a list that may have had elements cut out."""
    if isinstance(items, Kept):
        return zip(items.origin, items)
    return enumerate(items)


@dataclass(frozen=True)
class Pruned:
    data: dict[str, Any]
    cut: frozenset[Path]  # where something was removed or found missing, as paths in the file
    ids: frozenset[str]  # ids of cut elements: references to them are not dangling
    opaque: frozenset[Path]  # collections that lost an element whose id could not be read

    def hides(self, path: Path) -> bool:
        """Whether a finding at `path` may be a consequence of a cut (see the module docstring)."""
        for cut in self.cut:
            shorter = min(len(cut), len(path))
            if cut[:shorter] == path[:shorter]:
                return True
            if len(cut) == len(path) > 1 and cut[:-1] == path[:-1]:
                return True
        return False

    def touches(self, part: Path) -> bool:
        """Whether anything in `part` (e.g. ("schedule",)), or `part` itself, was cut."""
        return any(cut[:len(part)] == part or part[:len(cut)] == cut for cut in self.cut)

    def may_define(self, collection: Path, target: str) -> bool:
        """Whether `target` may be defined by a cut part of `collection` (e.g. ("metrics",))."""
        if target in self.ids or collection in self.opaque:
            return True
        return any(collection[:len(cut)] == cut for cut in self.cut)


NOTHING_CUT = Pruned({}, frozenset(), frozenset(), frozenset())


def prune(
    data: dict[str, Any],
    problems: list[Diagnostic],
    recheck: Callable[[dict[str, Any]], list[Diagnostic]],
    is_element: Callable[[Path], bool],
    unknown_key_code: str,
    unknown: Iterable[Path] = (),
) -> Pruned:
    """Cut the parts `problems` point at out of a copy of `data` until the schema accepts the rest.

    `is_element(path)` says whether the value at a file path is an element of a collection (a
    list item or a map entry whose schema is an object); `unknown_key_code` marks problems that
    only name a key the format does not define, which is removed alone. `unknown` are paths
    whose values cannot be known (what the preset of a missing type would have supplied).
    """
    work: dict[str, Any] = copy.deepcopy(data)
    pruner = _Pruner(work, is_element)
    pruner.cut_paths.update(unknown)
    targets = [(problem.path, problem.code == unknown_key_code) for problem in problems]
    for _ in range(MAX_ROUNDS):
        changed = False
        for path, key_only in targets:
            changed |= pruner.cut(path, key_only)
        if not changed:
            break
        remaining = recheck(work)
        if not remaining:
            break
        targets = [(pruner.original(problem.path), problem.code == unknown_key_code) for problem in remaining]
    return Pruned(work, frozenset(pruner.cut_paths), frozenset(pruner.ids), frozenset(pruner.opaque))


class _Pruner:
    def __init__(self, data: dict[str, Any], is_element: Callable[[Path], bool]) -> None:
        self.data = data
        self.is_element = is_element
        self.cut_paths: set[Path] = set()
        self.ids: set[str] = set()
        self.opaque: set[Path] = set()

    def original(self, path: Path) -> Path:
        """A path into the pruned data (list positions after cuts) as a path in the file."""
        node: Any = self.data
        result: list[Any] = []
        for step in path:
            if isinstance(node, list) and isinstance(step, int):
                result.append(node.origin[step] if isinstance(node, Kept) and step < len(node.origin) else step)
                node = node[step] if 0 <= step < len(node) else None
            else:
                result.append(step)
                node = node.get(step) if isinstance(node, dict) else None
        return tuple(result)

    def _walk(self, path: Path) -> list[tuple[Any, Any]]:
        """(container, current step) for each step of a file path that still exists in the data."""
        trail: list[tuple[Any, Any]] = []
        node: Any = self.data
        for step in path:
            if isinstance(node, list) and isinstance(step, int):
                origin = node.origin if isinstance(node, Kept) else range(len(node))
                if step not in origin:
                    break
                position = list(origin).index(step)
                trail.append((node, position))
                node = node[position]
            elif isinstance(node, dict) and step in node:
                trail.append((node, step))
                node = node[step]
            else:
                break
        return trail

    def cut(self, path: Path, key_only: bool) -> bool:
        """Cut the part of the data that a problem at `path` makes unusable; True if anything changed."""
        if not path:
            return False
        trail = self._walk(path)
        if key_only:
            if len(trail) == len(path) and isinstance(trail[-1][0], dict):
                del trail[-1][0][trail[-1][1]]
                self.cut_paths.add(path)
                return True
            return False
        # The deepest element along the path is the unit that goes, else the key holding the
        # outermost list on the way (a list of plain values is one value), else the value itself.
        depth = next((i for i in range(len(trail), 0, -1) if self.is_element(path[:i])), 0)
        if depth == 0:
            depth = next((i for i, (container, _) in enumerate(trail) if isinstance(container, list)), len(trail))
        if depth == 0 or depth < len(path) and depth == len(trail) and not self.is_element(path[:depth]):
            self.cut_paths.add(path)  # a missing key: nothing to remove, but rules must not rely on it
            return False
        self.cut_paths.add(path[:depth])
        container, step = trail[depth - 1]
        element = container[step]
        if self.is_element(path[:depth]):
            identity = step if isinstance(container, dict) else (element.get("id") if isinstance(element, dict) else None)
            if isinstance(identity, str):
                self.ids.add(identity)
            else:
                self.opaque.add(path[:depth - 1])
        if isinstance(container, dict):
            del container[step]
        else:
            self._remove_item(container, step, path[:depth - 1])
        return True

    def _remove_item(self, items: list[Any], position: int, list_path: Path) -> None:
        kept = items if isinstance(items, Kept) else None
        if kept is None:
            kept = Kept(items)
            kept.origin = list(range(len(items)))
            self._replace(list_path, kept)
        del kept[position]
        del kept.origin[position]

    def _replace(self, list_path: Path, kept: Kept) -> None:
        trail = self._walk(list_path)
        container, step = trail[-1]
        container[step] = kept
