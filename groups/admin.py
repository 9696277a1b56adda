"""The curators' admin for fellowships, their groups, meeting places and meetings."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship, Meeting, Place, SupportGroup
from resources.admin import (
    HistoryAdmin,
    OpeningHoursInline,
    TypedListingAdmin,
    last_verified,
    listing_fieldsets,
    state_filter,
)
from resources.forms import historical_snapshot, offered_terms
from resources.models.history import one_history_row
from resources.vocabularies import Vocabulary


@admin.register(Fellowship)
class FellowshipAdmin(HistoryAdmin):
    list_display = ("name", "short_name", "approach", "audience", "group_count")
    list_filter = ("approach", "audience")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Basics"), {"fields": ("name", "short_name", "slug", "approach", "audience")}),
        (_("About"), {"fields": ("website", "description")}),
    )

    def get_queryset(self, request):
        # The count adds a GROUP BY, which drops Meta.ordering; autocomplete pages need one.
        return (
            super()
            .get_queryset(request)
            .annotate(group_count=Count("groups"))
            .order_by("name", "pk")
        )

    @admin.display(description=_("groups"), ordering="group_count")
    def group_count(self, fellowship):
        return fellowship.group_count


class MeetingInline(admin.TabularInline):
    """The group's meetings at a glance; types, links and notes are on the meeting's own page."""

    model = Meeting
    fields = (
        "name",
        "slug",
        "weekday",
        "start_time",
        "end_time",
        "time_zone",
        "attendance",
        "place",
        "status",
    )
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("place",)
    show_change_link = True
    extra = 0


@admin.register(SupportGroup)
class SupportGroupAdmin(TypedListingAdmin):
    list_display = (
        "name",
        "fellowship",
        "status",
        "city",
        "region",
        "meeting_count",
        last_verified,
    )
    list_filter = ("status", "fellowship", *TypedListingAdmin.list_filter[1:])
    list_select_related = ("fellowship", "organization")
    search_fields = (*TypedListingAdmin.search_fields, "fellowship__short_name")
    autocomplete_fields = ("organization", "fellowship")
    inlines = [MeetingInline, OpeningHoursInline]
    fieldsets = listing_fieldsets(SupportGroup, basics=("fellowship",))

    def get_queryset(self, request):
        # The count adds a GROUP BY, which drops Meta.ordering; autocomplete pages need one.
        return (
            super()
            .get_queryset(request)
            .annotate(meeting_count=Count("meetings"))
            .order_by("name", "pk")
        )

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, group):
        return group.meeting_count


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    list_display = ("name", "address_line1", "city", "region", "location_precision")
    list_filter = ("location_precision", state_filter())
    search_fields = ("name", "address_line1", "city")
    fieldsets = (
        (_("Basics"), {"fields": ("name", "notes")}),
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
    )


class MeetingAdminForm(forms.ModelForm):
    """Offers only active meeting types; the admin supplies the model and the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "types" in self.fields:
            current = self.instance.types.all() if self.instance.pk else ()
            snapshot = historical_snapshot(self.instance, "types")
            if snapshot is not None:
                # Reverting to an earlier version: offer and tick the types it had.
                current = snapshot
                self.initial["types"] = [term.pk for term in snapshot]
            # Retired types stay offered on the meetings that already have them.
            self.fields["types"].queryset = offered_terms(Vocabulary.MEETING_TYPE, keep=current)

    def _save_m2m(self):
        # The meeting's save and its new types make one history row, not three.
        with one_history_row(self.instance):
            super()._save_m2m()


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    form = MeetingAdminForm
    list_display = (
        "name",
        "group",
        "fellowship",
        "weekday",
        "start_time",
        "end_time",
        "attendance",
        "place",
        "status",
    )
    list_filter = (
        "status",
        "weekday",
        "attendance",
        "group__fellowship",
        state_filter("group__region"),
    )
    list_select_related = ("group__fellowship", "place")
    search_fields = ("name", "slug", "group__name", "place__name", "place__city")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("group", "place")
    filter_horizontal = ("types",)
    readonly_fields = ("created_at", "updated_at")
    save_on_top = True
    fieldsets = (
        (_("Basics"), {"fields": ("group", "name", "slug", "status")}),
        (_("When"), {"fields": ("weekday", ("start_time", "end_time"), "time_zone")}),
        (
            _("Where"),
            {
                "fields": (
                    "attendance",
                    "place",
                    ("conference_url", "conference_url_notes"),
                    ("conference_phone", "conference_phone_notes"),
                )
            },
        ),
        (_("What it offers"), {"fields": ("types", "notes")}),
        (_("Record"), {"fields": (("created_at", "updated_at"),)}),
    )

    @admin.display(description=_("fellowship"), ordering="group__fellowship__short_name")
    def fellowship(self, meeting):
        return meeting.group.fellowship.short_name
