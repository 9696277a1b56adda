from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from opendata.api.views import APIDocsView

admin.site.site_header = "Recovery Support Directory — curators"
admin.site.site_title = "Recovery Support Directory admin"
admin.site.index_title = "Listings, groups and meetings"

urlpatterns = [
    # The second sign-in step, before the admin's catch-all URL would take its paths.
    path(f"{settings.ADMIN_URL}two-step/", include("accounts.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("opendata.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", APIDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("hsds/", include("opendata.hsds.urls")),
    path("", include("moderation.urls")),
    path("", include("directory.urls")),
    path("", include("exchange.urls")),
]

# JSON under /api/ and /hsds/, the site's pages elsewhere (opendata/api/errors.py).
handler400 = "opendata.api.errors.bad_request"
handler403 = "opendata.api.errors.permission_denied"
handler404 = "opendata.api.errors.page_not_found"
handler500 = "opendata.api.errors.server_error"
