"""The public pages, listed for search engines (Django's sitemaps framework).

``/sitemap.xml`` is always an index of the sections below, and each section
(``/sitemap-listings.xml``…) is split into pages of ``PAGE_SIZE`` addresses (``?p=2``…), so
a national directory of hundreds of thousands of meetings stays within the protocol's
50,000 addresses a file, and each file is read with two small queries: its count and its
page. A section's "last modified" in the index is one aggregate, never a walk of its rows.

Only what anyone may open is listed: published listings, active meetings of published
groups, fellowships, the browse pages and the fixed pages. Never a search: its address
holds what someone looked for.

``SITEMAPS`` holds the public site's sections, in English and again in each other language
(``/sitemap-listings-es.xml`` lists the /es/ pages); ``recovery_site/urls.py`` adds those of
the apps above it (the guides), which subclass ``ModelSitemap``.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from directory.categories import CATEGORIES
from groups.models import Fellowship, Meeting
from resources.models import Listing

# Addresses a file: under the protocol's 50,000 (and 50 MB), and quick to build.
PAGE_SIZE = 10_000


class ModelSitemap(Sitemap):
    """The pages of a model's rows, in a stable order, with the row's last change."""

    limit = PAGE_SIZE

    def rows(self):
        raise NotImplementedError

    def items(self):
        return self.rows().order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's own would read every row's date: one aggregate instead.
        return self.rows().aggregate(latest=Max("updated_at"))["latest"]


class ListingSitemap(ModelSitemap):
    def rows(self):
        return Listing.objects.published()


class MeetingSitemap(ModelSitemap):
    def rows(self):
        return Meeting.objects.listed()


class FellowshipSitemap(ModelSitemap):
    def rows(self):
        return Fellowship.objects.all()

    def location(self, item):
        return reverse("directory:fellowship_detail", kwargs={"slug": item.slug})


class PageSitemap(Sitemap):
    """The fixed pages and the browse pages: addresses only, no query."""

    def items(self):
        return [
            reverse(name)
            for name in (
                "directory:home",
                "directory:meeting_finder",
                "directory:fellowship_list",
                "directory:about",
                "directory:privacy",
            )
        ] + [category.get_absolute_url() for category in CATEGORIES]

    def location(self, item):
        return item


def in_language(section, language):
    """The same section with every address in ``language`` (/es/listings/…): a section of
    its own, so each file stays one query a page however many languages there are."""

    class SectionInLanguage(section):
        def items(self):
            with translation.override(language):
                return super().items()

        def location(self, item):
            with translation.override(language):
                return super().location(item)

    SectionInLanguage.__name__ = f"{section.__name__}In{language.title()}"
    return SectionInLanguage


ENGLISH_SITEMAPS = {
    "pages": PageSitemap,
    "listings": ListingSitemap,
    "meetings": MeetingSitemap,
    "fellowships": FellowshipSitemap,
}
# The other languages' pages, section by section: /sitemap-listings-es.xml.
SITEMAPS = {
    **ENGLISH_SITEMAPS,
    **{
        f"{name}-{code}": in_language(section, code)
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
        for name, section in ENGLISH_SITEMAPS.items()
    },
}
