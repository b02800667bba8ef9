"""Documents say no more than the program does (issue 11): values the file leaves out read
"not set", role words come from the labels, and sentences depend on what the program has."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from programdsl.render.calendar import calendar_files
from programdsl.render.documents import BuildOptions, render_documents
from programdsl.schedule import holiday_calendar

from conftest import deep_merge
from test_documents import FAST, program_from, rich_data


def build(tmp_path: Path, overrides: dict[str, Any]) -> dict[str, str]:
    program = program_from(tmp_path, deep_merge(rich_data(), overrides))
    return {k: v.decode() for k, v in render_documents(program, FAST).items() if k.endswith(".md")}


def row(charter: str, label: str) -> str:
    return next(line for line in charter.splitlines() if line.startswith(f"| {label} |"))


def test_lengths_the_file_leaves_out_read_not_set_and_totals_say_so(tmp_path: Path) -> None:
    files = build(tmp_path, {
        "roles": {"mentor": {"label": "Partner"}, "mentee": {"label": "Consultant"}},
        "training": [{"id": "induction", "title": "Induction", "audience": ["mentee"]},
                     {"id": "refresher", "title": "Refresher", "audience": ["mentor"], "minutes": 60},
                     {"id": "extra", "title": "Extra", "audience": ["mentor"]}],
        "meetings": {"groupSessions": [{"id": "circle", "name": "Circle", "audience": ["mentee"],
                                        "frequency": "quarterly", "sessions": 2}]},
    })
    charter = files["charter.md"]
    assert row(charter, "Consultant") == "| Consultant | 9 × 1 hour | not set | not set | about 9 hours, plus what is not set |"
    assert row(charter, "Partner") == ("| Partner | 9 × 1 hour | 1 hour, plus one module whose length is not set | none "
                                       "| about 10 hours, plus what is not set |")
    guide = files["guides/mentee.md"]
    assert "- **Training:** not set" in guide and "- **Group meetings:** not set" in guide


def test_role_words_come_from_labels_in_agendas_and_handbooks(tmp_path: Path) -> None:
    files = build(tmp_path, {"type": "reverse", "roles": {"mentor": {"label": "Partner"}, "mentee": {"label": "Consultant"}},
                             "meetings": {"initiator": "mentor"}})
    guide = files["guides/mentor.md"]
    assert "The partner leads" in guide and "The mentor" not in guide and "the mentee" not in guide
    # the reverse preset's agendas no longer say the mentee books when the file says the mentor does
    assert "The partner books the next session" in guide and "The consultant books" not in guide


def test_a_program_without_topics_or_confidentiality_says_nothing_about_them(tmp_path: Path) -> None:
    data = rich_data()
    for phase in data["schedule"].get("phases", []):
        phase.pop("topics", None)
    data.pop("confidentiality", None)
    data["type"] = "reverse"
    program = program_from(tmp_path, data)
    files = {k: v.decode() for k, v in render_documents(program, FAST).items() if k.endswith(".md")}
    mentor = files["guides/mentor.md"]
    assert "Cover the session's topics" not in mentor and "phases and topics" not in mentor
    assert "session's topics" not in mentor
    assert "confidentiality and conduct sections" not in mentor and "within the limits the charter" not in mentor
    assert "does not set its own rules on confidentiality" in mentor


def test_no_preferences_means_no_claim_of_best_fit(tmp_path: Path) -> None:
    charter = build(tmp_path, {"pairing": {"preferences": []}})["charter.md"]
    assert "best overall fit" not in charter
    assert "Any pairing that meets the conditions below may be made: the program sets no preferences." in charter


def test_capacities_are_numbers_in_words_like_the_rest_of_the_charter(tmp_path: Path) -> None:
    charter = build(tmp_path, {"pairing": {"mode": "one-to-many", "capacity": {"mentor": 2}}})["charter.md"]
    assert "up to two mentees" in charter and "up to 2 " not in charter


def test_attendance_names_the_roles_it_applies_to(tmp_path: Path) -> None:
    charter = build(tmp_path, {"roles": {"mentor": {"label": "Circle lead"}}, "meetings": {"groupSessions": [
        {"id": "practice", "name": "Practice", "audience": ["mentor"], "frequency": "bimonthly", "sessions": 3,
         "minutes": 60, "minimumAttendance": 2}]}})["charter.md"]
    assert "Each circle lead attends at least two of the three." in charter and "Everyone attends" not in charter


def test_holiday_names_follow_the_locale() -> None:
    labour = dt.date(2027, 10, 4)
    assert holiday_calendar("AU", "NSW", "en-AU").get(labour) == "Labour Day"
    assert holiday_calendar("AU", "NSW", "en-US").get(labour) == "Labor Day"


def test_a_roles_own_calendar_holds_its_own_sessions(tmp_path: Path) -> None:
    program = program_from(tmp_path, rich_data())
    files = calendar_files(program)
    assert b"RRULE" in files["roles/mentor.ics"] or files["roles/mentor.ics"].count(b"BEGIN:VEVENT") > 3
    sessions = [line for line in files["roles/mentor.ics"].decode().splitlines() if line.startswith("SUMMARY:")]
    assert any("session" in s.lower() for s in sessions)


def test_shared_labels_are_told_apart_in_every_title(tmp_path: Path) -> None:
    files = build(tmp_path, {"type": "peer", "roles": {"mentor": {"label": "Peer partner"}, "mentee": {"label": "Peer partner"}}})
    index = files["index.md"]
    assert "Guide for peer partner (mentor)s" not in index
    assert index.count("Guide for peer partners (mentor)") == 1 and index.count("Guide for peer partners (mentee)") == 1


# --- patterns: repeating training and a session length range ----------------------------------

SHAPES = Path(__file__).parent / "fixtures" / "shapes"


def shape(name: str) -> Any:
    from programdsl.api import Validator

    result = Validator().check_file(SHAPES / f"{name}.yaml")
    assert result.program is not None and not result.errors
    return result


def test_the_three_shapes_warn_exactly_where_the_file_is_silent_or_off() -> None:
    located = {name: sorted((x.code, x.line, x.col) for x in shape(name).diagnostics)
               for name in ("reverse-senior-arranges", "reverse-large-capacity-two", "twelve-week-term")}
    assert located == {"reverse-senior-arranges": [],
                       "reverse-large-capacity-two": [("PD353", 38, 72)],
                       "twelve-week-term": [("PD350", 49, 10)]}


def test_training_each_january_is_held_and_counted_every_time() -> None:
    from programdsl.schedule import build_schedule

    program = shape("reverse-large-capacity-two").program
    schedule = build_schedule(program)
    held = [o for o in schedule.of_kind("training") if o.ref == "mentor-training"]
    assert [(o.day, o.number, o.uid) for o in held] == [
        (dt.date(2027, 1, 11), 1, "training-mentor-training"), (dt.date(2028, 1, 11), 2, "training-mentor-training-2")]
    files = {k: v.decode() for k, v in render_documents(program, FAST).items() if k.endswith(".md")}
    assert "| Reverse mentor | 18 × 1 hour with each of up to two partners | 4 hours |" in files["charter.md"]
    assert "Held every year, and required each time: 11 January 2027; 11 January 2028." in files["guides/mentor.md"]
    calendar = calendar_files(program, schedule)["roles/mentor.ics"].decode()
    assert "SUMMARY:Training: Reverse mentor training (1 of 2)" in calendar
    assert "SUMMARY:Training: Reverse mentor training (2 of 2)" in calendar


def test_training_before_each_cohort_follows_every_kickoff(tmp_path: Path) -> None:
    from programdsl.schedule import build_schedule

    program = program_from(tmp_path, deep_merge(rich_data(), {
        "schedule": {"milestones": [{"id": "kickoff", "name": "Cohort 1", "kind": "kickoff", "at": "start"},
                                    {"id": "cohort-2", "name": "Cohort 2", "kind": "kickoff", "week": 9},
                                    {"id": "closing", "name": "Closing", "kind": "closing", "at": "end"}]},
        "training": [{"id": "induction", "title": "Induction", "audience": ["mentor"], "minutes": 60,
                      "when": {"milestone": "kickoff", "offsetDays": -7}, "repeat": {"each": "kickoff"}}]}))
    days = [o.planned for o in build_schedule(program).of_kind("training")]
    kickoffs = [program.schedule.start, program.schedule.start + dt.timedelta(weeks=8)]  # type: ignore[operator]
    assert days == [k - dt.timedelta(days=7) for k in kickoffs]


def test_a_length_range_is_shown_as_written_and_planned_at_its_longer_end(tmp_path: Path) -> None:
    program = program_from(tmp_path, deep_merge(rich_data(), {"meetings": {"minutes": "45-60", "time": "12:30"}}))
    assert (program.meetings.minutes_min, program.meetings.minutes) == (45, 60)
    charter = render_documents(program, FAST)["charter.md"].decode()
    assert ", for 45-60 minutes each time" in charter and "× 45-60 minutes" in charter
    ics = calendar_files(program)["meetings.ics"].decode()
    start = next(line for line in ics.splitlines() if line.startswith("DTSTART;TZID="))
    end = next(line for line in ics.splitlines() if line.startswith("DTEND;TZID="))
    assert start.endswith("T123000") and end.endswith("T133000")
    assert "45-60 minutes" in ics.replace("\r\n ", "")


def test_handbooks_mention_calendar_files_only_when_they_are_written(tmp_path: Path) -> None:
    program = program_from(tmp_path, rich_data())
    sentence = "The calendar files that come with this programme hold the same dates"
    without = render_documents(program, FAST)["handbooks/mentor.md"].decode()
    paths = [f"calendars/{p}" for p in calendar_files(program)]
    with_calendars = render_documents(program, FAST, paths)["handbooks/mentor.md"].decode()
    assert sentence not in without and sentence in with_calendars


# --- issue 11, second pass: sentences no field backs --------------------------------------------


def unfolded(data: bytes) -> str:
    return data.decode().replace("\r\n ", "").replace("\\,", ",").replace("\\n", "\n")


def test_calendars_promise_no_time_or_place_the_file_does_not_give(tmp_path: Path) -> None:
    from programdsl.render.calendar import TIME_NOT_SET

    data = rich_data()
    data["meetings"].pop("time", None)
    data["training"] = [{"id": "intro", "title": "Introduction", "audience": ["mentor", "mentee"], "minutes": 210,
                         "when": {"milestone": "kickoff"}}]
    calendars = {name: unfolded(body) for name, body in calendar_files(program_from(tmp_path, data)).items()}
    everything = "".join(calendars.values())
    for promise in ("will confirm", "will send", "Agree the time together", "organiser", "organizer"):
        assert promise not in everything, promise
    training = next(e for e in calendars["program.ics"].split("BEGIN:VEVENT") if "SUMMARY:Training: Introduction" in e)
    assert "For: Mentor and Mentee." in training and "3 hours 30 minutes, required." in training
    assert TIME_NOT_SET in training
    assert everything.count(TIME_NOT_SET) >= 3  # the training, the pairs' sessions and the group sessions


def test_a_timed_session_says_nothing_about_a_missing_time(tmp_path: Path) -> None:
    from programdsl.render.calendar import TIME_NOT_SET

    meetings = unfolded(calendar_files(program_from(tmp_path, rich_data()))["meetings.ics"])
    session = meetings.split("BEGIN:VEVENT")[1].split("END:VEVENT")[0]
    assert "DTSTART;TZID=" in session and TIME_NOT_SET not in session


def test_guides_name_the_other_side_and_make_no_promise_of_their_own(tmp_path: Path) -> None:
    files = build(tmp_path, {"type": "reverse", "roles": {"mentor": {"label": "Reverse mentor"},
                                                          "mentee": {"label": "Consultant"}},
                             "meetings": {"format": "virtual"}})
    mentor, mentee = files["guides/mentor.md"], files["guides/mentee.md"]
    assert "talk about it with your consultant first if you can" in mentor
    assert "talk about it with your reverse mentor first if you can" in mentee
    assert "one question you would like your reverse mentor's view on" in mentee
    assert "{partner}" not in mentor + mentee and "your partner" not in mentor + mentee
    # rights no field grants become ground rules to agree; no invented statistics; no room for a video call
    assert "You are entitled" not in mentor and "Agree too that either of you may decline a topic" in mentor
    assert "twice as useful" not in mentee and "Ten minutes" not in mentee
    assert "neutral ground" not in mentor and "Join from somewhere you can speak freely" in mentor
    in_person = build(tmp_path / "in-person", {"type": "reverse", "meetings": {"format": "in-person"}})
    assert "Meet on neutral ground" in in_person["guides/mentor.md"]


def test_a_skill_swap_partner_is_the_other_sides_label(tmp_path: Path) -> None:
    files = build(tmp_path, {"type": "skill-swap", "schedule": {"phases": [], "duration": "6 months"},
                             "meetings": {"groupSessions": []},
                             "roles": {"mentor": {"label": "Design partner"}, "mentee": {"label": "Engineering partner"}}})
    assert "learn something your engineering partner does well" in files["guides/mentor.md"]
    assert "let your design partner try each one" in files["guides/mentee.md"]


def test_flash_guides_follow_the_number_of_sessions(tmp_path: Path) -> None:
    once = build(tmp_path / "once", {"type": "flash", "schedule": {"phases": []},
                                     "meetings": {"sessions": 1, "frequency": "once", "groupSessions": []}})
    assert "one focused conversation with each person you meet" in once["guides/mentor.md"]
    several = build(tmp_path / "several", {"type": "flash", "schedule": {"phases": [], "duration": "6 weeks"},
                                           "meetings": {"sessions": 3, "frequency": "weekly", "groupSessions": []}})
    assert "a few short, focused conversations" in several["guides/mentor.md"]
    assert "one focused conversation" not in several["guides/mentor.md"] + several["guides/mentee.md"]


def test_who_arranges_sessions_comes_from_the_field_not_the_preset(tmp_path: Path) -> None:
    from programdsl.resources import preset_path, program_types

    for name in program_types():
        assert "arrange" not in preset_path(name).read_text(encoding="utf-8").lower(), name
    files = build(tmp_path, {"type": "traditional", "meetings": {"initiator": "either"}})
    assert "Either partner may arrange them." in files["charter.md"]
    assert "Arrange sessions" not in files["charter.md"] + files["guides/mentee.md"]
    assert "- **Who arranges them:** either of you" in files["guides/mentee.md"]
    # agendas follow the field too: whoever books, the first session's last step says so
    assert "Next steps.** One of you books the next session; agree one thing each of you will do before it." in files["guides/mentee.md"]
    team = build(tmp_path / "team", {"type": "traditional", "meetings": {"initiator": "coordinator"}})
    assert "Next steps.** The programme team books the next session;" in team["guides/mentor.md"]
    assert "Agree the date of your next session" not in team["guides/mentor.md"]
    assert "how you will arrange and move sessions" not in team["guides/mentor.md"]


def test_dates_and_lengths_the_file_leaves_out_read_not_set(tmp_path: Path) -> None:
    files = build(tmp_path, {"training": [{"id": "orientation", "title": "Orientation", "audience": ["mentee"],
                                           "format": "virtual"}]})
    guide = files["guides/mentee.md"]
    assert "· length not set · by video call · required*" in guide
    assert "to be confirmed" not in "".join(files.values())
    assert "over the programme, plus what is not set" in guide


def test_no_sentence_says_how_often_a_supporting_role_attends(tmp_path: Path) -> None:
    files = build(tmp_path, {"roles": {"facilitator": {"label": "Facilitator", "responsibilities": ["Run it."]}},
                             "meetings": {"groupSessions": [{"id": "sup", "name": "Supervision",
                                                             "audience": ["mentor", "facilitator"], "frequency": "monthly",
                                                             "sessions": 3, "minutes": 60, "minimumAttendance": 3}]}})
    charter, facilitator = files["charter.md"], files["guides/facilitator.md"]
    assert "Each mentor is expected at every meeting.\n" in charter
    assert "and so is each facilitator" not in charter
    assert "The meetings are for mentors, who each attend every one.\n" in facilitator


def test_charter_names_the_guides_in_words_and_groups_as_groups(tmp_path: Path) -> None:
    files = build(tmp_path, {"roles": {"mentor": {"label": "Executive mentor"}, "mentee": {"label": "Emerging leader"}}})
    assert "in the guides for executive mentors and emerging leaders." in files["charter.md"]
    group = build(tmp_path / "group", {"type": "group", "schedule": {"phases": []}})
    assert "Each group's own meetings are listed" in group["charter.md"] and "The pairs' own" not in group["charter.md"]


def test_form_titles_never_nest_brackets(tmp_path: Path) -> None:
    program = program_from(tmp_path, deep_merge(rich_data(), {"type": "peer", "roles": {
        "mentor": {"label": "Peer partner"}, "mentee": {"label": "Peer partner"}}}))
    files = render_documents(program, BuildOptions(formats=("html",)))
    titles = [body.decode().split("<title>", 1)[1].split("</title>", 1)[0] for name, body in files.items()
              if name.startswith("forms/") and name.endswith(".html")]
    assert titles and not any("))" in t for t in titles), titles
    assert any("(Peer partner, mentor)" in t for t in titles) and any("(Peer partner, mentee)" in t for t in titles)
