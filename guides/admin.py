from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guides.models import Guide, GuideStatus
from resources.admin import HistoryAdmin


@admin.register(Guide)
class GuideAdmin(HistoryAdmin):
    list_display = ("title", "language", "slug", "status", "reviewed_on", "position")
    list_filter = ("language", "status")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (_("Basics"), {"fields": ("title", "slug", "language", "summary", "status", "position")}),
        (_("Text"), {"fields": ("body",)}),
        (_("Where facts come from"), {"fields": ("sources", "reviewed_on")}),
        (_("Links"), {"fields": ("searches", "explains")}),
    )
    history_list_display = ["language", "status", "reviewed_on"]

    def has_delete_permission(self, request, obj=None):
        # A guide that has been public is archived, never deleted (its address says so).
        if obj is not None and obj.status != GuideStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)
