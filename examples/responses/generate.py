"""Write the synthetic answers and session logs in examples/responses/, deterministically.

    python examples/responses/generate.py          # rewrite examples/responses/<example>/
    python examples/responses/generate.py --check  # exit 1 if the files on disk differ

Nobody in these files exists. The people, their answers and their sessions are drawn from a
seeded random generator, shaped so that the report shows what a coordinator would meet in a real
run: for the NHS example, six reverse mentors whose feedback confidence rises from an average of
23 to 29 (as in the 2022 feasibility study), consultants of whom one leaves before the closing
questionnaire, a pair that stops meeting, a mentor who misses supervision; and the same survey
answers written in the three layouts `programdsl report` reads (the codebook CSV, an ODK Central
export and a KoboToolbox export).

The columns come from the program itself (programdsl's codebook), so regenerating after a change
to a program keeps the answers in step with its surveys.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from programdsl.api import Validator  # noqa: E402
from programdsl.measure.plan import Column, Plan, SurveyPlan, plan_for  # noqa: E402
from programdsl.schedule import build_schedule  # noqa: E402

FIRST = ["Amara", "Ben", "Chidi", "Dana", "Elif", "Farah", "Gus", "Hana", "Idris", "Jo", "Kasia", "Luca", "Maya",
         "Nikhil", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera", "Wes", "Yara", "Zane"]
LAST = ["Adeyemi", "Brennan", "Castro", "Doyle", "Eze", "Fischer", "Gallagher", "Hussain", "Ito", "Jensen", "Kowalski",
        "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov", "Quinlan", "Rahman", "Silva", "Tanaka"]
TEXTS = ["Bring one real example to every session.", "Say what you saw, then ask what they noticed.",
         "Agree ground rules in the first meeting.", "Keep notes of what changed after each session.",
         "Ask for help from supervision early.", "It gets easier after the second session."]


@dataclass
class Example:
    """What to generate for one example program."""

    folder: str
    program: str
    mentors: int
    mentees: int
    seed: int
    #: metric id -> (mean before, mean after) of the paired scale totals
    changes: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: pair number (1-based) -> sessions held; others hold every planned session
    sessions_held: dict[int, int] = field(default_factory=dict)
    #: mentees (1-based) who left before the closing surveys
    left: tuple[int, ...] = ()
    #: surveys written as an ODK Central export, and as a KoboToolbox export
    odk: tuple[str, ...] = ()
    kobo: tuple[str, ...] = ()
    #: group session id -> mentors (1-based) who attend only one session
    supervision_gaps: dict[str, tuple[int, ...]] = field(default_factory=dict)
    values: dict[str, tuple[float, str, str]] = field(default_factory=dict)  # metric -> (value, as of, source)


EXAMPLES = [
    Example("nhs", "reverse-nhs-clinical.yaml", mentors=6, mentees=6, seed=2022,
            changes={"feedback-confidence": (23.0, 29.0), "consultant-insight-score": (20.0, 26.0)},
            sessions_held={5: 5, 6: 3}, left=(6,), odk=("consultant-baseline", "consultant-closing"), kobo=("midpoint-pulse",),
            supervision_gaps={"mentor-supervision": (4,)},
            values={"trainee-voice": (64.0, "2027-03-31", "Annual staff survey 2027, doctors in training (Workforce Intelligence)")}),
    Example("traditional", "traditional-leadership.yaml", mentors=9, mentees=9, seed=1999,
            sessions_held={3: 10, 8: 7}, odk=("midpoint-review",),
            values={"pipeline-retention": (90.0, "2028-01-31", "HR information system, leavers report")}),
]


def _people(example: Example, rng: random.Random) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(names)
    mentors = [(f"mr{i:02d}", names[i - 1]) for i in range(1, example.mentors + 1)]
    mentees = [(f"me{i:02d}", names[50 + i]) for i in range(1, example.mentees + 1)]
    return mentors, mentees


def _pairs_yaml(program_id: str, mentors: list[tuple[str, str]], mentees: list[tuple[str, str]]) -> str:
    lines = ["# Synthetic pairs for the example answers (nobody here exists).", "apiVersion: programdsl/v1", "kind: Pairs",
             f"program: {program_id}", "status: published", "matches:"]
    for i, ((mentor, mname), (mentee, ename)) in enumerate(zip(mentors, mentees), start=1):
        lines += [f"  - id: pair-{i:02d}", f"    mentors: [{{id: {mentor}, name: {mname}}}]",
                  f"    mentees: [{{id: {mentee}, name: {ename}}}]", "    score: 1.0"]
    return "\n".join(lines) + "\n"


def _totals(rng: random.Random, count: int, mean: float, spread: int) -> list[float]:
    """`count` totals whose mean is exactly `mean`: offsets that sum to zero around it."""
    offsets = [rng.randint(-spread, spread) for _ in range(count - 1)]
    offsets.append(-sum(offsets))
    return [mean + o for o in offsets]


def _items_for_total(rng: random.Random, total: float, items: list[tuple[str, bool]], low: float, high: float,
                     scoring: str) -> dict[str, float]:
    """Coded item answers whose sum (or mean) is `total`, then reverse items turned back into answers."""
    k = len(items)
    goal = round(total * k) if scoring == "mean" else round(total)
    coded = [low] * k
    remaining = goal - low * k
    order = list(range(k))
    while remaining > 0:
        rng.shuffle(order)
        moved = False
        for i in order:
            if remaining > 0 and coded[i] < high:
                coded[i] += 1
                remaining -= 1
                moved = True
        if not moved:
            break
    return {item: (low + high - c if reverse else c) for (item, reverse), c in zip(items, coded)}


def _answer(rng: random.Random, column: Column, level: float) -> str:
    if column.type == "likert" and column.low is not None and column.high is not None:
        centre = (column.low + column.high) / 2 + 0.8 + level
        return str(int(min(column.high, max(column.low, round(rng.gauss(centre, 0.5))))))
    if column.type == "yes-no":
        return "yes" if rng.random() < 0.85 else "no"
    if column.type == "choice":
        return str(rng.choices(range(1, len(column.labels) + 1), weights=[6] + [1] * (len(column.labels) - 1))[0])
    if column.type == "number":
        return str(rng.choice([1, 2, 2, 3, 3, 4]))
    return rng.choice(TEXTS) if rng.random() < 0.5 else ""


def _moment(rng: random.Random, window: tuple[dt.date, dt.date]) -> str:
    opens, closes = window
    day = opens + dt.timedelta(days=rng.randint(0, max(0, (closes - opens).days - 1)))
    return f"{day.isoformat()}T{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:00"


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def generate(example: Example) -> dict[str, str]:
    rng = random.Random(example.seed)
    result = Validator().check_file(REPO / "examples" / example.program)
    if result.program is None or result.errors:
        raise SystemExit(f"{example.program} does not validate")
    program = result.program
    plan: Plan = plan_for(program, build_schedule(program))
    mentors, mentees = _people(example, rng)
    people = {"mentor": mentors, "mentee": mentees}
    files = {"pairs.yaml": _pairs_yaml(program.id, mentors, mentees)}
    # Scale totals for each change metric, fixed per person so the before/after pairs line up.
    planned: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    for metric in plan.metrics:
        if metric.kind != "change" or metric.id not in example.changes or metric.scale not in plan.scales:
            continue
        scale = plan.scales[metric.scale]
        role = metric.role or plan.surveys[metric.survey or ""].audience[0]
        group = people.get(role, [])
        answering = [p for i, p in enumerate(group, 1) if not (role == "mentee" and i in example.left)]
        before_mean, after_mean = example.changes[metric.id]
        spread = 4 if scale.scoring == "sum" else 0
        before = _totals(rng, len(group), before_mean, spread) if spread else [before_mean] * len(group)
        gains = _totals(rng, len(answering), after_mean - before_mean, 1) if spread else [after_mean - before_mean] * len(answering)
        for (person, _), total in zip(group, before):
            planned.setdefault((metric.baseline_survey or "", person), {}).update(
                _items_for_total(rng, total, list(scale.items), scale.low, scale.high, scale.scoring))
        for k, (person, _) in enumerate(answering):
            index = group.index((person, _))
            planned.setdefault((metric.survey or "", person), {}).update(
                _items_for_total(rng, before[index] + gains[k], list(scale.items), scale.low, scale.high, scale.scoring))
    for survey in plan.surveys.values():
        if not survey.windows:
            continue
        rows = _survey_rows(example, rng, plan, survey, people, planned)
        if not rows:
            continue
        if survey.id in example.odk:
            files[f"{survey.id}.csv"] = _odk(rows)
        elif survey.id in example.kobo:
            files[f"{survey.id}.csv"] = _kobo(rows)
        else:
            files[f"{survey.id}-answers.csv"] = _csv([list(rows[0])] + [list(r.values()) for r in rows])
    files["sessions.csv"] = _sessions(example, rng, plan, mentors, mentees)
    if example.values:
        lines = ["# Values from sources outside programdsl, entered by hand (synthetic).", "values:"]
        for metric, (value, as_of, source) in example.values.items():
            lines += [f"  - metric: {metric}", f"    value: {value:g}", f"    asOf: {as_of}", f"    source: {source}"]
        files["values.yaml"] = "\n".join(lines) + "\n"
    return files


def _survey_rows(example: Example, rng: random.Random, plan: Plan, survey: SurveyPlan,
                 people: dict[str, list[tuple[str, str]]], planned: dict[tuple[str, str], dict[str, float]]) -> list[dict[str, str]]:
    closing = survey.windows[0][0] > (plan.start or survey.windows[0][0]) + dt.timedelta(days=60)
    rows: list[dict[str, str]] = []
    header = ["response_id", "survey", "role", "occasion"] + (list(survey.self_code) if survey.self_code else []) + ["respondent"]
    header += ["about"] if survey.about == "partner" else []
    partner = {m: e for (m, _), (e, _) in zip(people.get("mentor", []), people.get("mentee", []))}
    partner.update({e: m for m, e in list(partner.items())})
    header += [c.name for c in survey.columns if c.name not in survey.self_code] + ["submitted"]
    number = 0
    for window in survey.windows:
        for role in survey.audience:
            for index, (person, _) in enumerate(people.get(role, []), start=1):
                if role == "mentee" and index in example.left and (closing or window != survey.windows[0]):
                    continue
                if (survey.id, person) not in planned and rng.random() < 0.1:
                    continue  # a few people skip the surveys no metric depends on
                number += 1
                row = {name: "" for name in header}
                row.update(response_id=f"{survey.id}-{number:03d}", survey=survey.id, role=role, occasion=window[0].isoformat(),
                           submitted=_moment(rng, window))
                if survey.self_code:  # different for everyone here; real codes can collide, and the report says so
                    n = int(person[2:]) + (0 if role == "mentor" else 40)
                    row.update(zip(survey.self_code, [["MA", "JO", "SA", "AL", "RU", "KE", "LI"][n % 7],
                                                      str(n % 28 + 1), str(n // 28 % 4)]))
                else:
                    row["respondent"] = person
                if survey.about == "partner":
                    row["about"] = partner.get(person, "")
                fixed = planned.get((survey.id, person), {})
                for column in survey.columns:
                    if column.name in survey.self_code or not survey.asked(column, role):
                        continue
                    level = random.Random(f"{example.seed}-{person}").gauss(0.0, 0.7)  # how positive this person is overall
                    row[column.name] = f"{fixed[column.name]:g}" if column.name in fixed else _answer(rng, column, level)
                rows.append(row)
    return rows


def _odk(rows: list[dict[str, str]]) -> str:
    """As ODK Central's "all records" CSV: submission metadata first, questions in a group joined with '-'."""
    questions = [k for k in rows[0] if k not in ("response_id", "survey", "occasion", "submitted")]
    header = ["SubmissionDate"] + [q if q in ("respondent", "role") or q.startswith("code-") else f"answers-{q}" for q in questions]
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
               "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    out = [header]
    for row in rows:
        key = f"uuid:{row['response_id']}"
        out.append([row["submitted"] + ".000Z"] + [row[q] for q in questions] + [key, key, "7", "Data collector", "0", "0",
                                                                                   "", "", "", "0", "1"])
    return _csv(out)


def _kobo(rows: list[dict[str, str]]) -> str:
    """As KoboToolbox's CSV export ("XML values and headers", groups in headers joined with '/', ';' separated)."""
    questions = [k for k in rows[0] if k not in ("response_id", "survey", "occasion", "submitted")]
    header = ["start", "end"] + [q if q in ("respondent", "role") or q.startswith("code-") else f"pulse/{q}" for q in questions]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__",
               "_tags", "_index"]
    out = [header]
    for index, row in enumerate(rows, start=1):
        out.append([row["submitted"], row["submitted"]] + [row[q] for q in questions] +
                   [str(40000 + index), row["response_id"], row["submitted"], "", "", "submitted_via_web", "", "v1", "", str(index)])
    return _csv(out, ";")


def _sessions(example: Example, rng: random.Random, plan: Plan, mentors: list[tuple[str, str]],
              mentees: list[tuple[str, str]]) -> str:
    rows = [["meeting", "pair", "date", "held", "minutes", "attendees"]]
    pairs = plan.meetings.get("pairs")
    if pairs is not None:
        for number in range(1, min(len(mentors), len(mentees)) + 1):
            held = example.sessions_held.get(number, len(pairs.planned))
            for k, day in enumerate(pairs.planned):
                shift = dt.timedelta(days=rng.randint(0, 3))
                if k < held:
                    rows.append(["pairs", f"pair-{number:02d}", (day + shift).isoformat(), "yes", str(rng.choice([45, 50, 55, 60])), ""])
                elif k == held and number in example.sessions_held:
                    rows.append(["pairs", f"pair-{number:02d}", day.isoformat(), "no", "", ""])
    for meeting in plan.meetings.values():
        if meeting.id == "pairs":
            continue
        gaps = example.supervision_gaps.get(meeting.id, ())
        for k, day in enumerate(meeting.planned):
            attending = [m for i, (m, _) in enumerate(mentors, 1) if (i not in gaps or k == 0) and not (k == 1 and i % 5 == 0)]
            if "mentor" in meeting.audience and attending:
                rows.append([meeting.id, "", day.isoformat(), "yes", str(meeting.minimum_attendance and 90 or 60), ";".join(attending)])
    return _csv(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report differences instead of rewriting")
    args = parser.parse_args(argv)
    stale = []
    for example in EXAMPLES:
        folder = HERE / example.folder
        for name, text in generate(example).items():
            target = folder / name
            if args.check:
                if not target.is_file() or target.read_text(encoding="utf-8") != text:
                    stale.append(str(target.relative_to(REPO)))
                continue
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        if not args.check:
            print(f"{example.folder}: written")
    for path in stale:
        print(f"{path} differs; run python examples/responses/generate.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
