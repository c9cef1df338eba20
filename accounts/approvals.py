"""Four eyes on every change that grants access to content.

A coordinator proposes a new account, a role that holds the index key (intake,
caseworker, coordinator) or a password reset; nothing changes until a second person
approves: another coordinator, or the recovery trustees (any threshold of their
shares) in an organisation with one coordinator.

A proposal holds no password and no key. The approver types the first password (of a
new account, or after a reset) and the key material of the grant (the index key)
is unwrapped from the approving session's key at approval time, so what the
proposer asked for cannot be used before approval. Whoever carries out the approval
(the second coordinator, or with trustees' shares the coordinator who proposed) knows
the first password until the new member replaces it at first sign-in: a known
weakness, see docs/THREAT_MODEL.md. Proposals expire; every step is in the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import password_validation
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import crypto
from audit import chain as audit
from audit.models import Action
from crypto import recovery

from . import people, services
from .models import Proposal, Role, Staff

EXPIRES_AFTER = timedelta(hours=48)
RECOVERY_ACTOR = "recovery"


class Refused(Exception):
    """The change cannot be proposed or approved. The message is safe to show."""


class WrongShares(Refused):
    """The shares do not rebuild this organisation's recovery key."""


def role_needs_approval(role: str) -> bool:
    """Roles that receive the index key (and with it the triage or staff tools)."""
    return role in services.INDEX_KEY_ROLES


def pending() -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        outcome=Proposal.Outcome.PENDING, expires_at__gt=timezone.now()
    ).select_related("target", "proposed_by")


def coordinators_count() -> int:
    return Staff.objects.filter(role=Role.COORDINATOR, is_active=True).count()


def _check_coordinator(staff: Staff) -> None:
    if staff.role != Role.COORDINATOR or not staff.is_active:
        raise Refused(_("Only an active coordinator can do this."))


def _propose(proposer: Staff, **fields: object) -> Proposal:
    _check_coordinator(proposer)
    now = timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.create(
            proposed_by=proposer, created_at=now, expires_at=now + EXPIRES_AFTER, **fields
        )
        subjects: list[object] = [proposal.id]
        if proposal.target_id is not None:
            subjects.append(proposal.target_id)
        audit.record(audit.staff_actor(proposer), Action.CHANGE_PROPOSED, subjects)
    return proposal


def _refuse_duplicate(**match: object) -> None:
    if pending().filter(**match).exists():
        raise Refused(_("The same change is already waiting for approval."))


def propose_new_account(proposer: Staff, username: str, role: str) -> Proposal:
    if role not in Role.values:
        raise Refused(_("Choose one of the roles."))
    if Staff.objects.filter(username=username).exists():
        raise Refused(_("This login is taken."))
    _refuse_duplicate(kind=Proposal.Kind.NEW_ACCOUNT, username=username)
    return _propose(proposer, kind=Proposal.Kind.NEW_ACCOUNT, username=username, role=role)


def _check_target(proposer: Staff, staff: Staff) -> None:
    if staff.pk == proposer.pk:
        raise Refused(_("Ask another coordinator to change your own account."))
    if not staff.is_active:
        raise Refused(_("This account is deactivated."))


def change_role(proposer: Staff, proposer_key: crypto.PrivateKey, staff: Staff, role: str) -> bool:
    """A role that grants no key is changed at once (True); one that does, or one that
    takes a coordinator's role away, is proposed (False)."""
    _check_coordinator(proposer)
    _check_target(proposer, staff)
    if role not in Role.values:
        raise Refused(_("Choose one of the roles."))
    if role == staff.role:
        raise Refused(_("%(login)s already has this role.") % {"login": staff.username})
    # Demoting a coordinator removes one of the people who approve: never one alone.
    if not role_needs_approval(role) and staff.role != Role.COORDINATOR:
        people.change_role(proposer, proposer_key, staff, role)
        return True
    _refuse_duplicate(kind=Proposal.Kind.ROLE, target=staff)
    _propose(proposer, kind=Proposal.Kind.ROLE, target=staff, username=staff.username, role=role)
    return False


def propose_reset(proposer: Staff, staff: Staff) -> Proposal:
    _check_target(proposer, staff)
    _refuse_duplicate(kind=Proposal.Kind.RESET, target=staff)
    return _propose(proposer, kind=Proposal.Kind.RESET, target=staff, username=staff.username)


def _locked(proposal_id: uuid.UUID) -> Proposal:
    proposal = (
        # Lock the proposal row only: `target` is a nullable join, which PostgreSQL
        # cannot lock.
        Proposal.objects.select_for_update(of=("self",))
        .select_related("target", "proposed_by")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or proposal.outcome != Proposal.Outcome.PENDING:
        raise Refused(_("This change is no longer waiting for approval."))
    if proposal.expires_at <= timezone.now():
        raise Refused(_("This proposal has expired. Propose the change again."))
    proposer = proposal.proposed_by
    if not proposer.is_active or proposer.role != Role.COORDINATOR:
        raise Refused(_("Whoever proposed this is no longer a coordinator. Propose it again."))
    return proposal


def check_password(proposal: Proposal, password: str) -> None:
    """The same password rules as any account's (Django's validators)."""
    if not proposal.needs_password:
        return
    candidate = proposal.target or Staff(username=proposal.username, role=proposal.role)
    password_validation.validate_password(password, candidate)


def _carry_out(
    proposal: Proposal, granter: Staff, granter_key: crypto.PrivateKey, password: str
) -> None:
    target = proposal.target
    if target is not None and not target.is_active:
        raise Refused(_("This account was deactivated in the meantime."))
    if proposal.kind == Proposal.Kind.NEW_ACCOUNT:
        if Staff.objects.filter(username=proposal.username).exists():
            raise Refused(_("This login was taken in the meantime."))
        services.add_staff(
            proposal.username,
            proposal.role,
            password,
            granter,
            granter_key,
            must_change_password=True,
        )
    elif proposal.kind == Proposal.Kind.ROLE:
        assert target is not None
        people.change_role(granter, granter_key, target, proposal.role)
    else:
        assert target is not None
        people.reset_password(granter, target, password)


def _decide(proposal: Proposal, outcome: str, decider: Staff | None) -> None:
    proposal.outcome = outcome
    proposal.decided_by = decider
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["outcome", "decided_by", "decided_at"])


def approve(
    proposal_id: uuid.UUID, approver: Staff, approver_key: crypto.PrivateKey, password: str = ""
) -> Proposal:
    """A second coordinator approves and carries the change out with their own key.

    Raises Refused, or django's ValidationError for a weak password."""
    _check_coordinator(approver)
    with transaction.atomic():
        proposal = _locked(proposal_id)
        if proposal.proposed_by_id == approver.pk:
            raise Refused(_("A change needs a second coordinator: you proposed this one."))
        if proposal.target_id == approver.pk:
            raise Refused(_("Ask another coordinator to approve a change to your own account."))
        check_password(proposal, password)
        _carry_out(proposal, approver, approver_key, password)
        _decide(proposal, Proposal.Outcome.APPROVED, approver)
        audit.record(audit.staff_actor(approver), Action.CHANGE_APPROVED, [proposal.id])
    return proposal


def recovery_key_from(shares: Iterable[str]) -> crypto.PrivateKey:
    """The recovery key, rebuilt from trustees' shares, if it is this organisation's."""
    try:
        key = recovery.recover(shares)
    except crypto.RecoveryError as exc:
        raise WrongShares(_("The shares were refused: %(reason)s.") % {"reason": exc}) from None
    if key.public_key() != services.organisation().recovery_holder.public:
        raise WrongShares(_("These shares rebuild a different key than this organisation's."))
    return key


def approve_with_shares(
    proposal_id: uuid.UUID,
    executor: Staff,
    executor_key: crypto.PrivateKey,
    shares: Iterable[str],
    password: str = "",
) -> Proposal:
    """Trustees approve in place of a second coordinator: enough of their shares must
    rebuild the organisation's recovery key (which is then dropped). The signed-in
    coordinator who types them in carries the change out with their own key, as a
    second coordinator would; the log names the trustees ("recovery") as approvers.

    Raises Refused (WrongShares), or django's ValidationError for a weak password."""
    _check_coordinator(executor)
    recovery_key_from(shares)
    with transaction.atomic():
        proposal = _locked(proposal_id)
        if proposal.target_id == executor.pk:
            raise Refused(_("A change to your own account needs another coordinator."))
        check_password(proposal, password)
        _carry_out(proposal, executor, executor_key, password)
        _decide(proposal, Proposal.Outcome.APPROVED, None)
        audit.record(RECOVERY_ACTOR, Action.CHANGE_APPROVED, [proposal.id, executor.pk])
    return proposal


def decline(proposal_id: uuid.UUID, coordinator: Staff) -> Proposal:
    """Any coordinator, the proposer included (to withdraw it), can decline."""
    _check_coordinator(coordinator)
    with transaction.atomic():
        proposal = _locked(proposal_id)
        _decide(proposal, Proposal.Outcome.DECLINED, coordinator)
        audit.record(audit.staff_actor(coordinator), Action.CHANGE_DECLINED, [proposal.id])
    return proposal


def describe(proposal: Proposal) -> str:
    """A line for notices and the Staff page: logins and roles only."""
    names = {"login": proposal.username}
    if proposal.kind == Proposal.Kind.RESET:
        return _("a password reset (new key) for %(login)s") % names
    names["role"] = str(Role(proposal.role).label).lower()
    if proposal.kind == Proposal.Kind.NEW_ACCOUNT:
        return _("a new %(role)s account for %(login)s") % names
    return _("%(login)s becomes %(role)s") % names
