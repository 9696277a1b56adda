"""The published guides, for search engines: a section of /sitemap.xml
(``recovery_site/urls.py`` adds it to ``directory.sitemaps.SITEMAPS``)."""

from directory.sitemaps import ModelSitemap
from guides.models import Guide


class GuideSitemap(ModelSitemap):
    def rows(self):
        return Guide.objects.published()
