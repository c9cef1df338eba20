"""`manage.py propose_redactions`: JSON in, the same spans as `propose` out; bad input is a
clear error naming the field, never a traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosure.redaction import Entities, propose

ROOT = Path(__file__).resolve().parents[2]
REQUEST = {
    "entities": {
        "names": [{"name": "Memet Tursun", "role": "missing"}, "Gülnar Ablimit"],
        "contacts": ["+86 138 0013 8000"],
        "id_numbers": [],
        "places": ["Toqquzaq"],
    },
    "text": "Мамат (买买提) and Gulnar left Toqquzaq; call 0086 138 0013 8000.",
}


def run(tmp_path: Path, payload: str) -> dict[str, list[dict[str, object]]]:
    path = tmp_path / "request.json"
    path.write_text(payload, encoding="utf-8")
    out = io.StringIO()
    call_command("propose_redactions", str(path), stdout=out)
    result: dict[str, list[dict[str, object]]] = json.loads(out.getvalue())
    return result


def test_it_prints_the_spans_propose_gives(tmp_path: Path) -> None:
    got = run(tmp_path, json.dumps(REQUEST, ensure_ascii=False))
    text = REQUEST["text"]
    assert isinstance(text, str)
    expected = propose(
        text,
        Entities(
            names=(("Memet Tursun", "missing"), "Gülnar Ablimit"),
            contacts=("+86 138 0013 8000",),
            places=("Toqquzaq",),
        ),
    )
    assert got["spans"] == [
        {"start": s.start, "end": s.end, "kind": s.kind, "label": s.label} for s in expected
    ]
    assert [(text[int(str(s["start"])) : int(str(s["end"]))], s["kind"]) for s in got["spans"]] == [
        ("Мамат", "name"),
        ("买买提", "name"),
        ("Gulnar", "name"),
        ("Toqquzaq", "place"),
        ("0086 138 0013 8000", "phone"),
    ]


def test_it_reads_stdin_in_development_mode_without_a_database() -> None:
    env = {**os.environ, "AMANAT_ENV": "development", "DATABASE_URL": "postgres://nowhere:1/x"}
    done = subprocess.run(
        [sys.executable, "manage.py", "propose_redactions", "-"],
        input=json.dumps(REQUEST),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["spans"][0]["kind"] == "name"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"entities": {}}', '"text" is missing'),
        ('{"text": 5}', '"text" must be a string'),
        ('{"text": "", "entities": []}', '"entities" must be an object'),
        ('{"text": "", "entities": {"names": "Memet"}}', '"entities.names" must be a list'),
        ('{"text": "", "entities": {"names": [{"role": "missing"}]}}', "entry 1 must be"),
        ('{"text": "", "entities": {"names": [{"name": "M", "role": "boss"}]}}', '"role"'),
        ('{"text": "", "entities": {"contacts": [1]}}', '"entities.contacts" must be a list'),
        ('{"text": "", "entities": {"phones": []}}', 'unknown field "phones"'),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_error(
    tmp_path: Path, payload: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")) as raised:
        run(tmp_path, payload)
    assert "Memet" not in str(raised.value)


def test_it_refuses_a_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("propose_redactions", str(tmp_path / "absent.json"))
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"text": "Gülnar"}'.encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("propose_redactions", str(bad))


def test_it_exits_non_zero_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "propose_redactions", "-"],
        input='{"entities": {}}',
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "AMANAT_ENV": "development"},
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert '"text" is missing' in done.stderr
    assert "Traceback" not in done.stderr
