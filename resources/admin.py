"""The curators' admin for listings, organizations and vocabulary terms.

Every kind of listing has its own admin with the same fieldsets (Basics, Contact, Place,
What it offers, Hours, Verification) plus its own fields; the base ``Listing`` admin is a
read-mostly overview across all kinds whose rows open the typed admin.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources.forms import VocabularyTermsForm
from resources.models import (
    KIND_RELATIONS,
    REVERIFY_AFTER_DAYS,
    Clinician,
    CommunityResource,
    Helpline,
    Listing,
    OpeningHours,
    Organization,
    SoberLivingHome,
    Term,
    TreatmentProgram,
)
from resources.vocabularies import Vocabulary


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
    model = OpeningHours
    fields = ("weekday", "opens", "closes")
    extra = 0


class TypedListingAdmin(admin.ModelAdmin):
    """What every typed listing admin shares; subclasses add their kind's fields."""

    form = VocabularyTermsForm
    inlines = [OpeningHoursInline]
    list_display = ("name", "status", "city", "region", "organization", last_verified)
    list_filter = ("status", VerificationFilter, "offers_in_person", "offers_online")
    list_select_related = ("organization",)
    search_fields = ("name", "slug", "city", "organization__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organization",)
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "last_verified_on"
    actions = ["mark_verified_today"]
    save_on_top = True

    @admin.action(description=_("Mark selected listings as verified today"))
    def mark_verified_today(self, request, queryset):
        updated = queryset.update(last_verified_on=timezone.localdate())
        self.message_user(
            request,
            ngettext(
                "%(count)d listing marked as verified today.",
                "%(count)d listings marked as verified today.",
                updated,
            )
            % {"count": updated},
            messages.SUCCESS,
        )


@admin.register(Clinician)
class ClinicianAdmin(TypedListingAdmin):
    list_display = (
        "name",
        "role",
        "status",
        "accepting_new_clients",
        "city",
        "region",
        last_verified,
    )
    list_filter = (
        "status",
        "role",
        "accepting_new_clients",
        term_filter(Vocabulary.MEDICATION),
        VerificationFilter,
    )
    fieldsets = listing_fieldsets(
        Clinician, basics=("role", "credentials"), offers=("accepting_new_clients",)
    )


@admin.register(TreatmentProgram)
class TreatmentProgramAdmin(TypedListingAdmin):
    list_display = (
        "name",
        "status",
        "is_opioid_treatment_program",
        "organization",
        "city",
        "region",
        last_verified,
    )
    list_filter = (
        "status",
        term_filter(Vocabulary.LEVEL_OF_CARE),
        term_filter(Vocabulary.MEDICATION),
        "is_opioid_treatment_program",
        VerificationFilter,
    )
    fieldsets = listing_fieldsets(
        TreatmentProgram, basics=("is_opioid_treatment_program", "license_number")
    )


@admin.register(SoberLivingHome)
class SoberLivingHomeAdmin(TypedListingAdmin):
    list_display = (
        "name",
        "status",
        "serves",
        "beds_available",
        "beds_total",
        "beds_updated_on",
        "certification",
        "city",
        last_verified,
    )
    list_filter = (
        "status",
        "serves",
        "certification",
        "allows_medication",
        VerificationFilter,
    )
    fieldsets = listing_fieldsets(
        SoberLivingHome,
        basics=("serves",),
        offers=("allows_medication", "weekly_cost"),
        extra=(
            (_("Beds"), {"fields": (("beds_total", "beds_available"), "beds_updated_on")}),
            (_("Certification"), {"fields": ("certification", "certifying_body")}),
        ),
    )


@admin.register(Helpline)
class HelplineAdmin(TypedListingAdmin):
    list_display = ("name", "status", "helpline_type", "scope", "region", "phone", "sms")
    list_filter = ("status", "helpline_type", "scope", VerificationFilter)
    search_fields = (*TypedListingAdmin.search_fields, "phone", "sms")
    fieldsets = listing_fieldsets(
        Helpline, basics=("helpline_type", "scope"), contact=("chat_url",)
    )


@admin.register(CommunityResource)
class CommunityResourceAdmin(TypedListingAdmin):
    list_display = ("name", "status", "resource_type", "city", "region", last_verified)
    list_filter = ("status", "resource_type", VerificationFilter)
    fieldsets = listing_fieldsets(CommunityResource, basics=("resource_type",))


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    """Every listing of every kind in one list; each row opens its typed admin.

    A bare ``Listing`` has no kind, so it cannot be added here, and its change page
    forwards to the typed one, where all of its fields are.
    """

    list_display = (
        "typed_link",
        "kind",
        "status",
        "organization",
        "city",
        "region",
        last_verified,
    )
    list_display_links = None
    list_filter = ("kind", "status", VerificationFilter)
    list_select_related = ("organization",)
    search_fields = ("name", "slug", "city", "organization__name")
    date_hierarchy = "last_verified_on"

    def has_add_permission(self, request):
        return False

    @staticmethod
    def typed_change_url(listing):
        typed_model = Listing._meta.get_field(KIND_RELATIONS[listing.kind]).related_model
        opts = typed_model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[listing.pk])

    @admin.display(description=_("name"), ordering="name")
    def typed_link(self, listing):
        return format_html('<a href="{}">{}</a>', self.typed_change_url(listing), listing.name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        listing = self.get_object(request, object_id)
        if listing is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(self.typed_change_url(listing))


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "listing_count", "updated_at")
    search_fields = ("name", "slug", "website")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Basics"), {"fields": ("name", "slug", "website", "description")}),
        (_("Record"), {"fields": (("created_at", "updated_at"),)}),
    )
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(listing_count=Count("listings"))

    @admin.display(description=_("listings"), ordering="listing_count")
    def listing_count(self, organization):
        return organization.listing_count


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Terms are kept in resources/vocabularies.py; here they can only be retired or revived."""

    list_display = ("label", "code", "vocabulary", "is_active", "usage_count")
    list_editable = ("is_active",)
    list_filter = ("vocabulary", "is_active")
    search_fields = ("label", "code")
    fields = ("vocabulary", "code", "label", "position", "is_active")
    readonly_fields = ("vocabulary", "code", "label", "position")
    list_per_page = 200

    def get_queryset(self, request):
        # A term belongs either to listings or (meeting types) to meetings, so the two
        # joins never multiply each other's rows by much; distinct keeps the counts right.
        return (
            super()
            .get_queryset(request)
            .annotate(
                listing_count=Count("listings", distinct=True),
                meeting_count=Count("meetings", distinct=True),
            )
        )

    @admin.display(description=_("used by"))
    def usage_count(self, term):
        if term.vocabulary == Vocabulary.MEETING_TYPE:
            return ngettext("%(count)d meeting", "%(count)d meetings", term.meeting_count) % {
                "count": term.meeting_count
            }
        return ngettext("%(count)d listing", "%(count)d listings", term.listing_count) % {
            "count": term.listing_count
        }

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
