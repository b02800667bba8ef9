#!/usr/bin/env python3
"""Benchmark `programdsl validate` on 1,000 generated program files.

    python3 bench/validate                 # generate, time, profile (about a minute)
    python3 bench/validate --no-profile    # timings only
    python3 bench/validate --keep /tmp/corpus   # also keep the generated files
    python3 bench/validate --corpus DIR    # time an existing directory instead of generating

What it does, in one process:

1. Writes 1,000 valid, varied program files (all ten types; 100-300 lines each) into a temporary
   directory, from a fixed seed, so every run times the same bytes. About one in five programs
   `extends` an organization defaults file that sits outside the timed directory, as real
   programs do. Every file is checked to validate with no errors and no warnings before timing.
2. Times the best of --repeat runs of
     bare parse        read + yaml.load(text, Loader=yaml.CSafeLoader) for every file (baseline)
     programdsl        Validator().check_paths([dir], keep_models=False), as `programdsl validate`
                       runs it, a fresh Validator each run (and, for reference, the library's
                       default call, which keeps every file's model)
     check-jsonschema  one `check-jsonschema --schemafile schemas/program.schema.json FILE...`
                       subprocess over all files (start-up included)
     programdsl CLI    one `programdsl validate DIR` subprocess (start-up included)
   and prints the ratios against the targets: programdsl / bare parse <= 2.0 and
   programdsl / check-jsonschema < 1.0.
3. Splits programdsl's time by stage (load, resolve, schema, build, rules) and prints a cProfile
   of one run, top 25 functions by cumulative and by own time.

The code is split by what it does: corpus.py (and yamlwriter.py) generate the programs, timing.py
times them, profiling.py splits one run by stage and profiles it; this file runs the three.

Run by hand; never from the test suite. Needs check-jsonschema for its row
(`pip install check-jsonschema`, or `pip install '.[bench]'`); without it the row says so.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent.parent
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from programdsl import api  # noqa: E402
from programdsl.api import Validator  # noqa: E402
from programdsl.resources import schema_path  # noqa: E402

from corpus import generate, program_files  # noqa: E402
from profiling import profile  # noqa: E402
from timing import Timing, bare_parse, event_parse, find_check_jsonschema, find_programdsl, fmt_row  # noqa: E402

TARGET_VS_PARSE = 2.0
TARGET_VS_CHECK_JSONSCHEMA = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="number of programs to generate (default 1000)")
    parser.add_argument("--seed", type=int, default=20260105, help="generator seed (default fixed)")
    parser.add_argument("--repeat", type=int, default=5, help="in-process repetitions; best is reported (default 5)")
    parser.add_argument("--cli-repeat", type=int, default=3, help="repetitions of each subprocess (default 3)")
    parser.add_argument("--corpus", type=Path, help="time this directory instead of generating files")
    parser.add_argument("--keep", type=Path, help="generate into this (new) directory and keep it")
    parser.add_argument("--no-check-jsonschema", action="store_true",
                        help="skip the check-jsonschema comparison (it takes most of the run's time)")
    parser.add_argument("--no-profile", action="store_true", help="skip the stage split and the cProfile")
    parser.add_argument("--top", type=int, default=25, help="profile rows to print (default 25)")
    args = parser.parse_args()

    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.corpus:
        directory = args.corpus.resolve()
    else:
        if args.keep:
            root = args.keep.resolve()
            if root.exists() and any(root.iterdir()):
                parser.error(f"{root} exists and is not empty")
            root.mkdir(parents=True, exist_ok=True)
        else:
            tmp = tempfile.TemporaryDirectory(prefix="programdsl-bench-")
            root = Path(tmp.name)
        began = time.perf_counter()
        directory = generate(root, args.files, args.seed)
        print(f"generated {args.files} programs (seed {args.seed}) in {directory} "
              f"in {time.perf_counter() - began:.1f} s")

    try:
        return run(args, directory)
    finally:
        if tmp is not None:
            tmp.cleanup()


def run(args: argparse.Namespace, directory: Path) -> int:
    files = program_files(directory)
    n = len(files)
    if n == 0:
        print(f"no program files under {directory}")
        return 2
    sizes = [p.stat().st_size for p in files]
    lines = []
    for p in files:
        with open(p, "rb") as handle:
            lines.append(handle.read().count(b"\n"))
    extends = sum(1 for p in files if b"\nextends:" in p.read_bytes())
    print(f"corpus: {n} files, {sum(sizes) / 1e6:.2f} MB, lines min/median/max "
          f"{min(lines)}/{int(statistics.median(lines))}/{max(lines)}, {extends} use `extends`")
    type_counts: dict[str, int] = {}
    for p in files:
        m = re.search(rb"^type: *([a-z-]+)", p.read_bytes(), re.MULTILINE)
        key = m.group(1).decode() if m else "(no type: defaults file)"
        type_counts[key] = type_counts.get(key, 0) + 1
    print("types: " + ", ".join(f"{k} {v}" for k, v in sorted(type_counts.items())))

    # Every file must validate cleanly, or the benchmark times error paths instead of the normal road.
    report = Validator().check_paths([directory])
    errors, warnings = report.count(api.Severity.ERROR), report.count(api.Severity.WARNING)
    print(f"check: programdsl reports {errors} errors, {warnings} warnings in {len(report.files)} files")
    if errors or warnings:
        for diag in report.diagnostics[:10]:
            print(f"  {diag.file}:{diag.line}:{diag.col}: {diag.severity.value}[{diag.code}]: {diag.message}")
        if not args.corpus:
            print("the generator wrote invalid programs; fix bench/validate before trusting the timings")
            return 2
    # Let it go: a report kept alive here would make every later full GC walk 1,000 more files.
    del report
    print(f"python {sys.version.split()[0]}, PyYAML {yaml.__version__} "
          f"({'C' if yaml.__with_libyaml__ else 'pure-Python'} parser), {os.cpu_count()} CPUs")
    print()

    # In-process cases run interleaved (A B C A B C ...), so a burst of load from elsewhere on the
    # machine hits every case alike; the best run of each is reported.
    # programdsl is timed as `programdsl validate` runs it (each file's data let go once its
    # problems are known, as bare parse lets its data go), and as the library's default call,
    # which keeps every file's model for the caller (and so makes each full GC walk all of them).
    parse_t, events_t, pd_t, kept_t = Timing(), Timing(), Timing(), Timing()
    pd_files = 0
    for _ in range(args.repeat):
        parse_t.run(lambda: bare_parse(files))
        events_t.run(lambda: event_parse(files))
        pd_files = len(pd_t.run(lambda: Validator().check_paths([directory], keep_models=False)).files)
        kept_t.run(lambda: Validator().check_paths([directory]))

    rows: list[tuple[str, Timing | None, str]] = [
        ("bare parse: read + yaml.load(CSafeLoader)  [baseline]", parse_t, ""),
        ("  reference: read + yaml.parse() events only", events_t, "no data built"),
        ("programdsl: check_paths([dir], keep_models=False)", pd_t, f"{pd_files} files checked, as the CLI"),
        ("  library default: check_paths([dir]), models kept", kept_t, f"{pd_files} models held"),
    ]

    cj = None if args.no_check_jsonschema else find_check_jsonschema()
    cj_t: Timing | None = None
    if cj is None:
        reason = "skipped (--no-check-jsonschema)" if args.no_check_jsonschema else "UNAVAILABLE (pip install check-jsonschema)"
        rows.append((f"check-jsonschema: {reason}", None, ""))
    else:
        cj_t, cj_one = Timing(), Timing()
        argv = cj + ["--schemafile", str(schema_path())] + [str(p) for p in files]
        status, output = 0, ""
        for _ in range(args.cli_repeat):
            status, output = cj_t.command(argv, REPO)
            cj_one.command(cj + ["--schemafile", str(schema_path()), str(files[0])], REPO)
        failing = len(set(re.findall(r"^\s+(\S+\.ya?ml)::", output, re.MULTILINE)))
        note = f"exit {status}" + (f"; {failing} files fail without presets" if status else "")
        rows.append(("check-jsonschema --schemafile S FILE... (subprocess)", cj_t, note))
        rows.append(("  check-jsonschema on 1 file (start-up)", cj_one, ""))

    pdcli = find_programdsl()
    cli_t, cli_one = Timing(), Timing()
    cli_status = 0
    for _ in range(args.cli_repeat):
        cli_status, _ = cli_t.command(pdcli + ["validate", str(directory)], REPO)
        cli_one.command(pdcli + ["validate", str(files[0])], REPO)
    rows.append(("programdsl validate DIR (subprocess)", cli_t, f"exit {cli_status}"))
    rows.append(("  programdsl validate on 1 file (start-up)", cli_one, ""))

    widths = [56, 8, 8, 8, 0]
    print(f"{n} files; best of {args.repeat} interleaved in-process runs and {args.cli_repeat} runs of each command")
    print(fmt_row(["", "wall s", "ms/file", "cpu s", ""], widths))
    for label, timing, note in rows:
        if timing is None:
            print(fmt_row([label, "-", "-", "-", ""], widths))
        else:
            print(fmt_row([label, f"{timing.wall:.3f}", f"{timing.wall / n * 1000:.2f}", f"{timing.cpu:.3f}", note], widths))
    print()
    print("all runs, wall s: bare parse " + " ".join(f"{t:.2f}" for t in parse_t.walls)
          + " | programdsl " + " ".join(f"{t:.2f}" for t in pd_t.walls)
          + " | models kept " + " ".join(f"{t:.2f}" for t in kept_t.walls))
    print()

    def verdict(ok: bool) -> str:
        return "MET" if ok else "NOT MET"

    def ratio_line(label: str, num: Timing, den: Timing, limit: float, strict: bool, note: str) -> None:
        wall, cpu = num.wall / den.wall, num.cpu / den.cpu
        ok = wall < limit if strict else wall <= limit
        print(f"{label:<40} {wall:6.2f}x (cpu {cpu:5.2f}x)   target {'<' if strict else '<='} {limit:.1f}   "
              f"{verdict(ok)}{note}")

    print(f"{'ratio':<40} {'wall':>7}  {'':>11}")
    ratio_line("programdsl / bare parse", pd_t, parse_t, TARGET_VS_PARSE, False, "")
    ratio_line("  (models kept) / bare parse", kept_t, parse_t, TARGET_VS_PARSE, False, "   (for reference)")
    if cj_t is not None:
        ratio_line("programdsl / check-jsonschema", pd_t, cj_t, TARGET_VS_CHECK_JSONSCHEMA, True,
                   "   (in-process vs its whole command)")
        ratio_line("programdsl CLI / check-jsonschema CLI", cli_t, cj_t, TARGET_VS_CHECK_JSONSCHEMA, True,
                   "   (both whole commands)")
    else:
        print(f"{'programdsl / check-jsonschema':<40}    n/a   check-jsonschema "
              f"{'skipped' if args.no_check_jsonschema else 'is not installed'}")

    if not args.no_profile:
        profile(directory, files, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
