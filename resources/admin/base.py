"""What the admins of listings are built from (the groups app's too): a history page,
filters for the changelist, the shared fieldsets and the opening hours inline."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from resources.geo import STATES
from resources.models import REVERIFY_AFTER_DAYS, ListingText, OpeningHours, Term


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of a model with a change history: a History page listing who changed what
    and when, from which any earlier version can be opened and restored."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        related = [
            field.name
            for field in history_manager.model.tracked_fields
            if field.is_relation and not field.primary_key  # not a kind's link to its Listing
        ]
        # simple-history calls select_related() with no names when there are none, which
        # Django 6.1 deprecates.
        return records.select_related(*related) if related else records


# Listings not confirmed with the provider for this long are due for a call.
@admin.display(description=_("last verified"), ordering="last_verified_on")
def last_verified(listing):
    """The date, flagged when a curator should check the listing again."""
    if listing.last_verified_on is None:
        return _("Never")
    checked = date_format(listing.last_verified_on)
    if listing.may_be_out_of_date:
        return format_html("{} <strong>({})</strong>", checked, _("over a year ago: check it"))
    return checked


class VerificationFilter(admin.SimpleListFilter):
    """How long ago a listing was last verified: the issue's four age bands."""

    title = _("last verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("0-6", _("Within 6 months")),
            ("6-12", _("6 to 12 months ago")),
            ("12+", _("Over 12 months ago")),
            ("never", _("Never")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        six_months_ago = today - timedelta(days=182)
        a_year_ago = today - timedelta(days=REVERIFY_AFTER_DAYS)
        if self.value() == "0-6":
            return queryset.filter(last_verified_on__gte=six_months_ago)
        if self.value() == "6-12":
            return queryset.filter(
                last_verified_on__lt=six_months_ago, last_verified_on__gte=a_year_ago
            )
        if self.value() == "12+":
            return queryset.filter(last_verified_on__lt=a_year_ago)
        if self.value() == "never":
            return queryset.filter(last_verified_on__isnull=True)
        return queryset


def state_filter(field_path="region"):
    """A changelist filter by state, its choices the fixed list of US states.

    Django's own filter for a field lists the distinct values of the column, which at
    national scale means reading every row (about 230 ms over 200,000 listings) on each
    changelist; the states are known in advance.
    """

    class StateFilter(admin.SimpleListFilter):
        title = _("state")
        parameter_name = "region"

        def lookups(self, request, model_admin):
            return sorted(STATES.items(), key=lambda state: state[1])

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field_path: self.value().upper()})
            return queryset

    return StateFilter


def term_filter(vocabulary):
    """A changelist filter on the listings' terms of one vocabulary (one query for its lookups)."""

    class TermFilter(admin.SimpleListFilter):
        title = vocabulary.label
        parameter_name = vocabulary.value

        def lookups(self, request, model_admin):
            return [
                (term.code, term.label)
                for term in Term.objects.filter(vocabulary=vocabulary).only("code", "label")
            ]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(terms__vocabulary=vocabulary, terms__code=self.value())
            return queryset

    return TermFilter


def listing_fieldsets(model, basics=(), contact=(), offers=(), extra=()):
    """The shared fieldsets of a listing admin, with the kind's own fields slotted in.

    ``extra`` is a sequence of further (title, options) fieldsets shown before Verification.
    """
    return (
        (_("Basics"), {"fields": ("name", "slug", "status", "organization", *basics)}),
        (_("Description"), {"fields": ("summary", "description")}),
        (_("Contact"), {"fields": (("phone", "sms"), ("email", "website"), *contact)}),
        (
            _("Place"),
            {
                "fields": (
                    "address_line1",
                    "address_line2",
                    ("city", "region", "postal_code", "country"),
                    ("latitude", "longitude"),
                    "location_precision",
                )
            },
        ),
        (
            _("What it offers"),
            {
                "fields": (
                    ("offers_in_person", "offers_online", "offers_phone"),
                    *offers,
                    *(vocabulary.value for vocabulary in model.vocabularies),
                    "cost_notes",
                ),
                "description": _(
                    "Tick every term that applies. Retired terms stay on the listings that "
                    "have them until you untick them."
                ),
            },
        ),
        *extra,
        (_("Hours"), {"fields": ("open_24_7", "hours_notes")}),
        (
            _("Verification"),
            {"fields": ("last_verified_on", "source", "source_url", ("created_at", "updated_at"))},
        ),
    )


class OpeningHoursInline(admin.TabularInline):
    # Each period has its own history (resources.HistoricalOpeningHours); simple-history's
    # revert page restores the listing's fields, not its inlines.
    model = OpeningHours
    fields = ("weekday", "opens", "closes")
    extra = 0


class ListingTextInline(admin.StackedInline):
    """The listing's summary and description in Spanish (or another language of the site):
    the pages in that language show them, and say when a listing has none."""

    model = ListingText
    fields = ("language", "summary", "description")
    extra = 0
