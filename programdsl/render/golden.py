"""Regenerate (or check) the golden files: every example's documents, as the tests expect them.

    python -m programdsl.render.golden           # rewrite tests/golden/<example>/ from examples/
    python -m programdsl.render.golden --check   # exit 1 and list differences, change nothing

Golden files hold every text output (Markdown, HTML, the forms' JSON and CSV) of each program in
examples/ and tests/fixtures/shapes/. PDFs are left out, checked for determinism and text instead,
since their bytes change with the WeasyPrint and font versions installed; so are XLSForm workbooks,
whose bytes follow the openpyxl version and which tests/test_xlsform.py converts with pyxform.
Review a regeneration as a diff.
Works in a source checkout only (it needs examples/ and tests/).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..api import Validator
from .documents import BuildOptions, render_documents

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GOLDEN = REPO / "tests" / "golden"
FORMATS = ("md", "html")


# Program shapes that are not examples of a type but exercise patterns documents must get right
# (a reverse program whose senior side arranges sessions, a large one with mentor capacity 2, a
# 12-week term with two evaluations); their golden files sit beside the examples'.
SHAPES = REPO / "tests" / "fixtures" / "shapes"


def example_files() -> list[Path]:
    return sorted(p for folder in (EXAMPLES, SHAPES) for p in folder.glob("*.yaml") if p.is_file())


def expected_files(path: Path) -> dict[str, bytes]:
    """The golden set for one example (calendars belong to the calendar tests and are left out)."""
    result = Validator().check_file(path)
    if result.program is None or result.errors:
        raise SystemExit(f"{path}: does not validate; fix it before regenerating golden files")
    files = render_documents(result.program, BuildOptions(formats=FORMATS))
    # XLSForm workbooks are checked by converting them with pyxform (tests/test_xlsform.py): their
    # bytes follow the openpyxl version installed, like PDFs follow WeasyPrint's.
    return {path: data for path, data in files.items() if not path.endswith(".xlsx")}


def differences(name: str, files: dict[str, bytes]) -> list[str]:
    folder = GOLDEN / name
    problems = []
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()
    for relative, data in files.items():
        target = folder / relative
        if relative not in on_disk:
            problems.append(f"{name}/{relative}: missing from the golden files")
        elif target.read_bytes() != data:
            problems.append(f"{name}/{relative}: differs")
    for relative in sorted(on_disk - set(files)):
        problems.append(f"{name}/{relative}: no longer generated")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m programdsl.render.golden", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report differences instead of rewriting")
    args = parser.parse_args(argv)
    problems: list[str] = []
    examples = example_files()
    for path in examples:
        name = path.stem
        files = expected_files(path)
        if args.check:
            problems += differences(name, files)
            continue
        folder = GOLDEN / name
        if folder.exists():
            shutil.rmtree(folder)
        for relative, data in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        print(f"{name}: {len(files)} files")
    known = {p.stem for p in examples}
    # tests/golden/README.md explains the folder; every other entry is one example's folder
    for stale in sorted(p for p in GOLDEN.iterdir() if p.is_dir() and p.name not in known) if GOLDEN.is_dir() else []:
        if args.check:
            problems.append(f"{stale.name}: golden files for an example that no longer exists")
        else:
            shutil.rmtree(stale)
            print(f"{stale.name}: removed (no such example)")
    problems += _report_golden(args.check)
    for line in problems:
        print(line)
    return 1 if problems else 0


REPORT_FIXTURE = REPO / "tests" / "fixtures" / "report"


def report_golden_files() -> dict[str, bytes]:
    """The report of tests/fixtures/report (without report.html, whose SVG bytes follow the
    installed matplotlib; the tests check its determinism and content instead)."""
    from ..measure.run import ReportRequest, make_report
    from ..schedule import build_schedule

    result = Validator().check_file(REPORT_FIXTURE / "program.yaml")
    if result.program is None or result.errors:
        raise SystemExit("tests/fixtures/report/program.yaml does not validate")
    names = ["mentors.csv", "consultant-baseline.csv", "consultant-closing.csv", "midpoint.csv"]
    request = ReportRequest([str(REPORT_FIXTURE / n) for n in names], str(REPORT_FIXTURE / "sessions.csv"),
                            str(REPORT_FIXTURE / "pairs.yaml"), None, str(REPORT_FIXTURE / "values.yaml"))
    loc = result.resolved.loc if result.resolved is not None else None
    files = make_report(result.program, build_schedule(result.program), request, loc).files
    return {name: data for name, data in files.items() if name != "report.html"}


def _report_golden(check: bool) -> list[str]:
    folder = REPORT_FIXTURE / "expected"
    problems = []
    for name, data in report_golden_files().items():
        target = folder / name
        if check:
            if not target.is_file() or target.read_bytes() != data:
                problems.append(f"report fixture/{name}: differs")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if not check:
        print("report fixture: expected report files written")
    return problems


if __name__ == "__main__":
    sys.exit(main())
