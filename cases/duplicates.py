"""Duplicates: which known persons a new report may be about.

Each person keeps blind-index buckets of their names (names.buckets: truncated HMACs
under the organisation's index key, never derived from a server secret) and, sealed
under the person's own key, the identity those buckets were made from. A proposal is
one indexed query for the persons sharing buckets with the report, restricted to the
persons the staff member holds, then one decryption per candidate and
names.matching.compare inside the request. Nothing here leaves the request in clear.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, IntegerField, Sum, Value, When

import crypto
import names
from accounts import keyring
from accounts import services as accounts
from accounts.models import KeyHolder, OrganisationKey, Staff
from audit import chain as audit
from audit.models import Action
from intake import sealing
from intake.forms import Script
from intake.models import ReportKey
from names import buckets, matching, search

from . import duplicate_reasons, persons
from .models import Person, PersonBucket, PersonKey, PersonReport

PROPOSALS = 10  # persons shown

# The report form's own words for the script a name was written in (none for "other").
SCRIPT_LABELS = {code: label for code, label in Script.CHOICES if code not in ("", "other")}

# names.matching scores as the words staff see; below SHOWN, two different persons with
# a common birth year and county (about 35) are not worth a triager's time.
STRONG, POSSIBLE, SHOWN = 80.0, 60.0, 40.0


def index_key(holder: KeyHolder, private_key: crypto.PrivateKey) -> bytes | None:
    """The organisation's blind-index key, or None for a holder without it (auditors,
    reviewers): they get no proposals and write no buckets."""
    try:
        return accounts.open_org_key(OrganisationKey.Purpose.INDEX, holder, private_key)
    except keyring.NoAccess:
        return None


# -- What a report says about who the person is ---------------------------------------


def report_identity(content: dict) -> dict:
    """The parts of a report's content that identify the missing person, as stored in
    a person's sealed identity: names with their scripts, father, birth year, county."""
    missing = content.get("missing") or {}
    birth = missing.get("birth_date") or {}
    return {
        "names": [
            {"name": n["name"], "script": n.get("script", "")}
            for n in missing.get("names") or []
            if n.get("name")
        ],
        "father": missing.get("father_name") or "",
        "birth_year": birth.get("year"),
        "county": missing.get("home_county") or "",
    }


def combined(parts: list[dict]) -> dict:
    """Every name of every report once; the first report that gives the father's
    name, the birth year or the county gives it."""
    out: dict = {"names": [], "father": "", "birth_year": None, "county": ""}
    for part in parts:
        for entry in part["names"]:
            if entry not in out["names"]:
                out["names"].append(entry)
        for key in ("father", "birth_year", "county"):
            out[key] = out[key] or part.get(key)
    return out


def identity_of(data: dict) -> matching.Identity:
    return matching.identity(
        # The form's own script code: "pinyin" reads differently from other Latin.
        names=[(n["name"], n["script"]) for n in data["names"]],
        father=data["father"] or "",
        birth_year=data["birth_year"],
        county=data["county"] or "",
    )


def report_content(
    holder_id: uuid.UUID, private_key: crypto.PrivateKey, report_id: uuid.UUID
) -> dict:
    """A report's content opened with the holder's wrapping; keyring.NoAccess without."""
    row = (
        ReportKey.objects.select_related("report")
        .filter(report_id=report_id, holder_id=holder_id)
        .first()
    )
    if row is None:
        raise keyring.NoAccess("no wrapping for this holder")
    dek, report = keyring.unwrap(row, private_key), row.report
    raw = crypto.open_(dek, bytes(report.sealed_content), sealing.content_aad(report.id))
    return json.loads(raw)


def _aad(person_id: uuid.UUID) -> bytes:
    return persons.aad(person_id, "identity")


def sealed_identity(person_id: uuid.UUID, person_key: bytes) -> dict | None:
    """The person's identity, or None before the person was first indexed."""
    sealed = bytes(Person.objects.filter(id=person_id).values_list("sealed_identity", flat=True)[0])
    if not sealed:
        return None
    return json.loads(crypto.open_(person_key, sealed, _aad(person_id)))


# -- Writing a person's buckets ----------------------------------------------------------


def index_person(
    holder: KeyHolder, private_key: crypto.PrivateKey, key: bytes, person_id: uuid.UUID
) -> int:
    """Seal the person's identity from every linked report the holder can open and
    replace their bucket rows with the current names.VERSION's. `key` is the index
    key. Returns the number of bucket rows. Called after a person is created, a
    report linked, cases merged or unlinked, and by `manage.py rebuild_buckets`."""
    person_key = keyring.open_key(PersonKey, person_id, holder.pk, private_key)
    parts = []
    for report_id in PersonReport.objects.filter(person_id=person_id).values_list(
        "report_id", flat=True
    ):
        try:
            parts.append(report_identity(report_content(holder.pk, private_key, report_id)))
        except keyring.NoAccess:
            continue  # a case's keys travel together (case_keys): not expected
    data = combined(parts)
    rows = buckets.of(key, identity_of(data))
    sealed = crypto.seal(person_key, json.dumps(data).encode(), _aad(person_id))
    with transaction.atomic():
        Person.objects.filter(id=person_id).update(sealed_identity=sealed)
        PersonBucket.objects.filter(person_id=person_id).delete()
        PersonBucket.objects.bulk_create(
            PersonBucket(person_id=person_id, bucket=bucket, version=names.VERSION)
            for bucket in sorted(rows)
        )
    return len(rows)


def index_for(staff: Staff, private_key: crypto.PrivateKey, person_id: uuid.UUID) -> None:
    """index_person for a staff member's action; nothing for one without the index key."""
    key = index_key(staff.holder, private_key)
    if key is not None:
        index_person(staff.holder, private_key, key, person_id)


# -- Finding candidates ------------------------------------------------------------------


def candidates(
    staff: Staff, key: bytes, identity: matching.Identity, limit: int = search.GATHER
) -> list[tuple[uuid.UUID, int]]:
    """(person id, summed weight of shared buckets), best first, as names.search.rank
    ranks them (weight, then id): one query over the (bucket, person) index, only rows
    of the current names.VERSION, only persons the staff member holds a key of."""
    weights = buckets.weights(key, identity)
    if not weights:
        return []
    by_weight: dict[int, list[bytes]] = {}
    for bucket, each in weights.items():
        by_weight.setdefault(each, []).append(bucket)
    weight = Case(
        *(When(bucket__in=group, then=Value(w)) for w, group in sorted(by_weight.items())),
        default=Value(0),
        output_field=IntegerField(),
    )
    held = PersonKey.objects.filter(holder_id=staff.holder_id).values("person_id")
    rows = (
        PersonBucket.objects.filter(bucket__in=list(weights), version=names.VERSION)
        .filter(person_id__in=held)
        .values("person_id")
        .annotate(shared=Sum(weight))
        .filter(shared__gt=0)
        .order_by("-shared", "person_id")[:limit]
    )
    return [(row["person_id"], row["shared"]) for row in rows]


@dataclass
class Proposal:
    person_id: uuid.UUID
    number: int
    names: list[dict]  # {"name", "script", "label"}: as written, and the script in words
    score: float
    strength: str  # "strong" | "possible" | "weak"
    reasons: list[str] = field(default_factory=list)  # translated phrases


def strength(score: float) -> str:
    return "strong" if score >= STRONG else "possible" if score >= POSSIBLE else "weak"


def propose(
    staff: Staff,
    private_key: crypto.PrivateKey,
    key: bytes,
    report_id: uuid.UUID,
    limit: int = PROPOSALS,
) -> list[Proposal]:
    """The persons the report may be about, best first: only persons the staff member
    can open, never the one the report already belongs to. Records nothing: the page
    that shows them records it (record_shown)."""
    content = report_content(staff.holder_id, private_key, report_id)
    wanted = identity_of(report_identity(content))
    own = PersonReport.objects.filter(report_id=report_id).values_list("person_id", flat=True)
    exclude = set(own)
    numbers = {}
    found = [(pid, shared) for pid, shared in candidates(staff, key, wanted) if pid not in exclude]
    if found:
        numbers = dict(
            Person.objects.filter(id__in=[pid for pid, _ in found]).values_list("id", "number")
        )
    proposals = []
    for person_id, _shared in found:
        try:
            person_key = keyring.open_key(PersonKey, person_id, staff.holder_id, private_key)
        except keyring.NoAccess:
            continue  # the query already keeps to held persons; a revoked key since
        data = sealed_identity(person_id, person_key)
        if data is None:
            continue
        match = matching.compare(wanted, identity_of(data))
        if match.score < SHOWN:
            continue
        proposals.append(
            Proposal(
                person_id=person_id,
                number=numbers[person_id],
                names=[{**n, "label": SCRIPT_LABELS.get(n["script"], "")} for n in data["names"]],
                score=match.score,
                strength=strength(match.score),
                reasons=duplicate_reasons.words(match.reasons),
            )
        )
    proposals.sort(key=lambda p: (-p.score, p.number))
    return proposals[:limit]


def record_shown(staff: Staff, proposals: list[Proposal]) -> None:
    """A proposal shows a case's names: an opening of that case, by opaque id, once a
    day (as the case page records it)."""
    for proposal in proposals:
        audit.record_view(audit.staff_actor(staff), Action.PERSON_OPENED, proposal.person_id)
