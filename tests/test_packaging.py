"""The installed package works from any directory, and CI runs exactly the README's test command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from programdsl import __version__

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
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, as the release procedure builds them (the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    return next(dist.glob("programdsl-*.whl"))


def test_twine_accepts_the_distributions(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert [Path(f).name for f in files] == [f"programdsl-{__version__}-py3-none-any.whl", f"programdsl-{__version__}.tar.gz"]
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_version_has_one_source_and_a_changelog_entry(wheel: Path) -> None:
    metadata = zipfile.ZipFile(wheel).read(f"programdsl-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\S+)", changelog, re.M)
    assert headings[0] == "Unreleased"
    assert __version__ in headings  # released versions are headed by their number
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", __version__)  # tags are v + this


def test_sdist_holds_what_a_build_from_source_needs(dist: Path) -> None:
    sdist = next(dist.glob("programdsl-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("pyproject.toml", "README.md", "CHANGELOG.md", ".pre-commit-hooks.yaml", "programdsl/__init__.py",
                   "schemas/program.schema.json", "templates/layout.html.j2", "programdsl/presets/reverse.yaml",
                   "examples/reverse-nhs-clinical.yaml", "docs/releasing.md", "tests/test_packaging.py"):
        assert needed in names, needed


def test_wheel_ships_schema_templates_and_presets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "programdsl/_data/schemas/program.schema.json" in names
    assert any(n.startswith("programdsl/_data/templates/") for n in names)
    for program_type in ("traditional", "reverse", "flash", "group", "shadow-board", "reverse-shadowing"):
        assert f"programdsl/presets/{program_type}.yaml" in names


def _workflow_install_script() -> str:
    workflow = yaml.safe_load((REPO / "docs" / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["validate"]["steps"]
    install = next(step for step in steps if step.get("name") == "Install programdsl")
    assert install["env"] == {"PROGRAMDSL_SOURCE": "${{ vars.PROGRAMDSL_SOURCE }}"}
    return str(install["run"])


def test_the_workflow_install_step_works_in_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    script = _workflow_install_script()
    unset = subprocess.run(["bash", "-c", script], env={**env, "PROGRAMDSL_SOURCE": ""}, capture_output=True, text=True)
    assert unset.returncode == 1 and "::error::set the repository variable PROGRAMDSL_SOURCE" in unset.stdout
    installed = subprocess.run(["bash", "-c", script], env={**env, "PROGRAMDSL_SOURCE": wheel.as_uri()},
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    programdsl = str(bin_dir / "programdsl")
    version = subprocess.run([programdsl, "--version"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert version.stdout.strip() == f"programdsl, version {__version__}"
    where = subprocess.run([str(bin_dir / "python"), "-c", "import programdsl; print(programdsl.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(venv))
    result = subprocess.run([programdsl, "validate", str(REPO / "examples")], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "11 files checked: no problems found"), result.stderr
    schema = subprocess.run([programdsl, "schema"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert schema.stdout == (REPO / "schemas" / "program.schema.json").read_text(encoding="utf-8")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.skipif(not (Path(sys.executable).parent / "pre-commit").exists(), reason="pre-commit is not installed")
def test_pre_commit_installs_the_hook_from_a_release_tag(tmp_path: Path) -> None:
    """What a team does: `repo:` this repository, `rev:` a release tag. pre-commit clones the tag
    and installs programdsl from it (a build from source) into the hook's own environment."""
    source = tmp_path / "programdsl"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", ".pytest_cache",
                                                                ".hypothesis", ".mypy_cache", "out", "build", "dist"))
    _git(source, "init", "-q")
    _git(source, "add", "-A")
    _git(source, "commit", "-qm", f"Release {__version__}")
    _git(source, "tag", "-a", f"v{__version__}", "-m", f"programdsl {__version__}")

    programs = tmp_path / "programs"
    shutil.copytree(REPO / "examples", programs, ignore=shutil.ignore_patterns("rosters"))
    (programs / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: v{__version__}\n    hooks:\n      - id: programdsl-validate\n",
        encoding="utf-8")
    (programs / "ci.yaml").write_text("on: push\n", encoding="utf-8")
    _git(programs, "init", "-q")
    _git(programs, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    clean = subprocess.run([pre_commit, "run", "--all-files"], cwd=programs, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "validate mentoring programs" in clean.stdout and "Passed" in clean.stdout

    # A program that inherits its header from its defaults file, with a misspelt metric.
    peer = programs / "peer-engineering-managers.yaml"
    text = peer.read_text(encoding="utf-8").replace("apiVersion: programdsl/v1\n", "", 1)
    peer.write_text(text.replace("metrics: [trusted-peers]", "metrics: [trusted-peer]"), encoding="utf-8")
    line = next(i for i, row in enumerate(peer.read_text(encoding="utf-8").splitlines(), 1) if "[trusted-peer]" in row)
    broken = subprocess.run([pre_commit, "run", "--files", peer.name, "ci.yaml"], cwd=programs, env=env,
                            capture_output=True, text=True)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"peer-engineering-managers.yaml:{line}:" in broken.stdout and "error[PD302]" in broken.stdout


def test_readme_example_program_is_valid(tmp_path: Path) -> None:
    from programdsl.api import Validator

    text = (REPO / "README.md").read_text(encoding="utf-8")
    program = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert program is not None
    path = tmp_path / "digital.yaml"
    path.write_text(program.group(1), encoding="utf-8")
    result = Validator().check_file(path)
    assert result.diagnostics == []
