"""Source lines of files that diagnostics point into, for carets and inline suppressions."""

from __future__ import annotations

import os
from functools import lru_cache

from .resources import preset_path


def source_lines(file: str) -> tuple[str, ...]:
    """The lines of a diagnostic's file (`preset:NAME` means a built-in preset); empty if unreadable."""
    path = str(preset_path(file.split(":", 1)[1])) if file.startswith("preset:") else os.path.abspath(file)
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:  # the stamp keys the cache to this version
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return tuple(handle.read().splitlines())
    except OSError:
        return ()
