"""The shape of a demo report, and the partial dates it uses (development only).

Every person, name, family and story here is invented. Places are real towns and
prefectures, named only as coarsely as a real report would name them. Contacts use
reserved example addresses and fictional numbers.

Each report is the structure the public form seals (intake.forms.ReportForm.content),
with what the demo then does with it: triage, assignment, a message thread, a status
timeline, a note, or withdrawal by the reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models import Verification


def when(year: int, month: int | None = None, day: int | None = None) -> dict[str, Any]:
    """A partial date as the form stores it: known to the year, the month or the day."""
    precision = "day" if day else "month" if month else "year"
    return {"year": year, "month": month, "day": day, "precision": precision}


@dataclass(frozen=True)
class Event:
    status: str
    on: date
    source: str


@dataclass(frozen=True)
class DemoReport:
    key: str  # a handle within this file, for linking a report to another's person
    language: str
    consent: str
    region: str
    days_ago: int  # the day it arrived, counted back from today
    names: list[tuple[str, str]]  # (name, script)
    missing: dict[str, Any]
    disappearance: dict[str, Any]
    reporter: dict[str, Any]
    # What the demo staff did with it
    triage: str = ""  # "" (not yet), "new" (a new person) or the key of a report to link to
    verification: str = Verification.UNVERIFIED
    assign: bool = False
    question: str = ""  # from the staff member who holds it
    reply: str = ""  # the reporter's answer, sent with the receipt
    withdraw: bool = False
    timeline: list[Event] = field(default_factory=list)
    note: str = ""

    def content(self) -> dict[str, Any]:
        missing = {
            "father_name": "",
            "mother_name": "",
            "sex": "",
            "ethnicity": "",
            "id_number": "",
            "home_county": "",
            "home_village": "",
            "occupation": "",
            "birth_date": None,
            **self.missing,
        }
        disappearance = {
            "last_contact": "",
            "place": "",
            "what_happened": "",
            "responsible": "",
            "facility": "",
            "steps_taken": "",
            "narrative": "",
            "witnesses": "",
            **self.disappearance,
        }
        reporter = {
            "reporter_name": "",
            "relationship": "",
            "country": "",
            "contact": "",
            "threats": "",
            "relatives_at_home": "",
            **self.reporter,
        }
        names = [{"name": name, "script": script} for name, script in self.names]
        return {
            "missing": {"names": names, **missing},
            "disappearance": disappearance,
            "reporter": reporter,
        }
