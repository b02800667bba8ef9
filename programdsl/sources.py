"""Source lines of files that diagnostics point into, for carets and inline suppressions."""

from __future__ import annotations

import os
import stat
from functools import lru_cache

from . import limits
from .resources import preset_path


def source_lines(file: str) -> tuple[str, ...]:
    """The lines of a diagnostic's file (`preset:NAME` means a built-in preset); empty if unreadable."""
    path = str(preset_path(file.split(":", 1)[1])) if file.startswith("preset:") else os.path.abspath(file)
    try:
        info = os.stat(path)
    except OSError:
        return ()
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        return ()
    if info.st_size > limits.PROGRAM_BYTES:  # refused unread (PD002): its lines are not shown either
        return ()
    return _read(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=256)
def _read(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:  # the stamp keys the cache to this version
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return tuple(handle.read().splitlines())
    except OSError:
        return ()
