"""The resolved program with where each value came from, for `programdsl show`.

Each leaf of the merged data keeps the position the resolver recorded: the program's own file,
an `extends` defaults file, or a built-in preset (`preset:<type>`). Nothing here prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from .loader import Loc
from .terminal import safe_json, visible


@dataclass(frozen=True)
class Origin:
    path: tuple[Any, ...]
    value: Any
    file: str
    line: int
    own: bool  # written in the program's own file

    @property
    def where(self) -> str:
        if self.file == BUILT_IN_FILE:
            return "programdsl's built-in default"
        if self.file.startswith("preset:"):
            return f"preset {self.file.split(':', 1)[1]}, line {self.line}"
        return f"{'this file' if self.own else self.file}, line {self.line}"


# Values programdsl assumes when no file gives them (model.build), shown so that none is hidden.
BUILT_IN = (
    (("metadata", "version"), "1"),
    (("metadata", "locale"), "en-GB"),
    (("metadata", "timezone"), "UTC"),
    (("schedule", "workingDays"), ["mon", "tue", "wed", "thu", "fri"]),
    (("pairing", "mode"), "one-to-one"),
    (("pairing", "optimize"), "quality"),
)
BUILT_IN_FILE = "programdsl"  # the origin named for a built-in value


def with_built_ins(data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """`data` with the built-in values it lacks filled in (a copy), and the paths filled."""
    import copy

    filled = copy.deepcopy(data)
    added: list[tuple[Any, ...]] = []
    for path, value in BUILT_IN:
        node: Any = filled
        for step in path[:-1]:
            node = node.setdefault(step, {}) if isinstance(node, dict) else None
        if isinstance(node, dict) and path[-1] not in node:
            node[path[-1]] = value
            added.append(path)
    for index, module in enumerate(filled.get("training", []) if isinstance(filled.get("training"), list) else []):
        if isinstance(module, dict) and "required" not in module:
            module["required"] = True
            added.append(("training", index, "required"))
    return filled, added


def origins(data: Any, loc: Loc, program_file: str, path: tuple[Any, ...] = (),
            built_in: frozenset[tuple[Any, ...]] = frozenset()) -> Iterator[Origin]:
    """Every scalar (and empty list or mapping) in `data` with its origin, in document order."""
    if path in built_in:
        yield Origin(path, data, BUILT_IN_FILE, 0, False)
    elif isinstance(data, dict) and data:
        for key, value in data.items():
            yield from origins(value, loc.child(key) or loc, program_file, path + (key,), built_in)
    elif isinstance(data, list) and data:
        for index, value in enumerate(data):
            yield from origins(value, loc.child(index) or loc, program_file, path + (index,), built_in)
    else:
        span = loc.span
        yield Origin(path, data, span.file, span.line, span.file == program_file)


def _pointer(path: tuple[Any, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def as_json(items: list[Origin]) -> str:
    # safe_json: a value holding ESC or a bidi override reaches the terminal as a \u escape.
    return safe_json([{"path": _pointer(o.path), "value": o.value, "from": o.where,
                       "file": o.file, "line": o.line, "inherited": not o.own} for o in items],
                     indent=2, default=str) + "\n"


def as_yaml(items: list[Origin]) -> str:
    """YAML (every value quoted as JSON, which YAML reads), each leaf followed by `# from <origin>`."""
    lines: list[str] = []
    shown: list[Any] = []
    for item in items:
        # print the keys of the path not yet shown
        common = 0
        while common < min(len(shown), len(item.path) - 1) and shown[common] == item.path[common]:
            common += 1
        for depth in range(common, len(item.path) - 1):
            step = item.path[depth]
            indent = "  " * depth
            lines.append(f"{indent}-" if isinstance(step, int) else f"{indent}{visible(str(step))}:")
        shown = list(item.path[:-1])
        last = item.path[-1] if item.path else ""
        indent = "  " * (len(item.path) - 1)
        key = "-" if isinstance(last, int) else f"{visible(str(last))}:"
        value = safe_json(item.value, indent=None, default=str)
        lines.append(f"{indent}{key} {value}  # from {visible(item.where)}")
    return "\n".join(lines) + "\n"
