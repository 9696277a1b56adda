from django.urls import path, re_path

from moderation import views
from moderation.models import REFERENCE_PATTERN

app_name = "moderation"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("listings/<slug:slug>/report/", views.report_listing, name="report_listing"),
    path("meetings/<slug:slug>/report/", views.report_meeting, name="report_meeting"),
    re_path(rf"^thanks/(?P<reference>{REFERENCE_PATTERN})/$", views.thanks, name="thanks"),
]
