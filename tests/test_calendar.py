"""Calendars (.ics) agree with the schedule, read back by parsers that share no code with icalendar.

Events are expanded by the `ical` package (its own parser and recurrence expansion, RRULE,
EXDATE and RECURRENCE-ID overrides included), and the VTIMEZONE blocks are evaluated by
python-dateutil's `tzical`, which reads the STANDARD/DAYLIGHT rules rather than the zone's name.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zoneinfo
from pathlib import Path
from typing import Any, Iterable

import dataclasses
import hashlib

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from dateutil import tz as dateutil_tz
from ical.calendar_stream import IcsCalendarStream

from programdsl.cli import main
from programdsl.model import WEEKDAYS, Blackout, Duration, GroupSession, Phase, Program
from programdsl.output import OutputError, is_safe_name, safe_name, safe_path, write_atomic, write_outputs
from programdsl.pairs import Match, Member
from programdsl.render.calendar import (PROGRAM_KINDS, ROLE_KINDS, calendar_files, event_uid, meetings_calendar, pair_calendar,
                                        program_calendar, sequence_for, vtimezone)
from programdsl.schedule import Days, Occurrence, ProgramSchedule, build_schedule
from conftest import check, describe
from test_schedule import example_programs, program

UTC = dt.timezone.utc
HOSTILE = 'Evil "name"; with, commas \\ back\nBEGIN:VEVENT\nUID:injected\nEND:VCALENDAR'


# --- reading calendars back -------------------------------------------------------------------------


def _key(start: dt.date | dt.datetime, end: dt.date | dt.datetime, zone: dt.tzinfo) -> tuple[Any, ...]:
    """What must agree: the days of an all-day item; for a timed one the UTC instants and the local wall time."""
    if isinstance(start, dt.datetime):
        assert isinstance(end, dt.datetime) and start.tzinfo is not None
        local = start.astimezone(zone)
        return ("timed", start.astimezone(UTC), end.astimezone(UTC), local.replace(tzinfo=None), local.utcoffset())
    return ("day", start, end)


def expanded(data: bytes, zone: dt.tzinfo) -> list[Any]:
    """Every event instance in the calendar, recurrences expanded by the `ical` package."""
    text = data.decode("utf-8")
    # ical 14 matches an override's RECURRENCE-ID against instance ids it strips of their zone,
    # so a UTC id ("...T073000Z", as RFC 5545 writes UTC) never matches; Outlook, Google and
    # Thunderbird read it fine. Only this checker gets the id without its Z.
    text = re.sub(r"^(RECURRENCE-ID:\d{8}T\d{6})Z\r$", r"\1\r", text, flags=re.M)
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return list(calendar.timeline_tz(zone))


def keys_of_ics(data: bytes, zone: dt.tzinfo) -> list[tuple[Any, ...]]:
    return sorted((_key(e.dtstart, e.dtend, zone) for e in expanded(data, zone)), key=repr)


def keys_of(occurrences: Iterable[Occurrence], zone: dt.tzinfo) -> list[tuple[Any, ...]]:
    return sorted((_key(o.start, o.end, zone) for o in occurrences), key=repr)


def vtimezone_block(data: bytes) -> str | None:
    text = data.decode("utf-8").replace("\r\n", "\n")
    match = re.search(r"^BEGIN:VTIMEZONE\n.*?^END:VTIMEZONE\n", text, re.S | re.M)
    # tzical refuses extension properties, which RFC 5545 says readers may ignore.
    return re.sub(r"^X-[^\n]*\n", "", match.group(0), flags=re.M) if match else None


def assert_vtimezone_is_exact(data: bytes, name: str, first: dt.date, last: dt.date) -> None:
    """The VTIMEZONE's own rules give the zone database's offset at noon on every day in range."""
    block = vtimezone_block(data)
    assert block is not None, "timed events need a VTIMEZONE"
    rules = dateutil_tz.tzical(io.StringIO(block)).get(name)
    zone = zoneinfo.ZoneInfo(name)
    day = first
    while day <= last:
        noon = dt.datetime(day.year, day.month, day.day, 12)
        assert noon.replace(tzinfo=rules).utcoffset() == noon.replace(tzinfo=zone).utcoffset(), day
        day += dt.timedelta(days=1)


def expected(schedule: ProgramSchedule, kinds: tuple[str, ...], role: str | None = None) -> list[Occurrence]:
    return [o for o in schedule.occurrences
            if o.kind in kinds and (role is None or not o.audience or role in o.audience)]


def assert_calendars_match_schedule(prog: Program, schedule: ProgramSchedule, files: dict[str, bytes]) -> None:
    """program.ics, meetings.ics and every role's calendar expand to exactly their part of the schedule
    (a calendar that would be empty is not written)."""
    zone = zoneinfo.ZoneInfo(prog.timezone)
    parts = {"program.ics": expected(schedule, PROGRAM_KINDS),
             "meetings.ics": expected(schedule, ("session", "group-session"))}
    parts.update({f"roles/{role}.ics": expected(schedule, ROLE_KINDS, role) for role in prog.roles})
    for name, occurrences in parts.items():
        got = keys_of_ics(files[name], zone) if name in files else []
        assert got == keys_of(occurrences, zone), name


# --- programs used below ------------------------------------------------------------------------------


def holiday_program(tmp_path: Path) -> Program:
    """Weekly Monday sessions across Easter (England) and a blackout week that swallows one session."""
    return program(tmp_path, {
        "metadata": {"version": "1.2.3"},
        "schedule": {"start": "2026-03-02", "duration": "3 months", "holidays": {"country": "GB", "subdivision": "ENG"},
                     "blackouts": [{"start": "2026-05-11", "end": "2026-05-17", "reason": "Audit week"}]},
        "meetings": {"frequency": "weekly", "dayOfWeek": "mon", "time": "10:00", "sessions": 12},
        "calendar": {"reminders": [1440, 15]},
    })


def dst_program(tmp_path: Path) -> Program:
    return program(tmp_path, {
        "metadata": {"timezone": "America/New_York"},
        "schedule": {"start": "2026-09-14", "duration": "12 weeks"},
        "meetings": {"frequency": "weekly", "dayOfWeek": "thu", "time": "16:00", "minutes": 45},
    })


def pair(match_id: str = "ana-ben", mentor: str = "Ana Silva", mentee: str = "Ben Okafor",
         email: str | None = "ana@example.org") -> Match:
    return Match(match_id, (Member("m1", mentor, email),), (Member("e1", mentee, None),), 0.8)


# --- agreement with the schedule ---------------------------------------------------------------------


@pytest.mark.parametrize("path", example_programs(), ids=lambda p: p.stem)
def test_every_example_calendar_expands_to_its_schedule(path: Path) -> None:
    result = check(path)
    assert result.program is not None and not result.errors, describe(result.diagnostics)
    prog = result.program
    schedule = build_schedule(prog)
    files = calendar_files(prog, schedule, [pair()])
    assert_calendars_match_schedule(prog, schedule, files)
    zone = zoneinfo.ZoneInfo(prog.timezone)
    assert keys_of_ics(files["pairs/ana-ben.ics"], zone) == keys_of(schedule.of_kind("session"), zone)
    if any(not o.all_day for o in schedule.occurrences):
        span = schedule.timeline.program
        assert span is not None
        assert_vtimezone_is_exact(files["meetings.ics"], prog.timezone, span.start, span.end)


@pytest.mark.parametrize("path", example_programs(), ids=lambda p: p.stem)
def test_document_schedule_tables_agree_with_the_calendars(path: Path) -> None:
    """The charter and handbooks print the dates the calendars hold (issue 4, item 5)."""
    from programdsl.render.dates import style_for
    from programdsl.render.documents import BuildOptions, DocumentBuild

    result = check(path)
    assert result.program is not None
    prog = result.program
    view = DocumentBuild(prog, BuildOptions(formats=("md",))).view
    files = calendar_files(prog)
    zone = zoneinfo.ZoneInfo(prog.timezone)
    style = style_for(prog.locale)

    def written(value: dt.date | dt.datetime) -> tuple[str, str | None]:
        if isinstance(value, dt.datetime):
            local = value.astimezone(zone)
            return local.date().isoformat(), style.time(local)
        return value.isoformat(), None

    sessions = sorted(written(e.dtstart) for e in expanded(files["meetings.ics"], zone) if e.uid.startswith("session"))
    assert [(s.when.iso, s.when.time) for s in view.sessions] == sessions
    calendar = {(e.uid.split("@")[0], written(e.dtstart)[0]) for e in expanded(files["program.ics"], zone)}
    for milestone in view.milestones:
        if milestone.when is not None:
            assert any(uid.startswith("milestone-") and day == milestone.when.iso for uid, day in calendar), milestone
    for module in view.training:
        if module.when is not None:
            assert (f"training-{module.id}", module.when.iso) in calendar, module.id


def test_holidays_and_blackouts_are_left_out_of_the_recurrence(tmp_path: Path) -> None:
    prog = holiday_program(tmp_path)
    schedule = build_schedule(prog)
    files = calendar_files(prog, schedule)
    assert_calendars_match_schedule(prog, schedule, files)
    text = files["meetings.ics"].decode()
    zone = zoneinfo.ZoneInfo("Europe/London")
    days = {e.dtstart.date() for e in expanded(files["meetings.ics"], zone)}
    assert dt.date(2026, 4, 6) not in days and dt.date(2026, 4, 7) in days  # Easter Monday -> Tuesday
    assert dt.date(2026, 5, 11) not in days  # the audit week: skipped, nothing free before the next Monday
    assert dt.date(2026, 5, 4) not in days and dt.date(2026, 5, 5) in days  # early May bank holiday
    # One series with a rule; the skipped Monday is an EXDATE, the moved ones are overrides.
    assert text.count("RRULE:FREQ=WEEKLY;COUNT=13;INTERVAL=1;BYDAY=MO") == 1
    assert "EXDATE;TZID=Europe/London:20260511T100000" in text
    assert "RECURRENCE-ID;TZID=Europe/London:20260406T100000" in text
    assert "Easter Monday (GB-ENG public holiday)" in text.replace("\r\n ", "")
    assert len(schedule.of_kind("session")) == 12


def test_a_daylight_saving_change_keeps_the_local_time_in_the_calendar(tmp_path: Path) -> None:
    prog = dst_program(tmp_path)
    schedule = build_schedule(prog)
    data = meetings_calendar(prog, schedule)
    zone = zoneinfo.ZoneInfo("America/New_York")
    events = expanded(data, zone)
    assert len(events) == 12 and data.decode().count("BEGIN:VEVENT") == 1  # one recurring event
    assert {(e.dtstart.astimezone(zone).hour, e.dtstart.astimezone(zone).minute) for e in events} == {(16, 0)}
    offsets = [e.dtstart.astimezone(zone).utcoffset() for e in events]
    assert offsets[0] == dt.timedelta(hours=-4) and offsets[-1] == dt.timedelta(hours=-5)
    assert {e.dtstart.astimezone(UTC).hour for e in events} == {20, 21}
    assert keys_of_ics(data, zone) == keys_of(schedule.of_kind("session", "group-session"), zone)
    assert_vtimezone_is_exact(data, "America/New_York", dt.date(2025, 1, 1), dt.date(2027, 12, 31))


@pytest.mark.parametrize("name", ["Europe/London", "Australia/Sydney", "Asia/Singapore", "America/Sao_Paulo",
                                  "Europe/Dublin", "Asia/Kolkata"])
def test_vtimezone_rules_agree_with_the_zone_database(name: str) -> None:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add_component(vtimezone(name, dt.date(2026, 1, 1), dt.date(2027, 6, 30)))
    assert_vtimezone_is_exact(calendar.to_ical(), name, dt.date(2025, 1, 1), dt.date(2028, 12, 31))


def test_vtimezone_onsets_are_written_in_the_offset_before_the_change() -> None:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add_component(vtimezone("America/New_York", dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    text = calendar.to_ical().decode()
    assert "DTSTART:20240310T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text
    assert "DTSTART:20241103T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in text


def test_utc_programs_use_utc_times_and_no_vtimezone(tmp_path: Path) -> None:
    prog = program(tmp_path, {"metadata": {"timezone": "UTC"}, "meetings": {"time": "09:00"}})
    data = meetings_calendar(prog)
    assert b"BEGIN:VTIMEZONE" not in data and b"T090000Z" in data
    assert keys_of_ics(data, UTC) == keys_of(build_schedule(prog).of_kind("session"), UTC)


# --- identity, updates, determinism ------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    prog = holiday_program(tmp_path)
    assert calendar_files(prog, pairs=[pair()]) == calendar_files(prog, pairs=[pair()])
    path = tmp_path / "program.yaml"
    runner = CliRunner()
    for out in ("a", "b"):
        result = runner.invoke(main, ["calendar", str(path), "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.ics"))
    assert first == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.ics"))
    for relative in first:
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes()


def test_uids_are_stable_and_a_new_version_raises_only_the_sequence(tmp_path: Path) -> None:
    old = holiday_program(tmp_path / "old")
    new = program(tmp_path / "new", {**_holiday_overrides(), "metadata": {"version": "1.3"}})
    old_text, new_text = meetings_calendar(old).decode(), meetings_calendar(new).decode()
    assert sequence_for("1.2.3") == 1002003 < sequence_for("1.3") == 1003000 < sequence_for("2") == 2000000
    assert set(re.findall(r"SEQUENCE:(\d+)", old_text)) == {"1002003"}
    assert set(re.findall(r"SEQUENCE:(\d+)", new_text)) == {"1003000"}
    changed = [(a, b) for a, b in zip(old_text.splitlines(), new_text.splitlines()) if a != b]
    assert changed and all(a.startswith("SEQUENCE:") and b.startswith("SEQUENCE:") for a, b in changed)
    uids = set(re.findall(r"^UID:(.+)$", program_calendar(old).decode().replace("\r\n ", "").replace("\r", ""), re.M))
    assert "milestone-kickoff@pilot.programdsl" in uids and "training-mentor-orientation@pilot.programdsl" in uids
    assert event_uid("sessions", "pilot", "ana-ben") == "sessions.ana-ben@pilot.programdsl"
    stamps = set(re.findall(r"^DTSTAMP:([^\r]+)", old_text, re.M))
    assert stamps == {"20260302T000000Z"}  # the program's first day, never the clock


def _holiday_overrides() -> dict[str, Any]:
    return {
        "schedule": {"start": "2026-03-02", "duration": "3 months", "holidays": {"country": "GB", "subdivision": "ENG"},
                     "blackouts": [{"start": "2026-05-11", "end": "2026-05-17", "reason": "Audit week"}]},
        "meetings": {"frequency": "weekly", "dayOfWeek": "mon", "time": "10:00", "sessions": 12},
        "calendar": {"reminders": [1440, 15]},
    }


def test_reminders_become_alarms(tmp_path: Path) -> None:
    prog = holiday_program(tmp_path)
    files = calendar_files(prog)
    timed = 0
    for name in ("meetings.ics", "roles/mentor.ics"):
        calendar = IcsCalendarStream.calendar_from_ics(files[name].decode())
        for event in calendar.events:
            triggers = sorted(alarm.trigger for alarm in event.alarm)
            if isinstance(event.dtstart, dt.datetime):
                timed += 1
                assert triggers == [dt.timedelta(minutes=-1440), dt.timedelta(minutes=-15)], event.summary
            else:
                assert triggers == [dt.timedelta(minutes=-1440)], event.summary  # no 23:45 alarms for all-day items
    assert timed


# --- pairs, text, paths ------------------------------------------------------------------------------------


def test_pair_calendars_name_the_pair(tmp_path: Path) -> None:
    prog = holiday_program(tmp_path)
    data = pair_calendar(prog, pair())
    zone = zoneinfo.ZoneInfo("Europe/London")
    events = expanded(data, zone)
    assert len(events) == 12
    assert all("Ana Silva with Ben Okafor" in e.summary for e in events)
    assert all("Mentor: Ana Silva" in (e.description or "") for e in events)
    text = data.decode().replace("\r\n ", "")
    assert 'ATTENDEE;CN="Ana Silva";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:mailto:ana@example.org' in text
    assert set(re.findall(r"^UID:([^\r]+)\r$", text, re.M)) <= {
        "sessions.ana-ben@pilot.programdsl", *(f"session-{i}.ana-ben@pilot.programdsl" for i in range(1, 14))}


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "metadata": {"name": HOSTILE},
        "schedule": {"milestones": [{"id": "kickoff", "name": HOSTILE, "kind": "kickoff", "at": "start",
                                     "description": HOSTILE}],
                     "phases": [{"id": "only", "name": HOSTILE, "topics": [HOSTILE]}]},
        "meetings": {"time": "09:00"},
        "surveys": [{"id": "closing-survey", "title": HOSTILE, "audience": ["mentee"], "when": {"milestone": "kickoff"},
                     "questions": [{"id": "q", "text": "Fine?", "type": "text"}]}],
    })
    match = pair("evil", HOSTILE, HOSTILE, email="x@example.org\nBEGIN:VEVENT")
    schedule = build_schedule(prog)
    files = calendar_files(prog, schedule, [match])
    zone = zoneinfo.ZoneInfo("Europe/London")
    one_line = re.sub(r"\s+", " ", HOSTILE)
    for name, data in files.items():
        text = data.decode()
        assert "\nUID:injected" not in text and "\nEND:VCALENDAR" not in text[:-len("END:VCALENDAR\r\n") - 2], name
        events = expanded(data, zone)
        raw_events = text.count("\r\nBEGIN:VEVENT\r\n")
        calendar = IcsCalendarStream.calendar_from_ics(text)
        assert len(calendar.events) == raw_events, name
        assert all(e.uid.endswith("@pilot.programdsl") for e in events), name
    program_events = {e.summary: e for e in expanded(files["program.ics"], zone)}
    assert one_line in program_events  # the milestone, its line breaks turned into spaces
    assert HOSTILE in (program_events[one_line].description or "")  # descriptions keep every character
    assert f"Survey open: {one_line}" in program_events
    pair_text = files["pairs/evil.ics"].decode()
    assert "ATTENDEE" not in pair_text  # the address is not a plain address: no attendee line at all
    assert all(one_line in e.summary for e in expanded(files["pairs/evil.ics"], zone))
    assert_calendars_match_schedule(prog, schedule, files)


@pytest.mark.parametrize("match_id", ["../../escape", "/etc/passwd", "CON", "a/b", "..", ".hidden", "x" * 300, ""])
def test_pair_file_names_never_leave_the_output_directory(tmp_path: Path, match_id: str) -> None:
    prog = holiday_program(tmp_path)
    files = calendar_files(prog, pairs=[pair(match_id)], roles=False)
    names = [n for n in files if n.startswith("pairs/")]
    assert len(names) == 1 and all(is_safe_name(part) for part in names[0].split("/"))
    out = tmp_path / "out"
    written = write_outputs(out, files)
    assert all(out.resolve() in p.resolve().parents for p in written.paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "program.yaml"]


def test_safe_names() -> None:
    assert safe_name("ana-ben") == "ana-ben" and safe_name("program.ics") == "program.ics"
    assert safe_name("Ana & Ben") != safe_name("Ana - Ben")  # a hash keeps altered names apart
    for text in ["../x", "..", "a/b", "a\\b", "CON", "con.ics", "nul", "", " ", "\n", "é", "x" * 500, "-x", ".x", "x."]:
        name = safe_name(text)
        assert is_safe_name(name) and "/" not in name and not name.startswith("."), (text, name)


def test_unsafe_output_paths_are_refused(tmp_path: Path) -> None:
    for relative in ["../x.ics", "/tmp/x.ics", "a/../../x.ics", "a\\b.ics", "", "a//b.ics", "C:x.ics", "./x.ics"]:
        with pytest.raises(OutputError):
            safe_path(tmp_path, relative)
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "root").mkdir()
    os.symlink(outside, tmp_path / "root" / "link")
    with pytest.raises(OutputError, match="outside"):
        write_outputs(tmp_path / "root", {"link/x.ics": b"x"})
    assert list(outside.iterdir()) == []
    with pytest.raises(OutputError, match="same file"):
        write_outputs(tmp_path / "root", {"A.ics": b"1", "a.ics": b"2"})


def test_a_failed_write_leaves_the_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(out, {"program.ics": b"old program", "meetings.ics": b"old meetings"})
    (out / "blocker").write_text("a file where a directory is needed")
    with pytest.raises(OSError):
        write_outputs(out, {"program.ics": b"new program", "blocker/x.ics": b"new"})
    assert (out / "program.ics").read_bytes() == b"old program"
    # no temporary files (the folder's lock stays, empty)
    assert sorted(p.name for p in out.iterdir()) == [".programdsl-lock", "blocker", "meetings.ics", "program.ics"]
    write_atomic(out / "program.ics", "new program")
    assert (out / "program.ics").read_text() == "new program"


def test_an_owned_set_removes_only_its_own_unchanged_files(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside.ics"
    outside.write_bytes(b"not ours")
    first = write_outputs(out, {"program.ics": b"p", "pairs/a.ics": b"a", "pairs/b.ics": b"b"}, owner="calendar")
    assert first.removed == [] and first.kept == []
    (out / "pairs" / "b.ics").unlink()
    os.symlink(outside, out / "pairs" / "b.ics")  # a link where a recorded file was: never followed
    second = write_outputs(out, {"program.ics": b"p2"}, owner="calendar")
    assert (second.removed, second.kept) == (["pairs/a.ics"], [])
    assert outside.read_bytes() == b"not ours" and (out / "pairs" / "b.ics").is_symlink()
    third = write_outputs(out, {"program.ics": b"p3", "pairs/Ana.ics": b"a"}, owner="calendar")
    assert (third.removed, third.kept) == ([], [])
    fourth = write_outputs(out, {"program.ics": b"p3", "pairs/ana.ics": b"a"}, owner="calendar")
    case_blind = os.path.exists(out / "pairs" / "ANA.ics")  # macOS and Windows: one file
    assert fourth.removed == ([] if case_blind else ["pairs/Ana.ics"])
    third = write_outputs(out, {"program.ics": b"p3"}, owner="calendar")
    assert third.removed == ["pairs/ana.ics"] and third.kept == []
    assert (out / ".programdsl-calendar").read_text().splitlines()[2:] == [f"{hashlib.sha256(b'p3').hexdigest()}  program.ics"]


# --- the command ------------------------------------------------------------------------------------------


def test_calendar_command_writes_only_calendars(tmp_path: Path) -> None:
    holiday_program(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["calendar", str(tmp_path / "program.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == [".programdsl-calendar", ".programdsl-lock", "meetings.ics", "program.ics", "roles/mentee.ics",
                       "roles/mentor.ics"]
    record = (out / ".programdsl-calendar").read_text().splitlines()
    assert [line.split("  ")[1] for line in record if not line.startswith("#")] == written[2:]
    assert "2026-04-06 -> 2026-04-07" in result.output and "Easter Monday (GB-ENG public holiday)" in result.output
    assert "2026-05-11 skipped" in result.output


def test_calendar_command_reports_validation_errors_like_validate(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text((Path(__file__).parent / "fixtures" / "valid" / "minimal.yaml").read_text()
                    .replace("timezone: Europe/London", "timezone: Europe/Londres"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["calendar", str(path), "-o", str(out)])
    validate = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and validate.exit_code == 1
    assert "error[PD315]" in result.output and result.output == validate.output
    assert not out.exists()


def test_calendar_command_writes_pair_calendars(tmp_path: Path) -> None:
    from programdsl.pairs import PairsFile, write_pairs

    holiday_program(tmp_path)
    pairs_path = tmp_path / "pairs.yaml"
    write_pairs(PairsFile("pilot", "draft", [pair(), pair("../../x", "Cy", "Di", None)]), pairs_path)
    out = tmp_path / "out"
    args = ["calendar", str(tmp_path / "program.yaml"), "-o", str(out), "--pairs", str(pairs_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "is a draft" in result.output
    names = sorted(p.name for p in (out / "pairs").iterdir())
    assert names[0] == "ana-ben.ics" and len(names) == 2 and names[1].startswith("x-")
    assert b"Cy with Di" in (out / "pairs" / names[1]).read_bytes()
    write_pairs(PairsFile("another-program", "published", [pair()]), pairs_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "is for program 'another-program', not 'pilot'" in result.output
    pairs_path.write_text("programId: [unclosed\n")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "error[" in result.output


# --- random programs ------------------------------------------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC", "America/Sao_Paulo"]


@pytest.fixture(scope="module")
def base_program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    return program(tmp_path_factory.mktemp("base"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_programs_expand_to_their_schedule(base_program: Program, data: st.DataObject) -> None:
    """Any cadence, weekday, time, zone, working week, blackouts and holidays: the expanded
    meetings calendar is the schedule, and nothing lands on a day off."""
    start = data.draw(st.dates(dt.date(2025, 1, 1), dt.date(2029, 12, 31)), "start")
    weeks = data.draw(st.integers(3, 60), "weeks")
    frequency = data.draw(st.sampled_from(["once", "weekly", "biweekly", "monthly", "bimonthly", "quarterly"]))
    working = data.draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True), "working")
    blackouts = []
    for _ in range(data.draw(st.integers(0, 2), "blackouts")):
        first = start + dt.timedelta(days=data.draw(st.integers(0, weeks * 7)))
        blackouts.append(Blackout(first, first + dt.timedelta(days=data.draw(st.integers(0, 20))), None))
    phases = []
    if data.draw(st.booleans(), "phases"):
        cut = max(1, weeks // 2)
        phases = [Phase("one", "One", None, None, None, Duration(cut, "week"), ("First topic",)),
                  Phase("two", "Two", None, None, None, None, ("Second topic",))]
    schedule = dataclasses.replace(
        base_program.schedule, start=start, duration=Duration(weeks, "week"), end=None, working_days=tuple(working),
        holiday_country=data.draw(st.sampled_from([None, "GB", "US", "DE"]), "country"), holiday_subdivision=None,
        blackouts=tuple(blackouts), phases=tuple(phases))
    meetings = dataclasses.replace(
        base_program.meetings, frequency=frequency, sessions=data.draw(st.one_of(st.none(), st.integers(1, 8))),
        day_of_week=data.draw(st.one_of(st.none(), st.sampled_from(WEEKDAYS)), "weekday"),
        time=data.draw(st.one_of(st.none(), st.sampled_from(["07:30", "12:00", "18:45"])), "time"),
        group_sessions=(GroupSession("circle", "Circle", ("mentor",), "monthly", None, 90, None),))
    if frequency == "once":
        meetings = dataclasses.replace(meetings, sessions=1)
    prog = dataclasses.replace(base_program, timezone=data.draw(st.sampled_from(ZONES), "zone"), schedule=schedule,
                               meetings=meetings)
    built = build_schedule(prog)
    zone = zoneinfo.ZoneInfo(prog.timezone)
    files = calendar_files(prog, built, [pair()])
    assert_calendars_match_schedule(prog, built, files)
    if built.of_kind("session"):
        assert keys_of_ics(files["pairs/ana-ben.ics"], zone) == keys_of(built.of_kind("session"), zone)
    days = Days(prog)
    for occurrence in built.of_kind("session", "group-session"):
        assert days.blocked(occurrence.day) is None
    for series in built.series:
        for occurrence in built.in_series(series):
            assert occurrence.slot is not None
            following = series.planned[occurrence.slot] if occurrence.slot < len(series.planned) else None
            assert following is None or occurrence.day < following  # moves stay within their interval


# --- review regressions ---------------------------------------------------------------------------------

MULTILINE = "Line one, with a comma; and a semicolon.\n\nBEGIN:VEVENT\nUID:injected\nLast \\ line"


def unfolded_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "only CRLF line ends"
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_every_text_with_line_breaks_stays_on_its_own_property_line(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "metadata": {"name": "Name\nwith a break", "description": MULTILINE},
        "roles": {"mentor": {"label": "Mentor\nlabel"}},
        "schedule": {"milestones": [{"id": "kickoff", "name": MULTILINE, "kind": "kickoff", "at": "start",
                                     "description": MULTILINE}],
                     "phases": [{"id": "only", "name": MULTILINE, "description": MULTILINE, "topics": [MULTILINE]}]},
        "meetings": {"time": "09:00", "groupSessions": [{"id": "sup", "name": MULTILINE, "audience": ["mentor"],
                                                         "frequency": "monthly", "sessions": 2}]},
        "training": [{"id": "t", "title": MULTILINE, "description": MULTILINE, "topics": [MULTILINE],
                      "audience": ["mentor"], "when": {"milestone": "kickoff"}}],
        "surveys": [{"id": "closing-survey", "title": MULTILINE, "description": MULTILINE, "audience": ["mentee"],
                     "when": {"milestone": "kickoff"}, "questions": [{"id": "q", "text": "Fine?", "type": "text"}]}],
    })
    files = calendar_files(prog, pairs=[pair("ana-ben", MULTILINE, MULTILINE)])
    assert set(files) >= {"program.ics", "meetings.ics", "roles/mentor.ics", "roles/mentee.ics", "pairs/ana-ben.ics"}
    for name, data in files.items():
        for line in unfolded_lines(data):
            assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), (name, line)
            assert not line.startswith("UID:injected"), name
        assert data.count(b"\r\nBEGIN:VEVENT\r\n") == len(IcsCalendarStream.calendar_from_ics(data.decode()).events)
    lines = {line.split(":", 1)[0]: line.split(":", 1)[1] for line in unfolded_lines(files["program.ics"])
             if line.startswith(("X-WR-CALDESC:", "X-WR-CALNAME:", "NAME:"))}
    unescape = {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}
    # TEXT escaping (RFC 5545 3.3.11): the line breaks are kept, escaped
    assert re.sub(r"\\[\\;,nN]", lambda m: unescape[m.group(0)], lines["X-WR-CALDESC"]) == MULTILINE
    assert lines["X-WR-CALNAME"] == lines["NAME"] == "Name with a break"


def test_a_multiline_description_builds_with_the_calendar_and_build_commands(tmp_path: Path) -> None:
    path = tmp_path / "program.yaml"
    program(tmp_path, {"metadata": {"description": "Line one.\nLine two, three; four.\n"}})
    runner = CliRunner()
    result = runner.invoke(main, ["calendar", str(path), "-o", str(tmp_path / "cal")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "cal" / "program.ics").read_bytes().decode().replace("\r\n ", "")
    assert "X-WR-CALDESC:Line one.\\nLine two\\, three\\; four.\r\n" in text
    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("first, last", [(dt.date(9999, 6, 7), dt.date(9999, 12, 31)), (dt.date(9998, 1, 1), dt.date(9999, 12, 31)),
                                         (dt.date(1, 1, 1), dt.date(1, 12, 31)), (dt.date(1, 6, 1), dt.date(2, 6, 1))])
def test_vtimezone_at_the_ends_of_the_calendar(first: dt.date, last: dt.date) -> None:
    from icalendar import Calendar

    for name in ("Europe/London", "America/New_York", "Australia/Sydney"):
        calendar = Calendar()
        calendar.add_component(vtimezone(name, first, last))
        data = calendar.to_ical()
        assert b"BEGIN:VTIMEZONE" in data
        if first.year > 1:  # dateutil cannot evaluate a rule in year 1; the zone database has no rules there
            assert_vtimezone_is_exact(data, name, first, min(last, dt.date(9999, 12, 30)))


def test_a_program_in_the_last_supported_year_gets_its_calendars(tmp_path: Path) -> None:
    prog = program(tmp_path, {"schedule": {"start": "2199-06-07", "end": "2199-12-31"},
                              "meetings": {"frequency": "monthly", "time": "10:00"}})
    schedule = build_schedule(prog)
    files = calendar_files(prog, schedule)
    assert_calendars_match_schedule(prog, schedule, files)
    result = CliRunner().invoke(main, ["calendar", str(tmp_path / "program.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_pair_file_names_that_differ_only_in_case_are_made_distinct(tmp_path: Path) -> None:
    prog = holiday_program(tmp_path)
    matches = [pair("Ana-Ben"), pair("ana-ben", "Ann", "Bea"), pair("ANA-BEN", "Anya", "Bill"), pair("ana-ben-2")]
    files = calendar_files(prog, pairs=matches, roles=False)
    names = [n for n in files if n.startswith("pairs/")]
    assert names == ["pairs/Ana-Ben.ics", "pairs/ana-ben-2.ics", "pairs/ANA-BEN-3.ics", "pairs/ana-ben-2-2.ics"]
    assert calendar_files(prog, pairs=matches, roles=False) == files
    write_outputs(tmp_path / "out", files)  # would refuse two names that differ only in case
    assert b"Ann with Bea" in files["pairs/ana-ben-2.ics"].replace(b"\r\n ", b"")


def test_the_calendar_docs_quote_the_command_and_the_limits_as_they_are(tmp_path: Path) -> None:
    from programdsl.schedule import MAX_SLOTS

    text = (Path(__file__).resolve().parent.parent / "docs" / "calendars.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ programdsl calendar (\S+) -o (\S+)[^\n]*\n(.*?)```", text, re.S)
    assert block is not None
    example, out, expected = block.groups()
    result = CliRunner().invoke(main, ["calendar", str(Path(__file__).resolve().parent.parent / example),
                                       "-o", str(tmp_path / "cal")])
    assert result.exit_code == 0, result.output
    assert result.output.replace(str(tmp_path / "cal"), out) == expected
    assert f"up to {MAX_SLOTS:,} dates" in text and f"up to {MAX_SLOTS:,} openings" in text
