from django.test import RequestFactory

from accounts import services, throttle
from accounts.models import Staff
from audit.models import Action, Entry
from tests.base import PASSWORDS, BaseTestCase

NEW = "alice-brand-new-pass-7q"


class PasswordChangeTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.sign_in(self.alice)

    def change(self, **overrides):
        data = {
            "current": PASSWORDS["alice"],
            "new": NEW,
            "again": NEW,
            "code": self.totp_code(self.alice),
        }
        data.update(overrides)
        return self.client.post("/staff/password/", data)

    def fresh(self, staff: Staff) -> Staff:
        return Staff.objects.select_related("holder").get(pk=staff.pk)

    def test_it_relocks_the_same_key_under_the_new_password(self):
        before = self.private_key(self.alice).to_bytes()
        response = self.change()
        self.assertContains(response, "Your password was changed")
        alice = self.fresh(self.alice)
        self.assertEqual(services.unlock_private_key(alice, NEW).to_bytes(), before)
        with self.assertRaises(services.WrongPassword):
            services.unlock_private_key(alice, PASSWORDS["alice"])
        self.assertEqual(alice.holder_id, self.alice.holder_id)

    def test_it_is_recorded_without_the_password(self):
        self.change()
        entry = Entry.objects.filter(action=Action.PASSWORD_CHANGED).get()
        self.assertEqual(entry.subjects, [str(self.alice.pk)])
        self.assertNotIn(NEW, str(Entry.objects.values_list()))

    def test_it_refuses_a_wrong_current_password_and_counts_it(self):
        response = self.change(current="not-alices-password")
        self.assertContains(response, "This is not your current password", status_code=400)
        request = RequestFactory().post("/staff/password/")
        self.assertEqual(throttle.failures(throttle.client_of(request), "alice"), 1)
        services.unlock_private_key(self.fresh(self.alice), PASSWORDS["alice"])

    def test_it_needs_a_fresh_second_factor(self):
        response = self.change(code="000000")
        self.assertContains(response, "fresh code", status_code=400)
        services.unlock_private_key(self.fresh(self.alice), PASSWORDS["alice"])

    def test_it_names_the_field_when_the_new_passwords_differ(self):
        response = self.change(again=NEW + "x")
        self.assertContains(response, "The two new passwords differ", status_code=400)
        self.assertContains(response, 'name="again"', status_code=400)

    def test_it_refuses_a_weak_password_and_says_why(self):
        response = self.change(new="123456789012", again="123456789012")
        self.assertContains(response, "entirely numeric", status_code=400)
        services.unlock_private_key(self.fresh(self.alice), PASSWORDS["alice"])

    def test_bob_changes_only_his_own(self):
        self.client.post("/staff/logout/")
        self.sign_in(self.bob)
        self.client.post(
            "/staff/password/",
            {
                "current": PASSWORDS["alice"],
                "new": NEW,
                "again": NEW,
                "code": self.totp_code(self.bob),
            },
        )
        services.unlock_private_key(self.fresh(self.alice), PASSWORDS["alice"])
        services.unlock_private_key(self.fresh(self.bob), PASSWORDS["bob"])
