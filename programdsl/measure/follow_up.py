"""The coordinator's follow-up list: who to contact, by name. Never part of the report itself.

Two kinds of entry, as of the report's date:

- **a pair with no session for too long**: no held session logged for longer than the program's
  cadence allows (`CADENCE_GRACE` times the meeting frequency: 46 days for monthly sessions),
  counted from the pair's last held session, or from the first scheduled session when none is
  logged yet. Needs the session log and a pairs file.
- **someone who has not answered a closed survey**: a person in the survey's audience (from the
  pairs file or roster) with no response under their roster id after the survey closed. Surveys
  keyed by a self-generated code are anonymous and are never listed; neither are surveys still open.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .analysis import CADENCE_GRACE, Participants
from .plan import Plan
from .responses import Responses
from .sessions import PAIRS, SessionLog


@dataclass(frozen=True)
class FollowUp:
    kind: str  # no-recent-session | no-response
    subject: str  # the survey id, or "pairs"
    person_id: str  # a person id, or the pair's id for a pair
    name: str  # names of the people concerned
    role: str
    detail: str


def follow_ups(plan: Plan, responses: Responses, sessions: SessionLog | None, participants: Participants | None,
               as_of: dt.date, final: bool = False) -> list[FollowUp]:
    """Who to follow up as of `as_of`; in a `final` report every survey counts as closed."""
    found: list[FollowUp] = []
    if participants is None:
        return found
    meeting = plan.meetings.get(PAIRS)
    if sessions is not None and meeting is not None and participants.pairs:
        allowed = math.ceil(meeting.every_days * CADENCE_GRACE)
        last: dict[str, dt.date] = {}
        for s in sessions.sessions:
            if s.meeting == PAIRS and s.held and s.pair is not None and s.date <= as_of:
                last[s.pair] = max(last.get(s.pair, s.date), s.date)
        first = meeting.planned[0] if meeting.planned else plan.start
        ended = plan.end is not None and as_of > plan.end
        for pair in participants.pairs:
            since = last.get(pair.id)
            reference = since or first
            if reference is None or ended and since is not None:
                continue
            gap = (min(as_of, plan.end or as_of) - reference).days
            if gap > allowed:
                names = " and ".join(m.name for m in pair.members)
                detail = (f"last session logged {since}, {gap} days before {as_of}" if since
                          else f"no session logged since sessions began on {first}")
                found.append(FollowUp("no-recent-session", PAIRS, pair.id, names, "pair", detail))
    for survey in plan.surveys.values():
        if survey.self_code or survey.closes is None or (survey.closes >= as_of and not final):
            continue
        answered = {r.respondent for r in responses.responses if r.survey == survey.id and r.respondent is not None}
        for person in sorted(participants.in_roles(survey.audience), key=lambda p: p.id):
            if person.id not in answered:
                found.append(FollowUp("no-response", survey.id, person.id, person.name, person.role or "",
                                      f"survey {survey.id} closed on {survey.closes} with no response"))
    return found


__all__ = ["FollowUp", "follow_ups"]
