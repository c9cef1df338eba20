"""Duplicates: which known persons a new report may be about.

Each person keeps blind-index buckets of their names (names.buckets: truncated HMACs
under the organisation's index key, never derived from a server secret) and, sealed
under the person's own key, the identity those buckets were made from. A proposal is
one indexed query for the persons sharing buckets with the report, restricted to the
persons the staff member holds, then one query for the candidates' sealed identities,
one for the staff member's wrappings of their keys, one decryption per candidate and
names.matching.compare inside the request. Nothing here leaves the request in clear.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction

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
from names import buckets, matching, search, stored

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
    """The parsed identity: kept in a sealed identity when it was indexed under the
    current names.VERSION (seal_identity), else parsed from the names now."""
    kept = data.get("parsed") or {}
    if kept.get("version") == names.VERSION:
        try:
            return stored.load(kept["identity"])
        except (KeyError, ValueError):
            pass  # not expected from our own sealing: parse as for an older one
    return matching.identity(
        # The form's own script code: "pinyin" reads differently from other Latin.
        names=[(n["name"], n["script"]) for n in data["names"]],
        father=data["father"] or "",
        birth_year=data["birth_year"],
        county=data["county"] or "",
    )


def seal_identity(
    person_id: uuid.UUID, person_key: bytes, data: dict
) -> tuple[bytes, matching.Identity]:
    """`data` (combined) sealed under the person's key with its parsed identity beside
    it, and that identity: a proposal compares up to search.GATHER candidates and must
    not parse each one again (identity_of reads it back)."""
    parsed = identity_of({k: v for k, v in data.items() if k != "parsed"})
    kept = {"version": names.VERSION, "identity": stored.dump(parsed)}
    plain = json.dumps({**data, "parsed": kept}).encode()
    return crypto.seal(person_key, plain, _aad(person_id)), parsed


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
    row = Person.objects.filter(id=person_id).values_list("sealed_identity", flat=True)[0]
    return _opened_identity(person_id, person_key, bytes(row))


def _opened_identity(person_id: uuid.UUID, person_key: bytes, sealed: bytes) -> dict | None:
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
    sealed, parsed = seal_identity(person_id, person_key, combined(parts))
    rows = buckets.of(key, parsed)
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
    staff: Staff,
    key: bytes,
    identity: matching.Identity,
    limit: int = search.GATHER,
    cap: int = search.CAP,
) -> list[tuple[uuid.UUID, int]]:
    """(person id, summed weight of shared buckets), best first, as names.search ranks
    them (weight, then id): one query, only rows of the current names.VERSION, only the
    report's buckets on at most `cap` rows (each counted with an index-only LIMIT cap+1),
    only persons the staff member holds a key of (before the LIMIT)."""
    weights = buckets.weights(key, identity)
    if not weights:
        return []
    bucket_table = PersonBucket._meta.db_table
    key_table = PersonKey._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(weights))
    sql = f"""
        WITH q(bucket, weight) AS (VALUES {values}),
        usable AS (
            SELECT q.bucket, q.weight FROM q
             WHERE (SELECT count(*) FROM (
                        SELECT 1 FROM {bucket_table} c
                         WHERE c.bucket = q.bucket AND c.version = %s LIMIT %s
                    ) AS n) <= %s
        )
        SELECT b.person_id, SUM(u.weight) AS shared
          FROM usable u
          JOIN {bucket_table} b ON b.bucket = u.bucket AND b.version = %s
         WHERE EXISTS (SELECT 1 FROM {key_table} k
                        WHERE k.person_id = b.person_id AND k.holder_id = %s)
         GROUP BY b.person_id
         ORDER BY shared DESC, b.person_id
         LIMIT %s"""  # noqa: S608 - only table names and placeholders go in
    params: list[bytes | int | str] = []
    for bucket, weight in sorted(weights.items()):
        params += [bucket, weight]
    holder_field = PersonKey._meta.get_field("holder").target_field
    holder = holder_field.get_db_prep_value(staff.holder_id, connection)
    params += [names.VERSION, cap + 1, cap, names.VERSION, holder, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    to_id = PersonBucket._meta.get_field("person").target_field.to_python
    return [(to_id(pid), int(shared)) for pid, shared in rows]


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
    found = [(pid, shared) for pid, shared in candidates(staff, key, wanted) if pid not in exclude]
    ids = [pid for pid, _ in found]
    # One query each for the candidates' rows and wrappings, not two per candidate.
    rows = {
        row["id"]: row
        for row in Person.objects.filter(id__in=ids).values("id", "number", "sealed_identity")
    }
    wrapped = {
        row.person_id: row
        for row in PersonKey.objects.filter(person_id__in=ids, holder_id=staff.holder_id)
    }
    proposals = []
    for person_id, _shared in found:
        try:
            if person_id not in wrapped or person_id not in rows:
                raise keyring.NoAccess("no wrapping for this holder")
            person_key = keyring.unwrap(wrapped[person_id], private_key)
        except keyring.NoAccess:
            continue  # the query already keeps to held persons; a revoked key since
        data = _opened_identity(person_id, person_key, bytes(rows[person_id]["sealed_identity"]))
        if data is None:
            continue
        match = matching.compare(wanted, identity_of(data))
        if match.score < SHOWN:
            continue
        proposals.append(
            Proposal(
                person_id=person_id,
                number=rows[person_id]["number"],
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


# -- A shredded report's names go at once; the person is indexed again later --------------

REINDEX_AT_ONCE = 20  # due persons indexed again per page load: a few report openings each


def forget_shredded(sender: object, report_id: uuid.UUID, **kwargs: object) -> None:
    """intake.shredding.shredded: inside the shredding's transaction, with no key. The
    report leaves its person, and everything the person kept of its names goes with
    it: every bucket row (the report's names can no longer be matched), the sealed
    identity and the sealed name, which hold every linked report's names and cannot be
    sealed again without a key. A person with reports left is marked due: the next
    staff member with the index key who acts on it seals them again from those
    reports (reindex_due, reindex). A person with none left keeps its case number,
    timeline and notes (the organisation's work) and no name."""
    link = PersonReport.objects.filter(report_id=report_id).values_list("person_id").first()
    if link is None:
        return  # never triaged: no person holds its names
    person_id = link[0]
    # The report's row is locked by the shredding; the person next, as a merge does.
    locked = Person.objects.select_for_update(no_key=True).filter(id=person_id)
    list(locked.values_list("id"))
    PersonReport.objects.filter(report_id=report_id).delete()
    PersonBucket.objects.filter(person_id=person_id).delete()
    left = PersonReport.objects.filter(person_id=person_id).exists()
    Person.objects.filter(id=person_id).update(
        sealed_identity=b"", sealed_name=b"", reindex_due=left
    )


def reindex(
    holder: KeyHolder, private_key: crypto.PrivateKey, key: bytes, person_id: uuid.UUID
) -> bool:
    """Seal a due person's identity, buckets and name again from its reports left; False
    when it was not due (any more). The person's row is locked first, so a shredding at
    the same moment clears after this, never before it."""
    with transaction.atomic():
        locked = Person.objects.select_for_update(no_key=True).filter(id=person_id)
        person = locked.filter(reindex_due=True).first()
        if person is None:
            return False
        person_key = keyring.open_key(PersonKey, person_id, holder.pk, private_key)
        opened = persons.OpenPerson(person=person, key=person_key)
        sealed_name = persons.names_from_reports(holder.pk, private_key, opened)
        index_person(holder, private_key, key, person_id)
        Person.objects.filter(id=person_id).update(sealed_name=sealed_name, reindex_due=False)
    return True


def reindex_due(
    staff: Staff,
    private_key: crypto.PrivateKey,
    person_ids: list[uuid.UUID] | None = None,
    limit: int = REINDEX_AT_ONCE,
) -> int:
    """Index again up to `limit` due persons the staff member holds (only those of
    `person_ids` if given). Called when they load the inbox, a report, a case or the
    case list: one indexed query when nothing is due. Nothing for a staff member
    without the index key. Returns how many were indexed."""
    held = PersonKey.objects.filter(holder_id=staff.holder_id, person__reindex_due=True)
    if person_ids is not None:
        held = held.filter(person_id__in=person_ids)
    due = list(held.order_by("person_id").values_list("person_id", flat=True)[:limit])
    if not due:
        return 0
    key = index_key(staff.holder, private_key)
    if key is None:
        return 0
    done = 0
    for person_id in due:
        try:
            done += reindex(staff.holder, private_key, key, person_id)
        except keyring.NoAccess:
            continue  # a key taken back since the query
    return done
