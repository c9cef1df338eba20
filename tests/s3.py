"""An S3-compatible server for the sealed-storage tests.

By default moto's server (a local S3 emulator from the dev extras) runs as a process
of the test's own on a free port. To run the same tests against another
S3-compatible server, set AMANAT_TEST_S3_ENDPOINT (and AMANAT_TEST_S3_ACCESS_KEY_ID,
AMANAT_TEST_S3_SECRET_ACCESS_KEY, AMANAT_TEST_S3_REGION): each test class makes a
bucket of its own there and empties and removes it at the end.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import threading
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from tests.servers import VENV_BIN, _wait, free_port


def missing_moto() -> str:
    """Why moto's server cannot run here, or "" when it can."""
    if (VENV_BIN / "moto_server").exists():
        return ""
    return "moto's S3 server is not installed: `make test` installs it (moto[server], dev extras)"


class MotoServer:
    """moto's S3 server on a free loopback port; its objects live in its memory only."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def _up(self) -> bool:
        try:
            urllib.request.urlopen(self.endpoint, timeout=1)  # noqa: S310
            return True
        except OSError as error:  # an HTTP error still means it answers
            return hasattr(error, "code")

    def start(self) -> MotoServer:
        why = missing_moto()
        if why:
            raise RuntimeError(why)
        self.process = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait(self._up, "moto's S3 server")
        return self

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


EXTERNAL = os.environ.get("AMANAT_TEST_S3_ENDPOINT", "")
_module_server: MotoServer | None = None


def start_module_server() -> None:
    """One moto server for a test file (setUpModule), unless AMANAT_TEST_S3_ENDPOINT
    names another server."""
    global _module_server
    if not EXTERNAL:
        why = missing_moto()
        if why:
            raise AssertionError(why)
        _module_server = MotoServer().start()


def stop_module_server() -> None:
    """tearDownModule's half of start_module_server."""
    global _module_server
    if _module_server is not None:
        _module_server.kill()
        _module_server = None


def module_endpoint() -> str:
    """The file's moto server, or "" for the external one."""
    return _module_server.endpoint if _module_server else ""


class CuttableLink:
    """A TCP relay to an S3 server that can be cut (every connection closed, new ones
    refused) and restored, as when the network to the provider fails mid-upload."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.down = threading.Event()
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                near.close()
                continue
            far = socket.create_connection(("127.0.0.1", self.target))
            with self.lock:
                self.open += [near, far]
            for src, dst in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        self.down.set()
        with self.lock:
            for sock in self.open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.open.clear()

    def restore(self) -> None:
        self.down.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@dataclass
class Bucket:
    """A bucket of the test's own on an S3-compatible endpoint."""

    endpoint: str
    access_key_id: str
    secret_access_key: str
    region: str
    name: str
    prefix: str = "sealed"

    def settings(self) -> dict[str, str]:
        """What override_settings needs to seal attachments into this bucket."""
        return {
            "SEALED_STORAGE_URL": f"s3://{self.name}/{self.prefix}",
            "SEALED_STORAGE_ENDPOINT": self.endpoint,
            "SEALED_STORAGE_REGION": self.region,
            "SEALED_STORAGE_ADDRESSING": "path",
            "SEALED_STORAGE_ACCESS_KEY_ID": self.access_key_id,
            "SEALED_STORAGE_SECRET_ACCESS_KEY": self.secret_access_key,
        }

    def client(self) -> Any:
        """A client of the test's own, to look at the bucket as the provider would."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"mode": "standard", "max_attempts": 2},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def objects(self) -> dict[str, bytes]:
        """Every object in the bucket (any prefix), by key, with its content."""
        client = self.client()
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.name):
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=self.name, Key=item["Key"])["Body"]
                found[item["Key"]] = body.read()
        return found

    def uploads(self) -> list[str]:
        """Keys of the multipart uploads still open."""
        answer = self.client().list_multipart_uploads(Bucket=self.name)
        return [upload["Key"] for upload in answer.get("Uploads", [])]

    def create(self) -> None:
        self.client().create_bucket(Bucket=self.name)

    def empty(self) -> None:
        """Abort every open upload and delete every object."""
        client = self.client()
        answer = client.list_multipart_uploads(Bucket=self.name)
        for upload in answer.get("Uploads", []):
            client.abort_multipart_upload(
                Bucket=self.name, Key=upload["Key"], UploadId=upload["UploadId"]
            )
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.name):
            for item in page.get("Contents", []):
                client.delete_object(Bucket=self.name, Key=item["Key"])

    def remove(self) -> None:
        self.empty()
        self.client().delete_bucket(Bucket=self.name)


def new_bucket(endpoint: str = "") -> Bucket:
    """A new, empty bucket: on `endpoint` (a moto server), else on the server that
    AMANAT_TEST_S3_ENDPOINT names."""
    external = os.environ.get("AMANAT_TEST_S3_ENDPOINT", "")
    bucket = Bucket(
        endpoint=endpoint or external,
        access_key_id=os.environ.get("AMANAT_TEST_S3_ACCESS_KEY_ID", "testing-key"),
        secret_access_key=os.environ.get("AMANAT_TEST_S3_SECRET_ACCESS_KEY", "testing-secret"),
        region=os.environ.get("AMANAT_TEST_S3_REGION", "us-east-1"),
        name=f"amanat-test-{secrets.token_hex(6)}",
    )
    bucket.create()
    return bucket
