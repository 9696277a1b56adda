"""The HSDS 3.0 API, at the paths of Open Referral's openapi.json (no trailing slashes)."""

from django.urls import path

from opendata.hsds import views

app_name = "hsds"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("services", views.ServiceListView.as_view(), name="service-list"),
    path("services/<str:id>", views.ServiceDetailView.as_view(), name="service-detail"),
    path("organizations", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/<str:id>",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "service_at_locations",
        views.ServiceAtLocationListView.as_view(),
        name="service-at-location-list",
    ),
    path(
        "service_at_locations/<str:id>",
        views.ServiceAtLocationDetailView.as_view(),
        name="service-at-location-detail",
    ),
    path("taxonomies", views.TaxonomyListView.as_view(), name="taxonomy-list"),
    path("taxonomies/<str:id>", views.TaxonomyDetailView.as_view(), name="taxonomy-detail"),
    path("taxonomy_terms", views.TaxonomyTermListView.as_view(), name="taxonomy-term-list"),
    path(
        "taxonomy_terms/<str:id>",
        views.TaxonomyTermDetailView.as_view(),
        name="taxonomy-term-detail",
    ),
]
