from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from directory.robots import robots_txt
from directory.sitemaps import SITEMAPS as DIRECTORY_SITEMAPS
from guides.sitemaps import GuideSitemap
from opendata.api.views import APIDocsView

# The guides sit above the public site (docs/architecture.md), so their section joins here.
SITEMAPS = {**DIRECTORY_SITEMAPS, "guides": GuideSitemap}

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
    # For search engines: what to crawl, and an index of every public page by section.
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # Meeting Guide apps read this feed at a fixed address, in no language.
    path("", include("exchange.urls")),
]
# The public pages: English at the addresses they always had, each other language under its
# code (/es/search/). The address alone says the language: no cookie, no guess from the
# browser (LocaleMiddleware, settings.LANGUAGES).
urlpatterns += i18n_patterns(
    path("", include("moderation.urls")),
    path("", include("directory.urls")),
    path("", include("guides.urls")),
    prefix_default_language=False,
)

# JSON under /api/ and /hsds/, the site's pages elsewhere (opendata/api/errors.py).
handler400 = "opendata.api.errors.bad_request"
handler403 = "opendata.api.errors.permission_denied"
handler404 = "opendata.api.errors.page_not_found"
handler500 = "opendata.api.errors.server_error"
