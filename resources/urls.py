from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("listings/<slug:slug>/", views.listing_detail, name="listing_detail"),
]
