"""The one place that opens, grants, re-wraps and drops wrapped keys.

Each kind of wrapped key (a report's, a person's, the organisation's index key) is a
concrete subclass of accounts.models.WrappedKey in the app that owns what it wraps.
The keyring finds the kinds at run time in the app registry, as django-otp finds its
device classes, so accounts never imports the feature apps and a new kind of key is
dropped on deactivation, reset and role change without a change here.

Nothing here keeps a key beyond the call; private keys come in as arguments.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.db import models, transaction

import crypto

from .models import KeyHolder, Reason, Staff, WrappedKey

Kind = type[WrappedKey]
# Which wrappings an operation touches: of these kinds, those subjects (None: all).
Only = Mapping[Kind, Iterable[Any] | None]

# A stronger reason is never replaced by a weaker one: a case assigned to someone who
# also received it as intake stays theirs when they leave intake.
_STRENGTH: dict[str, int] = {Reason.INTAKE: 0, Reason.ROLE: 0, Reason.ASSIGNED: 1}


class NoAccess(Exception):
    """No wrapping of this key for this holder, or it does not open with their key."""


def kinds() -> list[Kind]:
    """Every concrete kind of wrapped key installed."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, WrappedKey) and not model._meta.abstract
    ]


def stronger(reason: str, than: str) -> bool:
    return _STRENGTH.get(reason, 0) > _STRENGTH.get(than, 0)


def wrap_for(kind: Kind, subject: Any, key: bytes, holder: KeyHolder) -> bytes:
    return crypto.wrap(key, holder.public, kind.info(subject, holder.pk))


def unwrap(row: WrappedKey, private_key: crypto.PrivateKey) -> bytes:
    """The key in a wrapping row, opened with its holder's private key."""
    try:
        return crypto.unwrap(bytes(row.wrapped), private_key, row.own_info())
    except crypto.DecryptionError:
        raise NoAccess("this private key does not open the wrapping") from None


def _rows(kind: Kind, subject: Any, holder_id: uuid.UUID) -> models.QuerySet[WrappedKey]:
    return kind._default_manager.filter(**{kind.subject_attname(): subject, "holder_id": holder_id})


def find(kind: Kind, subject: Any, holder_id: uuid.UUID) -> WrappedKey | None:
    return _rows(kind, subject, holder_id).first()


def holds(kind: Kind, subject: Any, holder_id: uuid.UUID) -> bool:
    return _rows(kind, subject, holder_id).exists()


def open_key(
    kind: Kind, subject: Any, holder_id: uuid.UUID, private_key: crypto.PrivateKey
) -> bytes:
    row = find(kind, subject, holder_id)
    if row is None:
        raise NoAccess("no wrapping for this holder")
    return unwrap(row, private_key)


def grant(kind: Kind, subject: Any, key: bytes, holder: KeyHolder, reason: str) -> bool:
    """Wrap key for holder (again, if a wrapping exists: a fresh one replaces it), keeping
    the stronger of the old and new reasons. Returns whether the holder gained access."""
    wrapped = wrap_for(kind, subject, key, holder)
    with transaction.atomic():
        row, created = kind._default_manager.get_or_create(
            **{kind.subject_attname(): subject, "holder_id": holder.pk},
            defaults={"wrapped": wrapped, "reason": reason},
        )
        if not created:
            row.wrapped = wrapped
            row.reason = reason if stronger(reason, row.reason) else row.reason
            row.save(update_fields=["wrapped", "reason"])
    return created


def grant_new(
    kind: Kind, subject: Any, key: bytes, holders: Iterable[tuple[KeyHolder, str]]
) -> None:
    """Wrap key for holders who hold no wrapping of it yet, in one insert. The caller
    knows they hold none (cases.case_keys reads that under a lock)."""
    field = kind.subject_attname()
    kind._default_manager.bulk_create(
        kind(
            **{field: subject, "holder_id": holder.pk},
            wrapped=wrap_for(kind, subject, key, holder),
            reason=reason,
        )
        for holder, reason in holders
    )


def strengthen(kind: Kind, subject: Any, holder_id: uuid.UUID, reason: str) -> None:
    """Record a stronger reason for a wrapping the holder has (it stays as it is)."""
    _rows(kind, subject, holder_id).update(reason=reason)


def rewrap(
    source: KeyHolder,
    source_key: crypto.PrivateKey,
    target: Staff,
    reason: str,
    only: Only | None = None,
) -> list[tuple[Kind, Any]]:
    """Wrap for target every key source holds that target's role justifies: of every
    kind, or of the kinds in `only` (those subjects, or all where None). A key that
    comes with a role keeps that reason. Recovery uses it with the recovery key."""
    granted = []
    with transaction.atomic():
        for kind in kinds() if only is None else list(only):
            if not kind.justified(reason, target.role):
                continue
            rows = kind._default_manager.filter(holder=source)
            subjects = None if only is None else only[kind]
            if subjects is not None:
                rows = rows.filter(**{f"{kind.subject_attname()}__in": list(subjects)})
            for row in rows:
                why = Reason.ROLE if row.reason == Reason.ROLE else reason
                grant(kind, row.subject, unwrap(row, source_key), target.holder, why)
                granted.append((kind, row.subject))
    return granted


def drop(holder_id: uuid.UUID, only: Only | None = None) -> list[Any]:
    """Delete the holder's wrappings: of every kind, or of the kinds in `only` (those
    subjects, or all where None). Returns the subjects dropped."""
    dropped = []
    for kind in kinds() if only is None else list(only):
        rows = kind._default_manager.filter(holder_id=holder_id)
        subjects = None if only is None else only[kind]
        if subjects is not None:
            rows = rows.filter(**{f"{kind.subject_attname()}__in": list(subjects)})
        dropped += list(rows.values_list(kind.subject_attname(), flat=True))
        rows.delete()
    return dropped


def drop_unjustified(holder_id: uuid.UUID, role: str) -> list[Any]:
    """Delete every wrapping that `role` does not justify (accounts.models.WrappedKey.
    justified): what came with intake leaves with it; individual grants stay."""
    dropped = []
    for kind in kinds():
        for reason in Reason.values:
            if kind.justified(reason, role):
                continue
            rows = kind._default_manager.filter(holder_id=holder_id, reason=reason)
            dropped += list(rows.values_list(kind.subject_attname(), flat=True))
            rows.delete()
    return dropped
