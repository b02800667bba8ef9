"""Timing: best-of-N wall and CPU seconds, the bare-parse baseline, and the commands compared."""

from __future__ import annotations

import gc
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import yaml


class Timing:
    """Best (lowest) wall-clock and CPU seconds over repetitions.

    Wall time is what users wait for; CPU time (this process, or the child for subprocesses) is
    printed next to it because it is far less disturbed by other load on the machine."""

    def __init__(self) -> None:
        self.walls: list[float] = []
        self.cpus: list[float] = []

    @property
    def wall(self) -> float:
        return min(self.walls)

    @property
    def cpu(self) -> float:
        return min(self.cpus)

    def run(self, fn: Callable[[], Any]) -> Any:
        gc.collect()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = fn()
        self.walls.append(time.perf_counter() - wall0)
        self.cpus.append(time.process_time() - cpu0)
        return result

    def command(self, argv: list[str], cwd: Path) -> tuple[int, str]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall0 = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.walls.append(time.perf_counter() - wall0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return done.returncode, done.stdout


def bare_parse(files: list[Path]) -> int:
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        yaml.load(text, Loader=yaml.CSafeLoader)
        count += 1
    return count


def event_parse(files: list[Path]) -> int:
    """Read + iterate the C parser's events, building nothing: the floor of an event-based loader."""
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        for _event in yaml.parse(text, Loader=yaml.CSafeLoader):
            count += 1
    return count


def find_check_jsonschema() -> list[str] | None:
    exe = shutil.which("check-jsonschema")
    if exe:
        return [exe]
    try:
        import check_jsonschema  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "check_jsonschema"]


def find_programdsl() -> list[str]:
    exe = shutil.which("programdsl")
    return [exe] if exe else [sys.executable, "-m", "programdsl"]


def fmt_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
