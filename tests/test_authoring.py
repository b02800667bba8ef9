"""Authoring and review: init, types, schema export, configuration, diff, the pre-commit hook."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from programdsl.cli import main
from programdsl.resources import program_types

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None, stdout_only: bool = False) -> tuple[int, str]:
    """Run the CLI in-process (from `cwd` if given): exit code and what it printed (everything,
    or only standard output)."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout if stdout_only else result.output


# --- types, init, schema -------------------------------------------------------------------


def test_types_lists_every_type_with_a_description() -> None:
    code, out = run("types")
    assert code == 0
    lines = out.strip().splitlines()
    assert [line.split()[0] for line in lines] == program_types()
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)


@pytest.mark.parametrize("program_type", program_types())
def test_init_writes_a_strictly_valid_commented_file(program_type: str, tmp_path: Path) -> None:
    target = tmp_path / f"{program_type}.yaml"
    code, _ = run("init", "--type", program_type, "-o", str(target), "--start", "2027-03-01")
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert f"type: {program_type}" in text
    code, out = run("validate", "--strict", str(target))
    assert code == 0, out


def test_init_points_the_modeline_at_a_vendored_schema(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "program.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "programs").mkdir()
    target = tmp_path / "programs" / "p.yaml"
    assert run("init", "--type", "peer", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=../schemas/program.schema.json"


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("keep me", encoding="utf-8")
    code, out = run("init", "--type", "peer", "-o", str(target))
    assert code == 2 and "--force" in out
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(("start", "message"), [
    ("2027-02-30", "2027-02-30 is not a real date: February has 28 days in 2027"),
    ("2027-04-31", "2027-04-31 is not a real date: April has 30 days"),
    ("2027-13-01", "2027-13-01 is not a real date: there is no month 13"),
    ("1899-12-31", "1899-12-31 is outside the years a program can use: the year must be between 1900 and 2199"),
    ("2200-01-01", "2200-01-01 is outside the years a program can use: the year must be between 1900 and 2199"),
    ("1/3/2027", "'1/3/2027' is not a date: write dates as YYYY-MM-DD, e.g. 2027-01-04"),
])
def test_init_explains_a_start_date_it_cannot_use(start: str, message: str) -> None:
    code, out = run("init", "--type", "peer", "--start", start)
    assert code == 2
    assert f"Invalid value for '--start': {message}\n" in out


@pytest.mark.parametrize("start", ["2028-02-29", "1900-01-01", "2199-12-01"])
def test_init_accepts_the_dates_the_validator_accepts(start: str, tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    assert run("init", "--type", "flash", "--start", start, "-o", str(target))[0] == 0
    assert f"  start: {start}\n" in target.read_text(encoding="utf-8")
    code, out = run("validate", str(target))
    assert code == 0, out


def test_init_explains_a_bad_id() -> None:
    code, out = run("init", "--type", "peer", "--id", "Peer Circle 2027")
    assert code == 2
    assert ("'Peer Circle 2027' is not an id: use lowercase letters, digits and hyphens, starting with a letter or "
            "digit, e.g. peer-circle-2027") in out


def test_schema_command_prints_the_committed_schema() -> None:
    code, out = run("schema")
    assert code == 0
    assert out == (REPO / "schemas" / "program.schema.json").read_text(encoding="utf-8")
    json.loads(out)


# --- configuration and inline suppression -------------------------------------------------------

NO_TARGET = """apiVersion: programdsl/v1
kind: Program
metadata: {id: pilot, name: Pilot, timezone: Europe/London}
type: peer
objectives:
  - {id: o1, title: Share practice, beneficiary: mentee, metrics: [m1]}
metrics:
  - {id: m1, name: Sessions held, definition: Sessions held per pair, unit: sessions}
schedule: {start: 2027-01-04}
surveys:
  - id: s1
    title: Closing
    audience: [mentor, mentee]
    when: {milestone: closing}
    questions:
      - {id: q, text: Worth it?, type: yes-no}
"""


def test_warning_passes_unless_strict(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(NO_TARGET, encoding="utf-8")
    code, out = run("validate", "p.yaml", cwd=tmp_path)
    assert code == 0 and "p.yaml:8:10: warning[PD311]" in out
    assert run("validate", "--strict", "p.yaml", cwd=tmp_path)[0] == 1


def test_pyproject_config_sets_strict_and_relevels_rules(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(NO_TARGET, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.programdsl]\nstrict = true\n', encoding="utf-8")
    assert run("validate", "p.yaml", cwd=tmp_path)[0] == 1
    (tmp_path / "pyproject.toml").write_text('[tool.programdsl.rules]\nmetric-without-target = "off"\n', encoding="utf-8")
    code, out = run("validate", "--strict", "p.yaml", cwd=tmp_path)
    assert code == 0 and "PD311" not in out
    (tmp_path / "pyproject.toml").write_text('[tool.programdsl.rules]\nPD311 = "error"\n', encoding="utf-8")
    code, out = run("validate", "p.yaml", cwd=tmp_path)
    assert code == 1 and "p.yaml:8:10: error[PD311]" in out


def test_programdsl_yaml_config_reads_bare_off(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(NO_TARGET, encoding="utf-8")
    (tmp_path / "programdsl.yaml").write_text("strict: true\nrules:\n  PD311: off\n", encoding="utf-8")
    assert run("validate", "p.yaml", cwd=tmp_path)[0] == 0


@pytest.mark.parametrize("config, message", [
    ("rules:\n  PD006: off\n", "only schema (PD2xx) and program rules (PD3xx) can be silenced"),
    ("rules:\n  no-such-rule: off\n", "unknown rule 'no-such-rule'"),
    ("rules:\n  PD311: loud\n", "use one of off, warning, error"),
    ("strictness: true\n", "unknown setting(s) strictness"),
])
def test_bad_configuration_is_a_usage_error(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "p.yaml").write_text(NO_TARGET, encoding="utf-8")
    (tmp_path / "programdsl.yaml").write_text(config, encoding="utf-8")
    code, out = run("validate", "p.yaml", cwd=tmp_path)
    assert code == 2 and message in out


def test_inline_comment_suppresses_one_rule_on_one_line(tmp_path: Path) -> None:
    suppressed = NO_TARGET.replace("unit: sessions}", "unit: sessions}  # programdsl: disable=PD311")
    (tmp_path / "p.yaml").write_text(suppressed, encoding="utf-8")
    assert run("validate", "--strict", "p.yaml", cwd=tmp_path)[0] == 0
    other_rule = NO_TARGET.replace("unit: sessions}", "unit: sessions}  # programdsl: disable=PD302")
    (tmp_path / "p.yaml").write_text(other_rule, encoding="utf-8")
    assert run("validate", "--strict", "p.yaml", cwd=tmp_path)[0] == 1


# --- diff -----------------------------------------------------------------------------------


def _pair(tmp_path: Path, change: str) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(NO_TARGET, encoding="utf-8")
    new.write_text(NO_TARGET + change, encoding="utf-8")
    return old, new


def test_diff_says_changes_in_program_terms(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, """meetings: {frequency: monthly}
pairing:
  constraints:
    - {id: same-level, rule: level-gap, direction: peer, max: 1}
    - {rule: different, attribute: department}
""")
    text = new.read_text(encoding="utf-8").replace("schedule: {start: 2027-01-04}", "schedule: {start: 2027-01-04, duration: 7 months}")
    text = text.replace("  - {id: o1, title: Share practice, beneficiary: mentee, metrics: [m1]}",
                        "  - {id: o1, title: Share practice, beneficiary: mentee, metrics: [m1]}\n"
                        "  - {id: digital-fluency, title: Use new tools, beneficiary: mentor, metrics: [m1]}")
    new.write_text(text, encoding="utf-8")
    code, out = run("diff", str(old), str(new), stdout_only=True)
    assert code == 0
    assert out.splitlines() == [
        "schedule: end date moved from 2027-07-03 to 2027-08-03",
        "schedule: milestone closing moved from 2027-07-03 to 2027-08-03",
        "schedule: milestone midpoint moved from 2027-04-04 to 2027-04-19",
        "meetings: meeting cadence: biweekly -> monthly",
        "objectives: new objective digital-fluency: Use new tools",
        "pairing: added constraint different department",
        "pairing: removed constraint not reporting line",
        "pairing: removed constraint not excluded",
        "documents affected: the charter; the training guides and handbooks of mentor (Peer adviser), mentee (Peer partner)",
    ]


def test_diff_markdown_fits_a_pull_request_comment(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, "meetings: {minutes: 30}\n")
    code, out = run("diff", "--format", "markdown", str(old), str(new), stdout_only=True)
    assert code == 0
    assert out.startswith("### programdsl: 1 change to Pilot\n")
    assert "- session length (minutes): 45 \u2192 30\n" in out  # a real arrow: nothing to escape in the raw comment


def test_diff_markdown_keeps_hostile_text_inert(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, "")
    hostile = "<img src=x onerror=alert(1)> @octocat [x](javascript:alert(1))"
    new.write_text(NO_TARGET.replace("title: Share practice", f"title: '{hostile}'").replace("name: Pilot", f"name: '{hostile}'"),
                   encoding="utf-8")
    code, out = run("diff", "--format", "markdown", str(old), str(new), stdout_only=True)
    assert code == 0
    assert not re.search(r"(?<!\\)<img", out) and "@octocat" not in out and not re.search(r"(?<!\\)\]\(javascript", out)
    assert "&#64;octocat" in out


def test_diff_words_anchors_and_ignores_reordering(tmp_path: Path) -> None:
    survey = """  - id: s2
    title: Pulse
    audience: [mentor]
    when: {milestone: kickoff, offsetDays: 14}
    questions:
      - {id: q, text: Going well?, type: yes-no}
"""
    old, new = _pair(tmp_path, "")
    old.write_text(NO_TARGET + survey, encoding="utf-8")
    reordered = NO_TARGET.replace("surveys:\n", "surveys:\n" + survey)
    new.write_text(reordered.replace("offsetDays: 14", "offsetDays: -3"), encoding="utf-8")
    code, out = run("diff", str(old), str(new), stdout_only=True)
    assert code == 0
    assert out.splitlines()[0] == "surveys: survey s2 when: 14 days after milestone kickoff -> 3 days before milestone kickoff"
    assert "s1" not in out


def test_diff_says_when_sessions_begin(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, "")
    old.write_text(NO_TARGET, encoding="utf-8")
    new.write_text(NO_TARGET + "meetings:\n  from: {milestone: kickoff, offsetDays: 7}\n", encoding="utf-8")
    code, out = run("diff", str(old), str(new), stdout_only=True)
    assert code == 0
    assert out.splitlines()[0] == "meetings: sessions begin: (none) -> 7 days after milestone kickoff"


def test_diff_shows_each_value_once_and_in_words(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, "")
    new.write_text(NO_TARGET.replace("schedule: {start: 2027-01-04}", "schedule: {start: 2027-01-04, holidays: {country: US, subdivision: NY}}")
                   .replace("unit: sessions}", "unit: sessions, source: {kind: survey, survey: s1}}")
                   .replace("type: yes-no}", "type: yes-no, required: true}")
                   + "pairing:\n  constraints:\n    - {id: gap, rule: level-gap, direction: mentor-senior, min: 1}\n",
                   encoding="utf-8")
    code, out = run("diff", str(old), str(new), stdout_only=True)
    assert code == 0
    assert out.splitlines()[:4] == [
        "schedule: public holidays: (none) -> US-NY",  # not "(none) (none) -> US NY"
        "metrics: metric m1 source: (none) -> survey s1",
        "pairing: added constraint level gap mentor-senior (at least 1 level)",
        "pairing: removed constraint level gap peer (at most 1 level)",
    ]
    assert "surveys: survey s1 question q required: no -> yes" in out.splitlines()
    code, back = run("diff", str(new), str(old), stdout_only=True)
    assert back.splitlines()[0] == "schedule: public holidays: US-NY -> (none)"


def test_diff_of_identical_programs(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, "")
    assert run("diff", str(old), str(new), stdout_only=True) == (0, "No changes in program terms.\n")


def test_diff_refuses_invalid_input(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, "meetings: {frequency: sometimes}\n")
    code, _ = run("diff", str(old), str(new), stdout_only=True)
    assert code == 1


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_diff_against_a_git_revision_resolves_extends_at_that_revision(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "defaults.yaml").write_text(
        "apiVersion: programdsl/v1\nkind: ProgramDefaults\nmeetings: {minutes: 60}\n", encoding="utf-8")
    program = tmp_path / "p.yaml"
    program.write_text(NO_TARGET.replace("type: peer", "type: peer\nextends: shared/defaults.yaml"), encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "shared" / "defaults.yaml").write_text(
        "apiVersion: programdsl/v1\nkind: ProgramDefaults\nmeetings: {minutes: 50}\n", encoding="utf-8")
    code, out = run("diff", "--git", "HEAD", str(program), stdout_only=True)
    assert code == 0, out
    # the change comes from the defaults file, and the diff says so
    assert out.splitlines()[0] == ("meetings: session length (minutes): 60 -> 50 "
                                   f"(from {tmp_path / 'shared' / 'defaults.yaml'})")
    assert run("diff", "--git", "no-such-rev", str(program))[0] == 2


# --- pre-commit ------------------------------------------------------------------------------

DEFAULTS = "apiVersion: programdsl/v1\nkind: ProgramDefaults\nmeetings: {minutes: 60}\n"


def _hook_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "programs"
    (repo / "shared").mkdir(parents=True)
    (repo / "shared" / "defaults.yaml").write_text(DEFAULTS, encoding="utf-8")
    (repo / "peer.yaml").write_text(NO_TARGET.replace("type: peer", "type: peer\nextends: shared/defaults.yaml"),
                                    encoding="utf-8")
    (repo / "workflow.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "programs")
    return repo


def test_changed_defaults_file_rechecks_the_programs_that_extend_it(tmp_path: Path) -> None:
    repo = _hook_repo(tmp_path)
    (repo / "shared" / "defaults.yaml").write_text(DEFAULTS.replace("60", "3"), encoding="utf-8")
    code, out = run("validate", "--changed", "shared/defaults.yaml", "workflow.yaml", cwd=repo)
    assert code == 1
    assert "shared/defaults.yaml:3:21: error[PD205]" in out
    assert "2 files checked" in out
    assert run("validate", "--changed", "workflow.yaml", cwd=repo) == (0, "")


def test_build_honours_the_configuration_and_its_output_directory(tmp_path: Path) -> None:
    no_metric = NO_TARGET.replace("beneficiary: mentee, metrics: [m1]}", "beneficiary: mentee}")
    (tmp_path / "p.yaml").write_text(no_metric, encoding="utf-8")
    (tmp_path / "programdsl.yaml").write_text("output: site\nrules:\n  objective-without-metric: off\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    code, out = run("calendar", "../p.yaml", cwd=tmp_path / "sub")
    assert code == 0, out
    assert (tmp_path / "site" / "program.ics").is_file()
    assert not (tmp_path / "sub" / "site").exists()
    (tmp_path / "programdsl.yaml").write_text("output: site\n", encoding="utf-8")
    code, out = run("calendar", "p.yaml", cwd=tmp_path)
    assert code == 1 and "error[PD310]" in out


@pytest.mark.parametrize("today, start", [("2026-11-21", "2027-01-04"), ("2026-11-10", "2026-12-14"),
                                          ("2026-06-01", "2026-06-29"), ("2026-12-31", "2027-02-01")])
def test_init_starts_a_program_on_a_monday_four_weeks_out_but_not_at_the_year_end(today: str, start: str) -> None:
    from programdsl.scaffold import default_start

    assert default_start(dt.date.fromisoformat(today)) == dt.date.fromisoformat(start)
