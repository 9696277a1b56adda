from django.urls import path

from exchange.meeting_guide import feed

app_name = "exchange"
urlpatterns = [
    path("api/meeting-guide.json", feed.meeting_guide_feed, name="meeting_guide_feed"),
]
