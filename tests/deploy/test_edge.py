"""Amanat behind its real edge: Debian's nginx, rendered from deploy/nginx/, in front of
gunicorn in production mode. The headers every answer carries, a report sent through
the clear web and the onion entrance, the per-client signal (a keyed token, a Tor
circuit) replacing whatever the visitor sends, limits that tell circuits and clients
apart, and nginx's logs holding no client address after good, bad and oversized
requests."""

from __future__ import annotations

import json
import signal
import socket
import ssl
import unittest
from http.server import BaseHTTPRequestHandler

import pytest

from tests.deploy import edge
from tests.deploy.edge import HOST, ONION, Visitor, circuit, stored

pytestmark = pytest.mark.slow
WHY_NOT = edge.missing_tools()
PER_HOUR = 2
# Every address a visitor of these tests has: none may be in nginx's logs.
ADDRESSES = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "::1", "fc00:dead", "dead:beef")


class _Echo(BaseHTTPRequestHandler):
    """An upstream that keeps the client header nginx sends it."""

    seen: list[str] = []
    names: list[set[str]] = []

    def do_GET(self) -> None:
        _Echo.seen.append(self.headers.get("X-Amanat-Client", ""))
        _Echo.names.append({name.lower() for name in self.headers})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


class EdgeTestCase(unittest.TestCase):
    app: edge.App
    nginx: edge.Nginx

    @classmethod
    def setUpClass(cls) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)
        cls.app = edge.App(INTAKE_SUBMISSIONS_PER_HOUR=str(PER_HOUR))
        cls.addClassCleanup(cls.app.close)
        cls.nginx = edge.Nginx(cls.app.gunicorn.port)
        cls.addClassCleanup(cls.nginx.close)

    def clear(self, source: str = "127.0.0.1", **extra: str) -> Visitor:
        return Visitor(self.nginx.https, source=source, extra=extra)

    def onion(self, number: int, **extra: str) -> Visitor:
        return Visitor(self.nginx.onion, tls=False, proxy=circuit(number), extra=extra)

    def test_it_sets_the_security_headers_on_the_clear_web_and_points_to_the_onion(self):
        page = self.clear().request("GET", "/en/report/")
        self.assertEqual(page.status, 200)
        hsts = "max-age=63072000; includeSubDomains; preload"
        self.assertEqual(page.header("Strict-Transport-Security"), [hsts])
        self.assertEqual(page.header("Onion-Location"), [f"http://{ONION}/en/report/"])
        # The app's own policy, once: nginx fills only what the app leaves out.
        (csp,) = page.header("Content-Security-Policy")
        self.assertIn("form-action 'self'", csp)
        for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
            self.assertEqual(len(page.header(name)), 1, name)
        self.assertEqual(page.header("Cross-Origin-Embedder-Policy"), ["require-corp"])
        self.assertEqual(page.header("X-Permitted-Cross-Domain-Policies"), ["none"])
        self.assertEqual(page.header("Server"), ["nginx"])  # no version
        # A static file (served by WhiteNoise, outside the app's header middleware) too.
        css = next(
            p for p in page.body.split('"') if p.startswith("/static/") and p.endswith(".css")
        )
        style = self.clear().request("GET", css)
        self.assertEqual(style.status, 200)
        for name in (
            "Content-Security-Policy",
            "Cross-Origin-Resource-Policy",
            "Strict-Transport-Security",
        ):
            self.assertEqual(len(style.header(name)), 1, name)

    def test_the_onion_entrance_has_no_onion_location_and_no_hsts(self):
        page = self.onion(1).request("GET", "/en/")
        self.assertEqual(page.status, 200)
        self.assertEqual(page.header("Onion-Location"), [])
        self.assertEqual(page.header("Strict-Transport-Security"), [])
        self.assertEqual(len(page.header("Content-Security-Policy")), 1)
        self.assertEqual(page.header("Cross-Origin-Embedder-Policy"), ["require-corp"])

    def test_nginx_own_error_pages_carry_the_security_headers(self):
        too_big = self.clear("127.0.0.3").request(
            "POST", "/en/report/", Content_Length=str(200 * 1024 * 1024)
        )
        self.assertEqual(too_big.status, 413)
        bad = edge.exchange(edge.connect(self.nginx.https), b"NONSENSE\r\n\r\n")
        self.assertEqual(bad.status, 400)
        for answer in (too_big, bad):
            self.assertEqual(len(answer.header("Strict-Transport-Security")), 1)
            self.assertIn("default-src 'none'", answer.header("Content-Security-Policy")[0])
            self.assertEqual(answer.header("X-Content-Type-Options"), ["nosniff"])
            self.assertEqual(answer.header("X-Frame-Options"), ["DENY"])
            self.assertEqual(answer.header("Cache-Control"), ["no-store, max-age=0"])
            self.assertEqual(len(answer.header("Onion-Location")), 1)

    def test_amanat_itself_answers_a_body_over_its_limit_and_keeps_the_text(self):
        visitor = self.clear("127.0.0.3")
        page = visitor.request("GET", "/en/report/")
        token = page.body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        fields = edge.report_form_data(csrfmiddlewaretoken=token, narrative="kept text")
        boundary = "amanat-edge-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        photo = b"\x89PNG\r\n" + b"\0" * (52 * 1024 * 1024)  # past the 51 MiB Amanat takes
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="big.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + photo
            + f"\r\n--{boundary}--\r\n".encode()
        )
        answer = visitor.request(
            "POST",
            "/en/report/",
            b"".join(parts),
            Content_Type=f"multipart/form-data; boundary={boundary}",
            Origin=f"https://{HOST}",
        )
        self.assertEqual(answer.status, 413)
        self.assertIn("kept text", answer.body)  # Amanat's page, not nginx's
        self.assertIn("none of them was kept", answer.body)

    def test_it_takes_a_report_through_the_clear_web_and_the_onion_entrance(self):
        self.assertTrue(stored(self.clear("127.0.0.4").report()))
        self.assertTrue(stored(self.onion(2).report()))

    def test_port_80_only_redirects_to_https(self):
        answer = edge.exchange(
            edge.connect(self.nginx.http, tls=False),
            f"GET /en/report/?a=1 HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode(),
        )
        self.assertEqual(answer.status, 301)
        self.assertEqual(answer.header("Location"), [f"https://{HOST}/en/report/?a=1"])

    def test_a_flood_on_one_circuit_does_not_refuse_another(self):
        flood = [self.onion(10).report() for _ in range(PER_HOUR + 1)]
        self.assertTrue(all(stored(a) for a in flood[:PER_HOUR]))
        self.assertEqual(flood[-1].status, 429)
        self.assertIn("Too many reports", flood[-1].body)
        self.assertTrue(stored(self.onion(11).report()))

    def test_two_clear_web_clients_are_told_apart_by_their_token(self):
        # The flooding client names itself anew each time: nginx replaces the header, so
        # it is still one client, refused after its budget.
        flood = [
            self.clear("127.0.0.2", X_Amanat_Client=f"203.0.113.{n}").report()
            for n in range(PER_HOUR + 1)
        ]
        self.assertTrue(all(stored(a) for a in flood[:PER_HOUR]))
        self.assertEqual(flood[-1].status, 429)
        self.assertTrue(stored(self.clear("127.0.0.1").report()))

    def test_it_replaces_the_visitors_client_header_with_a_keyed_token_or_the_circuit(self):
        upstream = edge.stub_upstream(_Echo, self.addCleanup)
        front = edge.Nginx(upstream)
        self.addCleanup(front.close)
        _Echo.seen.clear()
        forged = {"X_Amanat_Client": "198.51.100.1"}
        for source in ("127.0.0.1", "127.0.0.2", "127.0.0.1", "::1"):
            Visitor(front.https, source=source, extra=forged).request("GET", "/")
        Visitor(front.onion, tls=False, proxy=circuit(5), extra=forged).request("GET", "/")
        one, two, one_again, six, tor = _Echo.seen
        self.assertEqual(one, front.token("127.0.0.1"))
        self.assertEqual(one_again, one)
        self.assertEqual(two, front.token("127.0.0.2"))
        self.assertEqual(six, front.token("0:0:0:0::/64"))  # an IPv6 client: its /64
        self.assertEqual(tor, circuit(5))
        for token in (one, two, six):
            self.assertRegex(token, r"^c1\.[0-9a-f]{64}$")
        self.assertEqual(len({one, two, six}), 3)
        # Under another key the same address gives another token.
        other = edge.Nginx(upstream)
        self.addCleanup(other.close)
        Visitor(other.https).request("GET", "/")
        self.assertNotEqual(_Echo.seen[-1], one)
        # A key too short to be one gives no token at all (only global budgets), never the
        # visitor's own header.
        keyless = edge.Nginx(upstream, key="abc")
        self.addCleanup(keyless.close)
        Visitor(keyless.https, extra=forged).request("GET", "/")
        self.assertEqual(_Echo.seen[-1], "")
        # Nor does the header pass spelt with underscores (which gunicorn would read alike).
        edge.exchange(
            edge.connect(keyless.https),
            f"GET / HTTP/1.1\r\nHost: {HOST}\r\nX_Amanat_Client: 198.51.100.1\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        self.assertFalse({"x_amanat_client", "x-amanat-client"} & _Echo.names[-1])

    def test_nginx_logs_hold_no_client_address_after_good_bad_and_oversized_requests(self):
        self.clear("127.0.0.3").request("GET", "/en/")
        self.onion(20).request("GET", "/en/")
        self.clear("::1").request("GET", "/en/no-such-page/")
        self.clear("127.0.0.3").request("POST", "/en/report/", Content_Length=str(200 << 20))
        edge.exchange(edge.connect(self.nginx.https, source="127.0.0.2"), b"NONSENSE\r\n\r\n")
        edge.exchange(edge.connect(self.nginx.onion, tls=False, proxy=circuit(21)), b"\x00\r\n\r\n")
        # TLS handshakes that fail: plain http to the TLS port, a cipher refused, an
        # unknown server name, bytes that are no TLS at all, and no PROXY line on the onion.
        edge.exchange(edge.connect(self.nginx.https, tls=False), b"GET / HTTP/1.0\r\n\r\n")
        weak = edge.tls_context()
        weak.maximum_version = ssl.TLSVersion.TLSv1_2
        weak.set_ciphers("AES128-SHA")  # no forward secrecy: refused
        for context, name in ((weak, HOST), (edge.tls_context(), "other.example")):
            with socket.create_connection(("127.0.0.1", self.nginx.https)) as sock:
                with self.assertRaises(ssl.SSLError):
                    context.wrap_socket(sock, server_hostname=name)
        for port, data in (
            (self.nginx.https, b"\x16\x03\x01\x00\x05junk!"),
            (self.nginx.onion, b"GET / HTTP/1.0\r\n\r\n"),
        ):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(data)
                self.assertNotIn(b"200 OK", sock.recv(4096))
        # A reload makes nginx write out whatever it keeps for its logs.
        self.nginx.process.send_signal(signal.SIGHUP)
        edge.wait_until(lambda: False, 0.5)
        text = self.nginx.log_text()
        for address in ADDRESSES:
            self.assertNotIn(address, text)
        self.assertNotIn("NONSENSE", text)
        self.assertNotIn("/en/", text)

    def test_it_answers_healthz_to_this_machine_only(self):
        # It names the part that is down: a monitor on this machine may ask, nobody else.
        for source in ("127.0.0.1", "::1"):
            answer = self.clear(source).request("GET", "/healthz")
            self.assertEqual(answer.status, 200, source)
            self.assertEqual(json.loads(answer.body)["database"], "ok")
        outsider = self.clear("127.0.0.2").request("GET", "/healthz")
        self.assertEqual(outsider.status, 404)
        self.assertNotIn("database", outsider.body)
        # Every onion visitor comes from Tor's 127.0.0.1: none of them is this machine.
        self.assertEqual(self.onion(40).request("GET", "/healthz").status, 404)
        self.assertEqual(self.onion(40).request("GET", "/en/report/").status, 200)

    def test_with_a_staff_onion_staff_pages_are_served_there_only(self):
        front = edge.Nginx(self.app.gunicorn.port, staff=True)
        self.addCleanup(front.close)
        staff = Visitor(front.staff, tls=False, proxy=circuit(30), name=edge.STAFF_ONION)
        self.assertEqual(staff.request("GET", "/staff/login/").status, 200)
        self.assertEqual(staff.request("GET", "/healthz").status, 404)
        for visitor in (Visitor(front.https), Visitor(front.onion, tls=False, proxy=circuit(31))):
            self.assertEqual(visitor.request("GET", "/staff/login/").status, 404)
            self.assertEqual(visitor.request("GET", "/en/report/").status, 200)
        # Without a staff onion the clear web serves them.
        self.assertEqual(self.clear().request("GET", "/staff/login/").status, 200)
