"""The shared base with an auditor, Ada, added by the coordinator."""

from __future__ import annotations

from accounts import services
from accounts.models import Role, Staff
from tests.base import PASSWORDS, BaseTestCase


class AuditorTestCase(BaseTestCase):
    ada: Staff

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        key = services.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        cls.ada = services.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], cls.coordinator, key)

    def page(self, query: str = "", status: int = 200) -> str:
        response = self.client.get(f"/staff/audit/{query}")
        self.assertEqual(response.status_code, status, response.content[:2000])
        return response.content.decode()
