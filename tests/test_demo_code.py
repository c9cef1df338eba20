"""`manage.py demo_code LOGIN`: the current TOTP code of a demo account, opened with
the demo password as sign-in opens it; development only, demo accounts only."""

from __future__ import annotations

import io
import re
import tempfile

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from accounts import demo_accounts, second_factor, services
from accounts.models import Organisation, Role, SealedTOTPDevice, Staff
from cases import demo


def demo_code(login: str) -> str:
    out = io.StringIO()
    call_command("demo_code", login, stdout=out)
    return out.getvalue().strip()


class DemoCodeTestCase(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        data = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(AMANAT_DEMO=True, DATA_DIR=data))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        demo.create()

    def verify(self, login: str, code: str) -> bool:
        staff = Staff.objects.get(username=login)
        key = services.unlock_private_key(staff, demo_accounts.password(login))
        device = SealedTOTPDevice.objects.get(user=staff, confirmed=True)
        return second_factor.verify_totp(device, key, code)

    def test_it_prints_the_code_that_verify_totp_accepts(self) -> None:
        code = demo_code("intake")
        self.assertRegex(code, r"^\d{6}$")
        self.assertTrue(self.verify("intake", code))
        # A code is accepted once; the next one printed is accepted too (a second sign-in).
        again = demo_code("intake")
        self.assertNotEqual(again, code)
        self.assertTrue(self.verify("intake", again))

    def test_it_prints_a_code_for_each_demo_role(self) -> None:
        for login in ("caseworker", "coordinator", "auditor"):
            with self.subTest(login=login):
                self.assertTrue(self.verify(login, demo_code(login)))

    def test_it_prints_no_code_of_another_account(self) -> None:
        # Bob's code would not open Alice's account: each code is its own account's.
        self.assertFalse(self.verify("caseworker", demo_code("auditor")))

    def test_it_refuses_outside_development(self) -> None:
        with override_settings(AMANAT_DEMO=False):
            with self.assertRaisesMessage(CommandError, "only in development"):
                demo_code("intake")

    def test_it_refuses_a_login_that_is_not_a_demo_account(self) -> None:
        coordinator = Staff.objects.get(username="coordinator")
        key = services.unlock_private_key(coordinator, demo_accounts.password("coordinator"))
        services.add_staff("alice", Role.CASEWORKER, "alice-pass-7d2m-xq", coordinator, key)
        for login in ("alice", "nobody"):
            with self.subTest(login=login):
                with self.assertRaisesMessage(CommandError, "is not a demo account"):
                    demo_code(login)

    def test_it_refuses_a_demo_login_whose_password_was_changed(self) -> None:
        staff = Staff.objects.select_related("holder").get(username="reviewer")
        key = services.unlock_private_key(staff, demo_accounts.password("reviewer"))
        from crypto import password as password_lock

        staff.holder.locked_private_key = password_lock.lock(key.to_bytes(), "chosen-by-hand-42")
        staff.holder.save()
        with self.assertRaisesMessage(CommandError, "is not a demo account"):
            demo_code("reviewer")

    def test_it_refuses_in_an_organisation_that_is_not_the_demo(self) -> None:
        Organisation.objects.update(name="Our NGO")
        with self.assertRaisesMessage(CommandError, "no demo organisation"):
            demo_code("intake")

    def test_it_prints_only_the_code(self) -> None:
        self.assertTrue(re.fullmatch(r"\d{6}", demo_code("caseworker")))
