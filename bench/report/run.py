"""Report benchmark: 10,000 respondents across four surveys, plus a session log.

Writes, with a fixed seed, the answers of 5,000 mentors and 5,000 consultants to the four
before/after surveys of tests/fixtures/report/program.yaml (20,000 response rows in four CSV
files: two in the codebook layout, one as an ODK Central export, one as a KoboToolbox export),
a pairs file of 5,000 pairs (CSV) and a session log of about 30,000 sessions. Then it times, as
the best of --repeat runs in this process:

- **bare csv read** (the baseline): `csv.reader` over every response file and the session log,
  materialising each row as a list;
- **programdsl report** (no PDF): the library call `make_report()` on the validated program:
  reading and checking every file, the analysis (scores, alpha, paired Wilcoxon tests, sessions,
  follow-up) and rendering JSON, Markdown and HTML with the SVG plots;
- the same split into its reading, analysis and rendering stages.

It also times the whole command line once, as a subprocess (start-up and program validation
included). Target: the report without PDF in under 5 s on the 2-core development machine.

    python bench/report/run.py            # 10,000 respondents
    python bench/report/run.py --pairs 500
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from programdsl.api import Validator  # noqa: E402
from programdsl.measure.run import ReportRequest, make_report  # noqa: E402
from programdsl.schedule import build_schedule  # noqa: E402

PROGRAM = REPO / "tests" / "fixtures" / "report" / "program.yaml"
MONTHS = ["2026-10-13", "2026-11-10", "2026-12-08", "2027-01-12", "2027-02-09", "2027-03-09"]


def write_inputs(folder: Path, pairs: int, seed: int) -> tuple[list[Path], Path, Path]:
    rng = random.Random(seed)

    def items(base: int, k: int) -> list[str]:
        return [str(min(5, max(1, base + rng.randint(-1, 1)))) for _ in range(k)]

    mentors = [f"m{i:05d}" for i in range(pairs)]
    mentees = [f"c{i:05d}" for i in range(pairs)]
    files = []
    for survey, day, base in (("mentor-baseline", "2026-10-07", 3), ("mentor-closing", "2027-03-20", 4)):
        path = folder / f"{survey}-answers.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle)
            w.writerow(["response_id", "survey", "role", "occasion", "respondent", "raise-topic", "specific-feedback",
                        "stay-calm", "avoid-conflict", "advice", "submitted"])
            for i, person in enumerate(mentors):
                w.writerow([f"{survey}-{i}", survey, "mentor", day, person, *items(base, 4), "", f"{day}T10:00:00"])
        files.append(path)
    odk = folder / "consultant-baseline.csv"
    with open(odk, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["SubmissionDate", "respondent", "role", "insight-rota-pressures", "insight-speaking-up", "insight-wellbeing",
                    "meta-instanceID", "KEY", "SubmitterID", "Status", "ReviewState", "Edits", "FormVersion"])
        for i, person in enumerate(mentees):
            w.writerow(["2026-10-08T09:00:00.000Z", person, "mentee", *items(2, 3), f"uuid:{i}", f"uuid:{i}", "5", "", "", "0", "1"])
    files.append(odk)
    kobo = folder / "consultant-closing.csv"
    with open(kobo, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, delimiter=";")
        w.writerow(["start", "end", "respondent", "role", "g/rota-pressures", "g/speaking-up", "g/wellbeing", "_id", "_uuid",
                    "_submission_time", "_status", "__version__", "_index"])
        for i, person in enumerate(mentees):
            w.writerow(["", "", person, "mentee", *items(4, 3), str(i), f"u{i}", "2027-03-21T09:00:00", "submitted", "v1", str(i)])
    files.append(kobo)
    pairs_file = folder / "pairs.csv"
    with open(pairs_file, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["kind", "program", "status", "match", "mentor_ids", "mentor_names", "mentor_emails", "mentee_ids",
                    "mentee_names", "mentee_emails", "score", "pinned", "explanation", "person_id", "person_name", "role",
                    "reason", "detail"])
        for i, (m, c) in enumerate(zip(mentors, mentees)):
            w.writerow(["match", "report-fixture", "published", f"pair-{i}", m, f"Mentor {i}", "", c, f"Consultant {i}", "",
                        "1.0", "no", "", "", "", "", "", ""])
    log = folder / "sessions.csv"
    with open(log, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["meeting", "pair", "date", "held", "minutes", "attendees"])
        for i in range(pairs):
            for month in MONTHS[: rng.choice([4, 5, 6, 6, 6])]:
                w.writerow(["pairs", f"pair-{i}", month, "yes", rng.choice([45, 50, 60]), ""])
        for day in ("2026-10-27", "2026-12-22", "2027-02-23"):
            w.writerow(["supervision", "", day, "yes", "90", ";".join(m for m in mentors if rng.random() < 0.8)])
    return files, pairs_file, log


def bare_read(paths: list[Path]) -> int:
    rows = 0
    for path in paths:
        with open(path, newline="", encoding="utf-8") as handle:
            sample = handle.readline()
            handle.seek(0)
            rows += len(list(csv.reader(handle, delimiter=";" if sample.count(";") > sample.count(",") else ",")))
    return rows


def best(repeat: int, run: object) -> tuple[float, float]:
    """The best wall-clock and the best CPU time of `repeat` runs (on a busy machine, read the CPU column)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run()  # type: ignore[operator]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5000, help="pairs (respondents are twice this)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        responses, pairs_file, log = write_inputs(folder, args.pairs, args.seed)
        result = Validator().check_file(PROGRAM)
        assert result.program is not None and not result.errors
        program = result.program
        schedule = build_schedule(program)
        loc = result.resolved.loc if result.resolved is not None else None
        request = ReportRequest([str(p) for p in responses], str(log), str(pairs_file))
        outcome = make_report(program, schedule, request, loc)  # warm-up (imports scipy and matplotlib)
        assert outcome.errors == 0, outcome.diagnostics[:5]
        rows = bare_read(responses + [log])
        baseline = best(args.repeat, lambda: bare_read(responses + [log]))
        report = best(args.repeat, lambda: make_report(program, schedule, request, loc))

        from programdsl.measure.analysis import Locator, analyse
        from programdsl.measure.plan import plan_for
        from programdsl.measure.responses import read_responses
        from programdsl.measure.run import read_participants
        from programdsl.measure.sessions import read_sessions
        from programdsl.render import report as render

        plan = plan_for(program, schedule)
        reading = best(args.repeat, lambda: (read_participants(program, str(pairs_file), None),
                                             read_responses([str(p) for p in responses], plan),
                                             read_sessions(log, plan)))
        participants, _ = read_participants(program, str(pairs_file), None)
        answers = read_responses([str(p) for p in responses], plan)
        sessions = read_sessions(log, plan, {p.id for p in participants.pairs} if participants else None)
        analysis_time = best(args.repeat, lambda: analyse(plan, answers, sessions, None, participants, None, Locator(program.file, loc)))
        analysis = analyse(plan, answers, sessions, None, participants, None, Locator(program.file, loc))
        analysis.inputs = {}
        rendering = best(args.repeat, lambda: (render.report_json(analysis), render.report_md(analysis), render.report_html(analysis)))
        command = [sys.executable, "-m", "programdsl", "report", str(PROGRAM), "--sessions", str(log), "--pairs", str(pairs_file),
                   "--no-pdf", "-o", str(folder / "out")]
        for p in responses:
            command += ["--responses", str(p)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        finished = subprocess.run(command, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli = (time.perf_counter() - start, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        assert finished.returncode == 0, finished.stderr[-2000:]
        print(f"inputs: {args.pairs * 2:,} respondents, {len(responses)} survey files, {rows:,} CSV rows in all "
              f"(session log included), pairs file of {args.pairs:,} pairs")
        def row(label: str, value: tuple[float, float], ratio: bool = True) -> None:
            ratios = f"{value[0] / baseline[0]:7.1f}x {value[1] / baseline[1]:7.1f}x" if ratio else ""
            print(f"{label:<40}{value[0]:8.3f} s {value[1]:8.3f} s {ratios}")

        print(f"{'':<40}{'wall':>10} {'CPU':>10} {'ratio (wall, CPU)':>17}")
        row("bare csv read (baseline)", baseline)
        row("programdsl report, no PDF (library)", report)
        row("  reading and checking", reading)
        row("  analysis", analysis_time, False)
        row("  rendering (JSON, Markdown, HTML+SVG)", rendering, False)
        row("programdsl report CLI (one run)", cli, False)
        print("  (the CLI row includes start-up, validating the program and importing scipy and matplotlib)")
        print(f"target: under 5 s without PDF: library {'met' if report[1] < 5 else 'NOT met'} ({report[1]:.2f} s CPU), "
              f"command line {'met' if cli[1] < 5 else 'NOT met'} ({cli[1]:.2f} s CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
