"""The report form, in plain sections, with as few required fields as the WGEID's
minimum elements allow: who is missing, when, where, who is believed responsible,
what the family did, and who reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Consent, Region
from .uploads import UploadsField

NAME_ROWS = 3
SHORT = 200
LONG = 5000


class CheapCopy:
    """Django deep-copies every field (and every choice list) for each form instance.
    The public forms never change a field per request, so a shallow copy of the
    field and its widget is enough, and saves a few milliseconds on every request."""

    def __deepcopy__(self, memo):
        result = _shallow(self)
        memo[id(self)] = result
        result.widget = _shallow(self.widget)
        result.widget.attrs = dict(self.widget.attrs)
        result.error_messages = dict(self.error_messages)
        result.validators = list(self.validators)
        return result


def _shallow(obj):
    copied = object.__new__(type(obj))
    copied.__dict__.update(obj.__dict__)
    return copied


class Text(CheapCopy, forms.CharField):
    pass


class Choice(CheapCopy, forms.ChoiceField):
    pass


class Number(CheapCopy, forms.IntegerField):
    pass


class Script(CheapCopy, forms.ChoiceField):
    CHOICES = [
        ("", _("Script (optional)")),
        ("ug-arab", _("Uyghur (Arabic script)")),
        ("latin", _("Latin letters")),
        ("cyrillic", _("Cyrillic")),
        ("hani", _("Chinese characters")),
        ("pinyin", _("Pinyin")),
        ("other", _("Other")),
    ]

    def __init__(self, **kwargs):
        super().__init__(choices=self.CHOICES, required=False, **kwargs)


MONTHS = [("", _("Month (if known)"))] + [
    (str(n), label)
    for n, label in enumerate(
        [
            _("January"),
            _("February"),
            _("March"),
            _("April"),
            _("May"),
            _("June"),
            _("July"),
            _("August"),
            _("September"),
            _("October"),
            _("November"),
            _("December"),
        ],
        start=1,
    )
]

SEX = [
    ("", _("Choose")),
    ("female", _("Female")),
    ("male", _("Male")),
    ("unknown", _("Prefer not to say / unknown")),
]
ETHNICITY = [
    ("", _("Choose")),
    ("uyghur", _("Uyghur")),
    ("kazakh", _("Kazakh")),
    ("kyrgyz", _("Kyrgyz")),
    ("uzbek", _("Uzbek")),
    ("tatar", _("Tatar")),
    ("hui", _("Hui")),
    ("other", _("Other")),
]
RELATIONSHIP = [
    ("", _("Choose")),
    ("parent", _("Parent")),
    ("child", _("Son or daughter")),
    ("sibling", _("Brother or sister")),
    ("spouse", _("Husband or wife")),
    ("relative", _("Other relative")),
    ("friend", _("Friend or neighbour")),
    ("other", _("Other")),
]
WHAT_HAPPENED = [
    ("", _("Choose")),
    ("detained", _("Detained by police or security")),
    ("camp", _("Taken to a camp")),
    ("prison", _("In prison")),
    ("sentenced", _("Sentenced")),
    ("restricted", _("Released, but under restriction")),
    ("died", _("Died")),
    ("unknown", _("Contact lost; we do not know what happened")),
]
RESPONSIBLE = [
    ("", _("Choose")),
    ("police", _("Police or state security")),
    ("camp-prison", _("Camp or prison authorities")),
    ("other-state", _("Other state officials")),
    ("unknown", _("We do not know")),
    ("other", _("Other")),
]
YES_NO = [
    ("", _("Choose")),
    ("yes", _("Yes")),
    ("no", _("No")),
    ("unsure", _("Not sure")),
]


def text(label, required=False, long=False, help_text=""):
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    widget.attrs["autocomplete"] = "off"
    return Text(
        label=label,
        required=required,
        max_length=LONG if long else SHORT,
        widget=widget,
        help_text=help_text,
    )


def choice(label: Any, choices: Any, required: bool = False) -> Choice:
    return Choice(label=label, choices=choices, required=required)


def year(label: Any, required: bool = False) -> Number:
    this_year = timezone.localdate().year
    return Number(
        label=label,
        required=required,
        min_value=1900,
        max_value=this_year,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def day(label: Any) -> Number:
    return Number(
        label=label,
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


# Read with each UN option, and shown right after them: what the WGEID does with a case.
UN_NOTE = _(
    "The UN Working Group on Enforced or Involuntary Disappearances sends the missing "
    "person's details to the government concerned, to ask where the person is. Choose "
    "the first option if that would put anyone at risk."
)


class ConsentRadios(forms.RadioSelect):
    """The consent options, the safest first. Each UN option is described by the note on
    what the WGEID does (aria-describedby), and the note is rendered right after the last
    UN option, so that it is read and seen next to the choices it is about."""

    UN_OPTIONS = (Consent.UN_CONFIDENTIAL.value, Consent.UN_NAMED.value)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.UN_OPTIONS:
            option["attrs"]["aria-describedby"] = f"{base_id}_un_note"
        if value == self.UN_OPTIONS[-1]:
            option["note"] = UN_NOTE
            option["note_id"] = f"{base_id}_un_note"
        return option


def consent_field(help_text=""):
    """How the report may be used: nothing chosen in advance, the reporter picks."""
    field = Choice(
        label=_("How may we use your report?"),
        choices=Consent.choices,
        widget=ConsentRadios,
        help_text=help_text,
        error_messages={
            "required": _(
                "Choose how we may use your report: pick one of the options under "
                "“How may we use your report?”."
            )
        },
    )
    return field


def partial_date(form: forms.Form, prefix: str) -> dict | None:
    """The date typed in `<prefix>_year`, `_month` and `_day` as far as it is known (a
    year, a month of a year, or a day), or None with an error on the field to fix.
    Call from `clean()`; the report form and the staff timeline share it."""
    y = form.cleaned_data.get(f"{prefix}_year")
    m = form.cleaned_data.get(f"{prefix}_month")
    d = form.cleaned_data.get(f"{prefix}_day")
    if y is None:
        if m or d:
            form.add_error(f"{prefix}_year", _("Please give the year as well."))
        return None
    if d and not m:
        form.add_error(f"{prefix}_month", _("Please give the month as well, or remove the day."))
        return None
    month = int(m) if m else None
    if d and month:
        try:
            value = timezone.datetime(y, month, d).date()
        except ValueError:
            form.add_error(f"{prefix}_day", _("This day does not exist in that month."))
            return None
        if value > timezone.localdate():
            form.add_error(f"{prefix}_day", _("This date is in the future."))
            return None
    precision = "day" if d else "month" if month else "year"
    return {"year": y, "month": month, "day": d, "precision": precision}


class ReportForm(forms.Form):
    # Guards against a report being sent twice by a reload; not a secret.
    form_id = Text(widget=forms.HiddenInput, max_length=64, required=False)

    # About the missing person
    name_1 = text(_("Name"), required=True)
    script_1 = Script(label=_("Written in"))
    name_2 = text(_("Another spelling or name"))
    script_2 = Script(label=_("Written in"))
    name_3 = text(_("Another spelling or name"))
    script_3 = Script(label=_("Written in"))
    father_name = text(_("Father's name"))
    mother_name = text(_("Mother's name"))
    sex = choice(_("Sex"), SEX)
    birth_year = year(_("Year of birth"))
    birth_month = choice(_("Month of birth"), MONTHS)
    birth_day = day(_("Day of birth"))
    ethnicity = choice(_("Ethnicity"), ETHNICITY)
    id_number = text(_("ID card or passport number"))
    home_county = text(_("Home county or city"))
    home_village = text(_("Village or neighbourhood"))
    region = Choice(
        label=_("Region"),
        choices=[("", _("Choose, if you know")), *Region.choices],
        required=False,
    )
    occupation = text(_("Occupation"))

    # About the disappearance
    gone_year = year(_("Year"), required=True)
    gone_month = choice(_("Month"), MONTHS)
    gone_day = day(_("Day"))
    last_contact = text(_("Last contact with the family"), help_text=_("When, and how."))
    place = text(_("Where it happened, or where the person was last seen"), required=True)
    what_happened = choice(_("What happened"), WHAT_HAPPENED, required=True)
    responsible = choice(_("Who do you believe is responsible?"), RESPONSIBLE, required=True)
    facility = text(_("Camp, prison or police station, if known"))
    steps_taken = text(
        _("What has the family done to find the person?"),
        required=True,
        long=True,
        help_text=_(
            "For example: asked the police, wrote to officials, asked relatives. "
            "Write “nothing yet” if it was not possible."
        ),
    )
    narrative = text(_("What happened, in your own words"), long=True)
    witnesses = text(_("Witnesses"), long=True, help_text=_("Who saw or knows what happened."))

    # About you
    reporter_name = text(
        _("Your name"),
        required=True,
        help_text=_("A first name, or another name we can reach you by, is enough."),
    )
    relationship = choice(_("Your relationship to the missing person"), RELATIONSHIP, required=True)
    country = text(_("Country where you live"))
    contact = text(
        _("How can we reach you safely?"),
        help_text=_("Optional. You can also come back with your receipt."),
    )
    threats = text(_("Have you or your family received threats?"), long=True)
    relatives_at_home = choice(_("Do you have relatives still in the region?"), YES_NO)

    # Files and consent
    attachments = UploadsField(label=_("Photos or documents"), required=False)
    consent = consent_field(
        help_text=_(
            "Caseworkers only share what you allow. You can change this later with your receipt."
        )
    )

    SECTIONS = [
        (
            pgettext_lazy("form section", "The missing person"),
            [
                "name_1",
                "script_1",
                "name_2",
                "script_2",
                "name_3",
                "script_3",
                "father_name",
                "mother_name",
                "sex",
                "birth_year",
                "birth_month",
                "birth_day",
                "ethnicity",
                "id_number",
                "home_county",
                "home_village",
                "region",
                "occupation",
            ],
        ),
        (
            pgettext_lazy("form section", "The disappearance"),
            [
                "gone_year",
                "gone_month",
                "gone_day",
                "last_contact",
                "place",
                "what_happened",
                "responsible",
                "facility",
                "steps_taken",
                "narrative",
                "witnesses",
            ],
        ),
        (
            pgettext_lazy("form section", "You"),
            ["reporter_name", "relationship", "country", "contact", "threats", "relatives_at_home"],
        ),
        (pgettext_lazy("form section", "Photos and documents"), ["attachments"]),
        (pgettext_lazy("form section", "Consent"), ["consent"]),
    ]

    def sections(self):
        for title, names in self.SECTIONS:
            yield title, [self[name] for name in names]

    def _partial_date(self, prefix: str) -> dict | None:
        return partial_date(self, prefix)

    def clean(self):
        cleaned = super().clean()
        cleaned["birth_date"] = self._partial_date("birth")
        cleaned["gone_date"] = self._partial_date("gone")
        return cleaned

    def content(self) -> dict:
        """The sealed part of the report, as a plain structure (schema version 1)."""
        c = self.cleaned_data
        names = [
            {"name": c[f"name_{i}"], "script": c[f"script_{i}"]}
            for i in range(1, NAME_ROWS + 1)
            if c.get(f"name_{i}")
        ]
        return {
            "missing": {
                "names": names,
                **{
                    k: c[k]
                    for k in (
                        "father_name",
                        "mother_name",
                        "sex",
                        "ethnicity",
                        "id_number",
                        "home_county",
                        "home_village",
                        "occupation",
                    )
                },
                "birth_date": c["birth_date"],
            },
            "disappearance": {
                "date": c["gone_date"],
                **{
                    k: c[k]
                    for k in (
                        "last_contact",
                        "place",
                        "what_happened",
                        "responsible",
                        "facility",
                        "steps_taken",
                        "narrative",
                        "witnesses",
                    )
                },
            },
            "reporter": {
                k: c[k]
                for k in (
                    "reporter_name",
                    "relationship",
                    "country",
                    "contact",
                    "threats",
                    "relatives_at_home",
                )
            },
        }


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=200,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
        help_text=_("The 21 digits you were given when you sent your report."),
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Add information or answer"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        required=False,
    )
    attachments = UploadsField(label=_("Photos or documents"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text") and not cleaned.get("attachments") and not self.errors:
            raise forms.ValidationError(_("Write something or choose a file to send."))
        return cleaned


class ConsentForm(forms.Form):
    consent = consent_field()


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, withdraw my report and delete it."), required=True)
