"""What visitors confirmed, read only: for each published listing, whether its phone number
worked; for each public meeting, whether it happened. The last yes and the counts of the
last 30 days, next to what curators know. Each name opens the listing's or the meeting's
own admin; nothing here is added, changed or deleted."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.models import (
    ListingCheckedByVisitors,
    MeetingCheckedByVisitors,
    VisitorConfirmation,
)
from resources.admin import ListingAdmin, VerificationFilter, last_verified

# The admin counts what visitors said over this many days.
COUNTED_DAYS = 30


def _confirmations_since(days, subject):
    """The rows about listings (``subject`` "listing") or meetings of the last ``days``."""
    return VisitorConfirmation.objects.filter(
        **{f"{subject}__isnull": False}, day__gte=timezone.localdate() - timedelta(days=days)
    )


def _total(column, subject):
    """For a listing or a meeting: the sum of ``column`` over its rows of the counted days."""
    rows = _confirmations_since(COUNTED_DAYS, subject).filter(**{subject: OuterRef("pk")})
    total = rows.order_by().values(subject).annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(total), 0)


class VisitorConfirmationFilter(admin.SimpleListFilter):
    title = gettext_lazy("visitors said")
    parameter_name = "visitors"

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("It worked, within 30 days")),
            ("no", gettext_lazy("It did not work, within 30 days")),
            ("never", gettext_lazy("Nothing yet")),
        ]

    def queryset(self, request, queryset):
        subject = self.subject
        # The few listings or meetings visitors answered about, not a subquery per row.
        recent = _confirmations_since(COUNTED_DAYS, subject)
        if self.value() == "yes":
            return queryset.filter(pk__in=recent.filter(yes__gt=0).values(f"{subject}_id"))
        if self.value() == "no":
            return queryset.filter(pk__in=recent.filter(no__gt=0).values(f"{subject}_id"))
        if self.value() == "never":
            answered = VisitorConfirmation.objects.filter(**{f"{subject}__isnull": False})
            return queryset.exclude(pk__in=answered.values(f"{subject}_id"))
        return queryset


class ListingConfirmationFilter(VisitorConfirmationFilter):
    subject = "listing"


class MeetingConfirmationFilter(VisitorConfirmationFilter):
    subject = "meeting"

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("It happened, within 30 days")),
            ("no", gettext_lazy("It did not happen, within 30 days")),
            ("never", gettext_lazy("Nothing yet")),
        ]


class CheckedByVisitorsAdmin(admin.ModelAdmin):
    """What both lists share: the counts, read only."""

    subject = None  # "listing" or "meeting"
    list_display_links = None
    show_full_result_count = False  # as in the listings' own admin

    def with_counts(self, queryset):
        last_yes = (
            VisitorConfirmation.objects.filter(**{self.subject: OuterRef("pk")}, yes__gt=0)
            .order_by("-day")
            .values("day")[:1]
        )
        return queryset.annotate(
            last_visitor_yes=Subquery(last_yes),
            yes_recently=_total("yes", self.subject),
            no_recently=_total("no", self.subject),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("last visitor yes"), ordering="last_visitor_yes")
    def last_visitor_yes(self, subject):
        if subject.last_visitor_yes is None:
            return _("Never")
        return date_format(subject.last_visitor_yes)

    @admin.display(description=gettext_lazy("yes, last 30 days"), ordering="yes_recently")
    def yes_recently(self, subject):
        return subject.yes_recently

    @admin.display(description=gettext_lazy("no, last 30 days"), ordering="no_recently")
    def no_recently(self, subject):
        return subject.no_recently


@admin.register(ListingCheckedByVisitors)
class ListingCheckedByVisitorsAdmin(CheckedByVisitorsAdmin):
    """Published listings with what visitors said of their phone numbers, next to the
    curators' own "last verified"."""

    subject = "listing"
    list_display = (
        "typed_link",
        "kind",
        last_verified,
        "last_visitor_yes",
        "yes_recently",
        "no_recently",
    )
    list_filter = (ListingConfirmationFilter, "kind", VerificationFilter)
    search_fields = ("name", "slug", "city")

    def get_queryset(self, request):
        return self.with_counts(super().get_queryset(request).published())

    @admin.display(description=gettext_lazy("name"), ordering="name")
    def typed_link(self, listing):
        return format_html(
            '<a href="{}">{}</a>', ListingAdmin.typed_change_url(listing), listing.name
        )


@admin.register(MeetingCheckedByVisitors)
class MeetingCheckedByVisitorsAdmin(CheckedByVisitorsAdmin):
    """Public meetings with what visitors said of whether they happened, next to the
    meeting's own status (a "did not happen" report also lands in the moderation queue)."""

    subject = "meeting"
    list_display = (
        "meeting_link",
        "group",
        "status",
        "last_visitor_yes",
        "yes_recently",
        "no_recently",
    )
    list_filter = (MeetingConfirmationFilter, "status", "group__fellowship")
    list_select_related = ("group",)
    search_fields = ("name", "slug", "group__name")

    def get_queryset(self, request):
        return self.with_counts(super().get_queryset(request).public())

    @admin.display(description=gettext_lazy("name"), ordering="name")
    def meeting_link(self, meeting):
        url = reverse("admin:groups_meeting_change", args=[meeting.pk])
        return format_html('<a href="{}">{}</a>', url, meeting.name)
