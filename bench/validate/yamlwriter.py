"""A small YAML writer that writes the way people do, for the benchmark's generated corpus."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml

# ---------------------------------------------------------------------------------------------
# A small YAML writer that writes the way people do: block mappings, flow style for short lists
# and small mappings, folded text for long prose, comments between sections.
# ---------------------------------------------------------------------------------------------


class Flow:
    """Write this mapping or list on one line: {a: 1, b: 2} or [a, b]."""

    def __init__(self, value: Any) -> None:
        self.value = value


class Folded:
    """Write this text as a folded block scalar (`>-`)."""

    def __init__(self, text: str) -> None:
        self.text = text


class Anchored:
    """Write this value with an anchor (`&name`), for later aliases to repeat."""

    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self.value = value


class Alias:
    """Write `*name`: a repeat of an anchored value."""

    def __init__(self, name: str) -> None:
        self.name = name


class Comment:
    """A comment line placed before the next key of a mapping (used as a dict key)."""

    counter = 0

    def __init__(self, text: str) -> None:
        Comment.counter += 1
        self.text = text
        self.n = Comment.counter

    def __hash__(self) -> int:
        return self.n


_RESOLVER = yaml.resolver.Resolver()
_PLAIN_BLOCK = re.compile(r"^[A-Za-z0-9(][A-Za-z0-9 _.,;()/'+?@&-]*[A-Za-z0-9)._?'-]$|^[A-Za-z0-9]$")
_PLAIN_FLOW = re.compile(r"^[A-Za-z0-9(][A-Za-z0-9 _.;()/'+?@&-]*[A-Za-z0-9)._?'-]$|^[A-Za-z0-9]$")


def scalar(value: Any, flow: bool = False) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    pattern = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if pattern.match(text) and " -" not in text and "  " not in text:
        tag = _RESOLVER.resolve(yaml.nodes.ScalarNode, text, (True, False))
        if tag == "tag:yaml.org,2002:str":
            return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str:
    if isinstance(value, Flow):
        value = value.value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value, flow=True)


def _fold(text: str, indent: int, width: int = 96) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) + indent > width:
            lines.append(" " * indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(" " * indent + line)
    return lines


def _inline(value: Any, indent: int) -> tuple[str, list[str]]:
    """The text after `key:` and any lines that follow it."""
    if isinstance(value, Alias):
        return f" *{value.name}", []
    if isinstance(value, Anchored):
        rest, lines = _inline(value.value, indent)
        return f" &{value.name}{rest}", lines
    if isinstance(value, Flow):
        return " " + flow(value), []
    if isinstance(value, Folded):
        return " >-", _fold(value.text, indent + 2)
    if isinstance(value, dict):
        return "", write_mapping(value, indent + 2)
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list, Flow, Folded)) for v in value) and len(flow(value)) + indent < 80:
            return " " + flow(value), []
        return "", write_sequence(value, indent + 2)
    return " " + scalar(value), []


def write_mapping(mapping: dict[Any, Any], indent: int) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(key, Comment):
            out.append(f"{pad}# {key.text}")
            continue
        rest, lines = _inline(value, indent)
        out.append(f"{pad}{key}:{rest}")
        out.extend(lines)
    return out


def write_sequence(items: list[Any], indent: int) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and not isinstance(item, Flow):
            body = write_mapping(item, indent + 2)
            first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
            out.extend(body[:first])
            out.append(f"{pad}- {body[first][indent + 2:]}")
            out.extend(body[first + 1:])
        elif isinstance(item, Folded):
            out.append(f"{pad}- >-")
            out.extend(_fold(item.text, indent + 2))
        else:
            out.append(f"{pad}- {flow(item) if isinstance(item, (Flow, list)) else scalar(item)}")
    return out


def dump(doc: dict[Any, Any], header: list[str]) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    body = write_mapping(doc, 0)
    out: list[str] = lines
    for line in body:
        # A blank line before each top-level section (and its comment), as people write files.
        if line and not line.startswith(" ") and out and out[-1] and not out[-1].startswith("#"):
            if not line.startswith(("apiVersion", "kind", "type", "extends", "knowledgeFlow")):
                out.append("")
        out.append(line)
    return "\n".join(out) + "\n"
