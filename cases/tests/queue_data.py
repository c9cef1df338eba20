"""Reports for the inbox tests, made through the real submission and assignment."""

from __future__ import annotations

from intake import submission
from intake.models import Report


def content(name: str) -> dict:
    return {
        "missing": {"names": [{"name": name, "script": "latin"}]},
        "disappearance": {"place": "Kashgar"},
        "reporter": {"reporter_name": "R"},
    }


def make_report(name: str, **fields) -> Report:
    """A sealed report (intake and the recovery key hold it) with these clear fields."""
    language = fields.pop("language", "en")
    consent = fields.pop("consent", "internal")
    region = fields.pop("region", "kashgar")
    report = submission.submit(
        content(name), language=language, consent=consent, region=region, files=[]
    ).report
    if fields:
        Report.objects.filter(id=report.id).update(**fields)
        report.refresh_from_db()
    return report
