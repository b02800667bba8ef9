"""Source lines of files that diagnostics point into, for carets and inline suppressions."""

from __future__ import annotations

from functools import lru_cache

from .resources import preset_path


@lru_cache(maxsize=256)
def source_lines(file: str) -> tuple[str, ...]:
    """The lines of a diagnostic's file (`preset:NAME` means a built-in preset); empty if unreadable."""
    path = str(preset_path(file.split(":", 1)[1])) if file.startswith("preset:") else file
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return tuple(handle.read().splitlines())
    except OSError:
        return ()
