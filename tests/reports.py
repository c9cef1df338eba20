"""A valid report as the public form posts it, for tests and benchmarks."""

from __future__ import annotations

import secrets


def report_form_data(**overrides) -> dict:
    data = {
        "form_id": secrets.token_urlsafe(16),
        "name_1": "Abdurehim Tursun",
        "script_1": "latin",
        "name_2": "ئابدۇرەھىم تۇرسۇن",
        "script_2": "ug-arab",
        "name_3": "",
        "script_3": "",
        "father_name": "Tursun",
        "mother_name": "",
        "sex": "male",
        "birth_year": "1984",
        "birth_month": "",
        "birth_day": "",
        "ethnicity": "uyghur",
        "id_number": "",
        "home_county": "Yarkand",
        "home_village": "",
        "region": "kashgar",
        "occupation": "teacher",
        "gone_year": "2018",
        "gone_month": "4",
        "gone_day": "",
        "last_contact": "A phone call in March 2018",
        "place": "Yarkand county, at home",
        "what_happened": "camp",
        "responsible": "police",
        "facility": "",
        "steps_taken": "Asked relatives; wrote to the embassy.",
        "narrative": "",
        "witnesses": "",
        "reporter_name": "Gulnar",
        "relationship": "sibling",
        "country": "Kazakhstan",
        "contact": "",
        "threats": "",
        "relatives_at_home": "yes",
        "consent": "un-confidential",
    }
    data.update(overrides)
    return data


def report_named(name: str, staff, private_key):
    """The report whose missing person is called name, found by opening each one as staff."""
    from cases import services
    from intake.models import Report

    for report in Report.objects.all():
        opened = services.open_report(staff, private_key, report.id)
        if services.display_name(services.content(opened))[0] == name:
            return report
    raise LookupError(name)


def receipt_in(response) -> str:
    """The receipt as the receipt page shows it (grouped digits)."""
    import re

    match = re.search(r'class="receipt"[^>]*>([0-9 ]+)<', response.content.decode())
    assert match, "the page shows no receipt"
    return match.group(1)
