"""The first drafts of an export, field by field, in English, from the decrypted contents
of every report about one missing person: a case for the UN Working Group on Enforced or
Involuntary Disappearances (WGEID), a summary for partner organisations without any
names, and a public statement.

A draft is what the caseworker edits, not what leaves: redaction and review come after.
Each template still carries only what its recipient may have, so that a name that must
not go out is never in the draft to begin with: the reporter's contact never; the
reporter's name only to the WGEID and only when named; no name at all to partners; to
the public, only the missing person's names.

Pure: no Django and nothing of the project (an import-linter contract says so). Nothing
here raises on bad input; what is missing reads "Not known", and the WGEID's minimum
elements that are missing are listed by key before anything is drafted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import facts
from .facts import ETHNICITY, NOT_KNOWN, RELATIONSHIP, SEX, WHAT_HAPPENED, Case

# The six elements without which the WGEID does not take up a case: (key, heading). The
# keys are those of the draft fields that carry them.
MINIMUM = facts.MINIMUM

# The same, as a sentence about the person ("She was reportedly taken to a camp.").
STATUS = {
    "detained": "{he} was reportedly detained by police or state security.",
    "camp": "{he} was reportedly taken to a camp.",
    "prison": "{he} is reportedly held in prison.",
    "sentenced": "{he} was reportedly sentenced.",
    "restricted": "{he} was reportedly released, but is kept under restrictions.",
    "died": "{he} reportedly died.",
    "unknown": "Contact with {him} was lost; what happened is not known.",
}
CONFIDENTIAL = "confidential (source requests confidentiality)"
ANNEXES = (
    "[To be completed by the caseworker: list each document attached, for example a "
    "photograph, a copy of an identity document, letters to the authorities and any replies.]"
)


@dataclass(frozen=True, repr=False)
class Field:
    key: str
    heading: str
    text: str

    def __repr__(self) -> str:
        return f"Field(key={self.key!r}, chars={len(self.text)})"


@dataclass(frozen=True, repr=False)
class Draft:
    template: str  # "wgeid" | "partner" | "public"
    fields: tuple[Field, ...]
    missing: tuple[str, ...]  # keys of MINIMUM, in its order
    urgent: bool  # within the three months before today: the WGEID's urgent procedure
    related_urgent: bool  # within the year before today, but not urgent

    def __repr__(self) -> str:
        return (
            f"Draft(template={self.template!r}, fields={len(self.fields)}, "
            f"missing={self.missing!r}, urgent={self.urgent}, "
            f"related_urgent={self.related_urgent})"
        )

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    def text(self) -> str:
        """Every field under its heading, as plain text."""
        return "\n\n".join(f"{f.heading}\n{f.text}" for f in self.fields)


def _joined(values: Sequence[str], between: str = "; ") -> str:
    return between.join(values) if values else NOT_KNOWN


def _differing(values: Sequence[str]) -> str:
    if not values:
        return NOT_KNOWN
    if len(values) == 1:
        return values[0]
    return f"{'; '.join(values)} (the reports differ)"


def minimum_elements(contents: object) -> tuple[str, ...]:
    """The keys of the WGEID's minimum elements (MINIMUM) that the reports do not give.
    A date known only to the year is present (its draft says how precise it is); a
    responsible party the reporter does not know, or did not say was of the state, is
    missing; the source is present when a report gives the reporter's name."""
    return Case(contents).missing()


def _draft(template: str, case: Case, today: date, fields: list[Field]) -> Draft:
    urgent, related = case.urgency(today)
    return Draft(template, tuple(fields), case.missing(), urgent, related)


# The WGEID case


def _date_of_disappearance(case: Case) -> str:
    words = facts.date_words(case.gone)
    if case.when is not None and case.when.precision == "year":
        words += (
            ". The Working Group asks for the year, month and day; give at least the month "
            "if it can be found out."
        )
    return words


def _urgency_words(case: Case, today: date) -> str:
    """Whether the urgent procedure applies, and why. The WGEID counts from the day it
    receives the case; the draft counts from today, so a case that waits loses time."""
    when = case.when
    if when is None:
        return "Cannot be assessed: the date of disappearance is not known."
    if when.first() > today:
        return "Cannot be assessed: the date of disappearance is after today."
    urgent, related = case.urgency(today)
    on = f"{today.day} {facts.MONTHS[today.month]} {today.year}"
    if urgent:
        partly = " (at least in part: the exact day is not known)" if when.day is None else ""
        return (
            f"The disappearance ({when.short()}) falls within the three months before {on}"
            f"{partly}. The Working Group's urgent procedure covers disappearances within the "
            "three months before it receives the case: submit it promptly."
        )
    connected = (
        "under the Working Group's methods of work, it may be sent under the urgent "
        "procedure only if it is connected with a case that occurred within the three "
        "months; otherwise it follows the standard procedure."
    )
    if related and when.precision == "year":
        return (
            f"The date is known only to the year ({when.year}), so it cannot be shown to fall "
            f"within the three months before {on}. The year overlaps the twelve months before "
            f"that day: {connected} Finding out the month may change this."
        )
    if related:
        return (
            f"The disappearance ({when.short()}) occurred more than three months but less "
            f"than a year before {on}: {connected}"
        )
    return (
        f"Standard procedure: the disappearance ({when.short()}) occurred more than a year "
        f"before {on}."
    )


def _named(reporter_named: bool | Sequence[bool], index: int) -> bool:
    if isinstance(reporter_named, bool):
        return reporter_named
    return index < len(reporter_named) and reporter_named[index] is True


def _source(case: Case, organisation: str, reporter_named: bool | Sequence[bool]) -> str:
    lines = [f"Submitted by: {facts.text(organisation) or NOT_KNOWN}."]
    for index, report in enumerate(case.reports):
        reporter = facts.part(report, "reporter")
        name = facts.text(reporter.get("reporter_name"))
        relation = RELATIONSHIP.get(facts.text(reporter.get("relationship")), "")
        if name and _named(reporter_named, index):
            lines.append(f"Source: {name}, {relation}." if relation else f"Source: {name}.")
            continue
        who = CONFIDENTIAL if name else "not identified in the report"
        relation = f"; {relation}" if relation else ""
        lines.append(f"Source: {who}{relation}.")
    if len(lines) == 1:
        lines.append(f"Source: {NOT_KNOWN}.")
    return "\n".join(facts.distinct(lines))


def wgeid(
    contents: object,
    organisation: str,
    today: date,
    reporter_named: bool | Sequence[bool],
) -> Draft:
    """The case for the WGEID: the six minimum elements and the other data its form asks
    for. `reporter_named` is the consent "including who I am", for all reports or one
    per report in `contents`' order; a source not named reads as confidential and its
    name is withheld from the free text. No contact, witness or threat is drafted."""
    case = Case(contents)
    today = facts.day_of(today)
    unnamed = [
        name
        for index, report in enumerate(case.reports)
        if not _named(reporter_named, index)
        for name in [facts.text(facts.part(report, "reporter").get("reporter_name"))]
        if name
    ]
    hidden = {*case.contacts(), *facts.names_to_withhold(unnamed, keep=case.own_names())}

    def free(section: str, key: str, between: str = "; ") -> str:
        found = case.values(section, key)
        return _joined([facts.withhold(v, hidden) for v in found], between)

    name, others = facts.primary(case.names)
    born = facts.date_words(case.born)
    responsible = case.responsible()
    said = case.values("disappearance", "responsible")
    if responsible:
        responsible_words = "; ".join(responsible)
    elif "other" in said:
        responsible_words = (
            'Not known: the report answers "other" and does not say whether state agents, '
            "or persons acting with their support or acquiescence, were involved."
        )
    elif "unknown" in said:
        responsible_words = "Not known: the family does not know who is responsible."
    else:
        responsible_words = NOT_KNOWN
    fields = [
        Field("name", "Full name", name.text if name else NOT_KNOWN),
        Field(
            "other_names", "Other names and spellings", _joined([n.line() for n in others], "\n")
        ),
        Field("father_name", "Father's name", free("missing", "father_name")),
        Field("mother_name", "Mother's name", free("missing", "mother_name")),
        Field("sex", "Sex", _differing(case.codes("missing", "sex", SEX | {"unknown": ""}))),
        Field("birth_date", "Date of birth", born),
        Field(
            "ethnicity",
            "Ethnicity",
            _differing(case.codes("missing", "ethnicity", ETHNICITY | {"other": "Other"})),
        ),
        Field("id_number", "Identity card or passport number", free("missing", "id_number")),
        Field("home_county", "Home county or city", free("missing", "home_county")),
        Field("home_village", "Village or neighbourhood", free("missing", "home_village")),
        Field("occupation", "Occupation", free("missing", "occupation")),
        Field("photo", "Photograph", "See annex, if a photograph is attached."),
        Field("date", "Date of disappearance", _date_of_disappearance(case)),
        Field(
            "place",
            "Place of arrest or abduction, or where last seen",
            free("disappearance", "place"),
        ),
        Field(
            "last_contact",
            "Last contact with the family",
            free("disappearance", "last_contact", "\n\n"),
        ),
        Field(
            "what_happened",
            "What happened",
            _joined(case.codes("disappearance", "what_happened", WHAT_HAPPENED)),
        ),
        Field("facility", "Place of detention, if known", free("disappearance", "facility")),
        Field("responsible", "Forces believed responsible", responsible_words),
        Field(
            "steps",
            "Steps taken by the family to find the person",
            free("disappearance", "steps_taken", "\n\n"),
        ),
        Field("narrative", "Summary of the facts", free("disappearance", "narrative", "\n\n")),
        Field(
            "source",
            "Submitting organisation and source",
            _source(case, organisation, reporter_named),
        ),
        Field("urgency", "Urgent procedure", _urgency_words(case, today)),
        Field("annexes", "Annexes", ANNEXES),
    ]
    return _draft("wgeid", case, today, fields)


# Descriptions without a name


def _description(case: Case, county: str = "") -> str:
    """ "A Uyghur woman born in 1984 from Ghulja city": sex, ethnicity and birth year as far
    as the reports agree on them, and the county when given."""
    born = case.birth_year()
    gone = case.when.year if case.when else None
    child = born is not None and gone is not None and gone - born < 18
    noun = {"female": "girl" if child else "woman", "male": "boy" if child else "man"}
    words = " ".join(w for w in (case.ethnicity(), noun.get(case.sex(), "person")) if w)
    text = f"{'An' if words.startswith('Uzbek') else 'A'} {words}"
    if born is not None:
        text += f" born in {born}"
    if county:
        text += f" from {county}"
    return text


def _pronouns(case: Case) -> tuple[str, str]:
    return {"female": ("She", "her"), "male": ("He", "him")}.get(case.sex(), ("The person", "them"))


def _status_sentences(case: Case) -> str:
    he, him = _pronouns(case)
    sentences = []
    for code in case.values("disappearance", "what_happened"):
        if code in STATUS:
            sentence = STATUS[code].format(he=he, him=him)
            sentences.append(sentence[0].upper() + sentence[1:])
    return " ".join(facts.distinct(sentences))


def _summary(case: Case, subject: str, place: str) -> str:
    when = case.when
    on = ""
    if when is not None:
        on = f" on {when.short()}" if when.precision == "day" else f" in {when.short()}"
    where = f" in {place}" if place else ""
    return " ".join(s for s in (f"{subject} disappeared{on}{where}.", _status_sentences(case)) if s)


def partner(contents: object, organisation: str, today: date) -> Draft:
    """A summary for partner organisations "without any names": the person described, never
    named; no reporter, witness, contact, ID number or village. Free text the reporter
    wrote (steps, narrative, last contact) is left out, since it names people and places
    the reporter; the place and facility are kept with every known name withheld."""
    case = Case(contents)
    today = facts.day_of(today)
    hidden = {
        *facts.names_to_withhold(case.own_names() + case.parents() + case.reporter_names()),
        *case.contacts(),
        *case.values("missing", "id_number"),
        *case.values("missing", "home_village"),
        *case.values("disappearance", "witnesses"),
    }

    def free(section: str, key: str) -> str:
        return _joined([facts.withhold(v, hidden) for v in case.values(section, key)])

    counties = case.values("missing", "home_county")
    # Other spellings of the county, or a later move, are left out of the description.
    description = _description(case, facts.withhold(counties[0], hidden) if counties else "")
    place = free("disappearance", "place")
    places = case.values("disappearance", "place")
    first_place = facts.withhold(places[0], hidden) if places else ""
    responsible = case.responsible()
    fields = [
        Field("summary", "Summary", _summary(case, description, first_place)),
        Field("person", "The missing person", description + "."),
        Field("occupation", "Occupation", free("missing", "occupation")),
        Field("date", "Date of disappearance", facts.date_words(case.gone)),
        Field("place", "Place of arrest or abduction, or where last seen", place),
        Field(
            "what_happened",
            "What happened",
            _joined(case.codes("disappearance", "what_happened", WHAT_HAPPENED)),
        ),
        Field("facility", "Place of detention, if known", free("disappearance", "facility")),
        Field("responsible", "Believed responsible", _joined(responsible)),
        Field("source", "Documented by", facts.text(organisation) or NOT_KNOWN),
    ]
    return _draft("partner", case, today, fields)


def public(contents: object, organisation: str, today: date, narrative: bool) -> Draft:
    """A public statement as publication consent allows: the missing person's names, sex,
    ethnicity, birth year, the date and place of disappearance and what happened; the
    reporter's narrative only with `narrative` (full public use). Never the reporter,
    witnesses, contacts, threats, relatives at home, the ID number or the village: those
    names and strings are withheld from the free text it carries."""
    case = Case(contents)
    today = facts.day_of(today)
    own = case.own_names()
    hidden = {
        *facts.names_to_withhold(case.reporter_names() + case.parents(), keep=own),
        *case.contacts(),
        *case.values("missing", "id_number"),
        *case.values("missing", "home_village"),
        *case.values("disappearance", "witnesses"),
    }

    def free(section: str, key: str, between: str = "; ") -> str:
        return _joined([facts.withhold(v, hidden) for v in case.values(section, key)], between)

    name, others = facts.primary(case.names)
    place = free("disappearance", "place")
    places = case.values("disappearance", "place")
    first_place = facts.withhold(places[0], hidden) if places else ""
    described = _description(case)
    subject = f"{name.text}, {described[0].lower()}{described[1:]}," if name else described
    born = case.birth_year()
    fields = [
        Field("summary", "Summary", _summary(case, subject, first_place)),
        Field("name", "Name", name.text if name else NOT_KNOWN),
        Field(
            "other_names", "Other names and spellings", _joined([n.line() for n in others], "\n")
        ),
        Field("sex", "Sex", SEX.get(case.sex(), NOT_KNOWN)),
        Field(
            "ethnicity",
            "Ethnicity",
            _differing(case.codes("missing", "ethnicity", ETHNICITY | {"other": "Other"})),
        ),
        Field("birth_year", "Year of birth", str(born) if born else NOT_KNOWN),
        Field("date", "Date of disappearance", facts.date_words(case.gone)),
        Field("place", "Place of disappearance", place),
        Field("status", "Status", _status_sentences(case) or NOT_KNOWN),
        Field("source", "Documented by", facts.text(organisation) or NOT_KNOWN),
    ]
    if narrative:
        fields.append(Field("narrative", "Account", free("disappearance", "narrative", "\n\n")))
    return _draft("public", case, today, fields)
