"""A report in words: labels from the public form, choices as words, partial dates by
their precision, names with their script, empty fields left out, keys of other schema
versions kept, and the six elements the WGEID needs marked present or missing."""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase
from django.utils import translation

from cases import reading


def content(**changes) -> dict:
    data: dict[str, dict] = {
        "missing": {
            "names": [
                {"name": "Abdurehim Tursun", "script": "latin"},
                {"name": "ئابدۇرەھىم تۇرسۇن", "script": "ug-arab"},
            ],
            "father_name": "Tursun",
            "mother_name": "",
            "sex": "male",
            "ethnicity": "uyghur",
            "id_number": "",
            "home_county": "Yarkand",
            "home_village": "",
            "occupation": "teacher",
            "birth_date": {"year": 1978, "month": None, "day": None, "precision": "year"},
        },
        "disappearance": {
            "date": {"year": 2017, "month": 4, "day": None, "precision": "month"},
            "last_contact": "",
            "place": "Yarkand county, at home",
            "what_happened": "camp",
            "responsible": "police",
            "facility": "",
            "steps_taken": "Asked relatives; wrote to the embassy.",
            "narrative": "",
            "witnesses": "",
        },
        "reporter": {
            "reporter_name": "Gulnar",
            "relationship": "sibling",
            "country": "Kazakhstan",
            "contact": "",
            "threats": "",
            "relatives_at_home": "yes",
        },
    }
    for path, value in changes.items():
        section, key = path.split("__")
        data[section][key] = value
    return data


def rows(data: dict) -> dict[str, dict[str, reading.Row]]:
    return {s.title: {r.label: r for r in s.rows} for s in reading.sections(data)}


class ReadingTestCase(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_it_puts_every_field_under_its_label_from_the_form(self):
        sections = rows(content())
        self.assertEqual(
            list(sections), ["The missing person", "The disappearance", "The reporter"]
        )
        self.assertEqual(sections["The missing person"]["Father's name"].value, "Tursun")
        self.assertEqual(
            sections["The disappearance"][
                "Where it happened, or where the person was last seen"
            ].value,
            "Yarkand county, at home",
        )
        self.assertEqual(sections["The reporter"]["Reporter's name"].value, "Gulnar")

    def test_it_writes_choices_as_words(self):
        sections = rows(content())
        self.assertEqual(sections["The missing person"]["Sex"].value, "Male")
        self.assertEqual(sections["The missing person"]["Ethnicity"].value, "Uyghur")
        self.assertEqual(sections["The disappearance"]["What happened"].value, "Taken to a camp")
        self.assertEqual(
            sections["The disappearance"]["Believed responsible"].value,
            "Police or state security",
        )
        self.assertEqual(
            sections["The reporter"]["Relationship to the missing person"].value,
            "Brother or sister",
        )
        self.assertEqual(sections["The reporter"]["Relatives still in the region"].value, "Yes")

    def test_it_translates_labels_and_choices_into_the_staff_members_language(self):
        with translation.override("ru"):
            russian = rows(content())
        missing = russian[next(iter(russian))]
        self.assertNotIn("Sex", missing)
        self.assertNotIn("Male", [row.value for row in missing.values()])

    def test_it_writes_a_year_only_date_as_the_year(self):
        self.assertEqual(
            reading.partial_date({"year": 1978, "month": None, "day": None, "precision": "year"}),
            "1978",
        )

    def test_it_writes_a_month_date_as_month_and_year(self):
        date = {"year": 2017, "month": 4, "day": None, "precision": "month"}
        self.assertEqual(reading.partial_date(date), "April 2017")
        with translation.override("tr"):
            self.assertEqual(reading.partial_date(date), "Nisan 2017")

    def test_it_writes_a_full_date_in_the_languages_format(self):
        date = {"year": 2017, "month": 4, "day": 3, "precision": "day"}
        self.assertEqual(reading.partial_date(date), "April 3, 2017")
        with translation.override("tr"):
            self.assertEqual(reading.partial_date(date), "03 Nisan 2017")
        with translation.override("zh-hans"):
            self.assertEqual(reading.partial_date(date), "2017年4月3日")

    def test_it_writes_a_date_without_precision_by_what_it_has(self):
        self.assertEqual(reading.partial_date({"year": 2017, "month": 4}), "April 2017")

    def test_it_reads_a_broken_date_as_text_rather_than_failing(self):
        text = reading.partial_date({"year": 2017, "month": 13, "day": 40, "precision": "day"})
        self.assertIn("2017", text)
        self.assertNotIn("{", text)

    def test_it_shows_the_dates_in_their_sections(self):
        sections = rows(content())
        self.assertEqual(sections["The missing person"]["Date of birth"].value, "1978")
        self.assertEqual(sections["The disappearance"]["Date of disappearance"].value, "April 2017")

    def test_it_lists_names_with_their_script_in_words(self):
        names = [r for r in reading.sections(content())[0].rows if r.note]
        self.assertEqual(
            [(r.label, r.value, r.note, r.direction) for r in names],
            [
                ("Name", "Abdurehim Tursun", "Latin letters", "auto"),
                ("Another spelling or name", "ئابدۇرەھىم تۇرسۇن", "Uyghur (Arabic script)", "auto"),
            ],
        )

    def test_it_shows_a_name_without_a_script_without_a_note(self):
        data = content(missing__names=[{"name": "Aygul", "script": ""}])
        first = reading.sections(data)[0].rows[0]
        self.assertEqual((first.value, first.note), ("Aygul", ""))

    def test_it_leaves_empty_fields_out(self):
        labels = [r.label for s in reading.sections(content()) for r in s.rows]
        for empty in ("Mother's name", "ID card or passport number", "Witnesses", "Facility"):
            self.assertNotIn(empty, labels)
        self.assertNotIn("Camp, prison or police station, if known", labels)
        self.assertNotIn("How to reach the reporter safely", labels)

    def test_it_leaves_out_a_section_with_nothing_in_it(self):
        data = content()
        data["reporter"] = {k: "" for k in data["reporter"]}
        self.assertNotIn("The reporter", rows(data))

    def test_it_gives_free_text_its_own_direction_and_words_the_pages(self):
        missing = rows(content())["The missing person"]
        self.assertEqual(missing["Father's name"].direction, "auto")
        self.assertEqual(missing["Sex"].direction, "")
        self.assertEqual(missing["Date of birth"].direction, "")

    def test_it_shows_keys_of_another_schema_version_under_a_humanised_label(self):
        data = content(missing__favourite_colour="blue", disappearance__seen_by_neighbour=True)
        data["follow_up"] = {"asked_embassy_on": {"year": 2019, "month": 2, "day": None}}
        sections = rows(data)
        self.assertEqual(sections["The missing person"]["Favourite colour"].value, "blue")
        self.assertEqual(sections["The disappearance"]["Seen by neighbour"].value, "Yes")
        self.assertEqual(sections["Follow up"]["Asked embassy on"].value, "February 2019")

    def test_it_shows_a_choice_code_it_does_not_know_as_stored(self):
        row = rows(content(disappearance__what_happened="vanished"))["The disappearance"][
            "What happened"
        ]
        self.assertEqual((row.value, row.direction), ("vanished", "auto"))

    def test_it_names_the_language_of_the_report_in_words(self):
        self.assertEqual(reading.language_name("ug"), "Uyghur")
        self.assertEqual(reading.language_name("zh-hans"), "Simplified Chinese")
        self.assertEqual(reading.language_name("kk"), "Kazakh")
        with translation.override("ru"):
            self.assertNotEqual(reading.language_name("ug"), "Uyghur")
        self.assertEqual(reading.language_name("xx-unknown"), "xx-unknown")

    def test_it_writes_the_reports_metadata_in_words(self):
        report = SimpleNamespace(
            received_on=datetime.date(2026, 3, 2),
            status="in-review",
            consent="internal",
            language="ug",
            region="kashgar",
        )
        meta = {r.label: r.value for r in reading.metadata(report)}
        self.assertEqual(meta["Status"], "Being reviewed")
        self.assertEqual(
            meta["Consent"], "Only the organisation may use my report. Do not share it."
        )
        self.assertEqual(meta["Language of the report"], "Uyghur")
        self.assertEqual(meta["Region"], "Kashgar prefecture")
        self.assertEqual(len(meta), 4)

    def test_it_names_who_wrote_each_message_and_its_day_in_order(self):
        day = datetime.date
        entries = [
            SimpleNamespace(
                sender="reporter", text="first", sent_on=day(2026, 1, 5), attachment_count=1
            ),
            SimpleNamespace(
                sender="staff", text="second", sent_on=day(2026, 1, 6), attachment_count=0
            ),
        ]
        thread = reading.thread_rows(entries)
        self.assertEqual(
            [(t.sender, t.day, t.text, t.from_staff) for t in thread],
            [
                ("The reporter", "Jan. 5, 2026", "first", False),
                ("Staff", "Jan. 6, 2026", "second", True),
            ],
        )

    def test_it_previews_images_only(self):
        files = [
            SimpleNamespace(id=1, name="a.jpg", kind="jpeg", size=10),
            SimpleNamespace(id=2, name="b.png", kind="png", size=10),
            SimpleNamespace(id=3, name="c.pdf", kind="pdf", size=10),
            SimpleNamespace(id=4, name="d.docx", kind="docx", size=10),
        ]
        self.assertEqual(
            [(f.kind, f.preview) for f in reading.file_rows(files)],
            [
                ("JPEG photo", True),
                ("PNG image", True),
                ("PDF document", False),
                ("Word document", False),
            ],
        )


class WgeidElementsTestCase(SimpleTestCase):
    """Each of the six elements, present and missing, from the form's fields."""

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def elements(self, data: dict) -> dict[str, reading.Element]:
        return {e.key: e for e in reading.wgeid_elements(data)}

    def test_it_lists_six_elements_in_order(self):
        self.assertEqual(
            [e.key for e in reading.wgeid_elements(content())],
            ["who", "when", "where", "responsible", "steps", "reporter"],
        )

    def test_it_marks_all_six_present_in_a_complete_report(self):
        elements = self.elements(content())
        self.assertTrue(all(e.present for e in elements.values()))
        self.assertEqual(elements["who"].detail, "Abdurehim Tursun")
        self.assertEqual(elements["when"].detail, "April 2017")
        self.assertEqual(elements["where"].detail, "Yarkand county, at home")
        self.assertEqual(elements["responsible"].detail, "Police or state security")
        self.assertEqual(elements["steps"].detail, "Asked relatives; wrote to the embassy.")
        self.assertEqual(elements["reporter"].detail, "Gulnar (Brother or sister)")

    def test_it_marks_who_missing_without_a_name(self):
        self.assertFalse(self.elements(content(missing__names=[]))["who"].present)
        self.assertFalse(
            self.elements(content(missing__names=[{"name": "", "script": ""}]))["who"].present
        )

    def test_it_marks_when_missing_without_a_date(self):
        self.assertFalse(self.elements(content(disappearance__date=None))["when"].present)

    def test_it_marks_where_missing_without_a_place(self):
        self.assertFalse(self.elements(content(disappearance__place=""))["where"].present)

    def test_it_marks_responsible_missing_when_the_reporter_does_not_know(self):
        element = self.elements(content(disappearance__responsible="unknown"))["responsible"]
        self.assertFalse(element.present)
        self.assertEqual(element.detail, "The reporter does not know.")
        self.assertFalse(
            self.elements(content(disappearance__responsible=""))["responsible"].present
        )

    def test_it_marks_steps_missing_without_steps_taken(self):
        self.assertFalse(self.elements(content(disappearance__steps_taken=""))["steps"].present)

    def test_it_marks_who_reports_missing_without_the_reporters_name(self):
        self.assertFalse(self.elements(content(reporter__reporter_name=""))["reporter"].present)

    def test_it_marks_everything_missing_in_an_empty_report(self):
        self.assertFalse(any(e.present for e in reading.wgeid_elements({})))
