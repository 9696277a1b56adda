from django.urls import path, re_path

from moderation import views
from moderation.models import REFERENCE_PATTERN

app_name = "moderation"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("listings/<slug:slug>/report/", views.report_listing, name="report_listing"),
    path("meetings/<slug:slug>/report/", views.report_meeting, name="report_meeting"),
    path("listings/<slug:slug>/confirm/", views.confirm_listing, name="confirm_listing"),
    path("meetings/<slug:slug>/confirm/", views.confirm_meeting, name="confirm_meeting"),
    path("new-clients/<str:token>/", views.new_clients, name="new_clients"),
    re_path(rf"^thanks/(?P<reference>{REFERENCE_PATTERN})/$", views.thanks, name="thanks"),
]
