"""The kinds of help the home page offers, each with its own browse page.

A category is a saved filter: ``/browse/<slug>/`` is the search page with the category's
condition applied first. The condition is a ``Q`` so that the home page can count every
category in one aggregate query (``counts``) and the browse page can filter with it.

Conditions on tags use ``pk__in`` subqueries rather than joins, so a listing with two
medications is still one row, both when filtered and when counted.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.models import FellowshipAudience
from resources.models import CommunityResourceType, Listing, ListingKind
from resources.vocabularies import Vocabulary

# Each kind of support in the plain words pages and filters use.
KIND_NAMES = {
    ListingKind.CLINICIAN: _("Doctors, therapists and counselors"),
    ListingKind.TREATMENT_PROGRAM: _("Treatment programs"),
    ListingKind.SOBER_LIVING_HOME: _("Sober living homes"),
    ListingKind.HELPLINE: _("Hotlines and online help"),
    ListingKind.COMMUNITY_RESOURCE: _("Community resources"),
    ListingKind.SUPPORT_GROUP: _("Peer support groups"),
}

# The filters a page can offer, in the order they are shown (see directory/listing_filters.py).
ALL_FILTERS = (
    "kind",
    "role",
    "fellowship",
    "delivery",
    "new_clients",
    "beds",
    "open_now",
    "open_24_7",
    "remote",
    "payment",
    "medication",
    "substance",
    "population",
    "language",
    "accessibility",
)


def tagged(vocabulary, codes=None):
    """Listings with any term of ``vocabulary`` (or any of ``codes`` in it), as a condition."""
    terms = Listing.terms.through.objects.filter(term__vocabulary=vocabulary)
    if codes is not None:
        terms = terms.filter(term__code__in=codes)
    return Q(pk__in=terms.values("listing_id"))


def _of_kind(kind):
    return lambda: Q(kind=kind)


def _medication():
    return Q(kind__in=[ListingKind.CLINICIAN, ListingKind.TREATMENT_PROGRAM]) & tagged(
        Vocabulary.MEDICATION
    )


def _family_and_friends():
    return (
        Q(
            supportgroup__fellowship__audience__in=[
                FellowshipAudience.FAMILY_AND_FRIENDS,
                FellowshipAudience.BOTH,
            ]
        )
        | Q(communityresource__resource_type=CommunityResourceType.FAMILY_SUPPORT)
        | tagged(Vocabulary.POPULATION, ["families"])
        | tagged(Vocabulary.THERAPY_APPROACH, ["family-therapy", "craft"])
    )


@dataclass(frozen=True)
class Category:
    slug: str
    label: str
    description: str
    # Builds the condition when asked: it holds querysets, which need the app registry.
    condition_factory: object
    # The kind whose listings' breadcrumbs lead here, if the category is exactly one kind.
    kind: str = ""
    filters: tuple = field(default=ALL_FILTERS)

    def __str__(self):
        return str(self.label)

    def condition(self):
        return self.condition_factory()

    def apply(self, queryset):
        return queryset.filter(self.condition())

    def get_absolute_url(self):
        return reverse("directory:browse", kwargs={"category": self.slug})


CATEGORIES = (
    Category(
        slug="doctors-and-therapists",
        label=KIND_NAMES[ListingKind.CLINICIAN],
        description=_(
            "Professionals who treat addiction, including doctors who can prescribe medication."
        ),
        condition_factory=_of_kind(ListingKind.CLINICIAN),
        kind=ListingKind.CLINICIAN,
        filters=(
            "role",
            "new_clients",
            "delivery",
            "open_now",
            "open_24_7",
            "remote",
            "payment",
            "medication",
            "substance",
            "population",
            "language",
            "accessibility",
        ),
    ),
    Category(
        slug="treatment-programs",
        label=KIND_NAMES[ListingKind.TREATMENT_PROGRAM],
        description=_("Detox, outpatient and residential programs, and methadone clinics."),
        condition_factory=_of_kind(ListingKind.TREATMENT_PROGRAM),
        kind=ListingKind.TREATMENT_PROGRAM,
        filters=(
            "new_clients",
            "delivery",
            "open_now",
            "open_24_7",
            "remote",
            "payment",
            "medication",
            "substance",
            "population",
            "language",
            "accessibility",
        ),
    ),
    Category(
        slug="medication",
        label=_("Medication for addiction treatment"),
        description=_(
            "Doctors and programs that offer medication such as buprenorphine, methadone "
            "or naltrexone."
        ),
        condition_factory=_medication,
        filters=(
            "kind",
            "role",
            "new_clients",
            "delivery",
            "open_now",
            "open_24_7",
            "remote",
            "medication",
            "payment",
            "substance",
            "population",
            "language",
            "accessibility",
        ),
    ),
    Category(
        slug="sober-living",
        label=KIND_NAMES[ListingKind.SOBER_LIVING_HOME],
        description=_("Shared, alcohol- and drug-free homes for people in recovery."),
        condition_factory=_of_kind(ListingKind.SOBER_LIVING_HOME),
        kind=ListingKind.SOBER_LIVING_HOME,
        filters=("beds", "payment", "substance", "population", "language", "accessibility"),
    ),
    Category(
        slug="hotlines-and-online-help",
        label=KIND_NAMES[ListingKind.HELPLINE],
        description=_("People to call, text or chat with, wherever you are."),
        condition_factory=_of_kind(ListingKind.HELPLINE),
        kind=ListingKind.HELPLINE,
        filters=(
            "delivery",
            "open_now",
            "open_24_7",
            "remote",
            "payment",
            "substance",
            "population",
            "language",
        ),
    ),
    Category(
        slug="community-resources",
        label=KIND_NAMES[ListingKind.COMMUNITY_RESOURCE],
        description=_(
            "Recovery centers, work and training, faith, wellness, family and legal help."
        ),
        condition_factory=_of_kind(ListingKind.COMMUNITY_RESOURCE),
        kind=ListingKind.COMMUNITY_RESOURCE,
        filters=(
            "delivery",
            "open_now",
            "open_24_7",
            "remote",
            "payment",
            "substance",
            "population",
            "language",
            "accessibility",
        ),
    ),
    Category(
        slug="peer-support-groups",
        label=KIND_NAMES[ListingKind.SUPPORT_GROUP],
        description=_(
            "Free meetings led by people in recovery, and groups for family and friends."
        ),
        condition_factory=_of_kind(ListingKind.SUPPORT_GROUP),
        kind=ListingKind.SUPPORT_GROUP,
        filters=("fellowship", "delivery", "remote", "population", "language", "accessibility"),
    ),
    Category(
        slug="family-and-friends",
        label=_("Help for family and friends"),
        description=_(
            "Groups such as Al-Anon and Nar-Anon, family therapy and CRAFT, and family support "
            "services, for people who love someone with an addiction."
        ),
        condition_factory=_family_and_friends,
        filters=(
            "kind",
            "fellowship",
            "delivery",
            "open_now",
            "remote",
            "payment",
            "population",
            "language",
            "accessibility",
        ),
    ),
)

BY_SLUG = {category.slug: category for category in CATEGORIES}
BY_KIND = {category.kind: category for category in CATEGORIES if category.kind}


def get_category_or_404(slug):
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise Http404(f"No category {slug!r}") from None


def counts(queryset):
    """{slug: number of listings in ``queryset`` in that category}, in one aggregate query."""
    # Aliases are plain names: a slug's hyphens are not welcome in SQL.
    totals = queryset.aggregate(
        **{
            f"category_{number}": Count("pk", filter=category.condition(), distinct=True)
            for number, category in enumerate(CATEGORIES)
        }
    )
    return {
        category.slug: totals[f"category_{number}"] for number, category in enumerate(CATEGORIES)
    }
