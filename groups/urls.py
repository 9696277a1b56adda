from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
]
