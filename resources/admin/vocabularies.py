"""The admin of vocabulary terms, which are kept in resources/vocabularies.py."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources.admin.base import HistoryAdmin
from resources.vocabularies import Vocabulary


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
