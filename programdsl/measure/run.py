"""`programdsl report` as a library call: read and check every input, analyse, render.

`make_report()` never prints and never exits. It returns the diagnostics of every input and, when
none of them is an error, the files to write: the report (JSON, Markdown, HTML and, when asked,
PDF) and the coordinator's follow-up list. Nothing is written here; the caller writes the set
atomically into one directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..diagnostics import Diagnostic, Severity, Span
from ..model import Program
from ..schedule import ProgramSchedule
from . import codes
from .analysis import Analysis, Locator, Pair, Participants, Person, analyse
from .follow_up import FollowUp, follow_ups
from .plan import Plan, plan_for
from .responses import Responses, read_responses
from .sessions import read_sessions
from .values import read_values


@dataclass(frozen=True)
class ReportRequest:
    responses: Sequence[str]
    sessions: str | None = None
    pairs: str | None = None
    roster: str | None = None
    values: str | None = None
    as_of: dt.date | None = None
    pdf: bool = False
    templates: str | None = None  # a folder whose report.html.j2 / report.md.j2 replace the shipped ones


@dataclass
class ReportResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    analysis: Analysis | None = None
    follow_up: list[FollowUp] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)


def _display(path: str) -> str:
    from ..api import display_path

    return display_path(path)


def read_participants(program: Program, pairs_path: str | None, roster_path: str | None) -> tuple[Participants | None, list[Diagnostic]]:
    """Who was expected: the pairs file's matches and people, and the roster's people."""
    if pairs_path is None and roster_path is None:
        return None, []
    result = Participants()
    problems: list[Diagnostic] = []
    sources = []
    if roster_path is not None:
        from ..matching.roster import FLEXIBLE_ROLE, Needs, needs_of, read_roster

        # Only who is who: pairing attributes do not matter to a report.
        roster = read_roster(roster_path, Needs(roles=needs_of(program).roles), _display(roster_path))
        problems += [d for d in roster.diagnostics if d.code not in ("PD411",)]
        for person in roster.people:
            role = None if person.role == FLEXIBLE_ROLE else person.role
            result.people[person.id] = Person(person.id, person.name, role)
        sources.append("roster")
    if pairs_path is not None:
        from ..pairs import PairsError, read_pairs

        try:
            pairs = read_pairs(pairs_path, _display(pairs_path))
        except PairsError as error:
            problems.append(error.diagnostic())
        else:
            if pairs.program_id and pairs.program_id != program.id:
                problems.append(codes.REPORT_PARTICIPANTS.at(
                    Span(_display(pairs_path), 1, 1), f"the pairs file is for program '{pairs.program_id}', not '{program.id}'",
                    hint="give the pairs file of this program"))
            for match in pairs.matches:
                members = tuple(Person(m.id, m.name, "mentor") for m in match.mentors) + \
                    tuple(Person(m.id, m.name, "mentee") for m in match.mentees)
                result.pairs.append(Pair(match.id, members))
                for member in members:
                    result.people.setdefault(member.id, member)
            sources.insert(0, "pairs file")
    result.source = " and ".join(sources)
    return result, problems


def _unknown_people(plan: Plan, responses: Responses, participants: Participants) -> list[Diagnostic]:
    """Respondents (and partners) the pairs file and roster do not know: a mistyped id counts in
    averages but leaves the real person looking as if they never answered."""
    found = []
    for r in responses.responses:
        if plan.surveys[r.survey].self_code:
            continue
        if r.respondent is not None and r.respondent not in participants.people:
            found.append(codes.RESPONSES_UNKNOWN_RESPONDENT.at(
                r.span(), f"the respondent of this response to survey '{r.survey}' is not in the {participants.source}",
                hint="check the id against the roster; the response still counts in averages"))
        if r.about is not None and r.about not in participants.people:
            found.append(codes.RESPONSES_UNKNOWN_RESPONDENT.at(
                Span(r.file, r.line, 1), f"the partner this response to survey '{r.survey}' is about is not in the "
                                         f"{participants.source}", hint="the about column holds the partner's id"))
    return found


def make_report(program: Program, schedule: ProgramSchedule, request: ReportRequest, loc: Any = None) -> ReportResult:
    """Check every input against the program; when nothing is wrong, the report's files."""
    result = ReportResult()
    plan: Plan = plan_for(program, schedule)
    participants, problems = read_participants(program, request.pairs, request.roster)
    result.diagnostics += problems
    responses = read_responses(list(request.responses), plan, [_display(p) for p in request.responses])
    result.diagnostics += responses.diagnostics
    if participants is not None and participants.people:
        result.diagnostics += _unknown_people(plan, responses, participants)
    sessions = None
    if request.sessions is not None:
        pair_ids = {p.id for p in participants.pairs} if participants is not None and participants.pairs else None
        people = set(participants.people) if participants is not None and participants.people else None
        sessions = read_sessions(request.sessions, plan, pair_ids, people, _display(request.sessions))
        result.diagnostics += sessions.diagnostics
    values = None
    if request.values is not None:
        values = read_values(request.values, {m.id for m in plan.metrics}, _display(request.values))
        result.diagnostics += values.diagnostics
        computed = {m.id: m.kind for m in plan.metrics if m.kind in ("score", "change", "sessions")}
        for entry in values.values.values():
            if entry.metric in computed:
                result.diagnostics.append(codes.VALUES_COMPUTED.at(
                    Span(values.file, entry.line, 1),
                    f"metric {entry.metric} is computed from the {'session log' if computed[entry.metric] == 'sessions' else 'responses'}; "
                    "this value is ignored", hint="remove it, or give the metric `compute: {kind: manual}` in the program"))
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        result.diagnostics.sort(key=Diagnostic.sort_key)
        return result
    analysis = analyse(plan, responses, sessions, values, participants, request.as_of, Locator(program.file, loc))
    analysis.inputs = {
        "responseFiles": len(request.responses), "rows": responses.rows, "responses": len(responses.responses),
        "sessionLog": request.sessions is not None, "values": request.values is not None,
        "participants": participants.source if participants is not None else None,
    }
    result.analysis = analysis
    result.diagnostics += analysis.diagnostics
    result.diagnostics.sort(key=Diagnostic.sort_key)
    result.follow_up = follow_ups(plan, responses, sessions, participants, analysis.as_of, final=request.as_of is None)

    from ..render import report as render
    from ..render.templating import load_templates

    templates = load_templates(request.templates)  # TemplateFailure (a located template error) goes to the caller
    html_text = render.report_html(analysis, templates=templates)
    result.files = {
        "report.json": render.report_json(analysis),
        "report.md": render.report_md(analysis, templates).encode("utf-8"),
        "report.html": html_text.encode("utf-8"),
        "coordinator-follow-up.md": render.follow_up_md(analysis, result.follow_up).encode("utf-8"),
        "coordinator-follow-up.csv": render.follow_up_csv(result.follow_up).encode("utf-8"),
    }
    if request.pdf:
        from ..render.pdf import epoch, html_to_pdf, identifier

        result.files["report.pdf"] = html_to_pdf(html_text, identifier(program.id, program.version, "report.pdf"),
                                                 epoch(analysis.as_of))
    return result


__all__ = ["ReportRequest", "ReportResult", "make_report", "read_participants"]
