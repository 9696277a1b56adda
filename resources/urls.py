from django.urls import path
from django.views.generic import TemplateView

from resources import views
from resources.public_cache import public_page

app_name = "resources"

urlpatterns = [
    path("", public_page(views.home, seconds=views.home_page_seconds), name="home"),
    path("search/", views.search, name="search"),
    path("browse/<slug:category>/", views.browse, name="browse"),
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
        public_page(views.ListingDetailView.as_view()),
        name="listing_detail",
    ),
]
