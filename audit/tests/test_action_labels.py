"""Every action has a label in words, different actions read differently, and each
staff change records the action it is: a reset is a reset, a deactivation a
deactivation."""

from accounts import people
from audit import display
from audit.models import Action, Entry
from tests.base import BaseTestCase


class ActionLabelsTestCase(BaseTestCase):
    def test_it_labels_every_action_in_words(self):
        for action in Action:
            label = display.action_label(action.value)
            self.assertNotEqual(label, action.value)
            self.assertNotIn(".", label, action)
            self.assertNotIn("_", label, action)
            self.assertEqual(label, label.strip())
            self.assertTrue(label[0].isupper(), label)

    def test_no_two_actions_share_a_label(self):
        labels = [str(action.label) for action in Action]
        self.assertEqual(len(labels), len(set(labels)))

    def test_every_action_says_what_its_subjects_are(self):
        self.assertEqual(set(display.SUBJECT_KINDS), set(Action.values))

    def test_an_unknown_action_is_shown_as_it_is(self):
        self.assertEqual(display.action_label("something.old"), "something.old")

    def test_a_password_reset_and_a_deactivation_are_different_actions(self):
        people.reset_password(self.coordinator, self.alice, "a-new-pass-for-alice-9q")
        people.deactivate(self.coordinator, self.bob)
        reset = Entry.objects.get(action=Action.PASSWORD_RESET)
        deactivated = Entry.objects.get(action=Action.STAFF_DEACTIVATED)
        self.assertEqual(reset.subjects, [str(self.alice.pk)])
        self.assertEqual(deactivated.subjects, [str(self.bob.pk)])
        self.assertNotEqual(
            display.action_label(reset.action), display.action_label(deactivated.action)
        )
        # A deactivation is recorded as what it is, not as keys taken away.
        self.assertFalse(Entry.objects.filter(action=Action.KEY_REVOKED).exists())

    def test_setting_up_the_authenticator_is_recorded_as_that_not_as_a_key_grant(self):
        from django_otp.oath import totp

        from accounts import second_factor
        from accounts.models import SealedTOTPDevice
        from tests.base import PASSWORDS

        self.client.post("/staff/login/", {"username": "bob", "password": PASSWORDS["bob"]})
        self.assertEqual(self.client.get("/staff/enrol/").status_code, 200)
        device = SealedTOTPDevice.objects.get(user=self.bob, confirmed=False)
        seed = second_factor.totp_seed(device, self.private_key(self.bob))
        response = self.client.post("/staff/enrol/", {"code": f"{totp(seed):06d}"})
        self.assertEqual(response.status_code, 200)
        enrolled = Entry.objects.get(action=Action.AUTHENTICATOR_ENROLLED)
        self.assertEqual(enrolled.subjects, [str(self.bob.pk)])
        self.assertEqual(display.action_label(enrolled.action), "Authenticator app set up")
