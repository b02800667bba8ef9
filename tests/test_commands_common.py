"""The plumbing the commands share (programdsl/commands/common.py) and the small helpers that
several readers and writers use as one: counting nouns, cell positions, time zones."""

from __future__ import annotations

import ast
import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from programdsl.commands.common import print_diagnostics, require_libraries
from programdsl.diagnostics import SCHEMA_UNKNOWN_KEY, Span
from programdsl.matching.sentences import counted as matching_counted
from programdsl.positions import byte_span, cell_starts, column_letter
from programdsl.reporters.base import plural
from programdsl.render.words import counted

PACKAGE = Path(__file__).resolve().parent.parent / "programdsl"
EXAMPLE = PACKAGE.parent / "examples" / "traditional-leadership.yaml"


def test_commands_never_import_the_cli_module() -> None:
    """Imports run downward: cli.py lists the commands; no command reaches back up into it."""
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = "." * node.level + (node.module or "")
                assert target not in ("..cli", "programdsl.cli"), f"{path.name} imports {target}"


def test_plain_validate_loads_no_heavy_library() -> None:
    code = ("import sys; from programdsl.cli import main\n"
            "try:\n"
            f"    main(['validate', {str(EXAMPLE)!r}])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in ('scipy', 'matplotlib', 'numpy', 'weasyprint', 'openpyxl') if m in sys.modules),"
            " file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(("count", "noun", "expected"), [
    (1, "match", "1 match"), (2, "match", "2 matches"), (0, "file", "0 files"), (3, "error", "3 errors"),
    (2, "day", "2 days"), (2, "board secretary", "2 board secretaries"), (2, "kept pair", "2 kept pairs"),
    (2, "CEO", "2 CEOs"), (2, "peer partner (mentor)", "2 peer partners (mentor)"),
])
def test_one_way_to_count_a_noun(count: int, noun: str, expected: str) -> None:
    """Command summaries, reporters and matching explanations count with the same English rule."""
    assert counted(count, noun) == plural(count, noun) == matching_counted(count, noun) == expected


def test_diagnostic_lines_are_terminal_safe_and_hints_keep_their_lines() -> None:
    stream = io.StringIO()
    diag = SCHEMA_UNKNOWN_KEY.at(Span("roster.csv", 3, 7), "name \x1b]0;owned\x07 is odd",
                                 hint="people:\n    - {id: p1}")
    print_diagnostics([diag], stream)
    assert stream.getvalue() == ("roster.csv:3:7: error[PD201]: name \\x1b]0;owned\\x07 is odd\n"
                                 "  hint: people:\n    - {id: p1}\n")


def test_a_missing_optional_library_names_the_extra(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        require_libraries(["programdsl_no_such_library"], "matching needs", extra="match")
    assert exit_.value.code == 1
    assert capsys.readouterr().err == ("error: matching needs programdsl_no_such_library, which is not installed; "
                                       "install them with `pip install 'programdsl[match]'`\n")
    require_libraries(["json"], "matching needs", extra="match")  # present: goes on


def test_cell_positions() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    assert cell_starts('a,"b,""c""",d', ",") == [0, 2, 12]
    assert cell_starts("x\ty", "\t") == [0, 2]
    raw = "id,name\np1,Zoë\x00".encode("utf-8")
    span = byte_span("roster.csv", raw, raw.index(b"\x00"))
    assert (span.line, span.col) == (2, 7)  # 'ë' is two bytes but one column


def test_report_write_failure_is_pd034_like_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("scipy")
    pytest.importorskip("matplotlib")
    from click.testing import CliRunner

    from programdsl import output
    from programdsl.cli import main

    def failing(target: Path, data: object, sync: bool = True) -> Path:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(target.parent / ".report.md.1-00000000.tmp"))

    monkeypatch.setattr(output, "_stage", failing)
    fixture = Path(__file__).resolve().parent / "fixtures" / "report"
    result = CliRunner().invoke(main, ["report", str(fixture / "program.yaml"), "--responses", str(fixture / "mentors.csv"),
                                       "--no-pdf", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "out: error[PD034]: cannot write the report: " in result.output and "permission denied" in result.output
    assert ".tmp" not in result.output and "Traceback" not in result.output
