"""The one schedule computation: recurrence, working days, holidays, blackouts, time zones."""

from __future__ import annotations

import dataclasses
import re
import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL, check, deep_merge, describe, located, minimal_data, write_program
from programdsl.api import discover, is_program_file
from programdsl.model import Program
from programdsl.schedule import (Days, ScheduleError, build_schedule, check_holidays, monthly_ordinal, nominal_dates,
                                 nth_weekday, timeline)

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
D = dt.date


def program(tmp_path: Path, overrides: dict[str, Any] | None = None) -> Program:
    """The minimal program with `overrides` merged in; it must be valid."""
    data = deep_merge(minimal_data(), overrides or {})
    result = check(write_program(tmp_path, data))
    assert result.program is not None and not result.errors, describe(result.diagnostics)
    return result.program


def sessions(schedule: Any) -> list[Any]:
    return schedule.of_kind("session")


def example_programs() -> list[Path]:
    """The example files that are programs (not shared defaults)."""
    if not EXAMPLES.is_dir():
        return []
    return [path for path, _ in discover([EXAMPLES])
            if is_program_file(path) and re.search(r"^kind:\s*Program\s*$", path.read_text(encoding="utf-8"), re.M)]


# --- recurrence arithmetic ---------------------------------------------------------------------


def test_nth_and_last_weekday_of_a_month() -> None:
    assert nth_weekday(2026, 3, 0, 1) == D(2026, 3, 2)  # first Monday
    assert nth_weekday(2026, 3, 1, 2) == D(2026, 3, 10)  # second Tuesday
    assert nth_weekday(2026, 3, 1, -1) == D(2026, 3, 31)  # last Tuesday
    assert nth_weekday(2026, 2, 4, -1) == D(2026, 2, 27)  # last Friday of a short month
    assert monthly_ordinal(D(2026, 1, 29)) == -1  # a fifth Thursday repeats as the last one
    assert monthly_ordinal(D(2026, 1, 22)) == 4


def test_monthly_dates_keep_the_weekday_of_the_month() -> None:
    dates = nominal_dates(D(2026, 1, 29), "monthly")
    assert [next(dates) for _ in range(4)] == [D(2026, 1, 29), D(2026, 2, 26), D(2026, 3, 26), D(2026, 4, 30)]
    quarterly = nominal_dates(D(2026, 1, 6), "quarterly")
    assert [next(quarterly) for _ in range(3)] == [D(2026, 1, 6), D(2026, 4, 7), D(2026, 7, 7)]
    assert list(nominal_dates(D(2026, 1, 6), "once")) == [D(2026, 1, 6)]


# --- the computation -------------------------------------------------------------------------------


def test_weekly_sessions_fall_on_the_day_and_time_asked_for(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "schedule": {"start": "2026-09-07", "duration": "8 weeks"},
        "meetings": {"frequency": "weekly", "dayOfWeek": "wed", "time": "09:30", "minutes": 45},
    })
    held = sessions(build_schedule(prog))
    zone = zoneinfo.ZoneInfo("Europe/London")
    assert [o.start for o in held] == [dt.datetime(2026, 9, 9, 9, 30, tzinfo=zone) + dt.timedelta(weeks=i) for i in range(8)]
    assert all(o.end - o.start == dt.timedelta(minutes=45) for o in held)
    assert [o.number for o in held] == list(range(1, 9))
    assert {o.audience for o in held} == {("mentor", "mentee")}


def test_a_public_holiday_moves_the_session_to_the_next_working_day(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "schedule": {"start": "2026-03-02", "duration": "3 months", "holidays": {"country": "GB", "subdivision": "ENG"}},
        "meetings": {"frequency": "weekly", "dayOfWeek": "mon", "time": "10:00"},
    })
    schedule = build_schedule(prog)
    easter = next(o for o in sessions(schedule) if o.planned == D(2026, 4, 6))
    assert easter.day == D(2026, 4, 7)
    assert easter.adjustments[0].reason == "Easter Monday (GB-ENG public holiday)"
    assert easter.adjustments in [(a,) for a in schedule.moved]
    days = Days(prog)
    assert all(days.blocked(o.day) is None for o in sessions(schedule))
    assert D(2026, 5, 4) not in {o.day for o in sessions(schedule)}  # the early May bank holiday


def test_a_blackout_skips_a_session_and_a_fixed_count_is_made_up_later(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "schedule": {"start": "2026-09-07", "duration": "12 weeks",
                     "blackouts": [{"start": "2026-10-15", "end": "2026-10-21", "reason": "Conference week"}]},
        "meetings": {"frequency": "weekly", "dayOfWeek": "thu", "sessions": 10, "time": "14:00"},
    })
    schedule = build_schedule(prog)
    held = sessions(schedule)
    assert len(held) == 10
    assert D(2026, 10, 15) not in {o.day for o in held}
    assert held[-1].day == D(2026, 11, 19)  # the eleventh Thursday replaces the lost one
    (skip,) = schedule.skipped
    assert skip.planned == D(2026, 10, 15) and skip.actual is None
    assert skip.reason == "Conference week (blackout 2026-10-15 to 2026-10-21)"
    assert skip.uid == "session-6" and skip.kind == "session"
    (series,) = [s for s in schedule.series if s.ref == "sessions"]
    assert len(series.planned) == 11 and series.target == 10


def test_a_move_stays_within_its_interval(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "schedule": {"start": "2026-09-07", "duration": "8 weeks",
                     "blackouts": [{"start": "2026-09-24", "end": "2026-09-28"}]},
        "meetings": {"frequency": "weekly", "dayOfWeek": "thu"},
    })
    schedule = build_schedule(prog)
    moved = next(o for o in sessions(schedule) if o.moved)
    assert (moved.planned, moved.day) == (D(2026, 9, 24), D(2026, 9, 29))  # Tuesday, before the next Thursday
    assert moved.adjustments[0].reason == "Blackout 2026-09-24 to 2026-09-28"
    assert moved.all_day  # no time given: the pair agrees it


def test_sessions_that_cannot_fit_are_refused_by_the_validator_with_the_schedules_count(tmp_path: Path) -> None:
    """The cadence rule counts the schedule's own dates (from the first Tuesday), so the charter
    never promises a session the calendar cannot hold."""
    data = deep_merge(minimal_data(), {
        "schedule": {"start": "2026-09-02", "duration": "66 days"},
        "meetings": {"frequency": "weekly", "dayOfWeek": "tue", "sessions": 10},
    })
    result = check(write_program(tmp_path, data))
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("PD306", "10 weekly sessions do not fit in the program's 66 days; at most 9 do")]
    fitting = program(tmp_path, deep_merge(data, {"meetings": {"sessions": 9}}))
    assert [o.day for o in sessions(build_schedule(fitting))][-1] == D(2026, 11, 3)


def test_daylight_saving_keeps_the_local_meeting_time(tmp_path: Path) -> None:
    prog = program(tmp_path, {
        "metadata": {"timezone": "America/New_York"},
        "schedule": {"start": "2026-09-14", "duration": "12 weeks"},
        "meetings": {"frequency": "weekly", "dayOfWeek": "thu", "time": "16:00", "minutes": 45},
    })
    held = sessions(build_schedule(prog))
    assert {(o.start.hour, o.start.minute) for o in held} == {(16, 0)}
    offsets = [o.start.utcoffset() for o in held]
    assert offsets[0] == dt.timedelta(hours=-4) and offsets[-1] == dt.timedelta(hours=-5)
    utc_hours = {o.start.astimezone(dt.timezone.utc).hour for o in held}
    assert utc_hours == {20, 21}  # the same local hour is a different UTC hour after 1 November


def test_monthly_sessions_on_a_fifth_weekday_run_on_the_last_one(tmp_path: Path) -> None:
    prog = program(tmp_path, {"schedule": {"start": "2026-01-29", "duration": "4 months"}})
    held = sessions(build_schedule(prog))
    assert [o.day for o in held] == [D(2026, 1, 29), D(2026, 2, 26), D(2026, 3, 26), D(2026, 4, 30), D(2026, 5, 28)]


def test_preparation_before_its_anchor_moves_earlier(tmp_path: Path) -> None:
    prog = program(tmp_path, {"schedule": {"start": "2026-01-08", "holidays": {"country": "GB", "subdivision": "ENG"}}})
    schedule = build_schedule(prog)
    training = {o.ref: o for o in schedule.of_kind("training")}
    mentor = training["mentor-orientation"]  # kickoff - 7 days = New Year's Day
    assert mentor.planned == D(2026, 1, 1) and mentor.day == D(2025, 12, 31)
    assert mentor.adjustments[0].reason == "New Year's Day (GB-ENG public holiday)"
    assert mentor.all_day and mentor.audience == ("mentor",) and mentor.topics


def test_survey_pulses_repeat_until_the_end_and_skip_weekends(tmp_path: Path) -> None:
    prog = program(tmp_path, {"surveys": [{
        "id": "pulse", "title": "Pulse", "audience": ["mentee"], "when": {"milestone": "kickoff", "offsetDays": 30},
        "repeatEvery": "60 days", "openDays": 7,
        "questions": [{"id": "q", "text": "How is it going?", "type": "text"}]}]})
    schedule = build_schedule(prog)
    pulses = [o for o in schedule.of_kind("survey") if o.ref == "pulse"]
    assert [o.planned for o in pulses] == [D(2026, 2, 4), D(2026, 4, 5), D(2026, 6, 4), D(2026, 8, 3), D(2026, 10, 2)]
    assert pulses[1].day == D(2026, 4, 6) and pulses[1].adjustments[0].reason == "Sunday is not a working day"
    assert all(o.end - o.start == dt.timedelta(days=7) for o in pulses)
    assert [o.uid for o in pulses][:2] == ["survey-pulse", "survey-pulse-2"]
    assert [o.number for o in pulses] == [1, 2, 3, 4, 5]


def test_a_survey_on_the_programs_last_day_opens_on_its_last_working_day(tmp_path: Path) -> None:
    prog = program(tmp_path, {"schedule": {"start": "2027-01-04", "end": "2027-07-03"}})  # ends on a Saturday
    closing = next(o for o in build_schedule(prog).of_kind("survey") if o.ref == "closing-survey")
    assert (closing.planned, closing.day) == (D(2027, 7, 3), D(2027, 7, 2))
    assert closing.adjustments[0].reason == "Saturday is not a working day"


def test_sessions_carry_their_phase_and_its_topics(tmp_path: Path) -> None:
    prog = program(tmp_path, {"schedule": {"start": "2026-01-05", "duration": "4 months", "phases": [
        {"id": "start", "name": "Start", "duration": "6 weeks", "topics": ["Goals", "Ground rules"]},
        {"id": "grow", "name": "Grow", "topics": ["Feedback"]}]}})
    schedule = build_schedule(prog)
    by_phase = {(o.phase, o.topics) for o in sessions(schedule)}
    assert by_phase == {("start", ("Goals", "Ground rules")), ("grow", ("Feedback",))}
    boundaries = [(o.kind, o.ref, o.day) for o in schedule.of_kind("phase-start", "phase-end")]
    assert ("phase-end", "start", D(2026, 2, 15)) in boundaries and ("phase-start", "grow", D(2026, 2, 16)) in boundaries
    assert [o.ref for o in schedule.of_kind("milestone")] == ["kickoff", "midpoint", "closing"]


def test_sessions_begin_where_meetings_from_points(tmp_path: Path) -> None:
    phases = [{"id": "booking", "name": "Booking", "duration": "2 weeks", "topics": ["Choosing a question"]},
              {"id": "talks", "name": "Talks", "topics": ["Next steps"]}]
    prog = program(tmp_path, {"schedule": {"start": "2026-01-05", "duration": "3 months", "phases": phases},
                              "meetings": {"frequency": "monthly", "dayOfWeek": "wed", "from": {"phase": "talks"}}})
    first = sessions(build_schedule(prog))[0]
    assert (first.day, first.phase, first.topics) == (D(2026, 1, 21), "talks", ("Next steps",))  # first Wednesday of "talks"


def test_meetings_from_must_name_a_point_inside_the_program(tmp_path: Path) -> None:
    text = MINIMAL.replace("schedule:\n  start: 2026-01-05\n",
                           "schedule:\n  start: 2026-01-05\nmeetings:\n  from: {milestone: kickof}\n")
    result = check(write_program(tmp_path, text))
    assert located(result.diagnostics) == {("PD302", 23, 21)}, describe(result.diagnostics)
    late = text.replace("{milestone: kickof}", "{milestone: closing, offsetDays: 3}")
    result = check(write_program(tmp_path, late))
    assert located(result.diagnostics) == {("PD304", 23, 9)}, describe(result.diagnostics)
    assert "the pair sessions would begin on 2026-10-07, outside the program" in result.diagnostics[0].message


def test_group_sessions_follow_the_pairs_first_session(tmp_path: Path) -> None:
    prog = program(tmp_path, {"meetings": {"groupSessions": [
        {"id": "supervision", "name": "Supervision", "audience": ["mentor"], "frequency": "quarterly", "sessions": 3}]}})
    schedule = build_schedule(prog)
    groups = schedule.of_kind("group-session")
    assert [o.day for o in groups] == [D(2026, 1, 19), D(2026, 4, 20), D(2026, 7, 20)]
    assert {o.audience for o in groups} == {("mentor",)} and all(o.all_day for o in groups)
    assert [o.uid for o in schedule.for_role("mentee") if o.kind == "group-session"] == []


def test_the_schedule_is_deterministic_and_ordered(tmp_path: Path) -> None:
    prog = program(tmp_path, {"schedule": {"holidays": {"country": "GB"}}})
    first, second = build_schedule(prog), build_schedule(prog)
    assert first.occurrences == second.occurrences and first.adjustments == second.adjustments
    days = [o.day for o in first.occurrences]
    assert days == sorted(days)
    assert len({o.uid for o in first.occurrences}) == len(first.occurrences)


def test_unknown_holiday_calendar_is_a_schedule_error(tmp_path: Path) -> None:
    valid = program(tmp_path)  # the validator refuses XX (PD316): build the model around it to reach the schedule
    prog = dataclasses.replace(valid, schedule=dataclasses.replace(valid.schedule, holiday_country="XX"))
    with pytest.raises(ScheduleError, match="no public holiday calendar for 'XX'"):
        build_schedule(prog)
    assert check_holidays("GB", "ENG") is None
    assert "GB-ZZZ" in (check_holidays("GB", "ZZZ") or "")


def test_a_program_without_a_start_has_an_empty_schedule(tmp_path: Path) -> None:
    prog = program(tmp_path)
    prog = dataclasses.replace(prog, schedule=dataclasses.replace(prog.schedule, start=None))
    schedule = build_schedule(prog)
    assert schedule.occurrences == [] and schedule.timeline.program is None


def test_timeline_api_is_unchanged(tmp_path: Path) -> None:
    line = timeline(program(tmp_path))
    assert line.program is not None and (line.program.start, line.program.end) == (D(2026, 1, 5), D(2026, 10, 4))
    assert line.milestones == {"kickoff": D(2026, 1, 5), "midpoint": D(2026, 5, 21), "closing": D(2026, 10, 4)}


@pytest.mark.parametrize("path", example_programs(), ids=lambda p: p.stem)
def test_every_example_yields_a_schedule(path: Path) -> None:
    result = check(path)
    assert result.program is not None and not result.errors, describe(result.diagnostics)
    schedule = build_schedule(result.program)
    assert sessions(schedule), "no sessions"
    assert schedule.of_kind("milestone")
    days = Days(result.program)
    span = schedule.timeline.program
    assert span is not None
    for occurrence in schedule.of_kind("session", "group-session"):
        assert days.blocked(occurrence.day) is None, occurrence
        assert span.contains(occurrence.day), occurrence
    for adjustment in schedule.adjustments:
        assert adjustment.reason and days.blocked(adjustment.planned) or adjustment.planned > span.end
