"""The admins of listings: one per kind, the overview across all kinds, organizations.

Every kind of listing has its own admin with the same fieldsets (Basics, Contact, Place,
What it offers, Hours, Verification) plus its own fields; the base ``Listing`` admin is a
read-mostly overview across all kinds whose rows open the typed admin. They are
registered in ``resources/admin/__init__.py``.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from resources.admin.actions import ListingActions
from resources.admin.base import (
    HistoryAdmin,
    ListingTextInline,
    OpeningHoursInline,
    VerificationFilter,
    last_verified,
    listing_fieldsets,
    state_filter,
    term_filter,
)
from resources.admin.new_clients import (
    NEW_CLIENTS_FIELDSET,
    NewClientsAdmin,
    NewClientsConfirmedFilter,
    new_clients_confirmed,
)
from resources.csv_io import ListingCSVMixin
from resources.forms import VocabularyTermsForm
from resources.models import (
    Clinician,
    CommunityResource,
    Helpline,
    Organization,
    SoberLivingHome,
    TreatmentProgram,
    ids_found_first,
    typed_listing_models,
)
from resources.vocabularies import Vocabulary


class ListingSearch:
    """The admin's listing search, written so that PostgreSQL answers it from indexes.

    Each word must be in one of ``search_fields``, as in Django's admin. The organization's
    name is looked up first, in its own small table, and the listing search then asks for
    those organizations' ids: joined into the search, that one field kept PostgreSQL from
    combining the trigram indexes of the listing's own fields (migration 0007), and a
    search read all 200,000 listings (870 ms; 16 ms now). The matches are then found
    before they are ordered by name (``ids_found_first``): PostgreSQL would otherwise walk
    the name index from A and test every listing until it had a page of them.
    """

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        if "organization__name" not in fields:
            return super().get_search_results(request, queryset, search_term)
        own = [field for field in fields if field != "organization__name"]
        found = queryset
        for word in _search_words(search_term):
            organizations = Organization.objects.filter(name__icontains=word)
            condition = Q(organization_id__in=list(organizations.values_list("pk", flat=True)))
            for field in own:
                condition |= Q(**{f"{field}__icontains": word})
            found = found.filter(condition)
        if found is queryset:  # no words
            return queryset, False
        # Found first, then ordered: see ids_found_first.
        return queryset.filter(pk__in=ids_found_first(found)), False


def _search_words(search_term):
    """The words of an admin search, as Django's admin reads them: "quoted words" stay one."""
    for word in smart_split(search_term):
        if word[:1] in {'"', "'"} and word[-1:] == word[:1]:
            word = unescape_string_literal(word)
        if word:
            yield word


class TypedListingAdmin(ListingSearch, ListingCSVMixin, ListingActions, HistoryAdmin):
    """What every typed listing admin shares; subclasses add their kind's fields."""

    form = VocabularyTermsForm
    inlines = [OpeningHoursInline, ListingTextInline]
    list_display = ("name", "status", "city", "region", "organization", last_verified)
    list_filter = (
        "status",
        VerificationFilter,
        state_filter(),
        "offers_in_person",
        "offers_online",
    )
    list_select_related = ("organization",)
    search_fields = ("name", "slug", "city", "organization__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organization",)
    readonly_fields = ("created_at", "updated_at")
    # No date_hierarchy: it costs two scans of the table per page (about 470 ms over 200,000
    # listings), and the verification filter answers the question curators ask of the date.
    # The "(N total)" count is a second full count on every filtered page: left out.
    show_full_result_count = False
    history_list_display = ["status"]
    save_on_top = True


class ClinicianAdmin(NewClientsAdmin, TypedListingAdmin):
    list_display = (
        "name",
        "role",
        "status",
        "accepting_new_clients",
        new_clients_confirmed,
        "city",
        "region",
        last_verified,
    )
    list_filter = (
        "status",
        "role",
        "accepting_new_clients",
        NewClientsConfirmedFilter,
        term_filter(Vocabulary.MEDICATION),
        VerificationFilter,
        state_filter(),
    )
    actions = [*TypedListingAdmin.actions, *NewClientsAdmin.new_clients_actions]
    fieldsets = listing_fieldsets(
        Clinician, basics=("role", "credentials"), extra=(NEW_CLIENTS_FIELDSET,)
    )


class TreatmentProgramAdmin(NewClientsAdmin, TypedListingAdmin):
    list_display = (
        "name",
        "status",
        "is_opioid_treatment_program",
        "accepting_new_clients",
        new_clients_confirmed,
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
        "accepting_new_clients",
        NewClientsConfirmedFilter,
        VerificationFilter,
        state_filter(),
    )
    actions = [*TypedListingAdmin.actions, *NewClientsAdmin.new_clients_actions]
    fieldsets = listing_fieldsets(
        TreatmentProgram,
        basics=("is_opioid_treatment_program", "license_number"),
        extra=(NEW_CLIENTS_FIELDSET,),
    )


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
        state_filter(),
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


class HelplineAdmin(TypedListingAdmin):
    list_display = ("name", "status", "helpline_type", "scope", "region", "phone", "sms")
    list_filter = ("status", "helpline_type", "scope", VerificationFilter, state_filter())
    search_fields = (*TypedListingAdmin.search_fields, "phone", "sms")
    fieldsets = listing_fieldsets(
        Helpline, basics=("helpline_type", "scope"), contact=("chat_url",)
    )


class CommunityResourceAdmin(TypedListingAdmin):
    list_display = ("name", "status", "resource_type", "city", "region", last_verified)
    list_filter = ("status", "resource_type", VerificationFilter, state_filter())
    fieldsets = listing_fieldsets(CommunityResource, basics=("resource_type",))


class ListingAdmin(ListingSearch, ListingActions, admin.ModelAdmin):
    """Every listing of every kind in one list; each row opens its typed admin.

    A bare ``Listing`` has no kind, so it cannot be added here, and its change and history
    pages forward to the typed ones, where all of its fields and its history are. Bulk
    actions save each listing as its typed model, which is where history is kept.
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
    list_filter = ("kind", "status", VerificationFilter, state_filter())
    list_select_related = ("organization",)
    search_fields = ("name", "slug", "city", "organization__name")
    show_full_result_count = False  # see TypedListingAdmin

    def has_add_permission(self, request):
        return False

    def typed_listings(self, queryset):
        # One query joining every kind's table; each listing is then saved as its kind.
        return [listing.specific for listing in queryset.with_kind_details()]

    @staticmethod
    def typed_change_url(listing, view="change"):
        opts = typed_listing_models()[listing.kind]._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[listing.pk])

    @admin.display(description=_("name"), ordering="name")
    def typed_link(self, listing):
        return format_html('<a href="{}">{}</a>', self.typed_change_url(listing), listing.name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        listing = self.get_object(request, object_id)
        if listing is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(self.typed_change_url(listing))

    def history_view(self, request, object_id, extra_context=None):
        listing = self.get_object(request, object_id)
        if listing is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(self.typed_change_url(listing, "history"))


class OrganizationAdmin(HistoryAdmin):
    list_display = ("name", "website", "listing_count", "updated_at")
    search_fields = ("name", "slug", "website")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Basics"), {"fields": ("name", "slug", "website", "description")}),
        (_("Record"), {"fields": (("created_at", "updated_at"),)}),
    )
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        # The count adds a GROUP BY, which drops Meta.ordering; autocomplete pages need one.
        return (
            super()
            .get_queryset(request)
            .annotate(listing_count=Count("listings"))
            .order_by("name", "pk")
        )

    @admin.display(description=_("listings"), ordering="listing_count")
    def listing_count(self, organization):
        return organization.listing_count
