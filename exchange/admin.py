"""The curators' admin of the sources that sync themselves, and of each run's change report.

Curators add and change sources (never delete one: its runs are kept; set it inactive).
Runs are read-only: a held run is approved ("Approve and import") or rejected from its page.
The HSDS term mappings (what an HSDS source's taxonomy terms become here) are kept here too.
"""

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.models import HsdsTermMapping, RunOutcome, Source, SourceFormat, SyncRun
from exchange.rows import FeedError
from exchange.sync.runs import AlreadyDecided, approve, reject
from groups.models import Meeting, Place, SupportGroup
from resources.admin import HistoryAdmin
from resources.models import Listing

FETCH_STATE = ("last_fetched_at", "last_status", "etag", "last_modified")


def runs_url(source):
    return reverse("admin:exchange_syncrun_changelist") + f"?source__id__exact={source.pk}"


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("name", "format", "fellowship", "every_hours", "active", "last_fetched_at")
    list_display += ("last_status", "runs")
    list_filter = ("active", "format", "fellowship")
    list_select_related = ("fellowship",)
    search_fields = ("name", "label", "url")
    readonly_fields = (*FETCH_STATE, "runs")
    fieldsets = (
        (None, {"fields": ("name", "url", "format", "fellowship", "label")}),
        (
            gettext_lazy("Importing"),
            {"fields": ("time_zone", "every_hours", "max_deactivate_percent", "active")},
        ),
        (gettext_lazy("Last fetch"), {"fields": ("runs", *FETCH_STATE)}),
    )

    @admin.display(description=gettext_lazy("runs"))
    def runs(self, source):
        if source.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', runs_url(source), _("Change reports"))


@admin.register(HsdsTermMapping)
class HsdsTermMappingAdmin(HistoryAdmin):
    """What an HSDS taxonomy term becomes here, beyond the reviewed defaults of
    ``exchange/data/hsds_mapping.json`` (a row here overrides a default for its term)."""

    list_display = ("term", "taxonomy", "target", "code", "notes")
    list_filter = ("target",)
    search_fields = ("term", "taxonomy", "code", "notes")
    fields = ("taxonomy", "term", "target", "code", "notes")


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "source", "outcome", "created", "updated", "deactivated")
    list_display += ("skipped",)
    list_filter = ("outcome", "source")
    list_select_related = ("source",)
    date_hierarchy = "started_at"
    fields = (
        ("source", "outcome"),
        ("started_at", "finished_at"),
        ("http_status", "size"),
        ("created", "updated", "unchanged", "deactivated", "skipped"),
        "error",
        ("decided_by", "decided_at"),
    )
    readonly_fields = [
        name for line in fields for name in ([line] if isinstance(line, str) else line)
    ]

    def get_queryset(self, request):
        # The list never reads the kept feed nor the change report.
        return super().get_queryset(request).defer("held_body", "changes", "report_lines")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The change report is kept, as the history of the meetings is.
        return False

    def has_approve_permission(self, request):
        return request.user.has_perm("exchange.approve_syncrun")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="exchange_syncrun_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="exchange_syncrun_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = get_object_or_404(SyncRun.objects.select_related("source"), pk=object_id)
        context = {
            "run": run,
            "changes": readable_changes(run),
            "warning_counts": sorted(run.warning_counts.items()),
            "can_decide": run.is_held and self.has_approve_permission(request),
            "runs_url": runs_url(run.source),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def _decide(self, request, object_id, decide, done):
        """Run ``decide(run, user)`` on a POST by a curator who may; then back to the run's
        page with ``done(run)`` or the reason it could not be done."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_approve_permission(request):
            raise PermissionDenied
        run = get_object_or_404(SyncRun.objects.select_related("source"), pk=object_id)
        page = HttpResponseRedirect(reverse("admin:exchange_syncrun_change", args=[run.pk]))
        try:
            run = decide(run, request.user)
        except AlreadyDecided:
            self.message_user(request, _("This run is no longer held."), messages.ERROR)
            return page
        except FeedError as error:
            problems = " ".join(error.problems)
            message = _("Nothing imported: %(problems)s") % {"problems": problems}
            self.message_user(request, message, messages.ERROR)
            return page
        self.log_change(request, run, run.get_outcome_display())
        self.message_user(request, done(run), messages.SUCCESS)
        return page

    def approve_view(self, request, object_id):
        def done(run):
            return _(
                "Imported: %(created)d created, %(updated)d updated, %(deactivated)d deactivated."
            ) % {"created": run.created, "updated": run.updated, "deactivated": run.deactivated}

        return self._decide(request, object_id, approve, done)

    def reject_view(self, request, object_id):
        def done(run):
            return _("Rejected: nothing of this feed was imported.")

        return self._decide(request, object_id, reject, done)


def readable_changes(run):
    """The run's change report with field names and groups' and places' names to read."""
    changes = run.changes or {}
    updated = changes.get("updated", [])
    ids = {"group_id": set(), "place_id": set()}
    for entry in updated:
        for name, values in entry["fields"].items():
            if name in ids:
                ids[name].update(value for value in values if value)
    names = {
        "group_id": dict(
            SupportGroup.objects.filter(pk__in=ids["group_id"]).values_list("pk", "name")
        ),
        "place_id": dict(Place.objects.filter(pk__in=ids["place_id"]).values_list("pk", "name")),
    }
    # A held run's new meetings were made in a rolled-back preview: they have no page.
    linked = run.outcome in (RunOutcome.IMPORTED, RunOutcome.APPROVED)
    rows = []
    for entry in updated:
        for name, (before, after) in entry["fields"].items():
            if name in names:
                before, after = names[name].get(before, before), names[name].get(after, after)
            rows.append({**entry, "field": _field_name(name), "before": before, "after": after})
    counts = {"created": run.created, "updated": run.updated, "deactivated": run.deactivated}
    kept = {
        "created": changes.get("created", []),
        "updated": updated,
        "deactivated": changes.get("deactivated", []),
    }
    return {
        "created": _with_urls(kept["created"], linked, _change_page(run)),
        "updated": _with_urls(rows, True, _change_page(run)),
        "deactivated": _with_urls(kept["deactivated"], True, _change_page(run)),
        "left_out": {kind: counts[kind] - len(kept[kind]) for kind in counts},
    }


def _change_page(run):
    """The admin page of what a run's changes name: listings for HSDS, else meetings."""
    if run.source.format == SourceFormat.HSDS:
        return "admin:resources_listing_change"
    return "admin:groups_meeting_change"


def _with_urls(entries, linked, page="admin:groups_meeting_change"):
    return [
        {
            **entry,
            "url": reverse(page, args=[entry["id"]]) if linked and entry.get("id") else "",
        }
        for entry in entries
    ]


def _field_name(name):
    if name == "types":
        return _("types")
    # A listing's fields (HSDS sources), or what is not a field: "terms", "opening hours".
    for model in (Meeting, Listing):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name
