"""An export's life up to review: drafted from the case's reports for one recipient,
redacted and edited by its author (disclosure.sending approves, leak-checks and releases it).

Every step checks the current consent of every report drawn on (disclosure.consent); a
reporter's narrower consent blocks a draft or an approved export at once
(block_on_consent). The final version is one redacted text (final_document), the only
thing the preview, the approval's hash, the PDF and the JSON are made from.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

import crypto
from accounts import keyring
from accounts import services as accounts
from accounts.models import Role, Staff
from audit import chain as audit
from audit.models import Action
from cases import persons
from cases import services as cases
from cases.models import PersonKey, PersonReport
from intake.models import Report

from . import consent, drafts, policy, redaction, render
from . import consent as consent_table
from .models import Export, ExportReport, IdentityLevel, RecipientKind, State, Template

DRAFTING_ROLES = (Role.INTAKE, Role.CASEWORKER, Role.COORDINATOR)
REVIEWING_ROLES = (Role.INTAKE, Role.CASEWORKER, Role.REVIEWER, Role.COORDINATOR)
KIND_OF = {
    Template.WGEID: RecipientKind.UN,
    Template.PARTNER: RecipientKind.PARTNER,
    Template.PUBLIC: RecipientKind.PUBLIC,
}
# Public ids: no vowels or look-alike characters, so no word and no misreading.
_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXZ"


class NoAccess(Exception):
    """The staff member cannot open this export's case (a 404 for the page)."""


class NotAllowed(Exception):
    """The step is refused; `message` says why in the staff member's words."""

    def __init__(self, message: str) -> None:
        super().__init__("refused")  # never the message: it may name a recipient
        self.message = message


@dataclass
class Draft:
    """The sealed part of an export."""

    recipient: str
    fields: list[dict[str, str]]  # {"key", "heading", "text"}
    # The caseworker's choices on proposals, by "kind|label|text": "keep" or "redact".
    choices: dict[str, str] = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)  # words to hide wherever they are
    missing: list[str] = field(default_factory=list)  # WGEID minimum elements not given
    urgent: bool = False
    related_urgent: bool = False

    def __repr__(self) -> str:
        return f"Draft(fields={len(self.fields)}, choices={len(self.choices)})"


@dataclass
class OpenExport:
    export: Export
    person: persons.OpenPerson
    draft: Draft = field(repr=False)
    contents: list[dict] = field(repr=False)

    @functools.cached_property
    def case(self) -> policy.Case:
        """The case's names and other entities, their proposers made once per request."""
        published = self.export.recipient_kind == RecipientKind.PUBLIC
        return policy.Case(policy.entities(self.contents), published=published)


Proposal = policy.Proposal


def new_public_id() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"EXP-{body[:4]}-{body[4:]}"


def _aad(export: Export) -> bytes:
    return persons.aad(export.person_id, "export", export.id.hex)


def package_aad(export: Export) -> bytes:
    return persons.aad(export.person_id, "package", export.id.hex)


def _seal(opened_person: persons.OpenPerson, export: Export, draft: Draft) -> bytes:
    return crypto.seal(opened_person.key, json.dumps(draft.__dict__).encode(), _aad(export))


def _reports(person_id: uuid.UUID) -> list[Report]:
    ids = PersonReport.objects.filter(person_id=person_id).values_list("report_id", flat=True)
    return list(Report.objects.filter(id__in=list(ids)).order_by("received_on", "id"))


def _contents(
    staff: Staff, private_key: crypto.PrivateKey, reports: list[Report], strict: bool = True
) -> list[dict]:
    """The reports' contents; NoAccess if one cannot be opened, unless not `strict` (a
    released export's shredded report is skipped: the package is the record)."""
    out = []
    for report in reports:
        try:
            opened = cases.open_report(staff, private_key, report.id, record=False)
        except keyring.NoAccess:
            if strict:
                raise NoAccess("a report of the case cannot be opened") from None
            continue
        out.append(cases.content(opened))
    return out


def case_contents(staff: Staff, private_key: crypto.PrivateKey, person_id: uuid.UUID) -> list[dict]:
    """The contents of every report of the case (NoAccess if one cannot be opened)."""
    return _contents(staff, private_key, _reports(person_id))


def consent_refusal(
    reports: Iterable[Report], kind: str, level: str, narrative: bool = False
) -> str | None:
    """Why the reports' current consent refuses this export, or None. `narrative`: the
    export publishes the family's own account, which only full public use allows."""
    blocking = [
        r
        for r in reports
        if not consent.allows(r.consent, kind, level)
        or (narrative and not consent.narrative_public([r.consent]))
    ]
    if not blocking:
        return None
    days = ", ".join(r.received_on.isoformat() for r in blocking)
    return gettext(
        "The family's consent does not allow this: the report(s) received on %(days)s do "
        "not allow sharing with this kind of recipient at this level of identity."
    ) % {"days": days}


def level_for(template: str, reporter_named: bool) -> str:
    if template == Template.PARTNER:
        return IdentityLevel.ANONYMOUS
    if template == Template.WGEID and reporter_named:
        return IdentityLevel.REPORTER_NAMED
    return IdentityLevel.MISSING_NAMED


def allowed_templates(person_id: uuid.UUID) -> dict[str, bool]:
    """Which templates the current consent of every report of the case allows."""
    reports = _reports(person_id)
    return {
        t: bool(reports)
        and consent_refusal(reports, KIND_OF[Template(t)], level_for(t, False)) is None
        for t in Template.values
    }


def start(
    staff: Staff,
    private_key: crypto.PrivateKey,
    person_id: uuid.UUID,
    template: str,
    recipient: str,
    reporter_named: bool = False,
) -> Export:
    """A new draft for `recipient` (plain words, sealed) from the case's reports.
    Raises NoAccess (not a holder of the case, or of one of its reports) or NotAllowed
    (the consent of a report does not allow it)."""
    if staff.role not in DRAFTING_ROLES:
        raise NoAccess("this role does not draft exports")
    try:
        opened = persons.open_person(staff, private_key, person_id, record=False)
    except cases.NoAccess:
        raise NoAccess("not a holder of the case") from None
    template = Template(template)
    kind, level = KIND_OF[template], level_for(template, reporter_named)
    reports = _reports(person_id)
    if not reports:
        raise NotAllowed(gettext("This case has no report left to draw on."))
    refusal = consent_refusal(reports, kind, level)
    if refusal:
        raise NotAllowed(refusal)
    contents = _contents(staff, private_key, reports)
    narrative = template == Template.PUBLIC and consent.narrative_public(
        [r.consent for r in reports]
    )
    organisation, today = accounts.organisation().name, timezone.localdate()
    if template == Template.WGEID:
        made = drafts.wgeid(contents, organisation, today, reporter_named=reporter_named)
    elif template == Template.PARTNER:
        made = drafts.partner(contents, organisation, today)
    else:
        made = drafts.public(contents, organisation, today, narrative=narrative)
    draft = Draft(
        recipient=recipient.strip(),
        fields=[{"key": f.key, "heading": f.heading, "text": f.text} for f in made.fields],
        missing=list(made.missing),
        urgent=made.urgent,
        related_urgent=made.related_urgent,
    )
    with transaction.atomic():
        export = Export(
            public_id=new_public_id(),
            person_id=person_id,
            template=template,
            recipient_kind=kind,
            identity_level=level,
            narrative=narrative,
            author=staff,
        )
        export.sealed_draft = _seal(opened, export, draft)
        export.save()
        ExportReport.objects.bulk_create(ExportReport(export=export, report=r) for r in reports)
        audit.record(
            audit.staff_actor(staff),
            Action.EXPORT_DRAFTED,
            [export.id, person_id, *[r.id for r in reports]],
        )
    return export


def open_export(staff: Staff, private_key: crypto.PrivateKey, export_id: uuid.UUID) -> OpenExport:
    """The export with its draft, for a holder of its case and of its reports."""
    export = Export.objects.filter(id=export_id).select_related("author", "reviewer").first()
    if (
        export is None
        or not PersonKey.objects.filter(
            person_id=export.person_id, holder_id=staff.holder_id
        ).exists()
    ):
        raise NoAccess("no such export for this staff member")
    try:
        opened = persons.open_person(staff, private_key, export.person_id, record=False)
    except cases.NoAccess:
        raise NoAccess("not a holder of the case") from None
    reports = list(export.reports.order_by("received_on", "id"))
    working = export.state in (State.DRAFT, State.APPROVED)
    contents = _contents(staff, private_key, reports, strict=working)
    if export.sealed_draft:
        raw = json.loads(crypto.open_(opened.key, bytes(export.sealed_draft), _aad(export)))
        draft = Draft(**raw)
    else:  # a report it drew on was shredded: only the released package is kept
        draft = Draft(recipient="", fields=[])
    return OpenExport(export=export, person=opened, draft=draft, contents=contents)


def proposals(opened: OpenExport, text: str) -> list[Proposal]:
    """The proposals over one text at the export's level, with the caseworker's choices."""
    draft = opened.draft
    level = opened.export.identity_level
    return policy.proposals(text, opened.case, level, draft.choices, draft.marked)


def redacted(opened: OpenExport, text: str, found: list[Proposal] | None = None) -> str:
    """`text` with what is redacted replaced by its labels; `found`: its proposals, when
    the caller has them already."""
    found = proposals(opened, text) if found is None else found
    return redaction.apply(text, [p.span for p in found if p.redacted])


def final_document(
    opened: OpenExport, found: list[list[Proposal]] | None = None
) -> render.Document:
    """The one redacted version: preview, approval hash, PDF and JSON all come from it.
    `found`: each field's proposals, when the caller made them for its page."""
    export = opened.export
    fields = opened.draft.fields
    each = found if found is not None else [None] * len(fields)
    sections = tuple(
        render.Section(heading=f["heading"], text=redacted(opened, f["text"], field_found))
        for f, field_found in zip(fields, each, strict=True)
    )
    return render.Document(
        export_id=export.public_id,
        title=str(Template(export.template).label),
        day=export.released_on or timezone.localdate(),
        recipient=opened.draft.recipient,
        sections=sections,
    )


def version_hash(opened: OpenExport, document: render.Document | None = None) -> str:
    """SHA-256 of what the reviewer approves: recipient, template, level and every
    redacted section, not the day (a release may come a day later). `document`: the
    final_document already made for this request, not made again."""
    doc = document or final_document(opened)
    canonical = json.dumps(
        [
            opened.export.template,
            opened.export.identity_level,
            doc.recipient,
            [[s.heading, s.text] for s in doc.sections],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _editable(staff: Staff, opened: OpenExport) -> None:
    export = opened.export
    if export.author_id != staff.pk:
        raise NotAllowed(gettext("Only the author of a draft changes it; a reviewer approves it."))
    if export.state not in (State.DRAFT, State.APPROVED):
        raise NotAllowed(gettext("This export can no longer be changed."))


def _save(opened: OpenExport) -> None:
    """Seal the changed draft; any change voids an approval. Written only while the
    export is still a draft or approved: a page loaded before a block, a release or a
    shredding cannot turn it back into a draft."""
    export = opened.export
    sealed = _seal(opened.person, export, opened.draft)
    changed = Export.objects.filter(id=export.id, state__in=(State.DRAFT, State.APPROVED))
    if not changed.update(sealed_draft=sealed, state=State.DRAFT, approved_hash=b"", reviewer=None):
        raise NotAllowed(gettext("This export can no longer be changed."))
    export.sealed_draft, export.state, export.approved_hash, export.reviewer = (
        sealed,
        State.DRAFT,
        b"",
        None,
    )


def save_texts(staff: Staff, opened: OpenExport, texts: dict[str, str]) -> None:
    _editable(staff, opened)
    for entry in opened.draft.fields:
        if entry["key"] in texts:
            entry["text"] = texts[entry["key"]]
    _save(opened)


def choose(staff: Staff, opened: OpenExport, key: str, keep: bool) -> None:
    """Keep a proposal in clear or redact it, wherever the same words are proposed.
    A forbidden one cannot be kept."""
    _editable(staff, opened)
    kind, label, words = [*key.split("|", 2), "", ""][:3]
    probe = redaction.Span(0, len(words), kind, label)
    judged = policy.judge(probe, words, opened.export.identity_level, opened.case)
    if keep and judged.forbidden:
        raise NotAllowed(gettext("The family's consent does not allow this to be shared."))
    opened.draft.choices[key] = "keep" if keep else "redact"
    _save(opened)


def mark(staff: Staff, opened: OpenExport, words: str) -> None:
    _editable(staff, opened)
    words = words.strip()
    if words and words.casefold() not in {w.casefold() for w in opened.draft.marked}:
        if len(opened.draft.marked) >= policy.MAX_MARKS:
            raise NotAllowed(
                gettext("This draft has as many hidden words as it can take. Edit the text.")
            )
        opened.draft.marked.append(words)
    _save(opened)


def block_on_consent(sender: object, report_id: uuid.UUID, consent: str, **kwargs: object) -> None:
    """intake.returns.consent_changed: inside the change's transaction, with no key.
    Every draft or approved export drawing on the report that the new consent no longer
    allows is blocked at once; a released one stays a record of what was sent."""
    open_states = (State.DRAFT, State.APPROVED)
    rows = Export.objects.filter(drawn_on__report_id=report_id, state__in=open_states)
    for export in rows.select_for_update():
        narrative_ok = not export.narrative or consent_table.narrative_public([consent])
        allowed = consent_table.allows(consent, export.recipient_kind, export.identity_level)
        if allowed and narrative_ok:
            continue
        Export.objects.filter(id=export.id).update(
            state=State.BLOCKED, approved_hash=b"", reviewer=None
        )
        audit.record("system", Action.EXPORT_BLOCKED, [export.id, report_id])


def forget_shredded(sender: object, report_id: uuid.UUID, **kwargs: object) -> None:
    """intake.shredding.shredded: inside the shredding's transaction, with no key. A draft
    holds the report's words (and a blocked or approved one too): every export drawing on
    the report that was not released goes. A released one keeps its package, the record
    of what was sent, and loses its draft (the report's words before redaction)."""
    drawn = Export.objects.filter(drawn_on__report_id=report_id)
    Export.objects.filter(id__in=drawn.exclude(state=State.RELEASED).values("id")).delete()
    drawn.filter(state=State.RELEASED).update(sealed_draft=b"")
