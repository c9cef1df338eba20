"""A case with one report, assigned to Alice, for the export tests: Alice drafts, Rui
(a reviewer, assigned too) approves, Bob holds nothing."""

from __future__ import annotations

from accounts import services as accounts
from accounts.models import Role, Staff
from cases import persons
from cases import services as cases
from cases.models import Person
from disclosure import recipients
from intake.models import Report
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import receipt_in, report_form_data

# What the family wrote: the reporter, a witness and the father are named, the father
# also in Uyghur script inside the narrative; a phone number and an ID number.
REPORT = report_form_data(
    name_1="Memet Tursun",
    script_1="latin",
    name_2="مەمەت تۇرسۇن",
    script_2="ug-arab",
    father_name="Tursun Ablimit",
    reporter_name="Gulnar Hesen",
    contact="+7 701 555 0199",
    witnesses="Abdukerim Rozi",
    id_number="653101198401012345",
    home_village="Bostan",
    narrative=(
        "Police took my brother from his home in Bostan. Our father تۇرسۇن ئابلىمىت went "
        "to ask for him. Abdukerim Rozi saw the car. Call me on +7 701 555 0199."
    ),
    consent="un-confidential",
)


class ExportTestCase(BaseTestCase):
    rui: Staff
    ada: Staff
    report_data: dict = REPORT  # what the family posts; a test case may post another

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        key = accounts.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        cls.rui = accounts.add_staff("rui", Role.REVIEWER, PASSWORDS["rui"], cls.coordinator, key)
        cls.ada = accounts.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], cls.coordinator, key)

    def setUp(self) -> None:
        super().setUp()
        response = self.client.post("/en/report/", self.report_data, follow=True)
        self.receipt = receipt_in(response)
        self.report = Report.objects.get()
        ines_key = self.private_key(self.ines)
        self.person: Person = persons.create_from_report(
            self.ines, ines_key, self.report.id, "partly"
        )
        for staff in (self.alice, self.rui):
            cases.assign(self.ines, ines_key, self.report.id, staff)
        # The register: what the new-export form offers, by kind.
        coordinator_key = self.private_key(self.coordinator)
        self.recipient = {
            kind: recipients.add(self.coordinator, coordinator_key, kind, name).id
            for kind, name in (("un", "UN WGEID"), ("partner", "Partner NGO"), ("public", "Press"))
        }
