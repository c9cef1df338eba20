"""Every string of the staff pages listed here is translated in every catalog.

The staff side's templates and Python files are found by pattern, so a new page's
strings are checked as soon as it exists.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from config.compile_catalogs import compile_all

from .catalogs import LOCALE_DIR, LOCALES, ROOT, msgids, untranslated


def _staff_sources() -> list[str]:
    """Every template of the staff pages and every Python file of the staff-side apps
    (tests and migrations aside): all their strings must be in every catalog."""
    patterns = (
        "accounts/templates/staff/*.html",
        "cases/templates/cases/*.html",
        "audit/templates/audit/*.html",
        "disclosure/templates/disclosure/*.html",
        "intake/templates/intake/_field.html",
        "accounts/*.py",
        "cases/*.py",
        "audit/*.py",
        # Not disclosure's pure modules: their English goes into the exported
        # documents, which stay in English whatever the staff member reads.
        "disclosure/views.py",
        "disclosure/services.py",
        "disclosure/models.py",
    )
    return sorted(
        str(path.relative_to(ROOT)) for pattern in patterns for path in ROOT.glob(pattern)
    )


STAFF_SOURCES = _staff_sources()


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
