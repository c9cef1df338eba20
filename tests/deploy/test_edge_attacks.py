"""The edge under attack: Debian's nginx rendered from deploy/nginx/, in front of an
upstream that records what reaches it. A subscriber hopping through its IPv6 /64 to
multiply nginx's budgets, /healthz asked from outside (a flood of storage writes, and a
watcher learning when attachments fail), and a request that names Amanat in its TLS
handshake but another host in its Host header."""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import time
import unittest
from http.server import BaseHTTPRequestHandler

import pytest

from tests.deploy import edge
from tests.deploy.edge import HOST, ONION, STAFF_ONION, Visitor, circuit

pytestmark = pytest.mark.slow
WHY_NOT = edge.missing_tools()


class _Upstream(BaseHTTPRequestHandler):
    """An upstream that keeps the path and client header of every request reaching it."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:
        _Upstream.seen.append((self.path, self.headers.get("X-Amanat-Client", "")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


def from_each(port: int, sources: list[str], path: str = "/en/") -> list[int]:
    """A request from each address in `sources` (nginx's realip reads X-Test-Source), one
    after the other on a kept-alive TLS connection (a new one when nginx closes it); the
    statuses, in order."""
    statuses = []
    sock = None
    for source in sources:
        if sock is None:
            sock = edge.connect(port)
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nX-Test-Source: {source}\r\n\r\n".encode()
        )
        response = http.client.HTTPResponse(sock)
        response.begin()
        response.read()
        statuses.append(response.status)
        if response.will_close:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()
    return statuses


class EdgeAttacksTestCase(unittest.TestCase):
    nginx: edge.Nginx

    @classmethod
    def setUpClass(cls) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)
        upstream = edge.stub_upstream(_Upstream, cls.addClassCleanup)
        cls.nginx = edge.Nginx(upstream, staff=True, sources=True)
        cls.addClassCleanup(cls.nginx.close)

    def setUp(self) -> None:
        _Upstream.seen.clear()

    def test_it_counts_an_ipv6_subscriber_by_its_64_in_nginx_own_limits(self):
        # 120 requests in a row, each from another address of one /64: past the burst of
        # 60, nginx refuses them, as it would for one address.
        hopping = from_each(self.nginx.https, [f"2001:db8:1:2::{n:x}" for n in range(1, 121)])
        self.assertEqual(len(hopping), 120)
        self.assertGreaterEqual(hopping.count(429), 40, hopping)
        # 120 subscribers (each its own /64) are not refused.
        many = from_each(self.nginx.https, [f"2001:db8:2:{n:x}::1" for n in range(1, 121)])
        self.assertEqual(many, [200] * 120)
        # The token Amanat counts names the /64 too, and an IPv4 client written IPv4-mapped
        # is that IPv4 client, not one "::/64" shared by every IPv4 visitor.
        from_each(self.nginx.https, ["2001:db8:3:4::1", "2001:db8:3:4:a:b:c:d", "::ffff:192.0.2.7"])
        tokens = [token for _, token in _Upstream.seen[-3:]]
        self.assertEqual(tokens[:2], [self.nginx.token("2001:db8:3:4::/64")] * 2)
        self.assertEqual(tokens[2], self.nginx.token("192.0.2.7"))

    def test_one_client_holds_at_most_four_uploads_in_nginx_memory_at_once(self):
        # Each upload nginx waits for may fill 130 MiB of tmpfs: six from one client
        # (64 KiB of their bodies sent, the rest held back), then one from another.
        clear = Visitor(self.nginx.https, source="127.0.0.5")
        onion = Visitor(self.nginx.onion, tls=False, proxy=circuit(50))
        for visitor in (clear, onion):
            uploads = [self.upload(visitor) for _ in range(6)]
            refused = sorted(self.refused(sock) for sock in uploads)
            self.assertEqual(refused, [False] * 4 + [True] * 2, visitor.host)
        # Another client is not refused meanwhile.
        self.assertFalse(self.refused(self.upload(Visitor(self.nginx.https, source="127.0.0.6"))))
        self.assertEqual(_Upstream.seen, [])

    def upload(self, visitor: Visitor) -> socket.socket:
        """A large POST begun and left waiting for the rest of its body."""
        sock = edge.connect(
            visitor.port, tls=visitor.tls, source=visitor.source, proxy=visitor.proxy
        )
        self.addCleanup(sock.close)
        head = f"POST /en/report/ HTTP/1.1\r\nHost: {visitor.host}\r\nContent-Length: {100 << 20}"
        sock.sendall(f"{head}\r\n\r\n".encode() + b"x" * (64 << 10))
        return sock

    @staticmethod
    def refused(sock: socket.socket) -> bool:
        """Whether nginx answered 429 at once (an upload still under way has no answer)."""
        sock.settimeout(1)
        try:
            return sock.recv(100).startswith(b"HTTP/1.1 429")
        except (TimeoutError, ssl.SSLError):
            return False

    def test_it_answers_healthz_only_to_a_monitor_on_this_host(self):
        outside = "2001:db8:9::1"
        for path in ("/healthz", "//healthz", "/%68ealthz", "/healthz?full=1", "/./healthz"):
            statuses = from_each(self.nginx.https, [outside], path)
            self.assertEqual(statuses, [404], path)
        # Every onion visitor comes from Tor on 127.0.0.1, on either onion service.
        onion = Visitor(self.nginx.onion, tls=False, proxy=circuit(1))
        staff = Visitor(self.nginx.staff, tls=False, proxy=circuit(2), name=STAFF_ONION)
        for visitor in (onion, staff):
            self.assertEqual(visitor.request("GET", "/healthz").status, 404)
        self.assertEqual(_Upstream.seen, [])
        # A monitor on the host itself, on the clear web's name.
        self.assertEqual(Visitor(self.nginx.https).request("GET", "/healthz").status, 200)
        self.assertEqual(
            Visitor(self.nginx.https, source="::1").request("GET", "/healthz").status, 200
        )
        self.assertEqual([path for path, _ in _Upstream.seen], ["/healthz"] * 2)
        # Other pages still reach Amanat from everywhere.
        self.assertEqual(onion.request("GET", "/en/").status, 200)

    def test_a_request_for_another_host_gets_no_file_of_nginx_own(self):
        # Debian's nginx serves its welcome page from html/ under its prefix.
        html = self.nginx.conf / "html"
        html.mkdir(exist_ok=True)
        (html / "index.html").write_text("Welcome to nginx!")
        html.chmod(0o755)  # readable by the workers whatever the tests' umask
        (html / "index.html").chmod(0o644)
        for host in ("other.example", ONION, ""):
            header = f"Host: {host}\r\n" if host else ""
            answer = edge.exchange(
                edge.connect(self.nginx.https),
                f"GET /index.html HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode(),
            )
            self.assertNotIn("Welcome", answer.body, host)
            self.assertIn(answer.status, (400, 421), host)
        self.assertEqual(_Upstream.seen, [])


class LogsUnderAttackTestCase(unittest.TestCase):
    """What Amanat and gunicorn write (their stderr, the journal in production) after
    requests nginx passes but they refuse: none quotes the request or names the page."""

    def setUp(self) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)

    def test_refused_requests_leave_no_word_of_theirs_in_the_logs(self):
        word = "MARKER-WORD-3917"
        app = edge.App()
        try:
            nginx = edge.Nginx(app.gunicorn.port)
            self.addCleanup(nginx.close)
            self.refuse(nginx, word)
        finally:
            logs = app.close()
        self.assertNotIn(word.lower(), logs.lower())  # Django lowers a host name
        self.assertNotIn("/en/", logs)
        # The events themselves are still there for the operator, by kind.
        self.assertIn("Invalid request refused", logs)
        self.assertIn("refused: DisallowedHost", logs)

    def refuse(self, nginx: edge.Nginx, word: str) -> None:
        # A request line gunicorn refuses (a raw non-ASCII byte nginx lets through).
        line = f"GET /en/\xe9-{word}/ HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
        answer = edge.exchange(edge.connect(nginx.https), line.encode("latin-1"))
        self.assertEqual(answer.status, 400)
        # A form sent without its CSRF cookie, as after a new Tor identity: refused (403),
        # with no line dating the visit and naming the page.
        form = Visitor(nginx.https, source="127.0.0.2")
        self.assertEqual(form.request("GET", "/en/report/").status, 200)
        form.cookies.clear()
        refused = form.request(
            "POST",
            "/en/report/",
            b"narrative=x",
            Content_Type="application/x-www-form-urlencoded",
            Origin=f"https://{HOST}",
        )
        self.assertEqual(refused.status, 403)
        # A host name Amanat does not serve, asked through the onion entrance.
        stranger = Visitor(nginx.onion, tls=False, proxy=circuit(41), name=f"{word}.onion")
        self.assertEqual(stranger.request("GET", "/en/").status, 400)
        onion = Visitor(nginx.onion, tls=False, proxy=circuit(40))
        self.assertEqual(onion.request("GET", "/en/").status, 200)


class _Sink(BaseHTTPRequestHandler):
    """An upstream that takes a POST's body whole and says how much it got."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        got = len(self.rfile.read(int(self.headers["Content-Length"])))
        body = f"got {got}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class BodyMemoryTestCase(unittest.TestCase):
    """nginx waits on bodies in a tmpfs of capped size (deploy/systemd/run-amanatedge.mount.in):
    clients on many circuits, each within its own 4 uploads, fill that folder and not the
    machine's memory; the next body is refused with Amanat's page, the ones held go on."""

    def setUp(self) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)
        self.nginx = edge.Nginx(edge.stub_upstream(_Sink, self.addCleanup), body_memory="8m")
        self.addCleanup(self.nginx.close)

    def begin(self, number: int, length: int, sent: int) -> socket.socket:
        """An upload on circuit `number` of `length` bytes, `sent` of them sent so far."""
        sock = edge.connect(self.nginx.onion, tls=False, proxy=circuit(number))
        self.addCleanup(sock.close)
        head = f"POST /en/report/ HTTP/1.1\r\nHost: {ONION}\r\nContent-Length: {length}\r\n\r\n"
        sock.sendall(head.encode() + b"x" * sent)
        return sock

    def test_uploads_on_many_circuits_fill_the_capped_folder_not_the_machine(self):
        mib = 1 << 20
        held = [self.begin(n, 4 * mib, 3 * mib) for n in (1, 2)]  # 6 of the 8 MiB
        time.sleep(0.5)  # nginx has written what it got
        self.assertGreaterEqual(self.used(), 5 * mib)
        third = self.begin(3, 4 * mib, 3 * mib)  # does not fit
        third.settimeout(10)
        answer = http.client.HTTPResponse(third)
        answer.begin()
        self.assertEqual(answer.status, 500)
        self.assertIn("send it again", answer.read().decode())  # Amanat's page, all languages
        third.close()  # nginx frees what it kept of that body once the connection ends
        time.sleep(0.2)
        self.assertLess(self.used(), 7 * mib)
        # The uploads already held go through whole.
        for sock in held:
            sock.sendall(b"x" * mib)
            sock.settimeout(10)
            done = http.client.HTTPResponse(sock)
            done.begin()
            self.assertEqual((done.status, done.read()), (200, f"got {4 * mib}".encode()))
        time.sleep(0.2)
        self.assertLess(self.used(), mib)  # their memory is given back at once
        late = self.begin(4, 2 * mib, 2 * mib)
        late.settimeout(10)
        answer = http.client.HTTPResponse(late)
        answer.begin()
        self.assertEqual((answer.status, answer.read()), (200, f"got {2 * mib}".encode()))

    def used(self) -> int:
        assert self.nginx.mounted is not None
        usage = os.statvfs(self.nginx.mounted)
        return (usage.f_blocks - usage.f_bfree) * usage.f_frsize
