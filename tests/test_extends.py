"""`extends:` and type presets: merged values keep the file, line and column they came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from programdsl.api import Validator, validate
from programdsl.resources import preset_path

from conftest import check, deep_merge, describe, dump, minimal_data


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run inside tmp_path so files are shown relative to it, as a user would see them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "programs").mkdir()
    (tmp_path / "shared").mkdir()
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def program_text(extends: str | None, overrides: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> str:
    """The minimal program with `extends:` as its first line."""
    data = deep_merge(minimal_data(), overrides or {})
    for dotted in drop:
        *parents, last = dotted.split(".")
        node = data
        for part in parents:
            node = node[part]
        del node[last]
    head = f"extends: {extends}\n" if extends is not None else ""
    return head + dump(data)


def where(result: Any) -> set[tuple[str, str, int, int]]:
    return {(x.code, x.file, x.line, x.col) for x in result.diagnostics}


DEFAULTS_HEAD = "apiVersion: programdsl/v1\nkind: ProgramDefaults\n"


def test_bad_value_in_defaults_is_reported_in_the_defaults_file(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings:\n  format: virtual\n  minutes: 2\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml"))
    result = check("programs/p.yaml")
    assert where(result) == {("PD205", "shared/defaults.yaml", 5, 12)}, describe(result.diagnostics)


def test_unknown_key_in_defaults_is_reported_in_the_defaults_file(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings:\n  frequncy: weekly\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml"))
    result = check("programs/p.yaml")
    assert where(result) == {("PD201", "shared/defaults.yaml", 4, 3)}, describe(result.diagnostics)
    assert "did you mean 'frequency'?" in result.diagnostics[0].hint


def test_rule_violation_from_defaults_is_reported_in_the_defaults_file(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "metadata:\n  timezone: Europe/Londres\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml", drop=("metadata.timezone",)))
    result = check("programs/p.yaml")
    assert where(result) == {("PD315", "shared/defaults.yaml", 4, 13)}, describe(result.diagnostics)


def test_program_overrides_defaults_which_override_the_preset(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings:\n  minutes: 30\n  format: virtual\n"
          "metadata:\n  owner: {name: People team}\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml", {"meetings": {"format": "in-person"}}))
    result = check("programs/p.yaml")
    assert result.diagnostics == [], describe(result.diagnostics)
    program = result.program
    assert program is not None
    assert program.meetings.format == "in-person"  # the program itself
    assert program.meetings.minutes == 30  # the defaults file
    assert program.meetings.frequency == "monthly"  # the traditional preset
    assert program.owner == "People team" and program.id == "pilot"  # mappings merge key by key
    assert program.sources == ("preset:traditional", "shared/defaults.yaml", "programs/p.yaml")


def test_lists_replace_the_preset_list(tmp_path: Path) -> None:
    training = [{"id": "kickoff-briefing", "title": "Kickoff briefing", "audience": ["mentor", "mentee"], "minutes": 30}]
    result = check(write(tmp_path / "p.yaml", program_text(None, {"training": training})))
    assert result.diagnostics == [], describe(result.diagnostics)
    assert result.program is not None
    assert [t.id for t in result.program.training] == ["kickoff-briefing"]


def test_preset_value_overridden(tmp_path: Path) -> None:
    result = check(write(tmp_path / "p.yaml", program_text(None, {"meetings": {"frequency": "biweekly"}})))
    assert result.diagnostics == [], describe(result.diagnostics)
    assert result.program is not None
    assert result.program.meetings.frequency == "biweekly"
    assert result.program.meetings.minutes == 60  # still the preset's


def test_type_from_defaults_selects_the_preset(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "type: reverse\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml", drop=("type",)))
    result = check("programs/p.yaml")
    assert result.diagnostics == [], describe(result.diagnostics)
    assert result.program is not None and result.program.type == "reverse"
    assert result.program.sources[0] == "preset:reverse"
    assert result.program.roles["mentee"].label == "Senior leader"


def _position(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def test_problem_with_a_preset_value_is_named_preset_type(tmp_path: Path) -> None:
    """A two-week traditional program leaves no room for the preset's monthly meetings."""
    result = check(write(tmp_path / "p.yaml", program_text(None, {"schedule": {"duration": "2 weeks"}})))
    line, col = _position(preset_path("traditional"), "frequency: monthly")
    col += len("frequency: ")
    assert where(result) == {("PD306", "preset:traditional", line, col)}, describe(result.diagnostics)


def test_extends_cycle(workdir: Path) -> None:
    write(workdir / "shared/a.yaml", "extends: b.yaml\n" + DEFAULTS_HEAD)
    write(workdir / "shared/b.yaml", DEFAULTS_HEAD + "extends: a.yaml\n")
    write(workdir / "programs/p.yaml", program_text("../shared/a.yaml"))
    result = check("programs/p.yaml")
    assert where(result) == {("PD102", "shared/b.yaml", 3, 10)}, describe(result.diagnostics)
    assert result.program is None


def test_defaults_extending_itself(workdir: Path) -> None:
    write(workdir / "shared/a.yaml", DEFAULTS_HEAD + "extends: ./a.yaml\n")
    write(workdir / "programs/p.yaml", program_text("../shared/a.yaml"))
    assert where(check("programs/p.yaml")) == {("PD102", "shared/a.yaml", 3, 10)}


def test_program_extending_itself(workdir: Path) -> None:
    write(workdir / "programs/p.yaml", program_text("p.yaml"))
    assert where(check("programs/p.yaml")) == {("PD102", "programs/p.yaml", 1, 10)}


def test_cycle_back_to_the_program(workdir: Path) -> None:
    write(workdir / "shared/a.yaml", DEFAULTS_HEAD + "extends: ../programs/p.yaml\n")
    write(workdir / "programs/p.yaml", program_text("../shared/a.yaml"))
    assert where(check("programs/p.yaml")) == {("PD102", "shared/a.yaml", 3, 10)}


def test_extends_missing_file(workdir: Path) -> None:
    write(workdir / "programs/p.yaml", program_text("../shared/nowhere.yaml"))
    result = check("programs/p.yaml")
    assert where(result) == {("PD101", "programs/p.yaml", 1, 10)}
    assert "nowhere.yaml" in result.diagnostics[0].message


def test_missing_file_further_up_the_chain(workdir: Path) -> None:
    write(workdir / "shared/a.yaml", DEFAULTS_HEAD + "extends: base.yaml\n")
    write(workdir / "programs/p.yaml", program_text("../shared/a.yaml"))
    assert where(check("programs/p.yaml")) == {("PD101", "shared/a.yaml", 3, 10)}


def test_extends_a_directory(workdir: Path) -> None:
    write(workdir / "programs/p.yaml", program_text("../shared"))
    assert where(check("programs/p.yaml")) == {("PD104", "programs/p.yaml", 1, 10)}


@pytest.mark.parametrize("target", ["/etc/passwd", "/tmp/defaults.yaml", "../shared/defaults.txt"])
def test_extends_must_be_a_relative_yaml_path(workdir: Path, target: str) -> None:
    write(workdir / "programs/p.yaml", program_text(target))
    assert where(check("programs/p.yaml")) == {("PD104", "programs/p.yaml", 1, 10)}


def test_extends_never_shows_a_file_that_is_not_programdsl(workdir: Path) -> None:
    write(workdir / "shared/secret.yaml", "password: hunter2\n- broken: [\n")
    write(workdir / "programs/p.yaml", program_text("../shared/secret.yaml"))
    result = check("programs/p.yaml")
    assert where(result) == {("PD103", "programs/p.yaml", 1, 10)}
    assert "hunter2" not in result.diagnostics[0].message + result.diagnostics[0].hint


def test_extends_a_program_file(workdir: Path) -> None:
    write(workdir / "programs/other.yaml", program_text(None))
    write(workdir / "programs/p.yaml", program_text("other.yaml"))
    result = check("programs/p.yaml")
    assert where(result) == {("PD103", "programs/p.yaml", 1, 10)}
    assert "'Program'" in result.diagnostics[0].message


def test_extends_a_broken_file(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings: {minutes: 30\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml"))
    result = check("programs/p.yaml")
    assert [(x.code, x.file) for x in result.diagnostics] == [("PD006", "shared/defaults.yaml")]


def test_extends_a_file_that_is_a_list(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", "- apiVersion: programdsl/v1\n")
    write(workdir / "programs/p.yaml", program_text("../shared/defaults.yaml"))
    assert where(check("programs/p.yaml")) == {("PD103", "programs/p.yaml", 1, 10)}


def test_extends_with_wrong_type(workdir: Path) -> None:
    write(workdir / "programs/p.yaml", program_text("[a.yaml, b.yaml]"))
    assert where(check("programs/p.yaml")) == {("PD202", "programs/p.yaml", 1, 10)}


def test_defaults_file_on_its_own(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings:\n  minutes: 30\n")
    result = check("shared/defaults.yaml")
    assert result.diagnostics == [] and result.kind == "ProgramDefaults" and result.program is None


def test_shared_defaults_problem_is_reported_once(workdir: Path) -> None:
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings:\n  minutes: 2\n")
    for name in ("a", "b"):
        write(workdir / f"programs/{name}.yaml", program_text("../shared/defaults.yaml"))
    report = validate(["programs", "shared"])
    assert sorted(r.file for r in report.files) == ["programs/a.yaml", "programs/b.yaml", "shared/defaults.yaml"]
    assert [(x.code, x.file, x.line, x.col) for x in report.diagnostics] == [("PD205", "shared/defaults.yaml", 4, 12)]
    assert all(r.errors == 1 for r in report.files)


def test_defaults_loaded_once_per_validator(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import programdsl.loader

    calls: list[str] = []
    real = programdsl.loader.load_file

    def counting(path: Any, display: Any = None) -> Any:
        calls.append(str(display))
        return real(path, display)

    monkeypatch.setattr("programdsl.resolve.load_file", counting)
    write(workdir / "shared/defaults.yaml", DEFAULTS_HEAD + "meetings:\n  minutes: 30\n")
    for name in ("a", "b", "c"):
        write(workdir / f"programs/{name}.yaml", program_text("../shared/defaults.yaml"))
    validator = Validator()
    for name in ("a", "b", "c"):
        assert validator.check_file(f"programs/{name}.yaml").diagnostics == []
    assert calls.count("shared/defaults.yaml") == 1
    assert calls.count("preset:traditional") == 1
