"""The benchmark corpus: varied, valid, warning-free programs of every type, from a fixed seed."""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent.parent
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from programdsl import api  # noqa: E402
from programdsl.model import FREQUENCY_DAYS, Duration  # noqa: E402
from programdsl.resources import preset_path, program_types  # noqa: E402

from yamlwriter import Alias, Anchored, Comment, Flow, Folded, dump  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Vocabulary for realistic programs
# ---------------------------------------------------------------------------------------------

DEPARTMENTS = ["engineering", "finance", "sales", "marketing", "operations", "legal", "hr", "product",
               "design", "data", "support", "research", "supply-chain", "procurement", "it", "risk"]
DEPT_NAMES = {"hr": "People", "it": "IT", "supply-chain": "Supply Chain", "data": "Data and Analytics"}
SITES = ["London", "Leeds", "Dublin", "Berlin", "Lyon", "Madrid", "Toronto", "Austin", "Singapore", "Sydney", "Pune"]
ZONES = ["Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "America/Toronto",
         "America/Chicago", "America/New_York", "Asia/Singapore", "Australia/Sydney", "Asia/Kolkata", "UTC"]
LOCALES = ["en-GB", "en-US", "en-IE", "de-DE", "fr-FR", "es-ES", "en-CA", "en-SG", "en-AU", "en-IN"]
HOLIDAYS = [("GB", "ENG"), ("GB", "SCT"), ("IE", None), ("DE", "BE"), ("FR", None), ("ES", "MD"), ("CA", "ON"),
            ("US", "TX"), ("SG", None), ("AU", "NSW"), ("IN", None), ("NO", None), ("NL", None)]
FIRST = ["Amara", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kavya", "Liam",
         "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Yusuf", "Zoe"]
LAST = ["Adeyemi", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "Gupta", "Haddad", "Ito", "Jensen",
        "Kowalski", "Lopez", "Mensah", "Nakamura", "O'Neill", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka",
        "Usman", "Varga", "Walsh", "Xu", "Young", "Zhang"]
THEMES = {
    "traditional": ["Leadership foundations", "Emerging leaders", "Graduate development", "Engineering growth",
                    "New manager", "Career accelerator", "Women in leadership", "First-line leaders"],
    "reverse": ["Digital fluency", "Generations together", "Inclusion insight", "AI in practice",
                "Social media for leaders", "Sustainability voices", "Customer reality"],
    "reciprocal": ["Two-way learning", "Cross-generational exchange", "Tech and strategy exchange",
                   "Inclusion partners", "Finance meets product"],
    "peer": ["Peer circles", "Managers learning together", "Returners network", "New joiners buddy",
             "Remote peers", "Project leads exchange"],
    "near-peer": ["Next step", "Graduate to analyst", "Analyst to associate", "New team lead",
                  "Senior engineer ready", "First promotion"],
    "flash": ["Ask an expert", "Flash mentoring week", "Career conversations", "Quick questions",
              "Speed mentoring", "One-hour expert"],
    "group": ["Mentoring circles", "Leadership circles", "Women in tech circles", "Product craft circles",
              "Sales excellence circles", "Data literacy circles"],
    "skill-swap": ["Skill swap", "Learn and teach", "Code for spreadsheets", "Talent exchange",
                   "Design and data swap"],
    "shadow-board": ["Shadow board", "Next generation board", "Youth advisory board", "Strategy shadow board"],
    "reverse-shadowing": ["Walk in my shoes", "Frontline days", "Leaders on the floor", "A day in support",
                          "Back to the shop floor"],
}
OBJECTIVE_TOPICS = [
    ("retention", "Improve retention of early-career staff", "mentee", "Twelve-month retention of participants",
     "percent", 78, 88, "increase", "hris"),
    ("confidence", "Grow participants' confidence in their role", "mentee", "Self-rated role confidence",
     "score (1-5)", 3.1, 4.0, "increase", "survey"),
    ("promotion", "Prepare mentees for their next role", "mentee", "Participants promoted within 18 months",
     "percent", 12, 20, "increase", "hris"),
    ("network", "Widen mentees' networks across departments", "mentee", "New cross-department contacts",
     "contacts", 2, 6, "increase", "survey"),
    ("digital", "Raise senior leaders' digital fluency", "mentor", "Digital fluency self-assessment",
     "score (7-35)", 18, 26, "increase", "survey"),
    ("inclusion", "Improve leaders' understanding of colleagues' experience", "organization",
     "Inclusion index in the engagement survey", "score (0-100)", 64, 72, "increase", "other"),
    ("engagement", "Raise engagement of participants", "organization", "Engagement score of participants",
     "score (0-100)", 70, 76, "increase", "survey"),
    ("time-to-productivity", "Shorten new joiners' time to productivity", "organization",
     "Weeks until first independent delivery", "weeks", 14, 10, "decrease", "manual"),
    ("skills", "Build skills the organization needs", "mentee", "Skills marked proficient in the LMS",
     "skills", 3, 5, "increase", "lms"),
    ("attendance", "Keep pairs meeting regularly", "organization", "Planned sessions that took place",
     "percent", 60, 85, "increase", "calendar"),
    ("satisfaction", "Make mentoring worthwhile for both sides", "mentor", "Satisfaction with the program",
     "score (1-5)", 3.8, 4.3, "increase", "survey"),
    ("wellbeing", "Support wellbeing through the transition", "mentee", "Wellbeing index of participants",
     "score (0-10)", 6.5, 6.5, "maintain", "survey"),
    ("ideas", "Bring new perspectives to executive decisions", "organization",
     "Board recommendations adopted", "recommendations", 0, 4, "increase", "manual"),
    ("knowledge", "Share specialist knowledge across teams", "mentor", "Knowledge-sharing sessions held",
     "sessions", 0, 10, "increase", "calendar"),
]
QUESTION_TEXTS = {
    "likert": ["My mentor and I meet as often as we planned.", "The sessions are a good use of my time.",
               "I feel more confident in my role than before the program.", "My partner listens to me.",
               "I would recommend the program to a colleague.", "I have clear goals for the relationship.",
               "I have met people outside my department through the program.",
               "I understand how colleagues in other generations work.", "I feel able to speak candidly.",
               "I have acted on something I learnt in a session."],
    "choice": ["How often did you meet?", "Which topic helped you most?", "How were sessions mostly held?",
               "What got in the way of meeting?"],
    "text": ["What has worked well so far?", "What would you change about the program?",
             "What is one thing you will do differently because of the program?", "Anything else to tell us?"],
    "number": ["How many sessions have you had?", "How many new contacts have you made?",
               "How many hours a month do you spend on the program?"],
    "yes-no": ["Would you take part again?", "Have you agreed goals with your partner?",
               "Did your manager support your participation?"],
}
CHOICES = {
    "How often did you meet?": ["Weekly", "Every two weeks", "Monthly", "Less often"],
    "Which topic helped you most?": ["Career planning", "Technical skills", "Confidence", "Networking", "Other"],
    "How were sessions mostly held?": ["In person", "Video call", "Phone", "A mix"],
    "What got in the way of meeting?": ["Workload", "Travel", "Scheduling", "Nothing did"],
}
QUESTION_POOL = [(qtype, text) for qtype, texts in QUESTION_TEXTS.items() for text in texts]
LABELS5 = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
TOPICS = ["Setting goals", "Giving feedback", "Navigating the organization", "Career paths", "Presenting with impact",
          "Managing stakeholders", "Time and energy", "Decision making", "Leading without authority",
          "Difficult conversations", "Influencing", "Building a network", "Technical depth", "Strategy basics",
          "Customer insight", "Working across cultures", "Hybrid working", "Resilience", "Reflection and next steps"]
PHASE_NAMES = [("orientation", "Orientation"), ("goal-setting", "Goal setting"), ("foundations", "Foundations"),
               ("deepening", "Deepening"), ("practice", "Practice"), ("stretch", "Stretch assignments"),
               ("review", "Review"), ("consolidation", "Consolidation"), ("wrap-up", "Wrap-up")]
BOTTOM_UP = {"reverse", "reverse-shadowing", "shadow-board"}
FLOWS = {"traditional": "top-down", "near-peer": "top-down", "group": "top-down", "flash": "top-down",
         "peer": "lateral", "reciprocal": "both-ways", "skill-swap": "both-ways", "reverse": "bottom-up",
         "reverse-shadowing": "bottom-up", "shadow-board": "bottom-up"}
# Program length in days, by type: (shortest, longest).
LENGTHS = {"traditional": (180, 365), "reverse": (120, 270), "reciprocal": (180, 365), "peer": (90, 270),
           "near-peer": (90, 180), "flash": (14, 84), "group": (120, 270), "skill-swap": (60, 180),
           "shadow-board": (270, 365), "reverse-shadowing": (28, 70)}


def _presets() -> dict[str, dict[str, Any]]:
    out = {}
    for name in program_types():
        with open(preset_path(name), encoding="utf-8") as handle:
            out[name] = yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    return out


class ProgramWriter:
    """Writes one varied, valid program from a random generator."""

    def __init__(self, rnd: random.Random, presets: dict[str, dict[str, Any]]) -> None:
        self.r = rnd
        self.presets = presets

    # -- helpers -------------------------------------------------------------------------------
    def person(self) -> str:
        return f"{self.r.choice(FIRST)} {self.r.choice(LAST)}"

    def email(self, name: str) -> str:
        return name.lower().replace(" ", ".").replace("'", "") + "@example.com"

    def duration_text(self, days: int) -> str:
        if days % 7 == 0 and days <= 140:
            weeks = days // 7
            return f"{weeks} week{'s' if weeks > 1 else ''}"
        months = max(1, round(days / 30.44))
        return f"{months} month{'s' if months > 1 else ''}"

    # -- the program ---------------------------------------------------------------------------
    @staticmethod
    def _topics_where_sessions_fall(phases: list[dict[str, Any]], spans: list[tuple[dt.date, dt.date]], start: dt.date,
                                    meet: dict[str, Any], preset_meet: dict[str, Any]) -> None:
        """Keep session topics only on phases a pair session surely falls in, as an author would (a phase
        with topics but no session is warning PD318). A session may land up to three days before its
        step (the first meeting weekday) or three weeks after it (holidays and blackouts move it)."""
        frequency = meet.get("frequency", preset_meet.get("frequency"))
        if not phases or frequency is None:
            return
        sessions = meet.get("sessions", preset_meet.get("sessions"))
        days = _session_days(start, frequency, sessions, spans[-1][1])
        for phase, (first, last) in zip(phases, spans):
            if not any(first <= day - dt.timedelta(days=3) and day + dt.timedelta(days=21) <= last for day in days):
                phase.pop("topics", None)

    def program(self, index: int, ptype: str, defaults: dict[str, Any] | None, defaults_ref: str | None) -> str:
        r = self.r
        preset = self.presets[ptype]
        dept = r.choice(DEPARTMENTS)
        dept_name = DEPT_NAMES.get(dept, dept.capitalize())
        theme = r.choice(THEMES[ptype])
        year = r.choice([2025, 2026, 2027])
        program_id = f"{dept}-{re.sub(r'[^a-z0-9]+', '-', theme.lower()).strip('-')}-{year}-{index:04d}"
        doc: dict[Any, Any] = {"apiVersion": "programdsl/v1", "kind": "Program"}
        if defaults_ref:
            doc["extends"] = defaults_ref

        # metadata ------------------------------------------------------------------------------
        owner = self.person()
        meta: dict[str, Any] = {"id": program_id, "name": f"{theme} {year}" + (f" ({dept_name})" if r.random() < 0.5 else "")}
        meta["description"] = Folded(
            f"{theme} pairs colleagues in {dept_name} {r.choice(['to', 'so that they can', 'in order to'])} "
            f"{r.choice(['grow faster', 'share what they know', 'learn from each other', 'prepare for what comes next', 'build lasting networks'])}. "
            f"It runs {r.choice(['once a year', 'twice a year', 'as a pilot', 'for every new cohort'])} and is sponsored by "
            f"the {dept_name} leadership team.")
        if not defaults or r.random() < 0.3:
            meta["owner"] = {"name": owner, "email": self.email(owner), "team": f"{dept_name} Talent"}
        meta["version"] = r.choice(["1", "1.0", "1.1", "2.0.1", "1.2.0", "3"])
        if not defaults:
            zone_i = r.randrange(len(ZONES))
            meta["locale"] = LOCALES[zone_i % len(LOCALES)]
            meta["timezone"] = ZONES[zone_i]
        doc["metadata"] = meta
        doc["type"] = ptype
        if r.random() < 0.3:
            doc["knowledgeFlow"] = FLOWS[ptype]

        # roles -------------------------------------------------------------------------------------
        roles_overridden = r.random() < 0.7
        role_ids = ["mentor", "mentee"]
        if roles_overridden:
            roles: dict[Any, Any] = {}
            mentor: dict[str, Any] = {}
            mentee: dict[str, Any] = {}
            if r.random() < 0.5:
                mentor["label"] = r.choice(["Mentor", "Guide", "Coach", "Partner", "Advisor"])
            if r.random() < 0.6:
                mentor["responsibilities"] = r.sample([
                    "Meet your mentee at the agreed rhythm and come prepared.",
                    "Share experience and ask open questions rather than give instructions.",
                    "Keep conversations confidential within the limits of the charter.",
                    "Tell the coordinator early if the pairing is not working.",
                    "Complete the mentor briefing before the first session.",
                ], r.randint(2, 4))
            mentor["eligibility"] = [
                Flow({"attribute": "tenureMonths", "min": r.choice([6, 12, 18, 24])}),
                Flow({"attribute": "department", "notIn": ["contractors"] if r.random() < 0.5 else ["interns", "contractors"]}),
            ][: r.randint(1, 2)]
            if ptype in BOTTOM_UP:
                mentor["eligibility"].append(Flow({"attribute": "level", "max": r.choice([3, 4])}))
            if r.random() < 0.6:
                mentee["responsibilities"] = r.sample([
                    "Bring goals to the first session and review them at the midpoint.",
                    "Arrange sessions and send a short agenda beforehand.",
                    "Act on what you discuss and report back.",
                    "Answer the program surveys.",
                ], r.randint(2, 3))
            mentee["eligibility"] = [
                Flow({"attribute": "careerStage", "in": r.sample(["graduate", "early", "mid", "senior"], 2)}),
                Flow({"attribute": "custom.optedIn", "equals": True, "description": "Has opted in on the intranet form"}),
            ][: r.randint(1, 2)]
            roles["mentor"] = mentor
            roles["mentee"] = mentee
            if r.random() < 0.6:
                extra = r.choice(["coordinator", "manager", "sponsor"])
                roles[extra] = {
                    "label": extra.capitalize(),
                    "description": {"coordinator": "Runs the program day to day and is the first contact for pairs.",
                                    "manager": "The line manager of a participant, who supports their time in the program.",
                                    "sponsor": "The executive who champions the program and reviews its results."}[extra],
                    "responsibilities": [f"Support the {theme} program", "Review the results at closing"],
                }
                role_ids.append(extra)
            doc["roles"] = roles

        # schedule ------------------------------------------------------------------------------------
        shortest, longest = LENGTHS[ptype]
        start = dt.date(year, r.randint(1, 12), r.randint(1, 28))
        choice = r.random()
        preset_duration = Duration.parse(preset["schedule"]["duration"])
        sched: dict[Any, Any] = {"start": start}
        if choice < 0.2 and ptype not in ("flash",):
            duration = preset_duration  # the preset's length
            end = duration.last_day_from(start)
        else:
            days = r.randint(shortest, longest)
            text = self.duration_text(days)
            duration = Duration.parse(text)
            end = duration.last_day_from(start)
            if ptype == "flash" and (end - start).days + 1 > 92:
                duration, text = Duration(12, "week"), "12 weeks"
                end = duration.last_day_from(start)
            mode = r.random()
            if mode < 0.65:
                sched["duration"] = text
            elif mode < 0.8 and ptype != "flash":
                # An end date alone: the preset's duration still applies, so the two must agree.
                duration = preset_duration
                end = duration.last_day_from(start)
                sched["end"] = end
            else:
                sched["duration"] = text
                sched["end"] = end
        days = (end - start).days + 1
        if r.random() < 0.5:
            sched["workingDays"] = ["mon", "tue", "wed", "thu", "fri"] if r.random() < 0.7 else ["mon", "tue", "wed", "thu"]
        if r.random() < 0.6:
            country, sub = r.choice(HOLIDAYS)
            sched["holidays"] = Flow({"country": country, **({"subdivision": sub} if sub else {})})
        if r.random() < 0.4 and days > 60:
            blackouts = []
            for _ in range(r.randint(1, 2)):
                b_start = start + dt.timedelta(days=r.randint(10, days - 20))
                blackouts.append(Flow({"start": b_start, "end": b_start + dt.timedelta(days=r.randint(1, 14)),
                                       "reason": r.choice(["Year-end shutdown", "Annual planning", "Summer break",
                                                           "Quarter close", "Company offsite"])}))
            sched["blackouts"] = blackouts

        phases: list[dict[str, Any]] = []
        phase_ids: list[str] = []
        phase_spans: list[tuple[dt.date, dt.date]] = []  # first and last day of each phase
        phase_count = 0 if days < 42 else r.choice([0, 2, 3, 3, 4, 4, 5])
        if phase_count:
            names = r.sample(PHASE_NAMES, phase_count)
            remaining = days
            cursor = start
            for i, (pid, pname) in enumerate(names):
                phase: dict[str, Any] = {"id": pid, "name": pname}
                if r.random() < 0.5:
                    phase["description"] = f"{pname}: {r.choice(TOPICS).lower()} and {r.choice(TOPICS).lower()}."
                if i < phase_count - 1:
                    share = max(7, remaining // (phase_count - i) // 7 * 7)
                    weeks = max(1, min(share // 7, (remaining - 7 * (phase_count - i - 1)) // 7))
                    p_duration = Duration(weeks, "week")
                    if i == 0 and r.random() < 0.3:
                        phase["start"] = start
                    phase["duration"] = str(p_duration)
                    p_end = p_duration.last_day_from(cursor)
                    phase_spans.append((cursor, p_end))
                    remaining -= (p_end - cursor).days + 1
                    cursor = p_end + dt.timedelta(days=1)
                else:
                    if r.random() < 0.4:
                        phase["end"] = end  # the last phase closes with the program
                    phase_spans.append((cursor, end))
                phase["topics"] = r.sample(TOPICS, r.randint(2, 4))
                phases.append(phase)
                phase_ids.append(pid)
            sched["phases"] = phases

        milestones_overridden = bool(phases) or r.random() < 0.5
        if milestones_overridden:
            milestones: list[Any] = [Flow({"id": "kickoff", "name": r.choice(["Kickoff", "Launch event", "Program launch"]),
                                           "kind": "kickoff", "at": "start"})]
            if days >= 56:
                milestones.append(Flow({"id": "midpoint", "name": "Midpoint check-in", "kind": "midpoint", "at": "midpoint"}))
            for week in sorted(r.sample(range(2, max(3, days // 7)), min(r.randint(0, 3), max(0, days // 7 - 2)))):
                milestones.append(Flow({"id": f"check-in-week-{week}", "name": f"Week {week} check-in",
                                        "kind": "check-in", "week": week}))
            for pid in phase_ids[:-1]:
                if r.random() < 0.5:
                    milestones.append(Flow({"id": f"{pid}-review", "name": f"End of {pid.replace('-', ' ')}",
                                            "kind": "review", "phase": pid, "edge": "end"}))
            if r.random() < 0.3 and days > 30:
                milestones.append(Flow({"id": "showcase", "name": "Showcase", "kind": "other",
                                        "date": start + dt.timedelta(days=r.randint(days // 2, days - 2)),
                                        "description": "Pairs share what they learnt with the wider team."}))
            milestones.append(Flow({"id": "closing", "name": r.choice(["Closing", "Celebration", "Closing event"]),
                                    "kind": "closing", "at": "end"}))
            sched["milestones"] = milestones
            milestone_ids = [m.value["id"] for m in milestones]
        else:
            milestone_ids = [m["id"] for m in preset["schedule"]["milestones"]]
        doc["schedule"] = sched

        # meetings ----------------------------------------------------------------------------------------
        def room(frequency: str) -> int:
            # Sessions start on the kickoff's first meeting weekday (up to a week in) and monthly ones
            # keep the nth weekday of the month, so leave margin for both at the end.
            return 1 if frequency == "once" else max(1, int((days - 11) / FREQUENCY_DAYS[frequency]) + 1)

        preset_meet = preset["meetings"]
        meetings_overridden = r.random() < 0.75
        if not meetings_overridden and preset_meet.get("sessions") and preset_meet["sessions"] > room(preset_meet["frequency"]):
            meetings_overridden = True
        if not meetings_overridden and preset_meet["frequency"] != "once" and room(preset_meet["frequency"]) < 2:
            meetings_overridden = True
        if meetings_overridden:
            if ptype == "flash":
                frequency = r.choice(["once", "weekly"])
            else:
                frequency = r.choice([f for f in ("weekly", "biweekly", "monthly") if room(f) >= 3])
            meet: dict[str, Any] = {"frequency": frequency}
            if frequency == "once":
                meet["sessions"] = 1
            elif r.random() < 0.6 or preset_meet.get("sessions", 0) > room(frequency):
                # (Left out, the preset's session count would still apply: it must fit too.)
                meet["sessions"] = r.randint(max(2, room(frequency) // 2), room(frequency))
            meet["minutes"] = r.choice([30, 45, 60, 60, 90])
            meet["format"] = r.choice(["in-person", "virtual", "hybrid"])
            meet["initiator"] = r.choice(["mentor", "mentee", "either", "coordinator"])
            if r.random() < 0.5:
                meet["dayOfWeek"] = r.choice(["tue", "wed", "thu"])
                meet["time"] = r.choice(["09:30", "12:00", "14:00", "16:30"])
            if r.random() < 0.4 and "coordinator" in role_ids or r.random() < 0.2:
                g_freq = r.choice([f for f in ("monthly", "biweekly") if room(f) >= 2] or ["once"])
                g_sessions = min(room(g_freq), r.randint(2, 6)) if g_freq != "once" else 1
                group = {"id": "mentor-supervision", "name": "Mentor supervision", "audience": Flow(["mentor"]),
                         "frequency": g_freq, "sessions": g_sessions, "minutes": 60}
                if g_sessions > 1:
                    group["minimumAttendance"] = r.randint(1, g_sessions)
                meet["groupSessions"] = [group]
            doc["meetings"] = meet
        self._topics_where_sessions_fall(phases, phase_spans, start, doc.get("meetings", {}), preset_meet)

        # pairing -------------------------------------------------------------------------------------------------
        if r.random() < 0.6:
            pairing: dict[str, Any] = {}
            if ptype == "group":
                pairing["mode"] = "group"
                pairing["capacity"] = Flow({"mentor": r.randint(4, 8), "mentee": 1})
            elif ptype in ("flash", "shadow-board"):
                pairing["mode"] = "one-to-many" if ptype == "flash" else "group"
                pairing["capacity"] = Flow({"mentor": r.randint(2, 8), "mentee": 1})
            else:
                pairing["mode"] = "one-to-one"
                pairing["capacity"] = Flow({"mentor": r.randint(1, 2), "mentee": 1})
            if r.random() < 0.5:
                pairing["minimumScore"] = r.choice([0.2, 0.3, 0.4, 0.5])
            pairing["optimize"] = r.choice(["quality", "coverage"])
            constraints: list[Any] = []
            if ptype in BOTTOM_UP:
                constraints.append(Flow({"id": "mentor-junior", "rule": "level-gap", "direction": "mentor-junior",
                                         "min": r.randint(1, 3)}))
            elif ptype in ("traditional", "group", "near-peer"):
                constraints.append(Flow({"id": "mentor-senior", "rule": "level-gap", "direction": "mentor-senior",
                                         "min": 1, **({"max": 1} if ptype == "near-peer" else {})}))
            elif ptype in ("peer", "reciprocal"):
                constraints.append(Flow({"id": "same-level", "rule": "level-gap", "direction": "peer", "max": 1}))
            if ptype not in ("flash", "skill-swap"):
                constraints.append(Flow({"id": "outside-reporting-line", "rule": "not-reporting-line"}))
            if r.random() < 0.4:
                constraints.append(Flow({"id": "first-time", "rule": "not-previously-paired",
                                         "description": "Nobody is paired with a former partner"}))
            constraints.append(Flow({"id": "respect-exclusions", "rule": "not-excluded"}))
            pairing["constraints"] = constraints
            preferences: list[Any] = [
                Flow({"id": "topic-match", "rule": "overlap", "mentor": "skills", "mentee": "interests", "priority": "high"}),
                Flow({"id": "other-department", "rule": "different", "attribute": "department", "priority": "medium"}),
                Flow({"id": "same-site", "rule": "same", "attribute": "location", "weight": 1.5}),
                Flow({"id": "nearby-time-zone", "rule": "timezone-within", "hours": r.choice([2, 3, 5]), "priority": "low"}),
                Flow({"id": "shared-language", "rule": "overlap", "mentor": "languages", "mentee": "languages",
                      "priority": "medium"}),
                Flow({"id": "same-cohort", "rule": "same", "attribute": "custom.cohort", "priority": "low"}),
            ]
            pairing["preferences"] = r.sample(preferences, r.randint(1, 4))
            doc["pairing"] = pairing

        # objectives and metrics --------------------------------------------------------------------------------
        n_objectives = r.randint(2, 5)
        topics = r.sample(OBJECTIVE_TOPICS, min(len(OBJECTIVE_TOPICS), n_objectives + r.randint(0, 2)))
        metric_ids = [t[0] for t in topics]
        survey_ids = ["baseline-survey", "midpoint-pulse", "closing-survey", "manager-feedback", "follow-up"]
        n_surveys = r.randint(1, 4)
        survey_ids = survey_ids[:n_surveys]
        objectives = []
        for i in range(n_objectives):
            key, title, beneficiary = topics[i][0], topics[i][1], topics[i][2]
            objective: dict[str, Any] = {"id": key, "title": title}
            if r.random() < 0.5:
                objective["description"] = Folded(
                    f"Success means {title[0].lower() + title[1:]} in a way participants and their managers notice, "
                    f"measured against the baseline taken at kickoff.")
            objective["beneficiary"] = beneficiary
            linked = [key] + r.sample(metric_ids[n_objectives:], min(len(metric_ids) - n_objectives, r.randint(0, 1)))
            objective["metrics"] = linked
            objectives.append(objective)
        doc["objectives"] = objectives
        metrics = []
        for key, _title, _b, name, unit, baseline, target, direction, source in topics:
            metric: dict[str, Any] = {"id": key, "name": name, "definition": Folded(
                f"{name}, computed over all active participants at each collection point. "
                f"Participants who leave the program are counted until the day they leave."),
                "unit": unit}
            if r.random() < 0.7:
                metric["baseline"] = baseline
            metric["target"] = target
            metric["direction"] = direction
            if source == "survey":
                metric["source"] = Flow({"kind": "survey", "survey": r.choice(survey_ids)})
            else:
                metric["source"] = Flow({"kind": source, "description": {
                    "hris": "Monthly HRIS extract", "lms": "Learning platform completion report",
                    "calendar": "Calendar invitations tagged with the program", "manual": "Coordinator's tracker",
                    "other": "Annual engagement survey"}[source]})
            metric["collectedAt"] = [m for m in milestone_ids if m in ("kickoff", "midpoint", "closing")]
            metrics.append(metric)
        doc["metrics"] = metrics

        # training ---------------------------------------------------------------------------------------------------
        if r.random() < 0.5:
            training = []
            modules = [("mentor-briefing", "Preparing to mentor", ["mentor"]),
                       ("mentee-briefing", "Getting the most from the program", ["mentee"]),
                       ("joint-kickoff", "Working well together", ["mentor", "mentee"])]
            chosen = modules if ptype in BOTTOM_UP else r.sample(modules, r.randint(1, 3))
            for mid, title, audience in chosen:
                module: dict[str, Any] = {"id": mid, "title": title, "audience": Flow(audience),
                                          "minutes": r.choice([30, 45, 60, 90, 120]),
                                          "format": r.choice(["in-person", "virtual", "self-paced", "hybrid"])}
                if r.random() < 0.3:
                    module["required"] = False
                module["topics"] = r.sample(TOPICS, r.randint(2, 4))
                if phase_ids and r.random() < 0.3:
                    module["when"] = Flow({"phase": phase_ids[0], "edge": "start", "offsetDays": -r.randint(1, 14)})
                else:
                    module["when"] = Flow({"milestone": "kickoff", "offsetDays": -r.randint(1, 21)})
                training.append(module)
            doc["training"] = training

        # surveys ---------------------------------------------------------------------------------------------
        surveys = []
        use_anchors, anchored = r.random() < 0.5, False
        for sid in survey_ids:
            survey: dict[str, Any] = {"id": sid, "title": sid.replace("-", " ").capitalize()}
            if r.random() < 0.5:
                survey["description"] = "Your answers help us improve the program; they are reported only in aggregate."
            audience = ["mentor", "mentee"] if r.random() < 0.6 else [r.choice(["mentor", "mentee"])]
            if sid == "manager-feedback" and "manager" in role_ids:
                audience = ["manager"]
            survey["audience"] = Flow(audience)
            anchor = {"baseline-survey": "kickoff", "midpoint-pulse": "midpoint" if "midpoint" in milestone_ids else "kickoff",
                      "closing-survey": "closing", "manager-feedback": "closing", "follow-up": "closing"}[sid]
            offset = {"baseline-survey": -3, "follow-up": 90}.get(sid, r.choice([0, 1, 3, 7]))
            if sid == "midpoint-pulse" and phase_ids and r.random() < 0.5:
                survey["when"] = Flow({"phase": phase_ids[len(phase_ids) // 2], "edge": "end"})
            else:
                survey["when"] = Flow({"milestone": anchor, "offsetDays": offset})
            if sid == "midpoint-pulse" and days > 120 and r.random() < 0.5:
                survey["repeatEvery"] = r.choice(["60 days", "2 months", "8 weeks"])
            survey["openDays"] = r.choice([7, 10, 14, 21])
            survey["anonymous"] = r.random() < 0.5
            questions = []
            asked = r.sample(QUESTION_POOL, r.randint(2, 6))
            for j, (qtype, text) in enumerate(asked):
                question: dict[str, Any] = {"id": f"q{j + 1}", "text": text, "type": qtype}
                if qtype == "likert":
                    if r.random() < 0.3:
                        if not use_anchors:
                            question["scale"] = {"min": 1, "max": 5, "labels": LABELS5}
                        elif anchored:
                            question["scale"] = Alias("agree5")  # as people reuse one scale
                        else:
                            question["scale"] = Anchored("agree5", {"min": 1, "max": 5, "labels": LABELS5})
                            anchored = True
                    else:
                        question["scale"] = Flow({"min": 1, "max": r.choice([5, 7, 10])})
                elif qtype == "choice":
                    question["options"] = CHOICES[text]
                if r.random() < 0.5:
                    question["required"] = True
                survey_metrics = [m["id"] for m in metrics if isinstance(m["source"], Flow) and m["source"].value.get("survey") == sid]
                if survey_metrics and qtype in ("likert", "number") and r.random() < 0.6:
                    question["metric"] = r.choice(survey_metrics)
                questions.append(question)
            survey["questions"] = questions
            surveys.append(survey)
        doc["surveys"] = surveys

        # the rest ------------------------------------------------------------------------------------------------
        if not defaults:
            if r.random() < 0.6:
                doc["calendar"] = {"reminders": sorted(r.sample([15, 30, 60, 1440, 2880], r.randint(1, 3)))}
            contact = self.person()
            doc["contacts"] = [
                {"name": contact, "role": "Program coordinator", "email": self.email(contact)},
                *([{"name": f"{dept_name} HR Business Partner", "role": "Concerns about a pairing",
                    "email": f"hr-{dept}@example.com", "phone": "+44 20 7946 0000"}] if r.random() < 0.5 else []),
            ]
            doc["confidentiality"] = Folded(
                "What is said in sessions stays between the partners, unless someone's safety is at risk or the law "
                "requires otherwise. Coordinators see attendance and survey results, never session notes.")
            doc["conduct"] = Folded(
                "Treat your partner with respect, keep to agreed times, and tell the coordinator if a pairing is not "
                "working; either side may end a pairing without giving a reason.")

        # Comments before a few sections, as people annotate their files.
        annotated: dict[Any, Any] = {}
        notes = {"objectives": "What we want to achieve, and how we will know.",
                 "schedule": f"Dates agreed with the {dept_name} leadership team.",
                 "surveys": "Survey wording reviewed by the people analytics team."}
        for key, value in doc.items():
            if key in notes and r.random() < 0.6:
                annotated[Comment(notes[key])] = None
            annotated[key] = value
        header = [f"{meta['name']}: {ptype} mentoring for {dept_name}.",
                  f"Owner: {owner}. Validate with `programdsl validate` before publishing."]
        if r.random() < 0.5:
            header.insert(0, "yaml-language-server: $schema=https://programdsl.dev/schemas/program.schema.json")
        return dump(annotated, header)


def _session_days(start: dt.date, frequency: str, sessions: int | None, end: dt.date) -> list[dt.date]:
    """Roughly when the pair sessions fall: every cadence step from the start, to the end or the count."""
    if frequency == "once":
        return [start]
    step = dt.timedelta(days=FREQUENCY_DAYS[frequency])
    days: list[dt.date] = []
    while (sessions is None or len(days) < sessions) and start + step * len(days) <= end:
        days.append(start + step * len(days))
    return days


def write_defaults(directory: Path, rnd: random.Random) -> list[str]:
    """Organization defaults files that some programs extend; kept outside the timed directory."""
    names = []
    for region, zone, locale, country in [("uk", "Europe/London", "en-GB", "GB"), ("emea", "Europe/Berlin", "de-DE", "DE"),
                                          ("americas", "America/New_York", "en-US", "US")]:
        owner = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        doc = {
            "apiVersion": "programdsl/v1",
            "kind": "ProgramDefaults",
            "metadata": {"owner": {"name": owner, "email": owner.lower().replace(" ", ".").replace("'", "") + "@example.com",
                                   "team": "Talent and Learning"},
                         "locale": locale, "timezone": zone},
            "schedule": {"holidays": Flow({"country": country})},
            "calendar": {"reminders": Flow([30, 1440])},
            "contacts": [{"name": "Mentoring office", "role": "Program coordinator", "email": f"mentoring-{region}@example.com"}],
            "confidentiality": Folded("What is said in sessions stays between the partners, unless someone's safety is at "
                                      "risk or the law requires otherwise."),
            "conduct": Folded("Treat your partner with respect and tell the mentoring office if a pairing is not working."),
        }
        name = f"{region}-defaults.yaml"
        (directory / name).write_text(dump(doc, [f"Shared defaults for {region.upper()} programs."]), encoding="utf-8")
        names.append(name)
    return names


def generate(root: Path, count: int, seed: int) -> Path:
    """Write `count` programs under root/programs (and defaults under root/shared); return root/programs."""
    rnd = random.Random(seed)
    presets = _presets()
    programs, shared = root / "programs", root / "shared"
    programs.mkdir(parents=True)
    shared.mkdir()
    defaults = write_defaults(shared, rnd)
    types = program_types()
    writer = ProgramWriter(rnd, presets)
    for i in range(count):
        ptype = types[i % len(types)]
        # A few subfolders, as an organization's repository would have.
        folder = programs / ["emea", "americas", "apac", "global"][rnd.randrange(4)] / ptype
        folder.mkdir(parents=True, exist_ok=True)
        uses = rnd.random() < 0.2
        ref = f"../../../shared/{rnd.choice(defaults)}" if uses else None
        for _attempt in range(50):
            text = writer.program(i, ptype, {"x": 1} if uses else None, ref)
            if 100 <= text.count("\n") <= 300:
                break
        else:
            raise SystemExit(f"generator could not make program {i} of typical size")
        (folder / f"{i:04d}-{ptype}.yaml").write_text(text, encoding="utf-8")
    return programs


def program_files(directory: Path) -> list[Path]:
    return [path for path, _ in api.discover([directory]) if api.is_program_file(path)]
