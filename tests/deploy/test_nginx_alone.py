"""The edge's configuration without the application: deploy/check-edge.sh (what CI runs
on the rendered templates), and TLS as the rendered nginx speaks it."""

from __future__ import annotations

import socket
import ssl
import subprocess
import unittest

from tests import servers
from tests.deploy import edge

WHY_NOT = edge.missing_tools()


class NginxAloneTestCase(unittest.TestCase):
    def setUp(self) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)

    def test_it_passes_the_edge_check_nginx_t_tor_verify_config_and_shellcheck(self):
        result = subprocess.run(
            [str(edge.ROOT / "deploy/check-edge.sh")], capture_output=True, text=True
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        for checked in ("nginx -t", "tor --verify-config", "shellcheck"):
            self.assertIn(checked, result.stdout)

    def test_it_resumes_no_tls_session_so_visits_cannot_be_linked(self):
        nginx = edge.Nginx(servers.free_port())
        self.addCleanup(nginx.close)
        context = edge.tls_context()
        sessions: list[ssl.SSLSession | None] = []
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", nginx.https)) as sock:
                session = sessions[-1] if sessions else None
                with context.wrap_socket(sock, server_hostname=edge.HOST, session=session) as tls:
                    tls.sendall(f"GET / HTTP/1.1\r\nHost: {edge.HOST}\r\n\r\n".encode())
                    tls.recv(100)  # TLS 1.3 sends its tickets, if any, with the first answer
                    self.assertFalse(tls.session_reused)
                    sessions.append(tls.session)
