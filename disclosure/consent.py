"""What each consent level of a report allows to leave the organisation: one table.

A reporter chooses one level (the safest first, none pre-selected); an export goes to
one kind of recipient and shows identities at one level. An export is allowed only when
the current consent of every report it draws on allows that recipient kind at that
identity level (`allows`, `most_for`). Pure Python: no Django, so the table reads the
same in a test, a command and the staff page.

Identity levels, from least to most revealing:
- ANONYMOUS: no one named (partner summaries): the missing person is described, not named;
- MISSING_NAMED: the missing person named with identifying data; the reporter and
  witnesses never (the WGEID's default: the source kept confidential);
- REPORTER_NAMED: the reporter named as well (only to UN mechanisms, only on that choice).

Levels are not nested in the order the form lists them: "without names to partners"
does not let the missing person's name go to the UN, whose Working Group forwards it to
the government concerned. Each row says everything it allows.
"""

from __future__ import annotations

# Recipient kinds.
UN = "un"  # the WGEID and other UN human rights mechanisms
PARTNER = "partner"  # a partner organisation
PUBLIC = "public"  # the press, a public statement
RECIPIENT_KINDS = (UN, PARTNER, PUBLIC)

# Identity levels, least revealing first.
ANONYMOUS = "anonymous"
MISSING_NAMED = "missing-named"
REPORTER_NAMED = "reporter-named"
LEVELS = (ANONYMOUS, MISSING_NAMED, REPORTER_NAMED)

# A public statement's narrative (the family's account in its words) is published only
# under full public use; "the name may be published" publishes the name and the facts.
NARRATIVE_PUBLIC = frozenset({"public"})

# consent level (intake.models.Consent values) -> recipient kind -> most revealing
# identity level allowed. A kind not listed is not allowed at all.
TABLE: dict[str, dict[str, str]] = {
    "internal": {},
    "un-confidential": {UN: MISSING_NAMED},
    "un-named": {UN: REPORTER_NAMED},
    "partners": {PARTNER: ANONYMOUS},
    "publish-name": {UN: MISSING_NAMED, PARTNER: MISSING_NAMED, PUBLIC: MISSING_NAMED},
    "public": {UN: MISSING_NAMED, PARTNER: MISSING_NAMED, PUBLIC: MISSING_NAMED},
}


def _rank(level: str) -> int:
    return LEVELS.index(level)


def most(consent: str, kind: str) -> str | None:
    """The most revealing identity level one report's consent allows for a recipient
    kind, or None when it allows nothing (an unknown consent allows nothing)."""
    return TABLE.get(consent, {}).get(kind)


def allows(consent: str, kind: str, level: str) -> bool:
    """Whether a report with this consent may be drawn on for this recipient kind at
    this identity level."""
    if level not in LEVELS:
        return False
    top = most(consent, kind)
    return top is not None and _rank(level) <= _rank(top)


def most_for(consents: list[str], kind: str) -> str | None:
    """The most revealing level every one of the reports allows (the least of their
    levels), or None if any of them allows nothing, or there are none."""
    levels = [most(c, kind) for c in consents]
    if not levels or any(level is None for level in levels):
        return None
    return min((level for level in levels if level is not None), key=_rank)


def narrative_public(consents: list[str]) -> bool:
    """Whether the family's account itself may be published: every report's consent
    is full public use."""
    return bool(consents) and all(c in NARRATIVE_PUBLIC for c in consents)
