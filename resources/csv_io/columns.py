"""The columns of a listing CSV file, and how each cell becomes a field value and back.

Every widget reads a stripped text cell and raises ValueError with a message written for
the curator, which becomes that row's error under the column's name. A blank cell means
empty, or the field's default where it has one (yes/no and choice columns, country).
"""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.fields import Field
from import_export.widgets import Widget

from resources.models import Address, Organization, Term

TERM_SEPARATOR = "|"

BASIC_COLUMNS = ("slug", "name", "status", "organization", "summary", "description")
CONTACT_COLUMNS = ("phone", "sms", "email", "website")
PLACE_COLUMNS = (*Address.ADDRESS_FIELDS, "time_zone")
DELIVERY_COLUMNS = ("offers_in_person", "offers_online", "offers_phone")
VERIFICATION_COLUMNS = ("last_verified_on", "source", "source_url")


def kind_columns(model):
    """The fields a typed kind adds to the Listing base, in the order it declares them."""
    return tuple(field.name for field in model._meta.local_concrete_fields if not field.primary_key)


def columns_of(model):
    """Every column of a kind's CSV file, in the order exported."""
    return (
        *BASIC_COLUMNS,
        *CONTACT_COLUMNS,
        *PLACE_COLUMNS,
        *DELIVERY_COLUMNS,
        *(vocabulary.value for vocabulary in model.vocabularies),
        "cost_notes",
        "open_24_7",
        "hours_notes",
        *kind_columns(model),
        *VERIFICATION_COLUMNS,
    )


def normalize_header(header):
    """ "Last verified on " → "last_verified_on": spreadsheets retype headers freely."""
    return re.sub(r"[\s\-]+", "_", (header or "").strip().lower())


def cell_text(value):
    return "" if value is None else str(value).strip()


class TextWidget(Widget):
    def __init__(self, default=""):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        return cell_text(value) or self.default


class YesNoWidget(Widget):
    YES = {"yes", "y", "true", "1"}
    NO = {"no", "n", "false", "0"}

    def __init__(self, default):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).lower()
        if not text:
            return self.default
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Write yes or no, not “%(value)s”.") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class ChoiceWidget(Widget):
    """A code of a TextChoices field; its label is accepted too, in any case."""

    def __init__(self, choices, default):
        super().__init__()
        # Codes win over labels, should a label ever read like another choice's code.
        self.codes = {str(label).lower(): code for code, label in choices}
        self.codes.update({str(code).lower(): code for code, _label in choices})
        self.allowed = ", ".join(str(code) for code, _label in choices)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return self.default
        try:
            return self.codes[text.lower()]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of the choices: %(allowed)s.")
                % {"value": text, "allowed": self.allowed}
            ) from None


class DecimalWidget(Widget):
    def __init__(self, decimal_places):
        super().__init__()
        self.step = Decimal(1).scaleb(-decimal_places)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).removeprefix("$").replace(",", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
        try:
            # Spreadsheets write coordinates with more digits than are kept; a 10 cm
            # rounding loses nothing the curator meant.
            return number.quantize(self.step, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is too large.") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntegerWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        # "12.0" is what some spreadsheets write for 12.
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        return int(number)


class DateWidget(Widget):
    FORMATS = ("%Y-%m-%d", "%m/%d/%Y")

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        for date_format in self.FORMATS:
            try:
                return datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2026-10-01.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if isinstance(value, date) else ""


class RelatedWidget(Widget):
    """A row of another table named by one of its unique keys (slug, short name) or its name.

    The whole table is read once per import: organizations and fellowships are few.
    """

    def __init__(self, model, keys, required):
        super().__init__()
        self.model, self.keys, self.required = model, keys, required
        self.export_key = keys[0]
        self._lookup = None

    def lookup(self):
        if self._lookup is None:
            self._lookup = {}
            for obj in self.model.objects.all():
                for key in (*self.keys, "name"):
                    self._lookup.setdefault(str(getattr(obj, key)).lower(), []).append(obj)
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        name = self.model._meta.verbose_name
        if not text:
            if self.required:
                raise ValueError(_("Name the %(name)s.") % {"name": name})
            return None
        matches = {obj.pk: obj for obj in self.lookup().get(text.lower(), [])}
        if len(matches) == 1:
            return next(iter(matches.values()))
        if matches:
            raise ValueError(
                _("More than one %(name)s is called “%(value)s”: use its %(key)s.")
                % {"name": name, "value": text, "key": self.export_key.replace("_", " ")}
            )
        raise ValueError(
            _("No %(name)s “%(value)s”: add it in the admin first, or check the spelling.")
            % {"name": name, "value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.export_key)


class TermCodesWidget(Widget):
    """Codes of one vocabulary separated by "|", as Terms ordered as the admin shows them."""

    def __init__(self, vocabulary):
        super().__init__()
        self.vocabulary = vocabulary
        self._terms = None

    def terms(self):
        if self._terms is None:
            self._terms = {
                t.code.lower(): t for t in Term.objects.filter(vocabulary=self.vocabulary)
            }
        return self._terms

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip() for code in cell_text(value).split(TERM_SEPARATOR) if code.strip()]
        unknown = [code for code in codes if code.lower() not in self.terms()]
        if unknown:
            allowed = ", ".join(t.code for t in sorted_terms(self.terms().values()) if t.is_active)
            raise ValueError(
                ngettext(
                    "Unknown %(vocabulary)s code %(codes)s. Use codes from: %(allowed)s.",
                    "Unknown %(vocabulary)s codes %(codes)s. Use codes from: %(allowed)s.",
                    len(unknown),
                )
                % {
                    "vocabulary": str(self.vocabulary.label).lower(),
                    "codes": ", ".join(f"“{code}”" for code in unknown),
                    "allowed": allowed,
                }
            )
        return sorted_terms({self.terms()[code.lower()] for code in codes})

    def render(self, value, obj=None, **kwargs):
        return TERM_SEPARATOR.join(term.code for term in value or ())


def sorted_terms(terms):
    return sorted(terms, key=lambda term: (term.position, term.label, term.pk))


def current_terms(listing):
    """The terms a saved listing has (prefetched by the resource's queryset)."""
    return list(listing.terms.all()) if listing.pk else []


class VocabularyField(Field):
    """One vocabulary's terms of a listing. Import keeps the chosen terms on the instance
    (``csv_terms``); ``ListingResource.save_m2m`` stores them once the listing is saved."""

    def __init__(self, vocabulary):
        super().__init__(
            attribute=vocabulary.value,
            column_name=vocabulary.value,
            widget=TermCodesWidget(vocabulary),
        )
        self.vocabulary = vocabulary

    def get_value(self, instance):
        chosen = getattr(instance, "csv_terms", {})
        if self.vocabulary in chosen:
            return chosen[self.vocabulary]
        return sorted_terms(t for t in current_terms(instance) if t.vocabulary == self.vocabulary)

    def save(self, instance, row, is_m2m=False, **kwargs):
        terms = self.clean(row, **kwargs)
        had = set(current_terms(instance))
        retired = [term.code for term in terms if not term.is_active and term not in had]
        if retired:
            raise ValueError(
                _("Retired, so only kept on listings that already have it: %(codes)s.")
                % {"codes": ", ".join(f"“{code}”" for code in retired)}
            )
        if not hasattr(instance, "csv_terms"):
            instance.csv_terms = {}
        instance.csv_terms[self.vocabulary] = terms


def widget_for(model_field):
    if model_field.choices:
        default = model_field.default if model_field.has_default() else ""
        return ChoiceWidget(model_field.choices, default)
    if isinstance(model_field, models.BooleanField):
        return YesNoWidget(model_field.default)
    if isinstance(model_field, models.DecimalField):
        return DecimalWidget(model_field.decimal_places)
    if isinstance(model_field, models.IntegerField):
        return IntegerWidget()
    if isinstance(model_field, models.DateField):
        return DateWidget()
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model
        keys = ("slug",) if related is Organization else ("short_name", "slug")
        return RelatedWidget(related, keys, required=not model_field.null)
    # A text field that may not be blank but has a default (country: US) takes it.
    default = model_field.default if model_field.has_default() and not model_field.blank else ""
    return TextWidget(default)
