"""One regression test for each break the hardening issue listed that other files in this folder
do not already cover: zone-like names and odd paths must be located errors, never PD999, a
traceback or an install path."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from programdsl.api import Validator
from programdsl.cli import main
from programdsl.matching.roster import Needs, read_roster, timezone_offset
from programdsl.zones import zone

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "rosters"
INSTALL = os.path.dirname(os.path.dirname(os.__file__))  # the interpreter's library folder


def no_internals(text: str) -> None:
    assert "PD999" not in text and "Traceback" not in text
    assert INSTALL not in text and "site-packages" not in text and "tzdata" not in text


ZONE_LIKE = ["Europe", "America", "Etc", "Europe/", "zone.tab", "tzdata.zi", "../Europe/London", "/etc/localtime",
             "Europe/London/x", "Europe/Lo\x00ndon", "x" * 5000, "right", ""]


@pytest.mark.parametrize("name", ZONE_LIKE)
def test_zone_like_names_are_unknown_zones(name: str) -> None:
    assert zone(name) is None
    assert timezone_offset(name, dt.date(2027, 1, 1)) is None


@pytest.mark.parametrize("name", ["Europe", "zone.tab", "Europe/Lo\\0ndon"])
def test_a_program_zone_that_is_a_tzdata_folder_is_pd315_in_every_command(tmp_path: Path, name: str) -> None:
    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    path = tmp_path / "program.yaml"
    path.write_text(source.replace("timezone: Europe/London", f'timezone: "{name}"'), encoding="utf-8")
    result = Validator().check_file(path)
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("PD315", 7, 13)]
    no_internals(result.diagnostics[0].message + result.diagnostics[0].hint)
    for args in (["validate", str(path)], ["calendar", str(path), "-o", str(tmp_path / "cal")],
                 ["build", str(path), "-o", str(tmp_path / "out"), "--format", "md"],
                 ["match", str(path), str(FIXTURES / "roster.csv")]):
        run = CliRunner().invoke(main, args)
        assert run.exit_code == 1, run.output
        assert "PD315" in run.output
        no_internals(run.output)


def test_a_roster_zone_that_is_a_tzdata_folder_is_pd405(tmp_path: Path) -> None:
    text = (FIXTURES / "roster.csv").read_text(encoding="utf-8").replace("Europe/London", "Europe", 1)
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    roster = read_roster(path, Needs(roles={"mentor": "mentor", "mentee": "mentee"}))
    assert [(d.code, d.line, d.col) for d in roster.diagnostics] == [("PD405", 2, 54)]
    no_internals(roster.diagnostics[0].message + roster.diagnostics[0].hint)


def test_extends_with_a_nul_is_pd104(tmp_path: Path) -> None:
    path = tmp_path / "program.yaml"
    path.write_text('apiVersion: programdsl/v1\nkind: Program\nextends: "x\\0.yaml"\n', encoding="utf-8")
    result = Validator().check_file(path)
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("PD104", 3, 10)]


def test_extends_of_an_enormous_path_is_pd104(tmp_path: Path) -> None:
    path = tmp_path / "program.yaml"
    path.write_text(f"apiVersion: programdsl/v1\nkind: Program\nextends: {'a/' * 3000}x.yaml\n", encoding="utf-8")
    assert [d.code for d in Validator().check_file(path).diagnostics] == ["PD104"]


def test_a_program_path_with_a_nul_is_a_located_error() -> None:
    result = Validator().check_file("x\x00.yaml")
    assert [d.code for d in result.diagnostics] == ["PD033"]


def test_init_into_a_missing_folder_is_pd034(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["init", "--type", "reverse", "-o", str(tmp_path / "missing" / "p.yaml")])
    assert run.exit_code == 1 and "error[PD034]" in run.output and "the folder does not exist" in run.output
    assert not (tmp_path / "missing").exists()


def test_build_into_a_configured_output_with_a_nul_is_pd034(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "programdsl.yaml").write_text('output: "out\\0put"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(main, ["calendar", str(FIXTURES / "program.yaml")])
    assert run.exit_code in (1, 2), run.output
    no_internals(run.output)
    assert sys.exc_info() == (None, None, None)


@pytest.mark.parametrize("kind, message", [("fifo", "is not a regular file"), ("folder", "is not a regular file"),
                                           ("dangling", "does not exist")])
def test_extends_naming_a_pipe_or_folder_is_refused_without_reading(tmp_path: Path, kind: str, message: str) -> None:
    target = tmp_path / "defaults.yaml"
    if kind == "fifo":
        os.mkfifo(target)  # reading it would block for ever
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "gone.yaml")
    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    program = tmp_path / "program.yaml"
    program.write_text(source.replace("kind: Program\n", "kind: Program\nextends: defaults.yaml\n"), encoding="utf-8")
    found = [(d.code, d.line, d.col) for d in Validator().check_file(program).diagnostics]
    assert found == [("PD101", 4, 10)]
    assert message in Validator().check_file(program).diagnostics[0].message


def _git_repo(tmp_path: Path, program_text: str) -> Path:
    import subprocess

    program = tmp_path / "program.yaml"
    program.write_text(program_text, encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env=env, capture_output=True)
    return program


def test_diff_refuses_a_revision_that_git_would_read_as_an_option(tmp_path: Path) -> None:
    program = _git_repo(tmp_path, (FIXTURES / "program.yaml").read_text(encoding="utf-8"))
    planted = tmp_path / "planted"
    result = CliRunner().invoke(main, ["diff", "--git", f"--output={planted}", str(program)])
    assert result.exit_code == 2 and "is not a revision: it starts with '-'" in result.output
    assert not any(p.name.startswith("planted") for p in tmp_path.iterdir())


def test_diff_reads_no_more_of_a_revision_than_a_program_may_be(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from programdsl import limits

    source = (FIXTURES / "program.yaml").read_text(encoding="utf-8")
    program = _git_repo(tmp_path, source + "#" * 5000 + "\n")
    program.write_text(source, encoding="utf-8")
    monkeypatch.setattr(limits, "PROGRAM_BYTES", 4000)
    result = CliRunner().invoke(main, ["diff", "--git", "HEAD", str(program)])
    assert result.exit_code == 1, result.output
    assert "error[PD002]: the file is larger than 4,000 bytes, the limit for a program file" in result.output
