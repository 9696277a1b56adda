from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
]
