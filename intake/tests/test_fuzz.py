"""Hostile input: no server error on any input, and errors re-render with the input kept."""

from __future__ import annotations

from django import forms
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from intake.forms import ReportForm
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data

# Text as a browser could send it: any character but lone surrogates.
anything = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
field_names = st.sampled_from([n for n in ReportForm.base_fields if n != "attachments"])
hostile = st.one_of(
    anything,
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "0",
            "-1",
            "99999999999999999999",
            "2018.5",
            "1e9",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\u202e",
            "ـ" * 5000,
            "../../etc/passwd",
            "%00",
            "NaN",
            "\r\n\r\n",
        ]
    ),
)


class FuzzTestCase(HypothesisTestCase, BaseTestCase):
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        changes=st.dictionaries(field_names, hostile, max_size=8),
        extra=st.dictionaries(anything, anything, max_size=3),
        lang=st.sampled_from(["en", "ug", "kk", "ru", "tr", "zh-hans"]),
    )
    def test_it_never_fails_and_keeps_what_was_typed(self, changes, extra, lang):
        data = {**extra, **report_form_data(**changes)}
        response = self.client.post(f"/{lang}/report/", data)
        self.assertIn(response.status_code, {200, 400, 409, 429})
        if response.status_code == 400:
            body = response.content.decode()
            form = ReportForm.base_fields
            for name, value in changes.items():
                text_field = isinstance(form[name], forms.CharField)
                if text_field and name != "form_id" and value.strip("\x00"):
                    self.assertIn(escape(value).strip(), body, f"{name} lost")

    @settings(max_examples=80, deadline=None)
    @given(
        receipt=st.one_of(anything, st.from_regex(r"[0-9 ]{0,40}", fullmatch=True)),
        action=st.one_of(anything, st.sampled_from(["view", "message", "consent", "withdraw"])),
        text=anything,
    )
    def test_the_receipt_page_never_fails(self, receipt, action, text):
        response = self.client.post(
            "/en/receipt/", {"receipt": receipt, "action": action, "text": text, "consent": text}
        )
        self.assertIn(response.status_code, {200, 400, 429})
        self.assertFalse(Report.objects.exists())

    def test_a_malformed_multipart_body_is_a_clear_400(self):
        response = self.client.generic(
            "POST",
            "/en/report/",
            b'--xx\r\nContent-Disposition: form-data; name="name_1"\r\n\r\nabc',
            content_type="multipart/form-data; boundary=xx",
        )
        self.assertIn(response.status_code, {400, 403})
