"""Each step of the public side has its own page title, in the reader's language, in
words that say nothing about what is reported ("Form", "Receipt"); and the site
serves its own icon, so browsers find one and no 404 is logged for it."""

from __future__ import annotations

import re

from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

SUFFIX = " \N{EN DASH} Amanat"  # after each step's own title
REVEALING = re.compile(r"missing|disappear|detain|camp|uyghur|kazakh|police|family", re.I)


def title(response) -> str:
    titles = re.findall(r"<title>(.*?)</title>", response.content.decode())
    assert len(titles) == 1, titles
    return titles[0]


class PageTitlesTestCase(BaseTestCase):
    def steps(self, language: str) -> dict[str, str]:
        client = self.client
        shown = client.post(f"/{language}/report/", report_form_data())
        receipt = receipt_in(shown)
        return {
            "home": title(client.get(f"/{language}/")),
            "form": title(client.get(f"/{language}/report/")),
            "form with errors": title(client.post(f"/{language}/report/", {})),
            "receipt": title(shown),
            "noted": title(client.post(f"/{language}/receipt/noted/")),
            "come back": title(client.get(f"/{language}/receipt/")),
            "your report": title(client.post(f"/{language}/receipt/", {"receipt": receipt})),
            "not found": title(client.get(f"/{language}/nothing-here/")),
        }

    def test_each_step_has_its_own_plain_title(self):
        titles = self.steps("en")
        self.assertEqual(
            titles,
            {
                "home": "Start" + SUFFIX,
                "form": "Form" + SUFFIX,
                "form with errors": "Form: please check" + SUFFIX,
                "receipt": "Receipt" + SUFFIX,
                "noted": "Sent" + SUFFIX,
                "come back": "Come back" + SUFFIX,
                "your report": "Your report" + SUFFIX,
                "not found": "Page not found" + SUFFIX,
            },
        )
        for step, text in titles.items():
            self.assertNotRegex(text, REVEALING, step)

    def test_the_titles_are_translated(self):
        english = self.steps("en")
        for language in ("ug", "kk", "ru", "tr", "zh-hans"):
            titles = self.steps(language)
            self.assertEqual(len(set(titles.values())), len(titles), language)
            for step, text in titles.items():
                self.assertTrue(text.endswith(SUFFIX), (language, step))
                if (language, step) != ("tr", "form"):  # "Form" is Turkish too
                    self.assertNotEqual(text, english[step], (language, step))
        self.assertEqual(self.steps("ug")["form"], "جەدۋەل" + SUFFIX)


class FaviconTestCase(BaseTestCase):
    def test_it_links_its_own_icon_on_every_page(self):
        for url in ("/en/", "/ug/report/", "/staff/login/"):
            body = self.client.get(url).content.decode()
            self.assertIn('<link rel="icon" href="/static/img/favicon.ico" sizes="32x32">', body)
            self.assertIn(
                '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">', body
            )

    def test_it_answers_the_browsers_own_request_for_favicon_ico(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/static/img/favicon.ico")
        icon = self.client.get(response["Location"])
        self.assertEqual(icon.status_code, 200)
        self.assertEqual(icon.getvalue()[:4], b"\x00\x00\x01\x00")
        svg = self.client.get("/static/img/favicon.svg")
        self.assertEqual(svg.status_code, 200)
        self.assertTrue(svg["Content-Type"].startswith("image/svg+xml"))
        self.assertIn(b"<svg", svg.getvalue())
