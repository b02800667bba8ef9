"""Reading survey responses: CSV files in the codebook's columns, or survey tools' CSV exports.

Three layouts are read, told apart by their columns, never by a setting:

- **programdsl codebook CSV** (the `forms/<survey>/<role>.csv` header `programdsl build` writes):
  `response_id, survey, role, occasion, respondent` (and `about` for evaluations about a
  partner), then one column per question, named by the question's (or scale item's) id. One file
  may hold several surveys: the `survey` column says which each row answers. An optional
  `submitted` column holds the submission time.
- **ODK Central**, "Download all records" CSV with its default settings (group names kept, joined
  to the question name with `-`, e.g. `feedback-raise-difficult-topic`; select-multiple not
  split). `SubmissionDate` is the submission time; `KEY` or `meta-instanceID` the response id;
  the other metadata columns (`SubmitterID`, `SubmitterName`, `AttachmentsPresent`,
  `AttachmentsExpected`, `Status`, `ReviewState`, `DeviceID`, `Edits`, `FormVersion`, `start`,
  `end`, `today`, `deviceid`) are ignored.
- **KoboToolbox**, CSV export with "XML values and headers" and either "include groups in headers"
  (group and question joined with `/`) or no group names; `;` or `,` separated, as chosen when
  exporting. `_submission_time` is the submission time; `_uuid` (else `_id`, else
  `meta/instanceID`) the response id; `_id`, `_index`, `_validation_status`, `_notes`, `_status`,
  `_submitted_by`, `__version__`, `_tags`, `formhub/uuid` and the `meta/` columns are ignored.
  Exports with labels instead of values are read too, where a cell is exactly a scale label.

A survey tool's export covers one form: when it has no `survey` column, the survey (and, for a
form sent to several roles, the role) is taken from the file name, as ODK names its export after
the form id (`mentor-closing.csv`, `mentor-closing-mentor.csv`).

Responses are personal data. Diagnostics give the file, line, column and the question; they
never quote a respondent key, a free-text answer or any text cell. A number outside a scale is
shown, since the number is the problem and identifies nobody.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from ..diagnostics import CATALOGUE, Code, Diagnostic, Severity, Span, suggest
from ..positions import byte_span, cell_starts, column_letter
from ..zones import zone as find_zone
from . import codes
from .codebook import normalise_code_answer
from .plan import IDENTITY_COLUMNS, Column, Plan, SurveyPlan

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 100_000
#: Problems of one kind listed per file; the rest are counted in one closing line.
MAX_PER_CODE = 100

# Survey tools' own columns, compared case-sensitively as they write them.
ODK_METADATA = frozenset({
    "SubmissionDate", "KEY", "meta-instanceID", "meta-instanceName", "SubmitterID", "SubmitterName",
    "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
    "instanceID", "PARENT_KEY",
})
KOBO_METADATA = frozenset({
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__",
    "_tags", "_index", "_parent_index", "_parent_table_name", "_attachments", "_geolocation", "_xform_id_string",
    "formhub/uuid", "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "meta/instanceName",
})
FORM_METADATA = frozenset({"start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
                           "subscriberid", "audit", "email"})
SUBMISSION_TIME = ("submitted", "SubmissionDate", "_submission_time")
RESPONSE_ID = ("response_id", "KEY", "meta-instanceID", "_uuid", "meta/instanceID", "_id")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


@dataclass
class Response:
    """One kept response. `answers` holds numbers for likert, number and yes-no questions
    (yes = 1, no = 0), the option's 1-based position for choices, and text for free text."""

    survey: str
    role: str | None
    respondent: str | None
    about: str | None
    occasion: dt.date | None
    submitted: dt.datetime | None
    answers: dict[str, float | str]
    file: str
    line: int
    order: int  # position across every file read, for "the later row counts"
    source: "CsvText | None" = field(default=None, repr=False)
    key_index: int | None = None  # cell index of the respondent key, for located messages

    def span(self) -> Span:
        """Where the response's respondent key is (computed only when a message needs it)."""
        if self.source is None:
            return Span(self.file, self.line, 1)
        return self.source.span(self.line, self.key_index)


@dataclass
class Responses:
    responses: list[Response] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read, kept or not
    #: survey id -> the question columns present in at least one file for that survey
    columns_seen: dict[str, set[str]] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for x in self.diagnostics if x.severity is Severity.ERROR)

    def of(self, survey: str) -> list[Response]:
        return [r for r in self.responses if r.survey == survey]


class CsvText:
    """A decoded CSV file: its records with the line each starts on, and cell positions on demand."""

    def __init__(self, file: str, text: str, delimiter: str) -> None:
        self.file, self.text, self.delimiter = file, text, delimiter
        self.reader: Any = None
        self._starts: tuple[int, list[int]] = (0, [])
        self.lines = text.split("\n")  # as csv counts lines; splitlines() would also break at \u2028

    def span(self, line: int, index: int | None) -> Span:
        if index is None or line > len(self.lines):
            return Span(self.file, line, 1)
        if self._starts[0] != line:  # one line's cells at a time: many problems on one long line stay linear
            self._starts = (line, cell_starts(self.lines[line - 1], self.delimiter))
        starts = self._starts[1]
        return Span(self.file, line, starts[index] + 1 if index < len(starts) else 1)

    def records(self) -> Iterable[tuple[int, list[str]]]:
        """(line, cells) of every non-blank record. Raises csv.Error for malformed CSV."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter, strict=True)
        self.reader = reader
        last = 0
        for record in reader:
            start = last + 1
            last = reader.line_num
            while start < last and start <= len(self.lines) and not self.lines[start - 1].strip():
                start += 1
            if record and any(cell.strip() for cell in record):
                yield start, record


def read_text(path: str | os.PathLike[str], file: str, unreadable: Code, limit: int = MAX_FILE_BYTES,
              what: str = "file", hint: str = "export it as CSV (UTF-8)") -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or None and why not: too large, binary, not UTF-8, unreadable."""
    def problem(span: Span, message: str, fix: str) -> tuple[None, list[Diagnostic]]:
        return None, [unreadable.at(span, message, hint=fix)]

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return problem(Span(file, 1, 1), f"the {what} is not a regular file", "name a CSV file")
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as error:
        return problem(Span(file, 1, 1), f"cannot read the {what}: {error.strerror or error}", "check the path and its permissions")
    if len(raw) > limit:
        return problem(Span(file, 1, 1), f"the {what} is larger than {limit // 2**20} MiB", "split it into smaller files")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        return problem(byte_span(file, raw, raw.index(b"\x00")), f"the {what} holds binary data, not text", hint)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return problem(byte_span(file, raw, error.start), f"byte 0x{raw[error.start]:02x} is not valid UTF-8", hint)
    if not text.strip():
        return problem(Span(file, 1, 1), f"the {what} is empty", "the first row names the columns")
    return text, []


def sniff_delimiter(text: str, path: str) -> str:
    if path.lower().endswith(".tsv"):
        return "\t"
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def parse_time(text: str, zone: dt.tzinfo) -> dt.datetime | None:
    """An ISO 8601 date or date-time; a naive one is taken in the program's time zone."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, tzinfo=zone)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def match_header(header: str, known: Iterable[str]) -> str | None:
    """The column a header names: itself, or a survey tool's group path ending in it
    (`group-name` from ODK Central, `group/name` from KoboToolbox). The longest match wins."""
    names = set(known)
    if header in names:
        return header
    found = [n for n in names if header.endswith(("-" + n, "/" + n))]
    return max(found, key=len) if found else None


def _stem_tokens(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def survey_from_name(path: str, plan: Plan) -> tuple[str | None, str | None]:
    """The survey (and role) a survey tool's export answers, from its file name: the longest
    survey id that the name is, starts with, or ends with (`<form>-<role>` names the role too)."""
    stem = _stem_tokens(path)
    best: str | None = None
    for survey_id in plan.surveys:
        if stem == survey_id or stem.startswith(survey_id + "-") or stem.startswith(survey_id + "_") \
                or stem.endswith("-" + survey_id) or stem.endswith("_" + survey_id):
            if best is None or len(survey_id) > len(best):
                best = survey_id
    if best is None:
        return None, None
    rest = stem[len(best) + 1:] if stem.startswith(best) else ""
    role = rest if rest in plan.surveys[best].audience else None
    return best, role


class _Reader:
    def __init__(self, plan: Plan, result: Responses) -> None:
        self.plan, self.result = plan, result
        self.zone = find_zone(plan.timezone) or dt.timezone.utc  # an unknown zone is reported by validation
        self.order = 0
        self.last_line = 1  # the record being read, for a malformed-CSV message
        self.counts: dict[tuple[str, str], int] = {}
        self.role_words = {r.casefold(): r for r in plan.roles} | {label.casefold(): r for r, label in plan.roles.items()}

    def problem(self, code: Code, span: Span, message: str, hint: str = "", severity: Severity | None = None) -> None:
        key = (span.file, code.code)
        seen = self.counts.get(key, 0) + 1
        self.counts[key] = seen
        if seen <= MAX_PER_CODE:
            self.result.diagnostics.append(code.at(span, message, hint=hint, severity=severity))

    def summarise(self) -> None:
        """One closing line for each kind of problem met more than MAX_PER_CODE times in a file."""
        for (file, code), seen in sorted(self.counts.items()):
            if seen > MAX_PER_CODE:
                entry = CATALOGUE[code]
                self.result.diagnostics.append(entry.at(
                    Span(file, 1, 1), f"{seen} problems of one kind ({entry.name}) in this file; only the first "
                                      f"{MAX_PER_CODE} are listed", hint="a problem repeated on every row usually means the export used "
                                                         "other settings or another form; see docs/reporting.md"))

    def read(self, path: str | os.PathLike[str], display: str) -> None:
        text, problems = read_text(path, display, codes.RESPONSES_UNREADABLE, what="response file")
        self.result.diagnostics += problems
        if text is None:
            return
        source = CsvText(display, text, sniff_delimiter(text, os.fspath(path)))
        self.last_line = 1
        try:
            self._records(source, os.fspath(path))
        except csv.Error as error:
            line = max(self.last_line, source.reader.line_num if source.reader is not None else 1)
            self.problem(codes.RESPONSES_UNREADABLE, Span(display, line, 1),
                         f"the file is not well-formed CSV ({error})",
                         hint="check for a quote that is opened and never closed, or a cell longer than "
                              f"{csv.field_size_limit()} characters")

    def _records(self, source: CsvText, path: str) -> None:
        records = source.records()
        first = next(iter(records), None)
        if first is None:
            self.problem(codes.RESPONSES_UNREADABLE, Span(source.file, 1, 1), "the response file has no header row",
                         hint="the first row names the columns")
            return
        header_line, header = first
        self.last_line = header_line
        plan = self.plan
        index = {name.strip(): i for i, name in reversed(list(enumerate(header)))}
        survey_column = index.get("survey")
        fixed_survey, fixed_role = (None, None) if survey_column is not None else survey_from_name(path, plan)
        if survey_column is None and fixed_survey is None:
            self.problem(codes.RESPONSES_UNKNOWN_SURVEY, Span(source.file, header_line, 1),
                         "the file has no survey column and its name is not a survey id, so it cannot be told "
                         "which survey it answers",
                         hint=f"add a survey column, or name the file after the survey "
                              f"({', '.join(sorted(plan.surveys)) or 'the program has no surveys'})")
            return
        known = set().union(*plan.survey_columns().values()) if fixed_survey is None else \
            {c.name for c in plan.surveys[fixed_survey].columns}
        columns: dict[int, str] = {}  # cell index -> question column
        identity: dict[str, int] = {}
        for i, raw in enumerate(header):
            name = raw.strip()
            if not name:
                continue
            if name in IDENTITY_COLUMNS or name in SUBMISSION_TIME or name in RESPONSE_ID:
                identity.setdefault(name, i)
                continue
            # A question's own column wins over a survey tool's metadata name (a question `email`).
            matched = name if name in known else None
            if matched is None and (name in ODK_METADATA or name in KOBO_METADATA or name in FORM_METADATA):
                continue
            matched = matched or match_header(name, known)
            if matched is None:
                grouped = match_header(name, IDENTITY_COLUMNS)  # `meta-respondent`: an identity field inside a group
                if grouped is not None:
                    identity.setdefault(grouped, i)
                    continue
                tail = re.split(r"[-/]", name)[-1]
                self.problem(codes.RESPONSES_UNKNOWN_COLUMN, source.span(header_line, i),
                             f"column {column_letter(i)} is not a question of "
                             f"{'survey ' + repr(fixed_survey) if fixed_survey else 'any survey'}; it is ignored",
                             hint=f"{suggest(name, known) or suggest(tail, known)}column names are the question ids "
                                  "of the codebook")
                continue
            if matched in columns.values():
                self.problem(codes.RESPONSES_UNKNOWN_COLUMN, source.span(header_line, i),
                             f"column {column_letter(i)} repeats the {matched} column; it is ignored",
                             hint="remove or rename one of them")
                continue
            columns[i] = matched
        code_columns = set(plan.surveys[fixed_survey].self_code) if fixed_survey else set()
        if "respondent" not in identity and not (code_columns and code_columns <= set(columns.values())):
            self.problem(codes.RESPONSES_MISSING_COLUMN, Span(source.file, header_line, 1),
                         "the file has no respondent column, so its responses cannot be paired over time, checked "
                         "for duplicates or counted against the roster",
                         hint="export the respondent field of the form (the roster id or the self-code)")
        time_column = next((identity[c] for c in SUBMISSION_TIME if c in identity), None)
        width = len(header)
        before = len(self.result.responses)
        try:
            self._rows(source, records, width, identity, columns, fixed_survey, fixed_role, time_column)
        finally:
            present = set(columns.values())
            answered = {fixed_survey} if fixed_survey else {r.survey for r in self.result.responses[before:]}
            for survey_id in sorted(s for s in answered if s is not None):
                roles = {r.role for r in self.result.responses[before:] if r.survey == survey_id} or {fixed_role}
                self._missing_columns(plan.surveys[survey_id], present, Span(source.file, header_line, 1), roles)
                if "role" not in identity and fixed_role is None and len(plan.surveys[survey_id].audience) > 1:
                    self.problem(codes.RESPONSES_MISSING_COLUMN, Span(source.file, header_line, 1),
                                 f"survey '{survey_id}' is sent to {' and '.join(plan.surveys[survey_id].audience)}, but the "
                                 "file has no role column: its responses count for everyone, and are left out of "
                                 "results for one role", hint="export the role field, or name the file <survey>-<role>.csv")

    def _missing_columns(self, survey: SurveyPlan, present: set[str], at: Span, roles: set[str | None]) -> None:
        """Warn about questions without a column, among those asked of the roles the file answers for
        (a role's own form and export hold only its questions)."""
        self.result.columns_seen.setdefault(survey.id, set()).update(present)
        missing = [c.name for c in survey.columns if c.name not in present and c.name not in survey.self_code
                   and any(survey.asked(c, role) for role in roles)]
        if missing:
            self.problem(codes.RESPONSES_MISSING_COLUMN, at,
                         f"the file has no column for {len(missing)} of the questions of survey '{survey.id}' "
                         f"({', '.join(missing[:5])}{' and more' if len(missing) > 5 else ''}); those answers "
                         "count as not given", hint="export every question of the form")

    def _rows(self, source: CsvText, records: Iterable[tuple[int, list[str]]], width: int, identity: dict[str, int],
              columns: dict[int, str], fixed_survey: str | None, fixed_role: str | None, time_column: int | None) -> None:
        for line, record in records:
            self.last_line = line
            self.result.rows += 1
            if self.result.rows > MAX_ROWS:
                self.problem(codes.RESPONSES_UNREADABLE, Span(source.file, line, 1),
                             f"more than {MAX_ROWS} responses in all; the rest are not read",
                             hint="report on one cohort at a time")
                return
            if len(record) > width:
                self.problem(codes.RESPONSES_ROW_SHAPE, source.span(line, width),
                             f"line {line} has {len(record)} cells but the header names {width} columns",
                             hint="quote cells that contain the separator")
                continue
            self._row(source, line, record, identity, columns, fixed_survey, fixed_role, time_column)

    def _cell(self, record: Sequence[str], index: int | None) -> str:
        return record[index].strip() if index is not None and index < len(record) else ""

    def _row(self, source: CsvText, line: int, record: list[str], identity: dict[str, int], columns: dict[int, str],
             fixed_survey: str | None, fixed_role: str | None, time_column: int | None) -> None:
        plan = self.plan
        def span(i: int | None) -> Span:
            return source.span(line, i)

        survey_id = fixed_survey or self._cell(record, identity.get("survey"))
        survey = plan.surveys.get(survey_id)
        if survey is None:
            self.problem(codes.RESPONSES_UNKNOWN_SURVEY, span(identity.get("survey")),
                         "the response names a survey the program does not define" if survey_id else
                         "the response does not say which survey it answers",
                         hint=f"{suggest(survey_id, plan.surveys) if survey_id else ''}surveys: "
                              f"{', '.join(sorted(plan.surveys))}")
            return
        ok = True
        role_text = self._cell(record, identity.get("role"))
        role: str | None = fixed_role
        if role_text:
            role = self.role_words.get(role_text.casefold())
            if role is None:
                self.problem(codes.RESPONSES_WRONG_ROLE, span(identity["role"]),
                             f"the response names a role the program does not define (survey '{survey.id}')",
                             hint=f"roles: {', '.join(sorted(plan.roles))}")
                return
        elif len(survey.audience) == 1:
            role = survey.audience[0]
        if role is not None and role not in survey.audience:
            self.problem(codes.RESPONSES_WRONG_ROLE, span(identity.get("role")),
                         f"survey '{survey.id}' is for {', '.join(survey.audience)}, not {role}; the response is left out",
                         hint="check that this response belongs to this survey")
            return
        answers: dict[str, float | str] = {}
        for index, name in columns.items():
            text = record[index].strip() if index < len(record) else ""
            if not text:
                continue
            column = survey.by_name.get(name)
            if column is None:
                self.problem(codes.RESPONSES_UNKNOWN_COLUMN, span(index),
                             f"an answer to {name}, which survey '{survey.id}' does not ask; it is ignored",
                             hint="check that the row's survey is right")
                continue
            if not survey.asked(column, role):
                self.problem(codes.RESPONSES_WRONG_ROLE, span(index),
                             f"an answer to {name} from a {role}, but survey '{survey.id}' asks it only of "
                             f"{', '.join(column.audience or ())}",
                             hint="check the respondent's role, or the question's audience in the program")
                ok = False
                continue
            value = self._value(column, text, lambda: span(index))
            if value is None:
                ok = False
            else:
                answers[name] = value
        respondent = self._cell(record, identity.get("respondent")) or None
        if survey.self_code and any(name in answers for name in survey.self_code):
            # Recomputed from the answers rather than trusted: a form may have joined them differently.
            parts = [str(answers.pop(name, "")).strip() for name in survey.self_code]
            respondent = "-".join(normalise_code_answer(p) for p in parts) if all(parts) else None
            by_name = survey.by_name
            for name, part in zip(survey.self_code, parts):
                pattern = by_name[name].pattern
                if part and pattern and not (re.fullmatch(pattern, part) or re.fullmatch(pattern, "".join(part.split()))):
                    cell = next((i for i, c in columns.items() if c == name), None)
                    self.problem(codes.RESPONSES_BAD_SELF_CODE, span(cell),
                                 f"the answer to the self-code question {name} does not have the form it asks for, so "
                                 "this response cannot be paired with the same person's other answers",
                                 hint="leave it as given; the response still counts in averages")
                    respondent = None
        about = self._cell(record, identity.get("about")) or None
        if survey.about == "partner" and about is None and "about" in identity:
            self.problem(codes.RESPONSES_MISSING_VALUE, span(identity.get("about")),
                         f"survey '{survey.id}' is about a partner, but the response does not say which one",
                         hint="fill in the about column with the partner's id")
            ok = False
        if respondent is None and "respondent" in identity:
            self.problem(codes.RESPONSES_MISSING_VALUE, span(identity.get("respondent")),
                         "the response has no respondent key, so it cannot be paired or checked for duplicates",
                         hint="fill in the respondent column; the response still counts in averages",
                         severity=Severity.WARNING)
        submitted: dt.datetime | None = None
        time_text = self._cell(record, time_column)
        if time_text:
            submitted = parse_time(time_text, self.zone)
            if submitted is None:
                self.problem(codes.RESPONSES_BAD_DATE, span(time_column), "the submission time is not an ISO 8601 date or time; it is ignored",
                             hint="write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
        occasion: dt.date | None = None
        occasion_text = self._cell(record, identity.get("occasion"))
        if occasion_text:
            moment = parse_time(occasion_text, self.zone)
            if moment is None:
                self.problem(codes.RESPONSES_BAD_DATE, span(identity.get("occasion")),
                             "the occasion is not a date (YYYY-MM-DD); it is ignored",
                             hint="the occasion is the date the survey opened, as in the codebook")
            else:
                occasion = moment.date()
        if not ok:
            return
        when = submitted.astimezone(self.zone).date() if submitted is not None else None
        if when is not None and survey.windows and not any(opens <= when <= closes for opens, closes in survey.windows):
            windows = "; ".join(f"{o} to {c}" for o, c in survey.windows[:3])
            self.problem(codes.RESPONSES_OUTSIDE_WINDOW, span(time_column),
                         f"submitted on {when}, outside the window of survey '{survey.id}' ({windows}); it still counts",
                         hint="check the export covers this program's run of the survey")
        if occasion is None:
            occasion = self._window_of(survey, when)
        self.order += 1
        self.result.responses.append(Response(
            survey.id, role, respondent, about, occasion, submitted, answers, source.file, line, self.order,
            source, identity.get("respondent")))

    @staticmethod
    def _window_of(survey: SurveyPlan, day: dt.date | None) -> dt.date | None:
        """The opening date of the window a submission belongs to: the last that opened by then."""
        if not survey.windows:
            return None
        if day is None:
            return survey.windows[0][0] if len(survey.windows) == 1 else None
        opened = [opens for opens, _ in survey.windows if opens <= day]
        return opened[-1] if opened else survey.windows[0][0]

    def _value(self, column: Column, text: str, at: Callable[[], Span]) -> float | str | None:
        if len(text) > MAX_CELL_CHARS:
            self.problem(codes.RESPONSES_NOT_A_NUMBER, at(), f"the answer to {column.name} is longer than {MAX_CELL_CHARS} characters",
                         hint="check the file is a response export")
            return None
        if column.type == "text":
            return text
        if column.type == "yes-no":
            word = text.casefold()
            if word in _YES:
                return 1.0
            if word in _NO:
                return 0.0
            self.problem(codes.RESPONSES_NOT_A_NUMBER, at(), f"the answer to {column.name} is not yes or no",
                         hint="write yes or no (1 and 0, true and false work too)")
            return None
        if column.type == "choice":
            options = column.labels
            number = _number(text)
            if number is not None and number.is_integer() and 1 <= number <= len(options):
                return number
            folded = [o.casefold() for o in options]
            if text.casefold() in folded:
                return float(folded.index(text.casefold()) + 1)
            self.problem(codes.RESPONSES_OUT_OF_RANGE, at(),
                         f"the answer to {column.name} is not one of its {len(options)} options",
                         hint=f"write the option's number, 1 to {len(options)}, as in the codebook")
            return None
        number = _number(text)
        if number is None and column.type == "likert" and column.labels:
            folded = [label.casefold() for label in column.labels]
            if text.casefold() in folded and column.low is not None:
                number = column.low + folded.index(text.casefold())
        if number is None:
            self.problem(codes.RESPONSES_NOT_A_NUMBER, at(), f"the answer to {column.name} is text where a number belongs",
                         hint=f"write a number{_range(column)}; a skipped question is an empty cell")
            return None
        outside = (column.low is not None and number < column.low) or (column.high is not None and number > column.high)
        if outside or (column.type == "likert" and not number.is_integer()):
            self.problem(codes.RESPONSES_OUT_OF_RANGE, at(),
                         f"the answer to {column.name} is {_show_number(number)}, outside its scale{_range(column)}",
                         hint="check the export uses the codebook's values, not labels or another scale")
            return None
        return number


def _range(column: Column) -> str:
    if column.low is not None and column.high is not None:
        return f" ({_show_number(column.low)} to {_show_number(column.high)})"
    return ""


def _show_number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"


def _number(text: str) -> float | None:
    if len(text) > 40:
        return None
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_responses(paths: Sequence[str | os.PathLike[str]], plan: Plan, displays: Sequence[str] | None = None) -> Responses:
    """Read every response file, check it against the plan, and settle duplicates.

    Never raises for bad input: every problem is a located diagnostic.
    """
    result = Responses()
    reader = _Reader(plan, result)
    for i, path in enumerate(paths):
        display = displays[i] if displays is not None else os.fspath(path)
        result.files.append(display)
        reader.read(path, display)
    reader.summarise()
    _settle_duplicates(result)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _settle_duplicates(result: Responses) -> None:
    """Keep one response per respondent, role, survey, occasion and partner: the latest submitted,
    else the one read last. The others are dropped with a warning where they are. The role is part
    of the key: a mentor and a mentee who chose the same private code are two people."""
    latest: dict[tuple[str, dt.date | None, str, str | None, str | None], Response] = {}
    dropped: set[int] = set()

    def rank(r: Response) -> tuple[int, dt.datetime, int]:
        return (r.submitted is not None, r.submitted or dt.datetime.min.replace(tzinfo=dt.timezone.utc), r.order)

    for response in result.responses:
        if response.respondent is None:
            continue
        key = (response.survey, response.occasion, response.respondent, response.about, response.role)
        kept = latest.get(key)
        if kept is None:
            latest[key] = response
            continue
        keep, drop = (response, kept) if rank(response) >= rank(kept) else (kept, response)
        latest[key] = keep
        dropped.add(drop.order)
        why = "it was submitted later" if keep.submitted is not None and drop.submitted is not None \
            and keep.submitted != drop.submitted else "it comes later in the files"
        result.diagnostics.append(codes.RESPONSES_DUPLICATE.at(
            drop.span(), f"a second response from the same respondent to survey '{drop.survey}'; the one at "
                         f"{keep.file}:{keep.line} counts, because {why}",
            hint="remove the response that should not count, or check two people did not share a key"))
    if dropped:
        result.responses = [r for r in result.responses if r.order not in dropped]


__all__ = ["Response", "Responses", "read_responses", "read_text", "CsvText", "parse_time",
           "sniff_delimiter", "match_header", "survey_from_name"]
