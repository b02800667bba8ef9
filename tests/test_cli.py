"""The `programdsl validate` command: exit codes, discovery and the four output formats."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from programdsl.api import FileResult, Report
from programdsl.cli import main
from programdsl.diagnostics import CATALOGUE, SCHEMA_UNKNOWN_KEY, Span
from programdsl.reporters import REPORTERS, make
from programdsl.resources import schema_path

from conftest import INVALID_DIR, MINIMAL, write_program

TYPO = MINIMAL.replace("  timezone: Europe/London", "  timezon: Europe/London")
WARNING_ONLY = MINIMAL.replace("    target: 4\n", "")  # PD311 metric-without-target, a warning
ANSI = re.compile(r"\x1b\[")


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- exit codes


def test_valid_file_exits_0(cwd: Path) -> None:
    write_program(cwd, MINIMAL, "good.yaml")
    result = run("validate", "good.yaml")
    assert result.exit_code == 0
    assert result.output == "1 file checked: no problems found\n"


def test_problems_exit_1_with_compiler_style_text(cwd: Path) -> None:
    write_program(cwd, TYPO, "bad.yaml")
    result = run("validate", "bad.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == [
        "bad.yaml:6:3: error[PD201]: unknown key 'timezon' in metadata",
        "  6 |   timezon: Europe/London",
        "    |   ^",
    ]
    assert lines[3].startswith("  hint: did you mean 'timezone'?")
    assert lines[-1] == "1 error, 0 warnings in 1 file checked"
    assert not ANSI.search(result.output)


def test_nonexistent_path_exits_2(cwd: Path) -> None:
    result = run("validate", "missing.yaml")
    assert result.exit_code == 2
    assert "missing.yaml" in result.output


def test_no_paths_exits_2() -> None:
    assert run("validate").exit_code == 2


def test_unknown_format_exits_2(cwd: Path) -> None:
    write_program(cwd, MINIMAL, "good.yaml")
    assert run("validate", "--format", "xml", "good.yaml").exit_code == 2


def test_directory_without_program_files_exits_2(cwd: Path) -> None:
    (cwd / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (cwd / "notes.txt").write_text("apiVersion: programdsl/v1\n", encoding="utf-8")
    result = run("validate", str(cwd))
    assert result.exit_code == 2
    assert "no program files found" in result.output


def test_empty_directory_exits_2(cwd: Path) -> None:
    (cwd / "empty").mkdir()
    assert run("validate", "empty").exit_code == 2


def test_warnings_pass_unless_strict(cwd: Path) -> None:
    write_program(cwd, WARNING_ONLY, "warn.yaml")
    relaxed = run("validate", "warn.yaml")
    assert relaxed.exit_code == 0
    assert "warning[PD311]" in relaxed.output
    assert relaxed.output.splitlines()[-1] == (
        "0 errors, 1 warning in 1 file checked (warnings do not fail the check; --strict makes them)")
    strict = run("validate", "--strict", "warn.yaml")
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "0 errors, 1 warning in 1 file checked"
    assert json.loads(run("validate", "--strict", "--format", "json", "warn.yaml").output)["ok"] is False
    assert json.loads(run("validate", "--format", "json", "warn.yaml").output)["ok"] is True


def test_strict_with_a_valid_file_exits_0(cwd: Path) -> None:
    write_program(cwd, MINIMAL, "good.yaml")
    assert run("validate", "--strict", "good.yaml").exit_code == 0


# --- discovery


def test_directory_recursion_checks_only_program_files(cwd: Path) -> None:
    write_program(cwd, MINIMAL, "programs/a.yaml")
    write_program(cwd, TYPO, "programs/team/deep/b.yml")
    write_program(cwd, '# A program file may start with a comment\napiVersion: "programdsl/v1"\nkind: ProgramDefaults\n',
                  "programs/defaults.yaml")
    write_program(cwd, "on: push\njobs:\n  test: {runs-on: ubuntu-latest}\n", "programs/workflow.yaml")
    write_program(cwd, "apiVersion: v1\nkind: ConfigMap\n", "programs/k8s.yaml")
    write_program(cwd, MINIMAL, "programs/.hidden/c.yaml")
    write_program(cwd, MINIMAL, "programs/notes.txt")
    result = run("validate", "--format", "json", "programs")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [f["file"] for f in report["files"]] == [
        os.path.join("programs", "a.yaml"),
        os.path.join("programs", "defaults.yaml"),
        os.path.join("programs", "team", "deep", "b.yml"),
    ]
    assert [f["kind"] for f in report["files"]] == ["Program", "ProgramDefaults", "Program"]
    assert [(d["file"], d["code"]) for d in report["diagnostics"]] == [(os.path.join("programs", "team", "deep", "b.yml"), "PD201")]


def test_named_file_is_checked_even_without_the_header(cwd: Path) -> None:
    write_program(cwd, "on: push\nname: CI\n", "workflow.yaml")
    result = run("validate", "--format", "json", "workflow.yaml")
    assert result.exit_code == 1
    found = {d["code"] for d in json.loads(result.output)["diagnostics"]}
    # YAML 1.1 reads the key `on` as true (PD013); `name` is unknown; apiVersion and kind are missing.
    assert found == {"PD013", "PD201", "PD203"}


def test_absolute_paths_under_the_working_directory_are_shown_relative(cwd: Path) -> None:
    write_program(cwd, TYPO, "bad.yaml")
    result = run("validate", str(cwd / "bad.yaml"))
    assert result.output.startswith("bad.yaml:6:3: ")


# --- json


def test_json_report_shape(cwd: Path) -> None:
    write_program(cwd, MINIMAL, "good.yaml")
    write_program(cwd, TYPO, "bad.yaml")
    write_program(cwd, WARNING_ONLY, "warn.yaml")
    result = run("validate", "--format", "json", "good.yaml", "bad.yaml", "warn.yaml")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["formatVersion"] == 1
    assert report["tool"]["name"] == "programdsl"
    assert report["ok"] is False
    assert report["summary"] == {"files": 3, "errors": 1, "warnings": 1}
    assert report["files"] == [
        {"file": "good.yaml", "kind": "Program", "errors": 0, "warnings": 0},
        {"file": "bad.yaml", "kind": "Program", "errors": 1, "warnings": 0},
        {"file": "warn.yaml", "kind": "Program", "errors": 0, "warnings": 1},
    ]
    keys = {"file", "line", "column", "severity", "code", "name", "message", "hint", "path"}
    for diag in report["diagnostics"]:
        assert set(diag) == keys
        assert isinstance(diag["line"], int) and isinstance(diag["column"], int)
    typo, warn = report["diagnostics"]
    assert typo == {
        "file": "bad.yaml", "line": 6, "column": 3, "severity": "error", "code": "PD201", "name": "unknown-key",
        "message": "unknown key 'timezon' in metadata", "hint": typo["hint"], "path": "/metadata/timezon",
    }
    assert typo["hint"].startswith("did you mean 'timezone'?")
    assert (warn["code"], warn["severity"], warn["name"], warn["path"]) == (
        "PD311", "warning", "metric-without-target", "/metrics/0")


def test_json_is_the_only_output(cwd: Path) -> None:
    write_program(cwd, TYPO, "bad.yaml")
    output = run("validate", "--format", "json", "bad.yaml").output
    assert output.startswith("{") and output.endswith("}\n")
    json.loads(output)


def test_json_keeps_non_ascii_text(cwd: Path) -> None:
    write_program(cwd, TYPO.replace("Pilot program", "Programme pilote à Zürich"), "bad.yaml")
    report = json.loads(run("validate", "--format", "json", "bad.yaml").output)
    assert report["summary"]["errors"] == 1


# --- github


def test_github_annotations_are_exact(cwd: Path) -> None:
    write_program(cwd, TYPO, "bad.yaml")
    write_program(cwd, WARNING_ONLY, "warn.yaml")
    result = run("validate", "--format", "github", "bad.yaml", "warn.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "::error file=bad.yaml,line=6,col=3,title=PD201 unknown-key::unknown key 'timezon' in metadata"
        "%0Ahint: did you mean 'timezone'? allowed keys here: description, id, locale, name, owner, timezone, version"
    )
    assert lines[1] == (
        "::warning file=warn.yaml,line=14,col=9,title=PD311 metric-without-target::metric 'confidence-score' has no target"
        "%0Ahint: add `target:` with the value the program aims for (and `baseline:` if you know it)"
    )
    assert lines[2].startswith("programdsl: 2 files checked")
    assert len(lines) == 3


def test_github_is_the_default_inside_github_actions(cwd: Path) -> None:
    write_program(cwd, TYPO, "bad.yaml")
    result = run("validate", "bad.yaml", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.output.startswith("::error file=bad.yaml,line=6,col=3,")
    explicit = run("validate", "--format", "text", "bad.yaml", env={"GITHUB_ACTIONS": "true"})
    assert explicit.output.startswith("bad.yaml:6:3: error[PD201]")
    other = run("validate", "bad.yaml", env={"GITHUB_ACTIONS": "false"})
    assert other.output.startswith("bad.yaml:6:3: error[PD201]")


def test_github_escaping() -> None:
    """Workflow-command data escapes %, CR and LF; properties also escape ':' and ','."""
    diag = SCHEMA_UNKNOWN_KEY.at(Span("dir,with:odd%name.yaml", 3, 7), "100% wrong\r\nsecond line", hint="a, b: c")
    report = Report([FileResult("dir,with:odd%name.yaml", diagnostics=[diag])])
    stream = io.StringIO()
    reporter = make("github", stream)
    reporter.file_done(report.files[0])
    assert stream.getvalue() == (
        "::error file=dir%2Cwith%3Aodd%25name.yaml,line=3,col=7,title=PD201 unknown-key::"
        "100%25 wrong%0D%0Asecond line%0Ahint: a, b: c\n"
    )


def test_github_reports_a_shared_problem_once(cwd: Path) -> None:
    write_program(cwd, "apiVersion: programdsl/v1\nkind: ProgramDefaults\nmeetings: {minutes: 2}\n", "defaults.yaml")
    for name in ("a.yaml", "b.yaml"):
        write_program(cwd, "extends: defaults.yaml\n" + MINIMAL, name)
    lines = run("validate", "--format", "github", "a.yaml", "b.yaml").output.splitlines()
    assert lines[:-1] == [lines[0]] and lines[0].startswith("::error file=defaults.yaml,line=3,col=21,")


# --- sarif


def test_sarif_report(cwd: Path) -> None:
    write_program(cwd, TYPO, "bad.yaml")
    write_program(cwd, WARNING_ONLY, "warn.yaml")
    result = run("validate", "--format", "sarif", "bad.yaml", "warn.yaml")
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"]
    run0 = sarif["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    assert run0["tool"]["driver"]["name"] == "programdsl"
    assert {r["id"] for r in rules} == set(CATALOGUE)
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    results = run0["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("PD201", "error"), ("PD311", "warning")]
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert regions == [{"startLine": 6, "startColumn": 3}, {"startLine": 14, "startColumn": 9}]
    artifact = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "bad.yaml", "uriBaseId": "%SRCROOT%"}
    assert run0["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_sarif_with_no_problems(cwd: Path) -> None:
    write_program(cwd, MINIMAL, "good.yaml")
    result = run("validate", "--format", "sarif", "good.yaml")
    assert result.exit_code == 0
    assert json.loads(result.output)["runs"][0]["results"] == []


def test_sarif_preset_location_has_no_base(cwd: Path) -> None:
    write_program(cwd, MINIMAL.replace("  start: 2026-01-05\n", "  start: 2026-01-05\n  duration: 2 weeks\n"), "short.yaml")
    sarif = json.loads(run("validate", "--format", "sarif", "short.yaml").output)
    artifact = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "preset:traditional"}


def test_sarif_uris_are_percent_encoded(cwd: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    write_program(cwd, TYPO, "my programs/pilot #1.yaml")
    outside = write_program(tmp_path_factory.mktemp("elsewhere"), TYPO, "100% pilot.yaml")
    sarif = json.loads(run("validate", "--format", "sarif", "my programs", str(outside)).output)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris == ["my%20programs/pilot%20%231.yaml", outside.as_uri()]
    assert uris[1].startswith("file:///") and uris[1].endswith("/100%25%20pilot.yaml")


# --- text details


def test_text_shows_the_preset_source_line(cwd: Path) -> None:
    write_program(cwd, MINIMAL.replace("  start: 2026-01-05\n", "  start: 2026-01-05\n  duration: 2 weeks\n"), "short.yaml")
    result = run("validate", "short.yaml")
    first, source = result.output.splitlines()[:2]
    assert re.match(r"preset:traditional:\d+:\d+: error\[PD306\]: ", first)
    assert source.endswith("|   frequency: monthly")


def test_text_for_a_binary_file(cwd: Path) -> None:
    write_program(cwd, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.yaml")
    result = run("validate", "logo.yaml")
    assert result.exit_code == 1
    assert result.output.startswith("logo.yaml:3:1: error[PD003]: ")


def test_text_never_echoes_a_binary_file(cwd: Path) -> None:
    raw = bytes(range(1, 256)) * 2 + b"\x00" + bytes(range(255, 0, -1))
    write_program(cwd, raw, "blob.yaml")
    lines = run("validate", "blob.yaml").output.splitlines()
    assert lines[0].startswith("blob.yaml:") and "error[PD003]" in lines[0]
    assert lines[1] == "  hint: check that the path names a YAML program file"  # no source line, no caret


def _source_and_caret(output: str) -> tuple[str, int]:
    """The shown source line (after the gutter) and the caret's column within it (0-based)."""
    lines = output.splitlines()
    source, caret = lines[1].split(" | ", 1)[1], lines[2].split(" | ", 1)[1]
    return source, len(caret) - 1


@pytest.mark.parametrize(("name", "shown", "under", "extra_columns"), [
    # A bidi override is escaped, never sent: it would make the line read differently.
    ("Caf\u00e9 \u202eclub", "Caf\u00e9 \\u202eclub", "english", 0),
    # YAML refuses the escape character itself (PD006); the caret sits on its escaped form.
    ("x\x1b]0;pwned\x07", "x\\x1b]0;pwned\\x07", "\\x1b", 0),
    # Three wide characters take six columns on a terminal, not three.
    ("\u65e5\u672c\u8a9e club", "\u65e5\u672c\u8a9e club", "english", 3),
])
def test_text_escapes_what_a_terminal_would_not_print_and_keeps_the_caret_under_the_problem(
        cwd: Path, name: str, shown: str, under: str, extra_columns: int) -> None:
    block = "metadata:\n  id: pilot\n  name: Pilot program\n  timezone: Europe/London\n"
    assert block in MINIMAL
    write_program(cwd, MINIMAL.replace(block, f'metadata: {{id: pilot, name: "{name}", locale: english}}\n'), "odd.yaml")
    result = run("validate", "odd.yaml")
    assert result.exit_code == 1
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", result.output)
    source, caret = _source_and_caret(result.output)
    assert source == f'metadata: {{id: pilot, name: "{shown}", locale: english}}'
    assert caret == source.index(under) + extra_columns


def test_text_shows_a_tab_as_an_escape_with_the_caret_on_it(cwd: Path) -> None:
    write_program(cwd, MINIMAL.replace("  name: Pilot program", "  \tname: Pilot program"), "tab.yaml")
    assert run("validate", "tab.yaml").output.splitlines()[:4] == [
        "tab.yaml:5:3: error[PD006]: a tab indents this line, but YAML indents with spaces only",
        "  5 |   \\tname: Pilot program",
        "    |   ^",
        "  hint: replace the tab with spaces, and set your editor to indent YAML files with spaces",
    ]


def test_text_cuts_a_very_long_line_around_the_caret(cwd: Path) -> None:
    padding = "x" * 500
    write_program(cwd, MINIMAL.replace("  name: Pilot program", f"  name: {padding}\n  locale: {padding}"), "long.yaml")
    source, caret = _source_and_caret(run("validate", "long.yaml").output)
    assert len(source) < 200 and source.startswith("  locale: ") and source.endswith("...")
    assert caret == len("  locale: ")


# --- standard input


def test_dash_validates_standard_input(cwd: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "-"], input=TYPO)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "<stdin>:6:3: error[PD201]: unknown key 'timezon' in metadata"
    valid = CliRunner().invoke(main, ["validate", "--format", "json", "-"], input=MINIMAL)
    assert valid.exit_code == 0
    assert json.loads(valid.output)["files"][0]["file"] == "<stdin>"


def test_dash_keeps_the_size_limit(cwd: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "-"], input=b"#" * (2 * 1024 * 1024))
    assert result.exit_code == 1
    assert result.output.startswith("<stdin>:1:1: error[PD002]: the file is larger than 1,048,576 bytes")


def test_a_piped_dev_stdin_is_refused_and_points_at_dash(tmp_path: Path) -> None:
    if not Path("/dev/stdin").exists():
        pytest.skip("no /dev/stdin here")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    proc = subprocess.run([sys.executable, "-m", "programdsl", "validate", "/dev/stdin"], input=MINIMAL,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[:2] == [
        "/dev/stdin:1:1: error[PD001]: not a regular file but a pipe",
        "  hint: to read a program from standard input, give `-` as the path, e.g. "
        "`cat program.yaml | programdsl validate -`",
    ]


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_every_fixture_in_every_format(output_format: str) -> None:
    """All the invalid fixtures at once: problems found, never a traceback, never PD999."""
    paths = [str(p) for p in sorted(INVALID_DIR.glob("*.yaml"))]
    result = run("validate", "--format", output_format, *paths)
    assert result.exit_code == 1
    if output_format == "json":
        found = [d["code"] for d in json.loads(result.output)["diagnostics"]]
    elif output_format == "sarif":
        found = [r["ruleId"] for r in json.loads(result.output)["runs"][0]["results"]]
    else:
        found = re.findall(r"PD\d{3}", result.output)
    assert found and "PD999" not in found


def test_real_process_never_prints_a_traceback(tmp_path: Path) -> None:
    """Through a real interpreter: the exit code and streams a CI job sees."""
    write_program(tmp_path, b"\xff\xfe\x00binary", "bad.yaml")
    command = [sys.executable, "-m", "programdsl", "validate"]
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    found = subprocess.run([*command, str(INVALID_DIR), str(tmp_path / "bad.yaml")], capture_output=True, text=True, env=env)
    assert found.returncode == 1
    missing = subprocess.run([*command, str(tmp_path / "nope.yaml")], capture_output=True, text=True, env=env)
    assert missing.returncode == 2
    for proc in (found, missing):
        assert "Traceback" not in proc.stdout + proc.stderr


# --- other commands


def test_version_types_and_schema() -> None:
    assert run("--version").exit_code == 0
    types = run("types").output.splitlines()
    assert [line.split()[0] for line in types][:2] == ["traditional", "reverse"]
    schema = run("schema").output
    assert json.loads(schema) == json.loads(schema_path().read_text(encoding="utf-8"))


def test_reporter_registry() -> None:
    assert set(REPORTERS) == {"text", "json", "github", "sarif"}
