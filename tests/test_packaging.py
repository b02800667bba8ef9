"""The installed package works from any directory, and CI runs exactly the README's test command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_ci_runs_the_readme_test_command() -> None:
    install_and_run, tests = _readme_commands()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == tests
    assert install_and_run.startswith("pip install '.[pdf]' && programdsl build examples/")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    return next(out.glob("programdsl-*.whl"))


def test_wheel_ships_schema_templates_and_presets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "programdsl/_data/schemas/program.schema.json" in names
    assert any(n.startswith("programdsl/_data/templates/") for n in names)
    for program_type in ("traditional", "reverse", "flash", "group", "shadow-board", "reverse-shadowing"):
        assert f"programdsl/presets/{program_type}.yaml" in names


def test_installed_package_validates_examples_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import programdsl; print(programdsl.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(target))
    result = subprocess.run([sys.executable, "-m", "programdsl", "validate", str(REPO / "examples")],
                            cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems found" in result.stdout
    schema = subprocess.run([sys.executable, "-m", "programdsl", "schema"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, check=True)
    assert schema.stdout == (REPO / "schemas" / "program.schema.json").read_text(encoding="utf-8")


def test_readme_example_program_is_valid(tmp_path: Path) -> None:
    from programdsl.api import Validator

    text = (REPO / "README.md").read_text(encoding="utf-8")
    program = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert program is not None
    path = tmp_path / "digital.yaml"
    path.write_text(program.group(1), encoding="utf-8")
    result = Validator().check_file(path)
    assert result.diagnostics == []
