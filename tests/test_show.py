"""`programdsl show`: the resolved program with the origin of every value (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from programdsl.cli import main

REPO = Path(__file__).resolve().parents[1]
PEER = str(REPO / "examples" / "peer-engineering-managers.yaml")


def test_show_marks_each_value_with_its_origin_and_parses_as_yaml() -> None:
    out = CliRunner().invoke(main, ["show", PEER])
    assert out.exit_code == 0, out.output
    assert '  country: "US"  # from examples/shared/org-defaults.yaml, line 17' in out.output
    assert "# from this file, line " in out.output
    data = yaml.safe_load(out.output)
    assert data["schedule"]["holidays"] == {"country": "US", "subdivision": "NY"} and data["type"] == "peer"


def test_only_inherited_leaves_out_what_the_file_writes(tmp_path: Path) -> None:
    program = tmp_path / "p.yaml"
    program.write_text((REPO / "tests" / "fixtures" / "valid" / "minimal.yaml").read_text(), encoding="utf-8")
    out = CliRunner().invoke(main, ["show", str(program), "--only-inherited", "--format", "json"])
    assert out.exit_code == 0, out.output
    items = json.loads(out.output)
    assert items and all(item["inherited"] for item in items)
    by_path = {item["path"]: item for item in items}
    # the traditional preset's pairing rule is visible, with the preset's line
    assert by_path["/meetings/frequency"]["from"].startswith("preset traditional, line ")
    assert "/metadata/name" not in by_path
