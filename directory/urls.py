from django.urls import path
from django.views.generic import TemplateView

from directory.public_pages import public_page
from directory.views import listings, meetings

app_name = "directory"
urlpatterns = [
    path("", public_page(listings.home, seconds=listings.home_page_seconds), name="home"),
    path("search/", listings.search, name="search"),
    path("browse/<slug:category>/", listings.browse, name="browse"),
    path(
        "about/",
        public_page(TemplateView.as_view(template_name="resources/about.html")),
        name="about",
    ),
    path(
        "privacy/",
        public_page(TemplateView.as_view(template_name="resources/privacy.html")),
        name="privacy",
    ),
    path(
        "listings/<slug:slug>/",
        public_page(listings.ListingDetailView.as_view()),
        name="listing_detail",
    ),
    path("meetings/", meetings.meeting_finder, name="meeting_finder"),
    path("meetings/calendar.ics", meetings.meeting_calendar, name="meeting_calendar"),
    path("meetings/<slug:slug>.ics", meetings.meeting_ics, name="meeting_ics"),
    path(
        "meetings/<slug:slug>/",
        public_page(meetings.MeetingDetailView.as_view()),
        name="meeting_detail",
    ),
    path(
        "fellowships/", public_page(meetings.FellowshipListView.as_view()), name="fellowship_list"
    ),
    path(
        "fellowships/<slug:slug>/",
        public_page(meetings.FellowshipDetailView.as_view()),
        name="fellowship_detail",
    ),
]
