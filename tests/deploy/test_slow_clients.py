"""Slow clients: gunicorn's three sync workers each serve one connection at a time, so a
few connections that trickle their headers or body hold all of them. With nginx in
front (it reads each request whole before a worker sees it, with short deadlines),
200 such connections must not stop 5 reporters from sending their reports."""

from __future__ import annotations

import socket
import threading
import time
import unittest

import pytest

from tests.deploy import edge
from tests.deploy.edge import ONION, Visitor, circuit, stored

pytestmark = pytest.mark.slow
WHY_NOT = edge.missing_tools()
SLOW = 200
REPORTERS = 5


class Trickle(threading.Thread):
    """`count` connections kept open by sending one byte at a time: half never finish
    their headers, half announce a body and never finish it. Each arrives as a Tor circuit
    of its own (so no per-circuit limit cuts them) or straight at gunicorn; a connection
    that is closed is opened again at once, as an attacker would."""

    def __init__(self, port: int, count: int, proxied: bool) -> None:
        super().__init__(daemon=True)
        self.port, self.count, self.proxied = port, count, proxied
        self.stopping = threading.Event()
        self.open = 0
        self.reopened = 0

    def _start(self, n: int) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            if self.proxied:
                sock.sendall(f"PROXY TCP6 {circuit(1000 + n)} ::1 {1000 + n} 80\r\n".encode())
            head = f"POST /en/report/ HTTP/1.1\r\nHost: {ONION}\r\n"
            if n % 2:
                head += "Content-Type: application/x-www-form-urlencoded\r\n"
                head += "Content-Length: 100000\r\n\r\nnarrative="
            sock.sendall(head.encode())
            return sock
        except OSError:
            return None

    def run(self) -> None:
        socks: list[socket.socket | None] = [self._start(n) for n in range(self.count)]
        while not self.stopping.is_set():
            for n, sock in enumerate(socks):
                try:
                    if sock is None:
                        raise OSError
                    sock.sendall(b"X-Slow: a\r\n" if n % 2 == 0 else b"a")
                except OSError:
                    if sock is not None:
                        sock.close()
                    socks[n] = self._start(n)
                    self.reopened += 1
            self.open = sum(s is not None for s in socks)
            self.stopping.wait(0.5)
        for sock in socks:
            if sock is not None:
                sock.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(10)


class SlowClientsTestCase(unittest.TestCase):
    app: edge.App
    nginx: edge.Nginx

    @classmethod
    def setUpClass(cls) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)
        cls.app = edge.App(workers=3)
        cls.addClassCleanup(cls.app.close)
        cls.nginx = edge.Nginx(cls.app.gunicorn.port)
        cls.addClassCleanup(cls.nginx.close)

    def attack(self, port: int, count: int, proxied: bool) -> Trickle:
        trickle = Trickle(port, count, proxied)
        trickle.start()
        self.addCleanup(trickle.stop)
        self.assertTrue(edge.wait_until(lambda: trickle.open >= count, 15), trickle.open)
        return trickle

    def test_slow_connections_straight_at_gunicorn_hold_its_three_workers(self):
        # What nginx is there for: without it, three slow connections are enough.
        trickle = self.attack(self.app.gunicorn.port, 6, proxied=False)
        time.sleep(0.5)
        with self.assertRaises(OSError):
            with socket.create_connection(("127.0.0.1", self.app.gunicorn.port), timeout=3) as s:
                s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                if not s.recv(100):
                    raise OSError("closed without an answer")
        trickle.stop()

    def test_200_slow_connections_through_nginx_do_not_stop_5_reporters(self):
        trickle = self.attack(self.nginx.onion, SLOW, proxied=True)
        results: list[tuple[bool, float]] = []

        def reporter(n: int) -> None:
            start = time.monotonic()
            if n % 2:
                visitor = Visitor(self.nginx.onion, tls=False, proxy=circuit(n))
            else:
                visitor = Visitor(self.nginx.https, source=f"127.0.0.{10 + n}")
            try:
                ok = stored(visitor.report(name_1=f"Reporter {n}"))
            except OSError:
                ok = False
            results.append((ok, time.monotonic() - start))

        threads = [threading.Thread(target=reporter, args=(n,)) for n in range(REPORTERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(40)
        held = trickle.open
        trickle.stop()
        self.assertEqual([ok for ok, _ in results], [True] * REPORTERS, results)
        self.assertLess(max(seconds for _, seconds in results), 30)
        # The attack was on the whole time: its connections were open at the end.
        self.assertGreaterEqual(held, SLOW * 0.9)
