"""`programdsl match`: exit codes, located errors without tracebacks, outputs by suffix, pins,
re-match and the draft -> published step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from programdsl.cli import main
from programdsl.pairs import read_pairs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rosters"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["match", *args])


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("program.yaml", "roster.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_writes_csv_and_yaml_by_suffix(work: Path) -> None:
    for name in ("pairs.csv", "pairs.yaml"):
        result = invoke("program.yaml", "roster.csv", "-o", name)
        assert result.exit_code == 0, result.output
        assert "matched 6 of 7 participants in 3 matches" in result.stdout
        pairs = read_pairs(work / name)
        assert pairs.status == "draft" and pairs.program_id == "match-test"
        assert [(m.mentors[0].id, m.mentees[0].id) for m in pairs.matches] == [("m1", "l1"), ("m2", "l2"), ("m3", "l3")]
        assert [(u.id, u.reason) for u in pairs.unmatched] == [("m4", "ineligible")]
    assert (work / "pairs.yaml").read_text().startswith("# Pairs made by `programdsl match`")


def test_output_is_byte_identical_between_runs(work: Path) -> None:
    invoke("program.yaml", "roster.csv", "-o", "a.yaml")
    invoke("program.yaml", "roster.csv", "-o", "b.yaml")
    assert (work / "a.yaml").read_bytes() == (work / "b.yaml").read_bytes()


def test_explain_prints_reasons(work: Path) -> None:
    result = invoke("program.yaml", "roster.csv", "--explain")
    assert result.exit_code == 0
    assert "Ada Quill (m1) -> Ed Stone (l1)  score 1.00" in result.stdout
    assert "    met: topic-match (high priority) - interests the reverse mentor can offer: data" in result.stdout
    assert "unmatched mentor Di Moss (m4): ineligible: does not meet: tenure in months at least 3" in result.stdout
    assert "nothing written" in result.stdout


def test_bad_roster_exits_1_with_located_errors(work: Path) -> None:
    lines = (work / "roster.csv").read_text().splitlines()
    lines[1] = lines[1].replace(",2,Engineering", ",two,Engineering")
    (work / "roster.csv").write_text("\n".join(lines) + "\n")
    result = invoke("program.yaml", "roster.csv", "-o", "pairs.csv")
    assert result.exit_code == 1
    assert "roster.csv:2:37: error[PD405]: line 2 has level 'two', which is not a number" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "Ada" not in result.stderr
    assert not (work / "pairs.csv").exists()


def test_usage_errors_exit_2(work: Path) -> None:
    assert invoke("program.yaml", "roster.csv", "-o", "pairs.txt").exit_code == 2
    assert invoke("program.yaml", "missing.csv").exit_code == 2
    assert invoke("program.yaml").exit_code == 2


def test_bad_program_exits_1(work: Path) -> None:
    (work / "broken.yaml").write_text((work / "program.yaml").read_text().replace("optimize: quality", "optimize: speed"))
    result = invoke("broken.yaml", "roster.csv")
    assert result.exit_code == 1
    assert "broken.yaml:" in result.stderr and "error[PD204]" in result.stderr


def test_strict_fails_on_warnings(work: Path) -> None:
    text = (work / "roster.csv").read_text().replace("m1,Ada Quill,ada@example.org,mentor,2,", "m1,Ada Quill,ada@example.org,mentor,,")
    (work / "roster.csv").write_text(text)
    assert invoke("program.yaml", "roster.csv").exit_code == 0
    strict = invoke("program.yaml", "roster.csv", "--strict")
    assert strict.exit_code == 1 and "warning[PD408]" in strict.stderr


def test_pins_are_honoured_and_checked(work: Path) -> None:
    (work / "pins.csv").write_text("mentor,mentee\nm3,l1\n")
    result = invoke("program.yaml", "roster.csv", "--pin", "pins.csv", "-o", "pairs.yaml")
    assert result.exit_code == 0, result.stderr
    pairs = read_pairs(work / "pairs.yaml")
    pinned = [m for m in pairs.matches if m.pinned]
    assert [(m.mentors[0].id, m.mentees[0].id) for m in pinned] == [("m3", "l1")]
    (work / "bad-pins.csv").write_text("mentor,mentee\nm3,nobody\n")
    bad = invoke("program.yaml", "roster.csv", "--pin", "bad-pins.csv")
    assert bad.exit_code == 1
    assert "bad-pins.csv:2:1: error[PD420]: the pinned pair names id 'nobody', which is not on the roster" in bad.stderr


def test_review_then_publish(work: Path) -> None:
    assert invoke("program.yaml", "roster.csv", "-o", "pairs.yaml").exit_code == 0
    # The coordinator removes one match from the draft; publishing the plain rerun is refused...
    pairs = read_pairs(work / "pairs.yaml")
    from programdsl.pairs import write_pairs

    pairs.matches = [m for m in pairs.matches if m.mentors[0].id != "m2"]
    write_pairs(pairs, work / "pairs.yaml")
    refused = invoke("program.yaml", "roster.csv", "-o", "pairs.yaml", "--publish")
    assert refused.exit_code == 1 and "refusing to publish" in refused.stderr
    assert read_pairs(work / "pairs.yaml").status == "draft"
    # Keeping the reviewed pairs places the freed people again: a new draft to review...
    kept = invoke("program.yaml", "roster.csv", "-o", "pairs.yaml", "--keep", "pairs.yaml", "--publish")
    assert kept.exit_code == 1 and "run again without --publish" in kept.stderr
    assert invoke("program.yaml", "roster.csv", "-o", "pairs.yaml", "--keep", "pairs.yaml").exit_code == 0
    # ...and once the draft is what the matcher would make, it is published as reviewed.
    published = invoke("program.yaml", "roster.csv", "-o", "pairs.yaml", "--keep", "pairs.yaml", "--publish")
    assert published.exit_code == 0, published.stderr
    final = read_pairs(work / "pairs.yaml")
    assert final.status == "published"
    assert len(final.matches) == 3 and all(m.pinned for m in final.matches)


def test_yaml_roster_works_too(work: Path) -> None:
    import csv

    rows = list(csv.DictReader((work / "roster.csv").open()))
    import yaml

    people = [{k: v for k, v in row.items() if v} for row in rows]
    (work / "roster.yaml").write_text(yaml.safe_dump({"people": people}))
    a = invoke("program.yaml", "roster.yaml", "-o", "from-yaml.csv")
    b = invoke("program.yaml", "roster.csv", "-o", "from-csv.csv")
    assert a.exit_code == b.exit_code == 0
    assert (work / "from-yaml.csv").read_text() == (work / "from-csv.csv").read_text()


def test_example_roster_matches_its_program(tmp_path: Path) -> None:
    root = FIXTURES.parents[2]
    program, roster = root / "examples" / "traditional-leadership.yaml", root / "examples" / "rosters" / "traditional-leadership.csv"
    if not program.exists():
        pytest.skip("the example program is not in this checkout")
    result = invoke(str(program), str(roster), "-o", str(tmp_path / "pairs.csv"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    pairs = read_pairs(tmp_path / "pairs.csv")
    assert len(pairs.matches) >= 5
    assert {u.reason for u in pairs.unmatched} <= {"ineligible", "no-eligible-partner", "capacity-exhausted", "below-minimum-score"}
