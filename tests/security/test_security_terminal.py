"""Hostile text from files never reaches a terminal raw, in any command or output format.

ESC sequences (window title, screen clear, OSC 52 clipboard), C1 controls (a lone 0x9b is CSI on
many terminals), NUL and bidi overrides are put into a program, a roster and a pairs file; every
command's output must show them as escapes, while the same text stays intact where it belongs
(in JSON it reads back to the same string; in CSV a formula prefix is neutralised).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from programdsl.cli import main
from programdsl.terminal import safe_json, visible

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "rosters"

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\x00end"
# As written inside a double-quoted YAML string.
HOSTILE_YAML = "\\e]0;pwned\\a\\e[2J\\x9b31m\\u202eevil\\u2066\\0end"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_safe(text: str) -> None:
    found = RAW.findall(text)
    assert not found, f"raw control characters reached the terminal: {found!r}"


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_visible_escapes_every_kind_and_keeps_letters() -> None:
    assert visible(HOSTILE) == "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil\\u2066\\x00end"
    assert visible("Zoë 张伟 محمد") == "Zoë 张伟 محمد"


def test_safe_json_reads_back_to_the_same_text() -> None:
    document = {"name": HOSTILE, "emoji": "\U0001F600", "tag": "\U000E0041"}
    text = safe_json(document)
    assert_safe(text)
    assert json.loads(text) == document


def test_program_text_is_escaped_in_every_validate_format(tmp_path: Path) -> None:
    program = tmp_path / "program.yaml"
    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    program.write_text(source.replace("kind: Program\n", f'kind: Program\n"{HOSTILE_YAML}": 1\n'), encoding="utf-8")
    for fmt in ("text", "github", "json", "sarif"):
        code, out = run(["validate", "--format", fmt, str(program)])
        assert code == 1 and "PD201" in out, out
        assert_safe(out)
        if fmt in ("json", "sarif"):
            assert any(HOSTILE in text for text in strings(json.loads(out))), "machines still get the exact key"


def test_calendar_prints_a_blackout_reason_escaped(tmp_path: Path) -> None:
    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    source = source.replace("schedule:\n  start: 2026-01-05\n",
                            "schedule:\n  start: 2026-01-05\n  blackouts:\n"
                            f'    - {{start: 2026-02-02, end: 2026-02-20, reason: "{HOSTILE_YAML}"}}\n')
    program = tmp_path / "program.yaml"
    program.write_text(source, encoding="utf-8")
    code, out = run(["calendar", str(program), "-o", str(tmp_path / "cal")])
    assert code == 0, out
    assert "\\x1b]0;pwned" in out
    assert_safe(out)


def hostile_roster(tmp_path: Path) -> Path:
    rows = list(csv.reader(io.StringIO((FIXTURES / "roster.csv").read_text(encoding="utf-8"))))
    rows[1][1] = HOSTILE.replace("\x00", "")  # a roster cannot hold NUL (it is refused as binary)
    rows[5][1] = "=HYPERLINK(\"http://x\")"
    path = tmp_path / "roster.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_match_explain_prints_roster_names_escaped(tmp_path: Path) -> None:
    roster = hostile_roster(tmp_path)
    code, out = run(["match", str(FIXTURES / "program.yaml"), str(roster), "--explain", "-o", str(tmp_path / "p.csv")])
    assert code == 0, out
    assert_safe(out)
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil\\u2066end (m1) -> " in out
    written = (tmp_path / "p.csv").read_text(encoding="utf-8")
    assert "=HYPERLINK" not in written.replace("'=HYPERLINK", "")  # a formula prefix is neutralised


def test_match_roster_problems_are_escaped(tmp_path: Path) -> None:
    rows = (FIXTURES / "roster.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("Europe/London", "Europe/\x1b[2JLondon")
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out = run(["match", str(FIXTURES / "program.yaml"), str(roster)])
    assert code == 1 and "PD405" in out, out
    assert_safe(out)


def test_a_pairs_file_status_is_escaped_in_warnings(tmp_path: Path) -> None:
    pairs = tmp_path / "p.yaml"
    code, out = run(["match", str(FIXTURES / "program.yaml"), str(FIXTURES / "roster.csv"), "-o", str(pairs)])
    assert code == 0, out
    text = pairs.read_text(encoding="utf-8").replace("status: draft", f'status: "{HOSTILE_YAML}"')
    pairs.write_text(text, encoding="utf-8")
    code, out = run(["calendar", str(FIXTURES / "program.yaml"), "--pairs", str(pairs), "-o", str(tmp_path / "cal")])
    assert_safe(out)


def test_diff_prints_changed_text_escaped(tmp_path: Path) -> None:
    old = FIXTURES / "program.yaml"
    new = tmp_path / "new.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("name: Matching test program", f'name: "{HOSTILE_YAML}"'),
                   encoding="utf-8")
    for fmt in ("text", "markdown"):
        code, out = run(["diff", str(old), str(new), "--format", fmt])
        assert code == 0, out
        assert_safe(out)


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_file_names_with_escapes_are_shown_escaped(tmp_path: Path, fmt: str) -> None:
    program = tmp_path / "bad\x1b]0;x\x07.yaml"
    program.write_text("apiVersion: programdsl/v1\nkind: Program\n", encoding="utf-8")
    code, out = run(["validate", "--format", fmt, str(program)])
    assert code == 1
    assert_safe(out)


def test_usage_errors_show_typed_names_escaped(tmp_path: Path) -> None:
    code, out = run(["validate", str(tmp_path / "nope\x1b]0;x\x07.yaml")])
    assert code == 2 and "nope\\x1b]0;x\\x07.yaml" in out
    assert_safe(out)


def test_init_refuses_a_name_with_control_characters(tmp_path: Path) -> None:
    code, out = run(["init", "--type", "reverse", "--name", "Evil\x1b]0;x\x07", "-o", str(tmp_path / "p.yaml")])
    assert code == 2 and "Evil\\x1b]0;x\\x07" in out
    assert_safe(out)
    assert not (tmp_path / "p.yaml").exists()


def blackout_program(tmp_path: Path) -> Path:
    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    source = source.replace("schedule:\n  start: 2026-01-05\n",
                            "schedule:\n  start: 2026-01-05\n  blackouts:\n"
                            f'    - {{start: 2026-02-02, end: 2026-02-20, reason: "{HOSTILE_YAML}"}}\n')
    program = tmp_path / "program.yaml"
    program.write_text(source, encoding="utf-8")
    return program


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_show_prints_values_escaped_and_they_read_back_the_same(tmp_path: Path, fmt: str) -> None:
    import yaml

    code, out = run(["show", "--format", fmt, str(blackout_program(tmp_path))])
    assert code == 0, out
    assert_safe(out)
    if fmt == "json":
        reasons = [item["value"] for item in json.loads(out) if item["path"] == "/schedule/blackouts/0/reason"]
    else:
        reasons = [yaml.safe_load(line.split("  # from")[0].split(":", 1)[1]) for line in out.splitlines()
                   if line.strip().startswith("reason:")]
    assert reasons == [HOSTILE]


@pytest.mark.parametrize("command", ["build", "calendar"])
def test_an_output_folder_named_with_escapes_is_shown_escaped(tmp_path: Path, command: str) -> None:
    out_dir = tmp_path / "out\x1b]0;pwned\x07\u202e"
    args = [command, str(FIXTURES / "program.yaml"), "-o", str(out_dir)] + (["--format", "md"] if command == "build" else [])
    code, out = run(args)
    assert code == 0, out
    assert "out\\x1b]0;pwned\\x07\\u202e" in out
    assert_safe(out)
