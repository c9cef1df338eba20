"""The staff pages in the staff member's own language.

Each staff member chooses the language of the staff pages on the Security page; it
is stored on their account and followed by every staff page once they are signed
in. Before sign-in, the sign-in pages follow the browser. The public side keeps
the language of its URL.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from accounts.models import Staff

from .base import BaseTestCase


class StaffLanguageTestCase(BaseTestCase):
    def choose(self, language: str, client: Client | None = None):
        return (client or self.client).post("/staff/security/language/", {"language": language})

    def signed_in_client(self, staff: Staff) -> Client:
        """A browser of its own, for two staff members signed in at the same time."""
        mine = self.client
        self.client = Client()
        try:
            self.sign_in(staff)
            return self.client
        finally:
            self.client = mine

    def test_it_shows_the_security_page_in_russian_to_whom_chose_russian(self):
        self.sign_in(self.alice)
        response = self.choose("ru")
        self.assertRedirects(response, "/staff/security/", fetch_redirect_response=False)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "ru")
        page = self.client.get("/staff/security/")
        self.assertContains(page, '<html lang="ru" dir="ltr">')
        self.assertContains(page, "<h1>Безопасность</h1>", html=False)
        self.assertContains(page, "Ваши ключи доступа")
        # The notice is in the language just chosen.
        self.assertContains(page, "Страницы для сотрудников теперь на этом языке.")
        self.assertNotContains(page, "Your passkeys")
        self.assertEqual(page["Content-Language"], "ru")

    def test_it_shows_the_staff_page_and_its_notices_in_russian_to_a_coordinator(self):
        Staff.objects.filter(pk=self.coordinator.pk).update(language="ru")
        self.sign_in(self.coordinator)
        page = self.client.get("/staff/people/")
        self.assertContains(page, '<html lang="ru" dir="ltr">')
        self.assertContains(page, "<h1>Сотрудники</h1>", html=False)
        self.assertContains(page, "Добавить сотрудника")
        self.assertContains(page, "Логин (только буквы, цифры и @.+-_)")
        self.assertContains(page, "Предложить сброс пароля (новый ключ)")  # noqa: RUF001
        self.assertNotContains(page, "Add a staff member")
        # A refusal, said by the view, is in Russian too.
        response = self.client.post(f"/staff/people/{self.coordinator.pk}/deactivate/", follow=True)
        self.assertContains(response, "Нельзя отключить собственную учётную запись.")

    def test_it_turns_the_staff_pages_right_to_left_in_uyghur(self):
        self.sign_in(self.bob)
        self.choose("ug")
        page = self.client.get("/staff/password/")
        self.assertContains(page, '<html lang="ug" dir="rtl">')
        self.assertContains(page, "پارولىڭىزنى ئۆزگەرتىڭ")

    def test_it_keeps_each_staff_members_own_language(self):
        Staff.objects.filter(pk=self.alice.pk).update(language="ru")
        alice = self.signed_in_client(self.alice)
        bob = self.signed_in_client(self.bob)
        for _ in range(2):  # interleaved, as two people working at the same time
            alice_page = alice.get("/staff/security/")
            bob_page = bob.get("/staff/security/")
            self.assertContains(alice_page, '<html lang="ru"')
            self.assertContains(alice_page, "Безопасность")
            self.assertContains(bob_page, '<html lang="en"')
            self.assertContains(bob_page, "<h1>Security</h1>", html=False)
            self.assertNotContains(bob_page, "Безопасность")

    def test_it_changes_only_the_language_of_whoever_chooses(self):
        Staff.objects.filter(pk=self.alice.pk).update(language="ru")
        self.sign_in(self.bob)
        self.choose("zh-hans")
        self.assertEqual(Staff.objects.get(pk=self.alice.pk).language, "ru")
        self.assertEqual(Staff.objects.get(pk=self.bob.pk).language, "zh-hans")
        self.assertContains(self.client.get("/staff/security/"), '<html lang="zh-hans"')

    def test_it_refuses_an_unknown_language_with_a_clear_error(self):
        self.sign_in(self.alice)
        for value in ("xx", "", "en-GB'><script>", "de"):
            response = self.choose(value)
            self.assertEqual(response.status_code, 400, value)
            self.assertContains(response, 'id="id_language_error"', status_code=400)
            expected = (
                "Choose the language of the staff pages from the list."
                if value == ""
                else "Choose one of the languages in the list."
            )
            self.assertContains(response, expected, status_code=400)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "en")

    def test_it_names_every_language_in_itself_on_the_security_page(self):
        self.sign_in(self.alice)
        page = self.client.get("/staff/security/")
        self.assertContains(page, 'action="/staff/security/language/"')
        for code, name in settings.LANGUAGES:
            self.assertContains(page, f'lang="{code}"')
            self.assertContains(page, name)
        self.assertContains(
            page, '<option value="en" lang="en" selected>English</option>', html=True
        )

    def test_it_follows_the_browser_on_the_sign_in_page(self):
        cases = {
            "ug,en;q=0.5": ('lang="ug" dir="rtl"', "كىرىش"),
            "zh-CN,zh;q=0.9": ('lang="zh-hans" dir="ltr"', "登录"),
            "de-DE,kk;q=0.8": ('lang="kk" dir="ltr"', "Кіру"),  # noqa: RUF001
            "de-DE,fr;q=0.8": ('lang="en" dir="ltr"', "Sign in"),
            "": ('lang="en" dir="ltr"', "Sign in"),
        }
        for header, (html, heading) in cases.items():
            page = Client(HTTP_ACCEPT_LANGUAGE=header).get("/staff/login/")
            self.assertContains(page, html, msg_prefix=header)
            self.assertContains(page, f"<h1>{heading}</h1>", msg_prefix=header)

    def test_it_keeps_the_choice_out_of_the_public_side(self):
        self.sign_in(self.alice)
        response = self.choose("ru")
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)
        # Same browser, still signed in: the public pages keep their URL's language.
        public = self.client.get("/en/", follow=True)
        self.assertContains(public, '<html lang="en" dir="ltr">')
        self.assertNotContains(public, "Быстро уйти с сайта")  # noqa: RUF001
        uyghur = self.client.get("/ug/", follow=True)
        self.assertContains(uyghur, '<html lang="ug" dir="rtl">')
        # And the staff page again in Russian right after.
        self.assertContains(self.client.get("/staff/security/"), '<html lang="ru"')
