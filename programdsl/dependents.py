"""Which program files to re-check when files change: the changed programs themselves, and every
program whose `extends` chain reaches a changed defaults file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .api import YAML_SUFFIXES, discover
from .resolve import Workspace


def _chain(workspace: Workspace, path: Path) -> list[str]:
    """Real paths of the files `path` extends, nearest first (stops at anything unreadable)."""
    chain: list[str] = []
    current = path
    seen = {os.path.realpath(path)}
    while True:
        doc = workspace.load(current)
        target = doc.data.get("extends") if isinstance(doc.data, dict) else None
        if not isinstance(target, str):
            return chain
        current = current.parent / target
        real = os.path.realpath(current)
        if real in seen or not current.is_file():
            return chain
        seen.add(real)
        chain.append(real)


def files_to_check(changed: Iterable[str | os.PathLike[str]], root: Path) -> list[Path]:
    """Program files among `changed`, plus programs under `root` that extend a changed file.
    A program is recognised by what it is once `extends` is resolved, so one that inherits its
    `apiVersion` header is checked like any other."""
    changed_paths = [Path(p) for p in changed]
    workspace = Workspace()
    selected: dict[str, Path] = {}
    for path in changed_paths:
        if path.is_file() and path.suffix in YAML_SUFFIXES and workspace.is_programdsl(path):
            selected.setdefault(os.path.realpath(path), path)
    changed_real = {os.path.realpath(p) for p in changed_paths}
    for candidate, _ in discover([root]):
        real = os.path.realpath(candidate)
        if real in selected or not workspace.is_programdsl(candidate):
            continue
        if changed_real.intersection(_chain(workspace, candidate)):
            selected[real] = candidate
    return sorted(selected.values())
