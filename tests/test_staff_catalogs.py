"""Every string of the staff pages listed here is translated in every catalog.

To bring another part of the staff side under this test, add its templates and
Python files to STAFF_SOURCES once their strings are in the catalogs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from config.compile_catalogs import compile_all

from .catalogs import LOCALE_DIR, LOCALES, msgids, untranslated

STAFF_SOURCES = [
    *(
        f"accounts/templates/staff/{name}.html"
        for name in (
            "login",
            "verify",
            "enrol",
            "security",
            "password",
            "backup_codes",
            "people",
            "_errors",
            "_notices",
        )
    ),
    "accounts/views.py",
    "accounts/people_views.py",
    "accounts/forms.py",
    "accounts/access.py",
    "accounts/approvals.py",
    "accounts/passkeys.py",
    "accounts/login.py",
]


class StaffCatalogsTestCase(SimpleTestCase):
    def test_it_finds_the_strings_of_templates_and_python_files(self):
        security = {m.text for m in msgids("accounts/templates/staff/security.html")}
        self.assertIn("Your passkeys", security)
        # A blocktranslate with variables, as makemessages writes it.
        self.assertIn("%(name)s · last used %(used)s", security)
        forms = {m.text for m in msgids("accounts/forms.py")}
        self.assertIn("Choose one of the languages in the list.", forms)

    def test_it_has_every_staff_string_translated_in_all_five_catalogs(self):
        self.assertEqual(untranslated(STAFF_SOURCES), [])

    def test_it_reports_a_string_that_no_catalog_has(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        template = folder / "untranslated.html"
        # Built here, not kept as a file, so that makemessages never extracts it.
        sentence = "A sentence " + "no catalog holds"
        template.write_text('{% load i18n %}<p>{% translate "' + sentence + '" %}</p>')
        problems = untranslated([str(template)])
        self.assertEqual(len(problems), len(LOCALES))
        self.assertTrue(all(p.endswith(f"{sentence!r} is missing") for p in problems), problems)

    def test_it_compiles_every_catalog(self):
        target = Path(self.enterContext(tempfile.TemporaryDirectory())) / "locale"
        shutil.copytree(LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
        written = compile_all(target)
        self.assertEqual(
            sorted(path.parts[-3] for path in written), sorted(LOCALES), "one .mo per locale"
        )
        self.assertTrue(all(path.stat().st_size > 0 for path in written))
