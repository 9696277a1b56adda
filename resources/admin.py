"""The curators' admin for listings, organizations and vocabulary terms.

Every kind of listing has its own admin with the same fieldsets (Basics, Contact, Place,
What it offers, Hours, Verification) plus its own fields; the base ``Listing`` admin is a
read-mostly overview across all kinds whose rows open the typed admin.
"""

from collections import Counter
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from resources.csv_io import ListingCSVMixin
from resources.forms import VocabularyTermsForm
from resources.geo import STATES
from resources.models import (
    NEVER_DELETED,
    REVERIFY_AFTER_DAYS,
    Clinician,
    CommunityResource,
    Helpline,
    Listing,
    ListingStatus,
    OpeningHours,
    Organization,
    SoberLivingHome,
    Term,
    TreatmentProgram,
    typed_listing_models,
)
from resources.vocabularies import Vocabulary


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


class ListingActions:
    """Bulk actions shared by every listing changelist: publish, archive, mark verified today,
    and deleting only listings that were never published.

    Each listing is saved on its own, like a single edit, so each gets a history row naming
    the curator and the action; rows the workflow does not allow are skipped and counted.
    """

    actions = ["publish", "archive", "mark_verified_today", "delete_unpublished"]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Django's own would delete published listings too; delete_unpublished replaces it.
        actions.pop("delete_selected", None)
        return actions

    def typed_listings(self, queryset):
        """The chosen listings as their typed models, whose saves write history."""
        return queryset

    @admin.action(description=_("Publish selected listings"), permissions=["change"])
    def publish(self, request, queryset):
        self.change_each(request, queryset, "publish", ListingStatus.PUBLISHED)

    @admin.action(description=_("Archive selected listings"), permissions=["change"])
    def archive(self, request, queryset):
        self.change_each(request, queryset, "archive", ListingStatus.ARCHIVED)

    @admin.action(description=_("Mark selected listings as verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        self.change_each(request, queryset, "mark verified today")

    @admin.action(
        description=_("Delete selected drafts and listings pending review"),
        permissions=["delete"],
    )
    def delete_unpublished(self, request, queryset):
        kept = queryset.filter(status__in=NEVER_DELETED).count()
        if kept:
            self.message_user(
                request,
                ngettext(
                    "%(count)d published or archived listing is kept: archive it instead.",
                    "%(count)d published or archived listings are kept: archive them instead.",
                    kept,
                )
                % {"count": kept},
                messages.WARNING,
            )
        deletable = queryset.exclude(status__in=NEVER_DELETED)
        if deletable.exists():
            # Django's confirmation page, then its deletion, of the deletable rows only.
            return delete_selected(self, request, deletable)
        return None

    def delete_queryset(self, request, queryset):
        # Whatever path gets here, published and archived listings stay.
        super().delete_queryset(request, queryset.exclude(status__in=NEVER_DELETED))

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status in NEVER_DELETED:
            return False
        return super().has_delete_permission(request, obj)

    def change_each(self, request, queryset, verb, new_status=None):
        today = timezone.localdate()
        done, skipped = 0, Counter()
        for listing in self.typed_listings(queryset):
            if new_status is not None:
                if listing.status == new_status:
                    skipped[_("already %(status)s") % {"status": new_status.label.lower()}] += 1
                    continue
                refusal = listing.status_change_error(new_status, old_status=listing.status)
                if refusal:
                    skipped[refusal] += 1
                    continue
                listing.status = new_status
            else:
                listing.last_verified_on = today
            try:
                if new_status == ListingStatus.PUBLISHED:
                    listing.clean()
                listing._history_user = request.user
                listing._change_reason = f"Bulk action: {verb}"
                with transaction.atomic():
                    listing.save()
            except ValidationError as error:
                skipped[" ".join(error.messages)] += 1
            except IntegrityError:
                skipped[_("the database refused the change")] += 1
            else:
                done += 1
        level = messages.SUCCESS if done else messages.INFO
        self.message_user(request, done_message(verb, done), level)
        for reason, count in skipped.items():
            self.message_user(
                request,
                ngettext(
                    "%(count)d listing skipped: %(reason)s",
                    "%(count)d listings skipped: %(reason)s",
                    count,
                )
                % {"count": count, "reason": reason},
                messages.WARNING,
            )


def done_message(verb, count):
    if verb == "publish":
        text = ngettext("%(count)d listing published.", "%(count)d listings published.", count)
    elif verb == "archive":
        text = ngettext("%(count)d listing archived.", "%(count)d listings archived.", count)
    else:
        text = ngettext(
            "%(count)d listing marked as verified today.",
            "%(count)d listings marked as verified today.",
            count,
        )
    return text % {"count": count}


class ListingSearch:
    """The admin's listing search, written so that PostgreSQL answers it from indexes.

    Each word must be in one of ``search_fields``, as in Django's admin. The organization's
    name is looked up first, in its own small table, and the listing search then asks for
    those organizations' ids: joined into the search, that one field kept PostgreSQL from
    combining the trigram indexes of the listing's own fields (migration 0007), and a
    search read all 200,000 listings (870 ms; 16 ms now).
    """

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        if "organization__name" not in fields:
            return super().get_search_results(request, queryset, search_term)
        own = [field for field in fields if field != "organization__name"]
        for word in _search_words(search_term):
            organizations = Organization.objects.filter(name__icontains=word)
            condition = Q(organization_id__in=list(organizations.values_list("pk", flat=True)))
            for field in own:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset, False


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
    inlines = [OpeningHoursInline]
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
        state_filter(),
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
        state_filter(),
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


@admin.register(Helpline)
class HelplineAdmin(TypedListingAdmin):
    list_display = ("name", "status", "helpline_type", "scope", "region", "phone", "sms")
    list_filter = ("status", "helpline_type", "scope", VerificationFilter, state_filter())
    search_fields = (*TypedListingAdmin.search_fields, "phone", "sms")
    fieldsets = listing_fieldsets(
        Helpline, basics=("helpline_type", "scope"), contact=("chat_url",)
    )


@admin.register(CommunityResource)
class CommunityResourceAdmin(TypedListingAdmin):
    list_display = ("name", "status", "resource_type", "city", "region", last_verified)
    list_filter = ("status", "resource_type", VerificationFilter, state_filter())
    fieldsets = listing_fieldsets(CommunityResource, basics=("resource_type",))


@admin.register(Listing)
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


@admin.register(Organization)
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


@admin.register(Term)
class TermAdmin(HistoryAdmin):
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
