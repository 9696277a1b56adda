from django.urls import path

from groups import feeds, views
from resources.public_cache import public_page

app_name = "groups"

urlpatterns = [
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting_guide_feed"),
    path("meetings/", views.meeting_finder, name="meeting_finder"),
    path("meetings/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/<slug:slug>.ics", views.meeting_ics, name="meeting_ics"),
    path(
        "meetings/<slug:slug>/",
        public_page(views.MeetingDetailView.as_view()),
        name="meeting_detail",
    ),
    path("fellowships/", public_page(views.FellowshipListView.as_view()), name="fellowship_list"),
    path(
        "fellowships/<slug:slug>/",
        public_page(views.FellowshipDetailView.as_view()),
        name="fellowship_detail",
    ),
]
