"""An export from review to the recipient: a second person approves the exact version,
the rendered files are checked for leaks, and the release is sealed in the case, recorded
and told to the family. Every step checks the reports' current consent again."""

from __future__ import annotations

import base64
import json
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

import crypto
from accounts.models import Role, Staff
from audit import chain as audit
from audit.models import Action
from cases import services as cases
from intake import returns

from . import leakcheck, policy, render, services
from .models import Export, State
from .services import DRAFTING_ROLES, REVIEWING_ROLES, NotAllowed, OpenExport


class LeakFound(Exception):
    def __init__(self, hits: list[leakcheck.Hit]) -> None:
        super().__init__(f"{len(hits)} leak check hits")
        self.hits = hits


def approve(
    staff: Staff, private_key: crypto.PrivateKey, opened: OpenExport, shown_hash: str
) -> None:
    """A second person approves the exact version they were shown (its hash)."""
    export = opened.export
    if staff.role not in REVIEWING_ROLES:
        raise NotAllowed(gettext("Your role does not approve exports."))
    if export.author_id == staff.pk:
        raise NotAllowed(
            gettext("The author of an export cannot approve it: a second person must.")
        )
    if export.state != State.DRAFT:
        raise NotAllowed(gettext("Only a draft waiting for review can be approved."))
    refusal = services.consent_refusal(
        export.reports.all(), export.recipient_kind, export.identity_level, export.narrative
    )
    if refusal:
        raise NotAllowed(refusal)
    current = services.version_hash(opened)
    if not secrets.compare_digest(current, shown_hash):
        raise NotAllowed(
            gettext("The draft changed since you read it. Read it again before approving.")
        )
    with transaction.atomic():
        updated = Export.objects.filter(id=export.id, state=State.DRAFT).update(
            state=State.APPROVED, reviewer=staff, approved_hash=bytes.fromhex(current)
        )
        if not updated:
            raise NotAllowed(gettext("Only a draft waiting for review can be approved."))
        audit.record(
            audit.staff_actor(staff), Action.EXPORT_APPROVED, [export.id, export.person_id]
        )
    export.refresh_from_db()


def literals(opened: OpenExport) -> list[str]:
    """What no package may carry: internal ids and staff names."""
    export = opened.export
    ids = [export.id, export.person_id, *export.reports.values_list("id", flat=True)]
    words = [i.hex for i in ids] + [str(i) for i in ids]
    staff = Staff.objects.filter(id__in=[export.author_id, export.reviewer_id])
    # A login that is a role's name ("caseworker", as the demo's are) is a word of the
    # templates themselves, not a person.
    words += [m.username for m in staff if m.username.casefold() not in Role.values]
    return [w for w in words if w and len(w) >= 3]


def check(opened: OpenExport, pdf: bytes, data: bytes) -> list[leakcheck.Hit]:
    """The leak check on the rendered files: every proposal the final version would
    redact, found again in what was rendered, and every internal id."""

    draft = opened.draft
    level = opened.export.identity_level
    find = policy.leak_finder(opened.case, level, draft.choices, draft.marked)
    return leakcheck.check(
        pdf,
        data,
        find,
        literals(opened),
        labels=policy.FIXED_LABELS,
        own_ids=[opened.export.public_id],
    )


def release(staff: Staff, private_key: crypto.PrivateKey, opened: OpenExport) -> bytes:
    """Render, leak-check, seal and record the approved version. The caller checked a
    fresh second factor. Returns the sealed package's PDF. Raises NotAllowed or
    LeakFound, leaving the export as it was."""
    export = opened.export
    if staff.role not in (*DRAFTING_ROLES, Role.REVIEWER):
        raise NotAllowed(gettext("Your role does not release exports."))
    if export.state != State.APPROVED:
        raise NotAllowed(gettext("Only an approved export can be released."))
    refusal = services.consent_refusal(
        export.reports.all(), export.recipient_kind, export.identity_level, export.narrative
    )
    if refusal:
        raise NotAllowed(refusal)
    export.released_on = timezone.localdate()
    document = services.final_document(opened)
    if bytes(export.approved_hash).hex() != services.version_hash(opened, document):
        export.released_on = None
        raise NotAllowed(gettext("This version is not the one approved. Ask for a new review."))
    pdf, data = render.pdf(document), render.json_bytes(document)
    hits = check(opened, pdf, data)
    if hits:
        export.released_on = None
        raise LeakFound(hits)
    files = {"pdf": base64.b64encode(pdf).decode(), "json": base64.b64encode(data).decode()}
    package = json.dumps(files).encode()
    reports = list(export.reports.all())
    with transaction.atomic():
        locked = Export.objects.select_for_update().filter(id=export.id, state=State.APPROVED)
        if not list(locked.values_list("id", flat=True)):
            raise NotAllowed(gettext("Only an approved export can be released."))
        sealed = crypto.seal(opened.person.key, package, services.package_aad(export))
        locked.update(state=State.RELEASED, released_on=export.released_on, sealed_package=sealed)
        for report in reports:
            dek = cases.open_report(staff, private_key, report.id, record=False).dek
            returns.record_sharing(report.id, dek, opened.draft.recipient, export.recipient_kind)
        audit.record(
            audit.staff_actor(staff),
            Action.EXPORT,
            [export.id, export.person_id, *[r.id for r in reports]],
        )
    export.refresh_from_db()
    return pdf


def package(opened: OpenExport) -> dict[str, bytes]:
    """The released files, as the organisation sent them."""
    export = opened.export
    raw = crypto.open_(
        opened.person.key,
        bytes(export.sealed_package),
        services.package_aad(export),
    )
    files = json.loads(raw)
    return {name: base64.b64decode(files[name]) for name in ("pdf", "json")}
