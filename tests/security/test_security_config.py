"""The project configuration (programdsl.yaml, pyproject.toml) is hostile input too: a pull request
can add one. It is refused by its size before it is read, deep nesting is an error and not a
traceback, and a message never quotes its lines (the file may be a link to a secret)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from programdsl import limits
from programdsl.cli import main
from programdsl.config import ConfigError, discover, load

PROGRAM = Path(__file__).resolve().parent.parent / "fixtures" / "rosters" / "program.yaml"


def validate_in(folder: Path) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["validate", str(PROGRAM)])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def test_a_large_configuration_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "CONFIG_BYTES", 1000)
    (tmp_path / "programdsl.yaml").write_text("strict: true\n" + "#" * 5000 + "\n", encoding="utf-8")
    code, output = validate_in(tmp_path)
    assert code == 2
    assert "programdsl.yaml:1:1: error[PD050]: the configuration file is larger than 1,000 bytes" in output


def test_a_large_pyproject_is_not_read_to_look_for_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "CONFIG_BYTES", 1000)
    (tmp_path / "pyproject.toml").write_text("[tool.programdsl]\nstrict = true\n" + "#" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject.toml:1:1: error\[PD050\]"):
        discover(tmp_path)


@pytest.mark.parametrize("name, text", [
    ("programdsl.yaml", "strict: " + "[" * 5000 + "]" * 5000 + "\n"),
    ("programdsl.yaml", "rules:\n" + "".join("  " * i + "a:\n" for i in range(1, 200))),
    ("pyproject.toml", "[tool.programdsl]\nstrict = " + "[" * 5000 + "]" * 5000 + "\n"),
])
def test_deep_nesting_is_an_error_not_a_traceback(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, output = validate_in(tmp_path)
    assert code == 2 and "Traceback" not in output and "RecursionError" not in output
    assert f"{name}:" in output and ("error[PD050]: values are nested more than" in output
                                     or "maximum nesting depth" in output)


def test_an_error_never_quotes_the_configuration_s_lines(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "credentials").write_text("strict: [\nTOKEN=ghp_secret_marker: x\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "programdsl.yaml").symlink_to(secret / "credentials")
    code, output = validate_in(project)
    assert code == 2 and "programdsl.yaml:" in output and "cannot read the configuration" in output
    assert "ghp_secret_marker" not in output and "TOKEN" not in output


def test_a_pipe_named_as_the_configuration_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load(fifo)


def test_an_ordinary_configuration_still_loads(tmp_path: Path) -> None:
    (tmp_path / "programdsl.yaml").write_text("strict: true\noutput: build\nrules: {PD311: off}\n", encoding="utf-8")
    config = discover(tmp_path)
    assert (config.strict, config.output, config.levels) == (True, "build", {"PD311": "off"})


@pytest.mark.parametrize("configured", ["/tmp/programdsl-elsewhere", "../elsewhere", "site/../../elsewhere", "link/x"])
def test_a_configured_output_cannot_lead_outside_the_project(tmp_path: Path, configured: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (project / "link").symlink_to(tmp_path / "elsewhere")
    (project / "programdsl.yaml").write_text(f"output: {configured}\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["calendar", str(PROGRAM)])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert "programdsl.yaml: error[PD052]: `output` must name a folder inside the configuration's folder" in result.output
    assert list((tmp_path / "elsewhere").iterdir()) == [] and not Path("/tmp/programdsl-elsewhere").exists()


def test_a_configured_output_inside_the_project_is_used(tmp_path: Path) -> None:
    (tmp_path / "programdsl.yaml").write_text("output: build/calendars\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["calendar", str(PROGRAM)])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "calendars" / "program.ics").is_file()
