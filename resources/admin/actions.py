"""Bulk actions on listings: publish, archive, mark verified, delete the unpublished."""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources.models import NEVER_DELETED, ListingStatus


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
