"""The public's two forms: suggest a resource, report a problem.

Every field has a length limit (from the model) and a plain-words message; each input names
its hint and error with ``aria-describedby`` and says ``aria-invalid`` when it has an error.
A hidden "leave this empty" field catches form-filling robots (see ``is_spam``).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship
from moderation.models import (
    LISTING_PROBLEMS,
    MEETING_PROBLEMS,
    ProblemType,
    Submission,
    SubmissionKind,
)
from resources.models import ListingKind, NewClientsAnswer

HONEYPOT_FIELD = "homepage"

ZIP_CODE = re.compile(r"^\d{5}(-\d{4})?$")
STATE = re.compile(r"^[A-Za-z]{2}$")
STATE_MESSAGE = _("Enter the state as two letters, for example IL.")
ZIP_MESSAGE = _("Enter a 5-digit ZIP code, for example 60614.")


def honeypot_field():
    # People never see it (it is off-screen and hidden from screen readers, out of the tab
    # order): only robots that fill every field fill it in.
    return forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def is_spam(data):
    """True when the hidden field was filled in: a robot, to be thanked and ignored."""
    return bool(data.get(HONEYPOT_FIELD, "").strip())


class PublicForm(forms.ModelForm):
    """Shared by both forms: the honeypot, accessible error wiring and value checks."""

    homepage = honeypot_field()

    hints = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == HONEYPOT_FIELD:
                continue
            if name in self.hints:
                field.help_text = self.hints[name]
            described_by = [f"error-{name}"]
            if field.help_text:
                described_by.insert(0, f"hint-{name}")
            field.widget.attrs["aria-describedby"] = " ".join(described_by)
        # Too long is the same mistake as badly written: say what is expected.
        self.fields["region"].error_messages["max_length"] = STATE_MESSAGE
        self.fields["postal_code"].error_messages["max_length"] = ZIP_MESSAGE

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def is_spam(self):
        return is_spam(self.data)

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Enter a phone number with its area code, for example 312-555-0142.")
            )
        return phone

    def clean_region(self):
        region = self.cleaned_data["region"].strip()
        if region and not STATE.match(region):
            raise forms.ValidationError(STATE_MESSAGE)
        return region.upper()

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and not ZIP_CODE.match(code):
            raise forms.ValidationError(ZIP_MESSAGE)
        return code


class SuggestionForm(PublicForm):
    listing_kind = forms.ChoiceField(
        label=_("What kind of help is it?"),
        choices=ListingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of help it is.")},
    )
    fellowship = forms.ModelChoiceField(
        label=_("Fellowship"),
        queryset=Fellowship.objects.all(),
        required=False,
        empty_label=_("Not a peer support group"),
    )

    hints = {
        "fellowship": _("Only for peer support groups: AA, NA, SMART Recovery…"),
        "name": _("The name of the service, program, home, group or person."),
        "website": _("For example https://example.org"),
        "email": _("The service’s own email address, if it has one."),
        "offers": _("In a few words: who it helps and how."),
        "details": _("Anything else a curator should know."),
        "contact_email": _(
            "Optional. Only if you are happy for a curator to write to you about this. "
            "It is never shown on the site."
        ),
    }

    class Meta:
        model = Submission
        fields = [
            "listing_kind",
            "fellowship",
            "name",
            "phone",
            "website",
            "email",
            "address_line1",
            "city",
            "region",
            "postal_code",
            "offers",
            "details",
            "contact_email",
        ]
        labels = {
            "name": _("Name"),
            "phone": _("Phone number"),
            "website": _("Website"),
            "email": _("Email address of the service"),
            "address_line1": _("Street address"),
            "city": _("City or town"),
            "region": _("State"),
            "postal_code": _("ZIP code"),
            "offers": _("What does it offer?"),
            "details": _("Anything else"),
            "contact_email": _("Your email (optional)"),
        }
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "offers": forms.Textarea(attrs={"rows": 4}),
            "details": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the service or group.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        # Autofill would offer the visitor's own details: these are the service's.
        for name in ("address_line1", "city", "region", "postal_code", "email", "name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("listing_kind")
        if kind == ListingKind.SUPPORT_GROUP and not cleaned.get("fellowship"):
            self.add_error("fellowship", _("Choose the fellowship the group belongs to."))
        elif kind and kind != ListingKind.SUPPORT_GROUP:
            cleaned["fellowship"] = None
        ways = ("phone", "website", "email", "city")
        if not any(cleaned.get(way) or self.has_error(way) for way in ways):
            self.add_error(
                "phone",
                _(
                    "Give at least one way to find it: a phone number, website, "
                    "email address or town."
                ),
            )
        return cleaned

    def save(self, commit=True):
        self.instance.kind = SubmissionKind.SUGGESTION
        return super().save(commit)


class ReportForm(PublicForm):
    problem_type = forms.ChoiceField(
        label=_("What is wrong?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong.")},
    )

    hints = {
        "phone": _("Only if the phone number is wrong and you know the right one."),
        "address_line1": _("Only if the address is wrong and you know the right one."),
        "details": _("What happened, and when? For “Something else”, tell us what is wrong."),
        "contact_email": _(
            "Optional. Only if you are happy for a curator to write to you about this. "
            "It is never shown on the site."
        ),
    }

    class Meta:
        model = Submission
        fields = [
            "problem_type",
            "phone",
            "address_line1",
            "city",
            "region",
            "postal_code",
            "details",
            "contact_email",
        ]
        labels = {
            "phone": _("The right phone number"),
            "address_line1": _("The right street address"),
            "city": _("City or town"),
            "region": _("State"),
            "postal_code": _("ZIP code"),
            "details": _("Details"),
            "contact_email": _("Your email (optional)"),
        }
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "details": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, listing=None, meeting=None, problem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.listing, self.meeting = listing, meeting
        problems = MEETING_PROBLEMS if meeting is not None else LISTING_PROBLEMS
        self.fields["problem_type"].choices = [
            (problem.value, problem.label) for problem in problems
        ]
        # "No, it did not work" on a page opens the form with its problem ticked.
        if problem in problems:
            self.fields["problem_type"].initial = problem
        for name in ("address_line1", "city", "region", "postal_code"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("problem_type") == ProblemType.OTHER and not cleaned.get("details"):
            self.add_error("details", _("Tell us what is wrong."))
        return cleaned

    def save(self, commit=True):
        self.instance.kind = SubmissionKind.REPORT
        self.instance.listing = self.listing
        self.instance.meeting = self.meeting
        return super().save(commit)


class ConfirmationForm(forms.Form):
    """A visitor's "yes, it worked": a button, and the robots' field."""

    homepage = honeypot_field()

    def is_spam(self):
        return is_spam(self.data)


class NewClientsForm(forms.Form):
    """The listing's contact answers whether they take new clients (a single-use link)."""

    answer = forms.ChoiceField(
        label=_("Are you taking new clients?"),
        choices=NewClientsAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget.attrs["aria-describedby"] = "error-answer"

    def full_clean(self):
        super().full_clean()
        if "answer" in self.errors:
            self.fields["answer"].widget.attrs["aria-invalid"] = "true"
