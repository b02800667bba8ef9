"""Where validation's time goes: a stage split, GC pauses, what-ifs, and a cProfile."""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import time
from pathlib import Path
from typing import Any, Callable

from programdsl import api, resolve, rules, schema
from programdsl.api import Validator

from timing import Timing, bare_parse

class GCPauses:
    """Time spent in the cyclic garbage collector, by generation, while active."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._began = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._began
            self.count[info["generation"]] += 1

    def __enter__(self) -> "GCPauses":
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: Any) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> str:
        return (f"{sum(self.seconds):.3f} s in {sum(self.count)} collections "
                f"(full collections: {self.count[2]}, {self.seconds[2]:.3f} s)")


class StageTimer:
    """Wraps the library's stage functions (from outside, without editing them) to time each stage."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self._undo: list[Callable[[], None]] = []

    def _wrap(self, owner: Any, name: str, stage: str, consume: bool = False) -> None:
        original = getattr(owner, name, None)
        if original is None:  # the library was reorganised: time what still exists
            print(f"  (note: {getattr(owner, '__name__', owner)}.{name} no longer exists; stage '{stage}' not timed)")
            return
        totals = self.totals

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            result = original(*args, **kwargs)
            if consume:
                result = list(result)
            totals[stage] = totals.get(stage, 0.0) + time.perf_counter() - began
            return result

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def __enter__(self) -> "StageTimer":
        self._wrap(resolve.Workspace, "load", "load (read + YAML events -> data + positions)")
        self._wrap(resolve.Workspace, "resolve", "resolve (presets + extends merged)")
        self._wrap(schema, "check", "schema (jsonschema validation)")
        self._wrap(api, "build", "build (typed model)")
        self._wrap(rules, "run", "rules (semantic checks)", consume=True)
        self._wrap(resolve.Workspace, "is_programdsl", "discover (which files are programs)")
        return self

    def __exit__(self, *exc: Any) -> None:
        for undo in reversed(self._undo):
            undo()


def profile(directory: Path, files: list[Path], top: int) -> None:
    """Print where one validation run's time goes: by stage, in GC pauses, in two what-ifs, and by function."""
    n = len(files)
    print()
    print("where programdsl's time goes: one run, each stage timed by a wrapper around it "
          "(presets and `extends` files load inside resolve and count in both)")
    gc.collect()
    with StageTimer() as stages, GCPauses() as pauses:
        began = time.perf_counter()
        Validator().check_paths([directory])
        total = time.perf_counter() - began
    gc.collect()
    with GCPauses() as parse_pauses:
        bare_parse(files)
    accounted = sum(stages.totals.values())
    for stage, seconds in sorted(stages.totals.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<52} {seconds:7.3f} s  {seconds / total * 100:5.1f}%  {seconds / n * 1000:6.3f} ms/file")
    print(f"  {'other (discovery walk, sorting, results)':<52} {total - accounted:7.3f} s  "
          f"{(total - accounted) / total * 100:5.1f}%")
    print(f"  {'total (with wrapper overhead)':<52} {total:7.3f} s")
    print(f"  cyclic GC pauses, spread over the stages above: {pauses.summary()}")
    print(f"  (bare parse, for comparison: {parse_pauses.summary()})")

    # Two what-ifs, run from outside the library, that size the cost of keeping every
    # file's data alive: the cyclic GC re-walks all of it on each full collection.
    print()
    print("what-ifs (best of 3 each, cpu s): is retained memory slowing validation down?")
    as_is, no_gc, dropped = Timing(), Timing(), Timing()

    def without_gc() -> Any:
        gc.disable()
        try:
            return Validator().check_paths([directory])
        finally:
            gc.enable()

    def dropping_results() -> Any:
        validator = Validator()
        cache = getattr(validator.workspace, "_documents", None)

        def forget(result: api.FileResult) -> None:
            result.program = result.resolved = None
            if isinstance(cache, dict):  # keep presets and `extends` parents, drop the program itself
                for key in [k for k, doc in cache.items() if doc.file == result.file]:
                    del cache[key]
        return validator.check_paths([directory], on_file=forget)

    for _ in range(3):
        as_is.run(lambda: Validator().check_paths([directory]))
        no_gc.run(without_gc)
        dropped.run(dropping_results)
    for label, timing in [("as is", as_is), ("with gc.disable()", no_gc),
                          ("program data dropped after each file (on_file hook)", dropped)]:
        print(f"  {label:<52} {timing.cpu:7.3f} s  {timing.cpu / as_is.cpu:5.2f}x of as-is")

    profiler = cProfile.Profile()
    profiler.enable()
    Validator().check_paths([directory])
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        text = out.getvalue()
        body = text[text.index("   ncalls"):] if "   ncalls" in text else text
        print()
        print(f"cProfile of one programdsl run (profiler overhead inflates Python-heavy code), top {top} by {order}:")
        print(body.rstrip())
