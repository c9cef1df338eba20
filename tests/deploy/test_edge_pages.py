"""nginx's own answers through the real edge: a client over nginx's limits, Amanat down,
a body over nginx's size limit and an address nginx refuses get Amanat's pages in every
language (intake/edge_pages.py) with the security headers, never nginx's English ones;
answers Amanat makes itself pass as it wrote them."""

from __future__ import annotations

import re
import unittest
from http.server import BaseHTTPRequestHandler

import pytest

from intake import edge_pages
from tests import servers
from tests.deploy import edge
from tests.deploy.edge import ROOT, Answer, Visitor, circuit

pytestmark = pytest.mark.slow
WHY_NOT = edge.missing_tools()
BUSY_UG = "ئۇلىنىشىڭىزدىن كەلگەن تەلەپ بەك كۆپ"
UNAVAILABLE_RU = "Сервис сейчас не может ответить"
TOO_LARGE_EN = "What you sent is too large"
NOT_FOUND_ZH = '<h1 id="title-zh-hans">'


class _Upstream(BaseHTTPRequestHandler):
    """Amanat, enough of it: 200 for everything, its own 404 and 429 pages where asked."""

    def do_GET(self) -> None:
        status = {"/own-404": 404, "/own-429": 429}.get(self.path, 200)
        body = f"amanat's own page {status}".encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class EdgePagesTestCase(unittest.TestCase):
    nginx: edge.Nginx

    @classmethod
    def setUpClass(cls) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)
        cls.nginx = edge.Nginx(edge.stub_upstream(_Upstream, cls.addClassCleanup))
        cls.addClassCleanup(cls.nginx.close)

    def onion(self, number: int) -> Visitor:
        return Visitor(self.nginx.onion, tls=False, proxy=circuit(number))

    def assert_edge_page(self, answer: Answer, status: int, words: str) -> None:
        self.assertEqual(answer.status, status)
        self.assertIn(words, answer.body)
        self.assertIn('<section lang="ug" dir="rtl"', answer.body)
        self.assertNotIn("nginx", answer.body)
        self.assertEqual(answer.header("Content-Type"), ["text/html; charset=utf-8"])
        self.assertIn("default-src 'none'", answer.header("Content-Security-Policy")[0])
        self.assertEqual(answer.header("Cache-Control"), ["no-store, max-age=0"])
        self.assertEqual(answer.header("ETag"), [])  # the file's time: the last install's
        self.assertEqual(answer.header("Last-Modified"), [])

    def test_a_client_over_nginx_limits_gets_the_busy_page_in_every_language(self):
        visitor = self.onion(1)
        answers = [visitor.request("GET", "/en/") for _ in range(100)]  # burst 60
        refused = [a for a in answers if a.status != 200]
        self.assertTrue(refused)
        for answer in refused:
            self.assert_edge_page(answer, 429, BUSY_UG)
        # A POST refused by the limit gets the same page (nginx fetches it with GET).
        self.assert_edge_page(visitor.request("POST", "/en/report/", b"x=1"), 429, BUSY_UG)
        self.assertEqual(self.onion(2).request("GET", "/en/").status, 200)  # another circuit

    def test_amanat_down_gives_the_unavailable_page(self):
        nginx = edge.Nginx(servers.free_port())  # nothing listens there
        try:
            answer = Visitor(nginx.https).request("GET", "/en/report/")
        finally:
            nginx.close()
        self.assert_edge_page(answer, 502, UNAVAILABLE_RU)
        self.assertIn("send it again", answer.body)
        self.assertEqual(len(answer.header("Strict-Transport-Security")), 1)

    def test_a_body_over_nginx_limit_gets_the_too_large_page(self):
        answer = Visitor(self.nginx.https).request(
            "POST", "/en/report/", Content_Length=str(200 * 1024 * 1024)
        )
        self.assert_edge_page(answer, 413, TOO_LARGE_EN)

    def test_an_address_nginx_refuses_gets_the_not_found_page(self):
        self.assert_edge_page(self.onion(3).request("GET", "/healthz"), 404, NOT_FOUND_ZH)

    def test_the_pages_cannot_be_asked_for_directly(self):
        answer = self.onion(4).request("GET", "/.amanat-edge/busy.html")
        self.assert_edge_page(answer, 404, NOT_FOUND_ZH)
        self.assertNotIn(BUSY_UG, answer.body)

    def test_amanats_own_error_pages_pass_as_amanat_wrote_them(self):
        for status in (404, 429):
            answer = self.onion(5).request("GET", f"/own-{status}")
            self.assertEqual(answer.status, status)
            self.assertEqual(answer.body, f"amanat's own page {status}")


def test_nginx_maps_each_status_to_the_page_written_for_it():
    conf = (ROOT / "deploy/nginx/amanat-pages.conf.in").read_text()
    mapped = {}
    for codes, name in re.findall(r"(?m)^error_page ([\d ]+) /\.amanat-edge/(\w+)\.html;", conf):
        for code in codes.split():
            mapped[int(code)] = name
    wanted = {code: page.name for page in edge_pages.PAGES for code in page.statuses}
    assert mapped == wanted
