"""The published guides, for search engines: a section of /sitemap.xml
(``recovery_site/urls.py`` adds it to ``directory.sitemaps.SITEMAPS``). Each language's
guide is listed at its own address (/guides/<slug>/, /es/guides/<slug>/)."""

from directory.sitemaps import ModelSitemap
from guides.models import Guide


class GuideSitemap(ModelSitemap):
    def rows(self):
        return Guide.objects.published()

    def items(self):
        return self.rows().order_by("pk").only("pk", "slug", "language", "updated_at")
