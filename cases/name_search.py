"""Find a person by any spelling: a name typed in any script, looked up in the persons'
blind-index buckets (cases.duplicates) and ranked as triage ranks its proposals.

The name comes in a POST body only: never a URL (which browser history, proxies and
server logs keep), never a log line, the cache, the session or a table. Its buckets
are computed in the request under the organisation's index key, so a staff member
without that key (an auditor, a reviewer) gets no search. Only persons the staff
member holds a key of are looked up, and each one's names are opened in the request
to be compared. The audit log records the persons shown, by opaque id, the day only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import crypto
from accounts import keyring
from accounts.models import OrganisationKey, Staff
from audit import chain as audit
from audit.models import Action
from names import matching

from . import duplicate_reasons, duplicates
from .models import Person, PersonKey

LONGEST = 200  # characters of a name; a longer one is refused with a form error
SHOWN = 20

TOO_LONG = _("A name is at most %(limit)s characters. Type one name, as it is written.")
EMPTY = _("Type a name, in any script: Latin, Arabic, Cyrillic or Chinese characters.")


class NoIndexKey(Exception):
    """This staff member does not hold the organisation's index key."""


def can_search(staff: Staff) -> bool:
    """Whether the staff member holds the index key (nothing is unwrapped here)."""
    return OrganisationKey.objects.filter(
        purpose=OrganisationKey.Purpose.INDEX, holder_id=staff.holder_id
    ).exists()


def find(
    staff: Staff, private_key: crypto.PrivateKey, text: str, limit: int = SHOWN
) -> list[duplicates.Proposal]:
    """The persons the staff member can open whose names match `text`, best first, with
    the score and reasons triage gives. Records the listing (ids only)."""
    key = duplicates.index_key(staff.holder, private_key)
    if key is None:
        raise NoIndexKey("no index key")
    wanted = matching.identity(names=[text])
    found = duplicates.candidates(staff, key, wanted)
    numbers = dict(
        Person.objects.filter(id__in=[pid for pid, _shared in found]).values_list("id", "number")
    )
    shown = []
    for person_id, _shared in found:
        try:
            person_key = keyring.open_key(PersonKey, person_id, staff.holder_id, private_key)
        except keyring.NoAccess:
            continue  # the query keeps to held persons; a key revoked since
        data = duplicates.sealed_identity(person_id, person_key)
        if data is None:
            continue
        match = matching.compare(wanted, duplicates.identity_of(data))
        if match.score <= 0:
            continue
        shown.append(
            duplicates.Proposal(
                person_id=person_id,
                number=numbers[person_id],
                names=data["names"],
                score=match.score,
                strength=duplicates.strength(match.score),
                reasons=duplicate_reasons.words(match.reasons),
            )
        )
    shown.sort(key=lambda p: (-p.score, p.number))
    shown = shown[:limit]
    audit.record_listing(
        audit.staff_actor(staff), Action.PERSONS_SEARCHED, [p.person_id for p in shown]
    )
    return shown
