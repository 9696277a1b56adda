from django.urls import path

from groups import feeds, views

app_name = "groups"

urlpatterns = [
    path("api/meeting-guide.json", feeds.meeting_guide_feed, name="meeting_guide_feed"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
]
