"""The pairs file: the matcher's output, reviewed by a coordinator, read by calendars and handbooks.

A pairs file is YAML (the full record, with explanations and a summary) or CSV (one row per
match and one per unmatched person, for spreadsheets). `status: draft` until a coordinator
publishes it. `read_pairs` and `write_pairs` choose the format from the file's suffix; both
formats carry the same matches, so either can be given to `programdsl build --pairs`.

YAML:

    apiVersion: programdsl/v1
    kind: Pairs
    program: reverse-pilot
    status: draft
    matches:
      - id: m-3f2a9c1d04
        mentors: [{id: p017, name: Sam Okafor, email: sam@example.org}]
        mentees: [{id: p002, name: Ruth Adeyemi, email: ruth@example.org}]
        score: 0.8333
        pinned: false
        explanation: ["met: topic-match (high priority) - interests the mentor can offer: social media"]
    unmatched:
      - {id: p031, name: Lee Chan, role: mentee, reason: capacity-exhausted, detail: ...}
    summary: {...}

Below the matches, `declined` lists pairs a coordinator took out of an earlier draft (never
proposed again) and `proposed` every pair the matcher put in the file: a pair deleted from
`matches` is declined by the next `--keep` run.

CSV columns: kind (match | unmatched | declined | proposed), program, status, match, mentor_ids, mentor_names,
mentor_emails, mentee_ids, mentee_names, mentee_emails, score, pinned, explanation, person_id,
person_name, role, reason, detail. Several people in one cell are separated by `;`, explanation
lines by ` | `.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Span

API_VERSION = "programdsl/v1"
KIND = "Pairs"
STATUSES = ("draft", "published")
UNMATCHED_REASONS = ("ineligible", "no-eligible-partner", "below-minimum-score", "capacity-exhausted")
CSV_COLUMNS = (
    "kind", "program", "status", "match", "mentor_ids", "mentor_names", "mentor_emails", "mentee_ids",
    "mentee_names", "mentee_emails", "score", "pinned", "explanation", "person_id", "person_name", "role",
    "reason", "detail",
)
_LINES = " | "


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Match:
    """One pair, or one group: several mentees (one-to-many, circles) or several mentors (a shadow board)."""

    id: str  # stable: derived from the members' ids, so re-matching keeps calendar UIDs
    mentors: tuple[Member, ...]
    mentees: tuple[Member, ...]
    score: float
    explanation: tuple[str, ...] = ()
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    id: str
    role: str
    reason: str  # no-eligible-partner | capacity-exhausted | below-minimum-score | ineligible
    detail: str = ""
    name: str = ""


@dataclass
class PairsFile:
    program_id: str
    status: str  # draft | published
    matches: list[Match] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    #: every (mentor id, mentee id) pair the matcher put in this file; one a coordinator
    #: deletes from `matches` is declined by the next `--keep` run
    proposed: list[tuple[str, str]] = field(default_factory=list)
    #: pairs a coordinator took out of an earlier draft: never proposed again
    declined: list[tuple[str, str]] = field(default_factory=list)

    def declined_now(self) -> list[tuple[str, str]]:
        """Declined pairs, with those proposed here but deleted from `matches` since."""
        present = {(a.id, b.id) for m in self.matches for a in m.mentors for b in m.mentees}
        out = dict.fromkeys(self.declined)
        out.update(dict.fromkeys(p for p in self.proposed if p not in present))
        return sorted(out)


class PairsError(ValueError):
    """A pairs file that cannot be read; `span` says where."""

    def __init__(self, message: str, span: Span, hint: str = "") -> None:
        super().__init__(message)
        self.span, self.hint = span, hint

    def diagnostic(self) -> Diagnostic:
        from .matching.codes import PAIRS_UNREADABLE

        return PAIRS_UNREADABLE.at(self.span, str(self), hint=self.hint)


def is_yaml(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith((".yaml", ".yml"))


# --- writing ----------------------------------------------------------------------------------------


def _member(member: Member) -> dict[str, Any]:
    out: dict[str, Any] = {"id": member.id, "name": member.name}
    if member.email:
        out["email"] = member.email
    return out


def to_data(pairs: PairsFile) -> dict[str, Any]:
    data: dict[str, Any] = {"apiVersion": API_VERSION, "kind": KIND, "program": pairs.program_id, "status": pairs.status}
    data["matches"] = [
        {
            "id": m.id,
            "mentors": [_member(x) for x in m.mentors],
            "mentees": [_member(x) for x in m.mentees],
            "score": round(m.score, 4),
            "pinned": m.pinned,
            "explanation": list(m.explanation),
        }
        for m in pairs.matches
    ]
    data["unmatched"] = [
        {k: v for k, v in (("id", u.id), ("name", u.name), ("role", u.role), ("reason", u.reason), ("detail", u.detail)) if v != ""}
        for u in pairs.unmatched
    ]
    if pairs.summary:
        data["summary"] = pairs.summary
    if pairs.declined:
        data["declined"] = [{"mentor": a, "mentee": b} for a, b in pairs.declined]
    if pairs.proposed:
        data["proposed"] = [{"mentor": a, "mentee": b} for a, b in pairs.proposed]
    return data


def dumps_yaml(pairs: PairsFile) -> str:
    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(to_data(pairs), Dumper=dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return "# Pairs made by `programdsl match`. Review, then publish (see docs/matching.md).\n" + body


def dumps_csv(pairs: PairsFile) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in pairs.matches:
        writer.writerow([_cell(value) for value in [
            "match", pairs.program_id, pairs.status, m.id,
            ";".join(x.id for x in m.mentors), ";".join(x.name for x in m.mentors), ";".join(x.email or "" for x in m.mentors),
            ";".join(x.id for x in m.mentees), ";".join(x.name for x in m.mentees), ";".join(x.email or "" for x in m.mentees),
            f"{m.score:.4f}", "yes" if m.pinned else "no", _LINES.join(m.explanation), "", "", "", "", "",
        ]])
    for u in pairs.unmatched:
        writer.writerow([_cell(value) for value in ["unmatched", pairs.program_id, pairs.status, "", "", "", "", "", "",
                                                     "", "", "", "", u.id, u.name, u.role, u.reason, u.detail]])
    for kind, listed in (("declined", pairs.declined), ("proposed", pairs.proposed)):
        for a, b in listed:
            writer.writerow([_cell(value) for value in [kind, pairs.program_id, pairs.status, "", a, "", "", b] + [""] * 10])
    return out.getvalue()


def dumps(pairs: PairsFile, path: str | os.PathLike[str]) -> str:
    return dumps_yaml(pairs) if is_yaml(path) else dumps_csv(pairs)


def write_pairs(pairs: PairsFile, path: str | os.PathLike[str]) -> None:
    """Write YAML for .yaml/.yml, CSV otherwise, atomically. Same input, byte-identical output."""
    from .output import write_atomic

    write_atomic(path, dumps(pairs, path))


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: roster names like `=HYPERLINK(...)` get a leading `'`."""
    from .render.escape import csv_cell

    return csv_cell(value)


def _csv_text(value: Any) -> str:
    """A cell as written by `_cell`, with the protecting `'` taken off again."""
    from .render.escape import FORMULA_TRIGGERS

    text = _text(value)
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_TRIGGERS else text


# --- reading ---------------------------------------------------------------------------------------


def read_text(path: str | os.PathLike[str], file: str) -> str:
    """A pairs or pin file's text, within the roster's limits: a regular file no larger than
    `limits.ROSTER_BYTES` (refused by its size, unread), whose YAML aliases and nesting stay
    inside the program loader's limits. Raises PairsError, located."""
    from . import limits
    from .loader import expansion_problem

    hint = "check the path, and that the file is UTF-8 text"
    try:
        info = os.stat(path)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise PairsError(f"cannot read the pairs file: {getattr(error, 'strerror', None) or error}", Span(file, 1, 1),
                         hint) from None
    if not stat.S_ISREG(info.st_mode):
        raise PairsError("not a regular file (a pipe, device or folder)", Span(file, 1, 1), "name a pairs file")
    if info.st_size > limits.ROSTER_BYTES:
        raise PairsError(f"the file is larger than {limits.ROSTER_BYTES // 2**20} MiB, the limit for a pairs file",
                         Span(file, 1, 1), "split it, as the roster it came from")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read(limits.ROSTER_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise PairsError(f"cannot read the pairs file: {getattr(error, 'strerror', None) or error}", Span(file, 1, 1),
                         hint) from None
    if is_yaml(path):
        problem = expansion_problem(text, file, limits.ROSTER_VALUES)
        if problem is not None:
            raise PairsError(problem.message, Span(file, problem.line, problem.col), problem.hint)
    return text


def read_pairs(path: str | os.PathLike[str], display: str | None = None) -> PairsFile:
    """Read a pairs file (YAML or CSV, by suffix). Raises PairsError, located, for bad input."""
    file = display if display is not None else os.fspath(path)
    text = read_text(path, file)
    return loads_yaml(text, file) if is_yaml(path) else loads_csv(text, file)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _members(raw: Any, where: str, file: str) -> tuple[Member, ...]:
    if not isinstance(raw, list):
        raise PairsError(f"{where} must be a list of people", Span(file, 1, 1))
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            out.append(Member(item, item))
            continue
        if not isinstance(item, dict) or not _text(item.get("id")):
            raise PairsError(f"{where}[{i}] must have an id", Span(file, 1, 1))
        out.append(Member(_text(item["id"]), _text(item.get("name")) or _text(item["id"]), _text(item.get("email")) or None))
    return tuple(out)


def loads_yaml(text: str, file: str = "<pairs>") -> PairsFile:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark is not None else Span(file, 1, 1)
        raise PairsError(f"the pairs file is not well-formed YAML ({(error.problem or 'malformed').strip()})", span) from None
    except yaml.YAMLError as error:
        raise PairsError(f"the pairs file is not well-formed YAML ({error})", Span(file, 1, 1)) from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise PairsError("not a pairs file: expected `kind: Pairs`", Span(file, 1, 1),
                         "make one with `programdsl match PROGRAM ROSTER -o pairs.yaml`")
    status = _text(data.get("status")) or "draft"
    if status not in STATUSES:
        raise PairsError(f"status {status!r} is not draft or published", Span(file, 1, 1))
    matches = []
    for i, raw in enumerate(data.get("matches") or []):
        if not isinstance(raw, dict):
            raise PairsError(f"matches[{i}] must be a mapping", Span(file, 1, 1))
        mentors = _members(raw.get("mentors"), f"matches[{i}].mentors", file)
        mentees = _members(raw.get("mentees"), f"matches[{i}].mentees", file)
        try:
            score = float(raw.get("score") or 0.0)
        except (TypeError, ValueError):
            raise PairsError(f"matches[{i}].score is not a number", Span(file, 1, 1)) from None
        explanation = tuple(str(x) for x in raw.get("explanation") or ())
        ident = _text(raw.get("id")) or match_id([m.id for m in mentors], [m.id for m in mentees])
        matches.append(Match(ident, mentors, mentees, score, explanation, bool(raw.get("pinned", False))))
    unmatched = []
    for i, raw in enumerate(data.get("unmatched") or []):
        if not isinstance(raw, dict) or not _text(raw.get("id")):
            raise PairsError(f"unmatched[{i}] must be a mapping with an id", Span(file, 1, 1))
        unmatched.append(Unmatched(_text(raw["id"]), _text(raw.get("role")), _text(raw.get("reason")),
                                   _text(raw.get("detail")), _text(raw.get("name"))))
    raw_summary = data.get("summary")
    summary: dict[str, Any] = dict(raw_summary) if isinstance(raw_summary, dict) else {}
    history = {key: _pair_list(data.get(key), key, file) for key in ("proposed", "declined")}
    return PairsFile(_text(data.get("program")), status, matches, unmatched, summary, history["proposed"], history["declined"])


def _pair_list(raw: Any, key: str, file: str) -> list[tuple[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PairsError(f"{key} must be a list of {{mentor: ID, mentee: ID}}", Span(file, 1, 1))
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not _text(item.get("mentor")) or not _text(item.get("mentee")):
            raise PairsError(f"{key}[{i}] must have a mentor id and a mentee id", Span(file, 1, 1))
        out.append((_text(item["mentor"]), _text(item["mentee"])))
    return out


def loads_csv(text: str, file: str = "<pairs>") -> PairsFile:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = set(reader.fieldnames or ())
    missing = [c for c in ("kind", "mentor_ids", "mentee_ids") if c not in columns]
    if missing:
        raise PairsError(f"the pairs CSV has no {', '.join(missing)} column", Span(file, 1, 1),
                         "make one with `programdsl match PROGRAM ROSTER -o pairs.csv`")
    program, status = "", "draft"
    matches: list[Match] = []
    unmatched: list[Unmatched] = []
    history: dict[str, list[tuple[str, str]]] = {"proposed": [], "declined": []}
    try:
        for row in reader:
            line = reader.line_num
            program = _csv_text(row.get("program")) or program
            status = _csv_text(row.get("status")) or status
            kind = _csv_text(row.get("kind"))
            if kind == "match":
                def people(prefix: str) -> tuple[Member, ...]:
                    ids = [x.strip() for x in _csv_text(row.get(f"{prefix}_ids")).split(";") if x.strip()]
                    names = _csv_text(row.get(f"{prefix}_names")).split(";")
                    emails = _csv_text(row.get(f"{prefix}_emails")).split(";")
                    return tuple(Member(i, (names[k].strip() if k < len(names) and names[k].strip() else i),
                                        (emails[k].strip() or None) if k < len(emails) else None) for k, i in enumerate(ids))
                mentors, mentees = people("mentor"), people("mentee")
                if not mentors or not mentees:
                    raise PairsError(f"line {line}: a match needs at least one mentor id and one mentee id", Span(file, line, 1))
                try:
                    score = float(_csv_text(row.get("score")) or 0.0)
                except ValueError:
                    raise PairsError(f"line {line}: the score is not a number", Span(file, line, 1)) from None
                explanation = tuple(x for x in _csv_text(row.get("explanation")).split(_LINES) if x)
                ident = _csv_text(row.get("match")) or match_id([m.id for m in mentors], [m.id for m in mentees])
                matches.append(Match(ident, mentors, mentees, score, explanation,
                                     _csv_text(row.get("pinned")).lower() in ("yes", "true", "1")))
            elif kind == "unmatched":
                unmatched.append(Unmatched(_csv_text(row.get("person_id")), _csv_text(row.get("role")), _csv_text(row.get("reason")),
                                           _csv_text(row.get("detail")), _csv_text(row.get("person_name"))))
            elif kind in history:
                a, b = _csv_text(row.get("mentor_ids")), _csv_text(row.get("mentee_ids"))
                if not a or not b:
                    raise PairsError(f"line {line}: a {kind} pair needs a mentor id and a mentee id", Span(file, line, 1))
                history[kind].append((a, b))
            elif kind:
                raise PairsError(f"line {line}: kind {kind!r} is not match, unmatched, declined or proposed", Span(file, line, 1))
    except csv.Error as error:
        raise PairsError(f"the pairs file is not well-formed CSV ({error})", Span(file, reader.line_num or 1, 1)) from None
    if status not in STATUSES:
        raise PairsError(f"status {status!r} is not draft or published", Span(file, 2, 1))
    return PairsFile(program, status, matches, unmatched, {}, history["proposed"], history["declined"])


def match_id(mentor_ids: list[str], mentee_ids: list[str], group_by: str | None = None) -> str:
    """A stable id: the same people give the same id. A group is named by the side it gathers
    around (`group_by` = "mentors" or "mentees"), so adding a member keeps the group's id."""
    import hashlib

    if group_by == "mentors":
        key = "group|" + ";".join(sorted(mentor_ids))
    elif group_by == "mentees":
        key = "group|;" + ";".join(sorted(mentee_ids))
    else:
        key = ";".join(sorted(mentor_ids)) + "|" + ";".join(sorted(mentee_ids))
    return "m-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


__all__ = ["Match", "Member", "PairsError", "PairsFile", "Unmatched", "match_id", "read_pairs", "write_pairs"]
