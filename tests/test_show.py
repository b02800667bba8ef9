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
    # values no file gives are shown too, as programdsl's own defaults
    assert by_path["/metadata/locale"]["value"] == "en-GB"
    assert by_path["/metadata/locale"]["from"] == "programdsl's built-in default"


# --- diff names the preset or defaults file a change comes from -------------------------------

PROGRAM = """apiVersion: programdsl/v1
kind: Program
extends: {defaults}
metadata: {{id: pilot, name: Pilot, timezone: Europe/London}}
type: {type}
objectives:
  - {{id: o1, title: Share practice, beneficiary: mentee, metrics: [m1]}}
metrics:
  - {{id: m1, name: Sessions held, definition: Sessions held per pair, unit: sessions, target: 6}}
schedule: {{start: 2027-01-04}}
surveys:
  - {{id: s1, title: Closing, audience: [mentor, mentee], when: {{milestone: closing}}, questions: [{{id: q, text: Q, type: text}}]}}
"""
DEFAULTS = """apiVersion: programdsl/v1
kind: ProgramDefaults
confidentiality: {text}
"""


def test_diff_says_which_preset_or_defaults_file_a_change_comes_from(tmp_path: Path) -> None:
    (tmp_path / "old-defaults.yaml").write_text(DEFAULTS.format(text="Sessions stay between you."), encoding="utf-8")
    (tmp_path / "new-defaults.yaml").write_text(DEFAULTS.format(text="Sessions stay private."), encoding="utf-8")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(PROGRAM.format(defaults="old-defaults.yaml", type="peer"), encoding="utf-8")
    new.write_text(PROGRAM.format(defaults="new-defaults.yaml", type="reverse"), encoding="utf-8")
    out = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert "program: type: peer -> reverse" in lines  # written in the file: no origin
    assert "roles: role mentor label: Peer adviser -> Reverse mentor (from preset reverse)" in lines
    assert "meetings: meeting cadence: biweekly -> monthly (from preset reverse)" in lines
    assert any(line.startswith("program: confidentiality changed (from ") and line.endswith("new-defaults.yaml)")
               for line in lines)
