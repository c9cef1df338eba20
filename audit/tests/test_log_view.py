from audit import chain
from audit.models import Action
from tests.base import BaseTestCase


class LogViewTestCase(BaseTestCase):
    def test_the_auditor_reads_the_log_and_its_verification(self):
        from accounts import services
        from accounts.models import Role

        key = self.private_key(self.coordinator)
        auditor = services.add_staff(
            "ada", Role.AUDITOR, "ada-auditor-pass-8m", self.coordinator, key
        )
        self.sign_in(auditor)
        response = self.client.get("/staff/audit/")
        self.assertContains(response, "The chain is intact")
        self.assertContains(response, Action.STAFF_CREATED)
        self.assertNotContains(response, 'action="/staff/audit')

    def test_a_caseworker_cannot_read_it(self):
        self.sign_in(self.alice)
        self.assertEqual(self.client.get("/staff/audit/").status_code, 404)
        self.assertTrue(chain.verify().ok)
