from django.urls import path
from django.views.generic import TemplateView

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("browse/<slug:category>/", views.browse, name="browse"),
    path("about/", TemplateView.as_view(template_name="resources/about.html"), name="about"),
    path("privacy/", TemplateView.as_view(template_name="resources/privacy.html"), name="privacy"),
    path("listings/<slug:slug>/", views.ListingDetailView.as_view(), name="listing_detail"),
]
