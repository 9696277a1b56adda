"""The curators' admin for fellowships, their groups, meeting places and meetings."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.models import Fellowship, Meeting, MeetingText, Place, SupportGroup
from resources.admin import (
    HistoryAdmin,
    ListingTextInline,
    OpeningHoursInline,
    TypedListingAdmin,
    last_verified,
    listing_fieldsets,
    state_filter,
)
from resources.forms import historical_snapshot, offered_terms
from resources.models import NEVER_DELETED
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
        "archived_on",
    )
    readonly_fields = ("archived_on",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("place",)
    show_change_link = True
    extra = 0

    def has_delete_permission(self, request, obj=None):
        # ``obj`` is the group: once it has been public its meetings are archived instead.
        if obj is not None and obj.status in NEVER_DELETED:
            return False
        return super().has_delete_permission(request, obj)


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
    inlines = [MeetingInline, OpeningHoursInline, ListingTextInline]
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


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("Not archived")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.current()
        if self.value() == "yes":
            return queryset.archived()
        return queryset


# Shown on the changelist (many meetings) and on each meeting's own page (this one).
BOTH_PLACES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class MeetingActions:
    """Archive and restore, in bulk or one meeting at a time, instead of deleting.

    Each meeting is saved on its own, like a single edit, so each gets a history row naming
    the curator and the action; meetings already in the wanted state are counted, not saved.
    A meeting is deleted only while its group has never been public (Meeting.delete()).
    """

    actions = ["archive_meetings", "restore_meetings"]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Django's own would delete a hundred public meetings in one click.
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.group.status in NEVER_DELETED:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # Whatever path gets here, meetings of groups that have been public stay.
        super().delete_queryset(request, queryset.exclude(group__status__in=NEVER_DELETED))

    @admin.action(
        description=_("Archive this meeting"),
        description_plural=_("Archive selected meetings"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def archive_meetings(self, request, queryset):
        self.set_archived(request, queryset, timezone.localdate())

    @admin.action(
        description=_("Restore this meeting"),
        description_plural=_("Restore selected meetings"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def restore_meetings(self, request, queryset):
        self.set_archived(request, queryset, None)

    def set_archived(self, request, queryset, archived_on):
        archiving = archived_on is not None
        done = unchanged = 0
        for meeting in queryset.select_related("group"):
            if meeting.is_archived == archiving:
                unchanged += 1
                continue
            meeting.archived_on = archived_on
            meeting._history_user = request.user
            meeting._change_reason = "Bulk action: archive" if archiving else "Bulk action: restore"
            with transaction.atomic():
                meeting.save(update_fields=["archived_on", "updated_at"])
            done += 1
        if archiving:
            text = ngettext("%(count)d meeting archived.", "%(count)d meetings archived.", done)
            skipped = ngettext(
                "%(count)d meeting was already archived.",
                "%(count)d meetings were already archived.",
                unchanged,
            )
        else:
            text = ngettext("%(count)d meeting restored.", "%(count)d meetings restored.", done)
            skipped = ngettext(
                "%(count)d meeting was not archived.",
                "%(count)d meetings were not archived.",
                unchanged,
            )
        level = messages.SUCCESS if done else messages.INFO
        self.message_user(request, text % {"count": done}, level)
        if unchanged:
            self.message_user(request, skipped % {"count": unchanged}, messages.WARNING)


class MeetingTextInline(admin.StackedInline):
    """The meeting's notes in Spanish (or another language of the site)."""

    model = MeetingText
    fields = ("language", "notes")
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(MeetingActions, HistoryAdmin):
    form = MeetingAdminForm
    inlines = [MeetingTextInline]
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
        "archived_on",
    )
    list_filter = (
        "status",
        ArchivedFilter,
        "frequency",
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
    readonly_fields = ("archived_on", "created_at", "updated_at")
    save_on_top = True
    history_list_display = ["status", "archived_on"]
    fieldsets = (
        (_("Basics"), {"fields": ("group", "name", "slug", "status", "archived_on")}),
        (
            # "By appointment" leaves the day and times empty: people arrange it with the group.
            _("When"),
            {
                "fields": (
                    ("frequency", "week_of_month"),
                    "weekday",
                    ("start_time", "end_time"),
                    "time_zone",
                )
            },
        ),
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
        (
            # What its source publishes (an import rewrites them); shown on the meeting page.
            _("From its source"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("source_url", "source_updated"),
                    ("regions", "district"),
                    "location_notes",
                    ("feedback_url", "feedback_emails"),
                    ("venmo", "paypal", "square"),
                    ("entity", "entity_location"),
                    ("entity_email", "entity_phone"),
                    ("entity_url", "entity_logo"),
                ),
            },
        ),
        (_("Record"), {"fields": (("created_at", "updated_at"),)}),
    )

    @admin.display(description=_("fellowship"), ordering="group__fellowship__short_name")
    def fellowship(self, meeting):
        return meeting.group.fellowship.short_name
