"""Which files CI checks: a program is recognised by what it is once `extends:` is resolved, in
directory scans, with --changed, and through the real pre-commit hook in a git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from programdsl.api import is_program_file
from programdsl.cli import main

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

DEFAULTS = "apiVersion: programdsl/v1\nkind: ProgramDefaults\nmeetings: {minutes: 60}\n"
# No apiVersion line: it comes from the defaults file.
INHERITING = """extends: shared/defaults.yaml
kind: Program
metadata: {id: pilot, name: Pilot, timezone: Europe/London}
type: peer
objectives:
  - {id: o1, title: Share practice, beneficiary: mentee, metrics: [m1]}
metrics:
  - {id: m1, name: Sessions held, definition: Sessions held per pair, unit: sessions, target: 6}
schedule: {start: 2027-01-04}
surveys:
  - id: s1
    title: Closing
    audience: [mentor, mentee]
    when: {milestone: closing}
    questions:
      - {id: q, text: Worth it?, type: yes-no}
"""
# Two unrelated mistakes: a value the schema refuses (line 10) and a reference to a metric that
# does not exist (line 6).
BROKEN = INHERITING.replace("metrics: [m1]}", "metrics: [m2]}").replace(
    "schedule: {start: 2027-01-04}", "schedule: {start: 2027-01-04}\nmeetings: {format: sometimes}")


def run(*args: str, cwd: Path) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.output


def _programs(root: Path, program: str = BROKEN) -> Path:
    (root / "shared").mkdir(parents=True)
    (root / "shared" / "defaults.yaml").write_text(DEFAULTS, encoding="utf-8")
    (root / "pilot.yaml").write_text(program, encoding="utf-8")
    # YAML that is not programdsl's, some of it with an `extends` of its own: never checked.
    (root / "workflow.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (root / "eslint.yaml").write_text("extends: eslint:recommended\nrules: {}\n", encoding="utf-8")
    (root / "compose.yaml").write_text("extends: workflow.yaml\nservices: {}\n", encoding="utf-8")
    return root


def test_a_program_is_what_it_is_after_extends(tmp_path: Path) -> None:
    root = _programs(tmp_path)
    (root / "nested.yaml").write_text("extends: shared/defaults.yaml\nkind: ProgramDefaults\n", encoding="utf-8")
    (root / "loop-a.yaml").write_text("extends: loop-b.yaml\n", encoding="utf-8")
    (root / "loop-b.yaml").write_text("extends: loop-a.yaml\n", encoding="utf-8")
    (root / "headless.yaml").write_text("kind: Program\n", encoding="utf-8")
    assert is_program_file(root / "pilot.yaml")
    assert is_program_file(root / "shared" / "defaults.yaml")
    assert is_program_file(root / "nested.yaml")  # a defaults file extending another one
    assert is_program_file(root / "headless.yaml")  # names a programdsl kind: its missing header is reported
    for other in ("workflow.yaml", "eslint.yaml", "compose.yaml", "loop-a.yaml", "loop-b.yaml"):
        assert not is_program_file(root / other), other


def test_a_directory_scan_checks_a_program_that_inherits_its_header(tmp_path: Path) -> None:
    root = _programs(tmp_path)
    code, out = run("validate", ".", cwd=root)
    assert code == 1
    assert "pilot.yaml:6:68: error[PD302]" in out
    assert "pilot.yaml:10:20: error[PD204]" in out
    assert out.count("error[") == 2
    assert "2 errors, 0 warnings in 2 files checked" in out


def test_a_program_can_inherit_through_a_defaults_file_without_a_header(tmp_path: Path) -> None:
    root = _programs(tmp_path, INHERITING.replace("shared/defaults.yaml", "shared/team.yaml"))
    (root / "shared" / "team.yaml").write_text("extends: defaults.yaml\nkind: ProgramDefaults\n", encoding="utf-8")
    code, out = run("validate", ".", cwd=root)
    assert (code, out.splitlines()[-1]) == (0, "3 files checked: no problems found"), out


def test_changed_selects_a_program_that_inherits_its_header(tmp_path: Path) -> None:
    root = _programs(tmp_path)
    code, out = run("validate", "--changed", "pilot.yaml", "workflow.yaml", "eslint.yaml", cwd=root)
    assert code == 1
    assert "pilot.yaml:6:68: error[PD302]" in out and "pilot.yaml:10:20: error[PD204]" in out
    assert "in 1 file checked" in out
    # A changed defaults file re-checks the inheriting program too.
    code, out = run("validate", "--changed", "shared/defaults.yaml", cwd=root)
    assert code == 1 and "in 2 files checked" in out
    assert run("validate", "--changed", "workflow.yaml", "compose.yaml", cwd=root) == (0, "")


def _git(cwd: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", *args], cwd=cwd,
                          check=check, capture_output=True, text=True, env=env)


def _local_hook_config() -> str:
    """This repository's hook definition, as a `repo: local` hook that runs the programdsl under
    test (no download, no hook environment to build). Only `language` changes: pre-commit passes
    files by the definition's own `types_or`, `entry` and `require_serial`."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "programdsl-validate")
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]}, sort_keys=False)


@pytest.mark.skipif(not (BIN / "pre-commit").exists() and shutil.which("pre-commit") is None,
                    reason="pre-commit is not installed")
def test_pre_commit_blocks_a_commit_and_reports_every_problem_at_once(tmp_path: Path) -> None:
    root = _programs(tmp_path / "programs", INHERITING)
    (root / ".pre-commit-config.yaml").write_text(_local_hook_config(), encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)  # text output, wherever the suite runs
    _git(root, "init", "-q")
    pre_commit = str(BIN / "pre-commit") if (BIN / "pre-commit").exists() else str(shutil.which("pre-commit"))
    subprocess.run([pre_commit, "install"], cwd=root, check=True, capture_output=True, env=env)
    _git(root, "add", "-A")
    first = _git(root, "commit", "-qm", "programs", check=False, env=env)
    assert first.returncode == 0, first.stdout + first.stderr

    (root / "pilot.yaml").write_text(BROKEN, encoding="utf-8")
    (root / "workflow.yaml").write_text("on: [push, pull_request]\njobs: {}\n", encoding="utf-8")
    _git(root, "add", "-A")
    blocked = _git(root, "commit", "-qm", "typo", check=False, env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "pilot.yaml:6:68: error[PD302]" in output
    assert "pilot.yaml:10:20: error[PD204]" in output
    assert "2 errors, 0 warnings in 1 file checked" in output
    assert _git(root, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    (root / "pilot.yaml").write_text(INHERITING, encoding="utf-8")
    _git(root, "add", "-A")
    fixed = _git(root, "commit", "-qm", "fixed", check=False, env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _git(root, "rev-list", "--count", "HEAD").stdout.strip() == "2"
