"""The pages nginx answers with itself (a client over its limits, Amanat down, a body
over nginx's limit, an address refused): written by `manage.py edge_pages`, in every
language Amanat speaks, standing alone. Served by the real nginx in
tests/deploy/test_edge_pages.py."""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from config.compile_catalogs import compile_all
from intake import edge_pages
from tests.catalogs import untranslated


class EdgePagesTestCase(SimpleTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp()) / "pages"
        self.addCleanup(shutil.rmtree, self.folder.parent)
        call_command("edge_pages", str(self.folder), stdout=io.StringIO())
        self.pages = {p.name: p.read_text(encoding="utf-8") for p in self.folder.iterdir()}

    def test_it_writes_one_readable_page_for_each_answer(self):
        self.assertEqual(
            sorted(self.pages),
            ["busy.html", "not_found.html", "too_large.html", "unavailable.html"],
        )
        for page in self.folder.iterdir():
            self.assertEqual(page.stat().st_mode & 0o777, 0o644, page.name)
        # nginx's workers pass through it, though Amanat's processes run with umask 077.
        self.assertEqual(self.folder.stat().st_mode & 0o777, 0o755)

    def test_each_page_says_it_in_every_language_in_its_own_direction(self):
        for name, html in self.pages.items():
            for page in edge_pages.PAGES:
                if f"{page.name}.html" == name:
                    break
            for code, _label in settings.LANGUAGES:
                with translation.override(code):
                    title = str(page.title)
                    direction = "rtl" if translation.get_language_bidi() else "ltr"
                self.assertIn(
                    f'<section lang="{code}" dir="{direction}" aria-labelledby="title-{code}">\n'
                    f'<h1 id="title-{code}">{title}</h1>',
                    html,
                )
        busy = self.pages["busy.html"]
        self.assertIn("ئۇلىنىشىڭىزدىن كەلگەن تەلەپ بەك كۆپ", busy)  # Uyghur, not English
        self.assertIn('<a href="/ug/">', busy)
        limits = "choose at most {max_files} files of {max_megabytes} MB each"
        self.assertIn(limits.format(**edge_pages.LIMITS), self.pages["too_large.html"])

    def test_a_page_loads_nothing_and_runs_nothing(self):
        # The app that serves stylesheets and scripts may be what is down; and the
        # quick exit is on every page.
        for name, html in self.pages.items():
            self.assertIsNone(re.search(r"<(script|link|img|style|iframe|form)\b", html), name)
            self.assertNotIn(" style=", html)
            self.assertIn('accesskey="x"', html, name)

    def test_every_string_of_the_pages_is_translated_in_every_catalog(self):
        self.assertEqual(untranslated(["intake/edge_pages.py"]), [])


class WithoutCatalogsTestCase(SimpleTestCase):
    """A checkout whose translations were never compiled (git keeps only the sources)."""

    def setUp(self):
        self.empty = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.empty)

    def test_it_writes_no_page_in_english_only(self):
        with override_settings(LOCALE_PATHS=[str(self.empty)]):
            with self.assertRaisesMessage(
                CommandError, "No usable compiled catalog for ug, kk, ru"
            ):
                call_command("edge_pages", str(self.empty / "pages"), stdout=io.StringIO())
        self.assertFalse((self.empty / "pages").exists())

    def test_the_deployment_check_refuses_it(self):
        with override_settings(LOCALE_PATHS=[str(self.empty)]):
            errors = [
                m for m in run_checks(include_deployment_checks=True) if m.id == "amanat.E001"
            ]
        self.assertEqual(len(errors), 1)
        self.assertIn("ug, kk, ru, tr, zh-hans", errors[0].msg)
        found = [m.id for m in run_checks(include_deployment_checks=True)]
        self.assertNotIn("amanat.E001", found)  # this checkout's own are compiled


class BrokenCatalogsTestCase(SimpleTestCase):
    """What a full disk, an interrupted install or a copy that kept old file times leaves:
    the deployment check names each language whose catalog would fail or be stale."""

    def setUp(self):
        self.locale = Path(tempfile.mkdtemp()) / "locale"
        self.addCleanup(shutil.rmtree, self.locale.parent)
        shutil.copytree(settings.LOCALE_PATHS[0], self.locale)

    def catalog(self, code: str) -> Path:
        return self.locale / code / "LC_MESSAGES" / "django.mo"

    def refused(self) -> str:
        with override_settings(LOCALE_PATHS=[str(self.locale)]):
            errors = [
                m for m in run_checks(include_deployment_checks=True) if m.id == "amanat.E001"
            ]
        return errors[0].msg if errors else ""

    def test_a_copy_of_the_compiled_catalogs_passes(self):
        self.assertEqual(self.refused(), "")

    def test_an_empty_or_half_written_catalog_is_refused(self):
        self.catalog("ru").write_bytes(b"")
        whole = self.catalog("tr").read_bytes()
        self.catalog("tr").write_bytes(whole[: len(whole) // 2])
        self.assertIn("for ru, tr (missing, broken", self.refused())

    def test_a_catalog_older_than_its_source_is_refused(self):
        po = self.catalog("kk").with_suffix(".po")
        os.utime(self.catalog("kk"), (po.stat().st_mtime - 60,) * 2)
        self.assertIn("for kk (", self.refused())

    def test_compiling_every_catalog_mends_them_and_leaves_them_readable(self):
        self.catalog("ru").write_bytes(b"")
        po = self.catalog("kk").with_suffix(".po")
        os.utime(self.catalog("kk"), (po.stat().st_mtime + 60,) * 2)  # looks new, is not
        self.catalog("kk").write_bytes(b"")
        written = compile_all(self.locale, every=True)
        self.assertEqual(len(written), 5)
        self.assertEqual(self.refused(), "")
        for path in written:
            self.assertEqual(path.stat().st_mode & 0o777, 0o644)
        self.assertEqual(list(self.locale.glob("*/LC_MESSAGES/.django.mo.*")), [])
