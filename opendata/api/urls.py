from django.urls import path

from opendata.api import views

app_name = "api"

urlpatterns = [
    path("listings/", views.ListingListView.as_view(), name="listing-list"),
    path("listings/<str:slug>/", views.ListingDetailView.as_view(), name="listing-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("fellowships/", views.FellowshipListView.as_view(), name="fellowship-list"),
    path("vocabularies/", views.VocabularyListView.as_view(), name="vocabularies"),
]
