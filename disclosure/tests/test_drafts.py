"""The export drafts, from report contents shaped like the public form's `content()`.
The people and stories are invented, like the demo's."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date, datetime
from typing import Any

import pytest

from disclosure import drafts

TODAY = date(2026, 11, 30)
ORGANISATION = "Amanat Documentation Centre"


def when(year: int, month: int | None = None, day: int | None = None) -> dict[str, Any]:
    precision = "day" if day else "month" if month else "year"
    return {"year": year, "month": month, "day": day, "precision": precision}


def aygul(**changes: dict[str, Any]) -> dict[str, Any]:
    """The brother's report, every field filled as the form seals it."""
    content: dict[str, Any] = {
        "missing": {
            "names": [
                {"name": "Aygul Niyaz", "script": "latin"},
                {"name": "ئايگۈل نىياز", "script": "ug-arab"},
                {"name": "阿依古丽·尼亚孜", "script": "hani"},
            ],
            "father_name": "Niyaz Qadir",
            "mother_name": "Patigul Sawut",
            "sex": "female",
            "ethnicity": "uyghur",
            "id_number": "654002198403120047",
            "home_county": "Ghulja city",
            "home_village": "Qazanchi mahallisi",
            "occupation": "Primary school teacher",
            "birth_date": when(1984, 3),
        },
        "disappearance": {
            "date": when(2017, 4, 12),
            "last_contact": "A WeChat voice call on 10 April 2017; then her account was deleted.",
            "place": "Ghulja city, at the neighbourhood police station",
            "what_happened": "camp",
            "responsible": "police",
            "facility": "Not known; relatives heard of a camp outside Ghulja",
            "steps_taken": (
                "Kamil asked relatives by phone until they asked him to stop calling. We wrote "
                "to the Chinese embassy in The Hague in 2018 and received no answer."
            ),
            "narrative": (
                "My sister Aygul visited me, Kamil Niyaz, in the Netherlands in 2016. In April "
                "2017 she was called to the police station and did not come home. Write to me "
                "at kamil.n@example.org."
            ),
            "witnesses": "Gulnar Ablet, a neighbour, saw her taken away in a police car.",
        },
        "reporter": {
            "reporter_name": "Kamil Niyaz",
            "relationship": "sibling",
            "country": "Netherlands",
            "contact": "kamil.n@example.org",
            "threats": "Police visited our mother after I spoke to a journalist in 2019.",
            "relatives_at_home": "yes",
        },
    }
    for section, values in changes.items():
        content[section].update(values)
    return content


def cousin() -> dict[str, Any]:
    """A second report about Aygul, in Uyghur, by a cousin in Türkiye."""
    return {
        "missing": {
            "names": [
                {"name": "ئايگۈل نىياز", "script": "ug-arab"},
                {"name": "Aygül Niyaz", "script": "latin"},
                {"name": "aygul  niyaz", "script": ""},
            ],
            "father_name": "",
            "mother_name": "",
            "sex": "female",
            "ethnicity": "uyghur",
            "id_number": "",
            "home_county": "غۇلجا",
            "home_village": "",
            "occupation": "ئوقۇتقۇچى",
            "birth_date": when(1984),
        },
        "disappearance": {
            "date": when(2017, 4),
            "last_contact": "",
            "place": "غۇلجا",
            "what_happened": "camp",
            "responsible": "police",
            "facility": "",
            "steps_taken": "ئۇرۇق-تۇغقانلاردىن سورىدۇق، ئەمما ھېچكىم جاۋاب بەرمىدى.",
            "narrative": "ئايگۈل 2017-يىلى ئاپرېلدا ساقچىخانىغا چاقىرىلدى ۋە قايتىپ كەلمىدى.",
            "witnesses": "",
        },
        "reporter": {
            "reporter_name": "Mahire Qadir",
            "relationship": "relative",
            "country": "Türkiye",
            "contact": "+90 555 010 2030",
            "threats": "",
            "relatives_at_home": "yes",
        },
    }


def wgeid(*contents: dict[str, Any], named: bool = False, today: date = TODAY) -> drafts.Draft:
    return drafts.wgeid(list(contents), ORGANISATION, today, named)


def text_of(draft: drafts.Draft, key: str) -> str:
    field = draft.field(key)
    assert field is not None, key
    return field.text


# The minimum elements


def test_it_finds_no_minimum_element_missing_in_a_complete_report() -> None:
    assert drafts.minimum_elements([aygul()]) == ()
    assert wgeid(aygul()).missing == ()


@pytest.mark.parametrize(
    ("key", "changes"),
    [
        ("name", {"missing": {"names": []}}),
        ("date", {"disappearance": {"date": None}}),
        ("place", {"disappearance": {"place": "   "}}),
        ("responsible", {"disappearance": {"responsible": "unknown"}}),
        ("responsible", {"disappearance": {"responsible": "other"}}),
        ("responsible", {"disappearance": {"responsible": ""}}),
        ("steps", {"disappearance": {"steps_taken": ""}}),
        ("source", {"reporter": {"reporter_name": ""}}),
    ],
)
def test_it_reports_each_missing_minimum_element(key: str, changes: dict[str, Any]) -> None:
    report = aygul(**changes)
    assert drafts.minimum_elements([report]) == (key,)
    draft = wgeid(report)
    assert draft.missing == (key,)
    if key != "source":  # the source field still names the organisation
        assert text_of(draft, key).startswith("Not known")


def test_it_names_every_minimum_element_in_english() -> None:
    keys = [key for key, _heading in drafts.MINIMUM]
    assert keys == ["name", "date", "place", "responsible", "steps", "source"]
    assert all(heading for _key, heading in drafts.MINIMUM)
    assert set(keys) <= {field.key for field in wgeid(aygul()).fields}


def test_it_counts_an_element_present_when_another_report_gives_it() -> None:
    assert drafts.minimum_elements([aygul(disappearance={"place": ""}), cousin()]) == ()


# Dates


@pytest.mark.parametrize(
    ("date_", "words"),
    [
        (when(2017, 4, 12), "12 April 2017"),
        (when(2017, 3), "March 2017 (day not known)"),
        (when(2017), "2017 (month and day not known)"),
    ],
)
def test_it_states_the_precision_of_the_date(date_: dict[str, Any], words: str) -> None:
    draft = wgeid(aygul(disappearance={"date": date_}))
    assert text_of(draft, "date").startswith(words)
    assert "date" not in draft.missing


def test_it_flags_a_date_known_only_to_the_year() -> None:
    assert "at least the month" in text_of(wgeid(aygul(disappearance={"date": when(2017)})), "date")
    assert "at least the month" not in text_of(wgeid(aygul()), "date")


def test_it_states_the_precision_of_the_birth_date() -> None:
    draft = wgeid(aygul())
    assert text_of(draft, "birth_date") == "March 1984 (day not known)"


def test_it_keeps_a_day_that_cannot_be_as_a_month() -> None:
    draft = wgeid(aygul(disappearance={"date": {"year": 2017, "month": 2, "day": 30}}))
    assert text_of(draft, "date") == "February 2017 (day not known)"


# Urgency


def test_it_marks_a_disappearance_two_months_ago_urgent() -> None:
    draft = wgeid(aygul(disappearance={"date": when(2026, 9, 30)}))
    assert (draft.urgent, draft.related_urgent) == (True, False)
    assert "urgent procedure" in text_of(draft, "urgency")


def test_it_marks_a_disappearance_eight_months_ago_related() -> None:
    draft = wgeid(aygul(disappearance={"date": when(2026, 3, 30)}))
    assert (draft.urgent, draft.related_urgent) == (False, True)
    assert "connected with a case" in text_of(draft, "urgency")


def test_it_marks_a_disappearance_two_years_ago_neither() -> None:
    draft = wgeid(aygul(disappearance={"date": when(2024, 11, 30)}))
    assert (draft.urgent, draft.related_urgent) == (False, False)
    assert text_of(draft, "urgency").startswith("Standard procedure")


def test_it_counts_a_month_that_overlaps_the_three_months_as_urgent() -> None:
    # 30 August 2026 is three months before; August overlaps, July does not.
    assert wgeid(aygul(disappearance={"date": when(2026, 8)})).urgent
    july = wgeid(aygul(disappearance={"date": when(2026, 7)}))
    assert (july.urgent, july.related_urgent) == (False, True)


def test_it_never_marks_a_year_alone_urgent() -> None:
    draft = wgeid(aygul(disappearance={"date": when(2026)}))
    assert (draft.urgent, draft.related_urgent) == (False, True)
    assert "known only to the year" in text_of(draft, "urgency")
    old = wgeid(aygul(disappearance={"date": when(2024)}))
    assert (old.urgent, old.related_urgent) == (False, False)


def test_it_takes_a_datetime_for_today() -> None:
    report = aygul(disappearance={"date": when(2026, 9, 30)})
    assert drafts.wgeid([report], ORGANISATION, datetime(2026, 11, 30, 9, 0), False).urgent


def test_it_does_not_mark_a_date_after_today() -> None:
    draft = wgeid(aygul(disappearance={"date": when(2026, 12, 5)}))
    assert (draft.urgent, draft.related_urgent) == (False, False)


# Several reports about one person


def test_it_combines_the_names_of_two_reports_without_repeats() -> None:
    draft = wgeid(aygul(), cousin())
    assert text_of(draft, "name") == "Aygul Niyaz"
    others = text_of(draft, "other_names").splitlines()
    assert others == [
        "ئايگۈل نىياز — Uyghur (Arabic script)",
        "阿依古丽·尼亚孜 — Chinese characters",
        "Aygül Niyaz — Latin",
    ]


def test_it_keeps_the_most_precise_date_and_the_steps_of_every_report() -> None:
    draft = wgeid(cousin(), aygul())
    assert text_of(draft, "date") == "12 April 2017"
    steps = text_of(draft, "steps")
    assert "The Hague" in steps
    assert "ئۇرۇق-تۇغقانلاردىن" in steps
    assert "\n\n" in text_of(draft, "narrative")


def test_it_shows_dates_of_reports_that_disagree() -> None:
    draft = wgeid(aygul(), aygul(disappearance={"date": when(2018, 1)}))
    assert text_of(draft, "date") == (
        "12 April 2017. The reports differ: another report gives January 2018 (day not known)."
    )


# Who is named where


def test_it_names_the_reporter_to_the_wgeid_only_when_named() -> None:
    named = wgeid(aygul(), named=True)
    assert "Source: Kamil Niyaz, a brother or sister" in text_of(named, "source")
    assert ORGANISATION in text_of(named, "source")

    confidential = wgeid(aygul(), named=False)
    assert "confidential (source requests confidentiality)" in text_of(confidential, "source")
    assert "Kamil" not in confidential.text()
    assert "Aygul" in text_of(confidential, "narrative")  # the missing person's name stays


def test_it_names_each_reporter_as_their_own_consent_allows() -> None:
    draft = drafts.wgeid([aygul(), cousin()], ORGANISATION, TODAY, [False, True])
    source = text_of(draft, "source")
    assert "Kamil" not in draft.text()
    assert "Source: Mahire Qadir, a relative of the missing person." in source


def test_it_never_gives_the_wgeid_contacts_witnesses_or_threats() -> None:
    text = wgeid(aygul(), cousin(), named=True).text()
    for secret in ("kamil.n@example.org", "+90 555 010 2030", "Gulnar", "journalist"):
        assert secret not in text


def test_it_withholds_a_confidential_parent_from_the_parents_fields() -> None:
    father = aygul(reporter={"reporter_name": "Niyaz Qadir", "relationship": "parent"})
    draft = wgeid(father, named=False)
    assert text_of(draft, "father_name") == "[withheld]"
    assert "Qadir" not in draft.text()
    assert text_of(draft, "name") == "Aygul Niyaz"
    assert text_of(wgeid(father, named=True), "father_name") == "Niyaz Qadir"


def test_it_names_nobody_to_partners() -> None:
    first, second = aygul(), cousin()
    draft = drafts.partner([first, second], ORGANISATION, TODAY)
    text = draft.text()
    secrets = [
        "Aygul",
        "Aygül",
        "Niyaz",
        "ئايگۈل",
        "阿依古丽",
        "Qadir",
        "Patigul",
        "Kamil",
        "Mahire",
        "kamil.n@example.org",
        "+90 555 010 2030",
        "654002198403120047",
        "Qazanchi",
        "Gulnar",
        "saw her taken away",
        "Netherlands",
        "journalist",
    ]
    for secret in secrets:
        assert secret.casefold() not in text.casefold(), secret
    assert text_of(draft, "person") == "A Uyghur woman born in 1984 from Ghulja city."
    assert "12 April 2017" in text_of(draft, "summary")


def test_it_withholds_a_name_the_place_carries_from_partners() -> None:
    report = aygul(disappearance={"place": "Outside the house of Niyaz Qadir in Ghulja"})
    place = text_of(drafts.partner([report], ORGANISATION, TODAY), "place")
    assert place == "Outside the house of [withheld] in Ghulja"


def test_it_withholds_a_name_with_a_case_ending_and_a_short_name_only_as_a_word() -> None:
    report = aygul(
        missing={"names": [{"name": "Ma Li", "script": "pinyin"}], "home_county": "Lixian"},
        disappearance={"place": "ئايگۈلنىڭ ئۆيى, near Ma's shop, Mali road", "facility": "Li"},
        reporter={"reporter_name": "ئايگۈل"},
    )
    draft = drafts.partner([report], ORGANISATION, TODAY)
    assert text_of(draft, "place") == "[withheld] ئۆيى, near [withheld]'s shop, Mali road"
    assert text_of(draft, "facility") == "[withheld]"
    assert text_of(draft, "person") == "A Uyghur woman born in 1984 from Lixian."


def test_it_publishes_the_missing_persons_name_and_nobody_elses() -> None:
    draft = drafts.public([aygul(), cousin()], ORGANISATION, TODAY, narrative=False)
    text = draft.text()
    assert text_of(draft, "name") == "Aygul Niyaz"
    assert text_of(draft, "summary").startswith("Aygul Niyaz, a Uyghur woman born in 1984,")
    assert text_of(draft, "birth_year") == "1984"
    for secret in ("Kamil", "Mahire", "kamil.n@example.org", "+90 555", "Gulnar", "654002"):
        assert secret not in text, secret
    assert draft.field("narrative") is None
    assert "Netherlands" not in text


def test_it_publishes_the_narrative_only_when_allowed_and_without_the_reporter() -> None:
    draft = drafts.public([aygul()], ORGANISATION, TODAY, narrative=True)
    story = text_of(draft, "narrative")
    assert "My sister Aygul visited me" in story
    assert "Kamil" not in story
    assert "kamil.n@example.org" not in story
    assert "Niyaz" not in story  # the full name "Kamil Niyaz" is the reporter's


# Bad input


@pytest.mark.parametrize(
    "contents",
    [
        [],
        None,
        "a report",
        [None, 3, "x"],
        [{}],
        [{"missing": None, "disappearance": [], "reporter": "Kamil"}],
        [
            {
                "missing": {"names": "Aygul Niyaz", "birth_date": "1984", "sex": 1},
                "disappearance": {
                    "date": {"year": "soon", "month": 13},
                    "place": 42,
                    "responsible": ["police"],
                    "steps_taken": None,
                },
                "reporter": {"reporter_name": None},
            }
        ],
        [{"missing": {"names": [None, {"name": None}, {"name": 5, "script": 3}, ["x"]]}}],
        [{"disappearance": {"date": {"year": True, "month": "4", "day": "x"}}}],
    ],
)
def test_it_never_raises_on_garbage(contents: Any) -> None:
    for draft in (
        drafts.wgeid(contents, ORGANISATION, TODAY, True),
        drafts.partner(contents, ORGANISATION, TODAY),
        drafts.public(contents, ORGANISATION, TODAY, narrative=True),
    ):
        assert all(field.text for field in draft.fields)
        assert {"date", "place", "responsible", "steps", "source"} <= set(draft.missing)
        assert (draft.urgent, draft.related_urgent) == (False, False)
    draft = drafts.wgeid(contents, ORGANISATION, TODAY, True)
    assert text_of(draft, "date") == "Not known"
    assert text_of(draft, "place") == "Not known"
    assert drafts.minimum_elements(contents) == draft.missing


def test_it_reads_a_name_given_as_text_and_a_month_given_as_text() -> None:
    contents = [
        {
            "missing": {"names": "Aygul Niyaz"},
            "disappearance": {"date": {"year": 2017, "month": "4"}},
        }
    ]
    draft = drafts.wgeid(contents, ORGANISATION, TODAY, False)
    assert text_of(draft, "name") == "Aygul Niyaz"
    assert text_of(draft, "date") == "April 2017 (day not known)"


def test_it_does_not_change_the_contents() -> None:
    contents = [aygul(), cousin()]
    before = copy.deepcopy(contents)
    drafts.wgeid(contents, ORGANISATION, TODAY, False)
    drafts.partner(contents, ORGANISATION, TODAY)
    drafts.public(contents, ORGANISATION, TODAY, narrative=True)
    assert contents == before


# What a repr shows


def test_it_shows_no_text_in_a_repr() -> None:
    draft = wgeid(aygul(), named=True)
    shown = repr(draft) + repr(draft.fields) + repr(draft.field("name"))
    for secret in ("Aygul", "Kamil", "Niyaz", "Ghulja"):
        assert secret not in shown
    assert "wgeid" in repr(draft)


def test_it_imports_no_django() -> None:
    code = (
        "import sys, disclosure.drafts;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'config', 'accounts', 'intake', 'cases', 'audit', 'names', 'crypto'});"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
