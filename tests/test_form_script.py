"""The form's save-as-file script, run in Node against a stand-in for the browser: the CSV it
builds has the codebook's columns, escapes cells as the CSV writer does, and computes the
self-generated code exactly as `codebook.self_code` does."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from programdsl.measure import codebook
from programdsl.model import DEFAULT_SELF_CODE

SCRIPT = Path(__file__).resolve().parents[1] / "templates" / "partials" / "form-save.js"
NODE = shutil.which("node")

# A stand-in for the few DOM features the script uses; the answers come in as JSON.
HARNESS = r"""
const answers = JSON.parse(process.argv[2]);
const columns = JSON.parse(process.argv[3]);
const codeNames = JSON.parse(process.argv[4]);
const fields = {};
for (const name of Object.keys(answers)) { fields[name] = {value: answers[name]}; }
let clicked = null, saved = null, downloadName = null;
const button = {hidden: true, addEventListener: (kind, f) => { clicked = f; }};
const form = {
  elements: {namedItem: (name) => fields[name] || null},
  querySelector: (sel) => sel === ".save-answers" ? button : null,
  querySelectorAll: (sel) => codeNames.map((n) => fields[n]),
  addEventListener: () => {},
  reportValidity: () => true,
  getAttribute: () => "answers.csv",
};
global.window = {Blob: true, URL: true, crypto: globalThis.crypto};
global.Blob = function (parts) { saved = parts.join(""); };
global.URL = {createObjectURL: () => "blob:x"};
global.document = {
  querySelector: () => form,
  getElementById: () => ({textContent: JSON.stringify(columns)}),
  createElement: () => ({click() { downloadName = this.download; }, remove() {}}),
  body: {appendChild: () => {}},
};
require(process.argv[5]);
if (button.hidden) { throw new Error("the save button stayed hidden"); }
clicked();
process.stdout.write(JSON.stringify({csv: saved, name: downloadName}));
"""


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_saved_file_matches_the_codebook_and_the_python_self_code(tmp_path: Path) -> None:
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    codes = [q.id for q in DEFAULT_SELF_CODE]
    answers = {"response_id": "", "survey": "closing", "role": "mentee", "occasion": "2027-03-17",
               "code-guardian": " ma ", "code-birthday": "07", "code-siblings": "0", "respondent": "",
               "comment": 'Said "hello", then =SUM(A1)', "rating": "4"}
    columns = ["response_id", "survey", "role", "occasion", *codes, "respondent", "rating", "comment"]
    run = subprocess.run([NODE, str(harness), json.dumps(answers), json.dumps(columns), json.dumps(codes), str(SCRIPT)],
                         capture_output=True, text=True, check=True, timeout=60)
    out = json.loads(run.stdout)
    assert out["name"] == "answers.csv"
    assert out["csv"].startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out["csv"][1:])))
    assert rows[0] == columns
    row = dict(zip(columns, rows[1]))
    assert len(row["response_id"]) == 36 and row["rating"] == "4" and row["code-guardian"] == " ma "  # a random UUID
    assert row["respondent"] == codebook.self_code(DEFAULT_SELF_CODE, answers) == "MA-7-0"
    assert row["comment"] == 'Said "hello", then =SUM(A1)'  # quoted, and not a formula: it does not start with =
    formula = {**answers, "comment": "=SUM(A1)"}
    run = subprocess.run([NODE, str(harness), json.dumps(formula), json.dumps(columns), json.dumps(codes), str(SCRIPT)],
                         capture_output=True, text=True, check=True, timeout=60)
    row = dict(zip(columns, list(csv.reader(io.StringIO(json.loads(run.stdout)["csv"][1:])))[1]))
    assert row["comment"] == "'=SUM(A1)"  # as programdsl's own CSV files guard formulas
