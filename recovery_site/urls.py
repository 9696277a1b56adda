from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "Recovery Support Directory — curators"
admin.site.site_title = "Recovery Support Directory admin"
admin.site.index_title = "Listings, groups and meetings"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("resources.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("hsds/", include("resources.hsds.urls")),
    path("", include("moderation.urls")),
    path("", include("resources.urls")),
    path("", include("groups.urls")),
]
