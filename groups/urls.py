from django.urls import path

from groups import feeds, views

app_name = "groups"

urlpatterns = [
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting_guide_feed"),
    path("meetings/", views.meeting_finder, name="meeting_finder"),
    path("meetings/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/<slug:slug>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("fellowships/", views.FellowshipListView.as_view(), name="fellowship_list"),
    path(
        "fellowships/<slug:slug>/",
        views.FellowshipDetailView.as_view(),
        name="fellowship_detail",
    ),
]
