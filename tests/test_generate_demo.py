"""manage.py generate_demo: invented data at scale, every kind, deterministic, replaceable."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from demo.generate import ORGANIZATION_SLUG_PREFIX, SOURCE
from groups.models import Attendance, Fellowship, Meeting, Place, SupportGroup
from resources.models import (
    Clinician,
    ClinicianRole,
    Listing,
    ListingKind,
    ListingStatus,
    OpeningHours,
    Organization,
    Term,
)
from resources.vocabularies import Vocabulary
from tests.factories import make_clinician

pytestmark = pytest.mark.django_db


def generate(listings=60, meetings=60, seed=3, **options):
    call_command(
        "generate_demo",
        listings=listings,
        meetings=meetings,
        seed=seed,
        force=True,
        verbosity=0,
        **options,
    )


def generated():
    return Listing.objects.filter(source=SOURCE)


def snapshot():
    """What a run made that must not depend on the database: names, slugs, places."""
    listings = generated().order_by("slug").values_list("slug", "name", "latitude", "longitude")
    meetings = Meeting.objects.order_by("slug").values_list(
        "slug", "name", "weekday", "start_time", "attendance"
    )
    return list(listings), list(meetings)


def test_makes_the_numbers_asked_for():
    generate(listings=60, meetings=60)

    assert generated().count() == 60
    assert Meeting.objects.filter(group__source=SOURCE).count() == 60


def test_every_kind_role_and_fellowship_is_there():
    generate(listings=60, meetings=60)

    assert set(generated().values_list("kind", flat=True)) == set(ListingKind.values)
    assert set(Clinician.objects.values_list("role", flat=True)) == set(ClinicianRole.values)
    fellowships = SupportGroup.objects.values_list("fellowship", flat=True)
    assert set(fellowships) == set(Fellowship.objects.values_list("pk", flat=True))


def test_every_vocabulary_is_used():
    generate(listings=60, meetings=60)

    on_listings = Term.objects.filter(listings__source=SOURCE).values_list("vocabulary", flat=True)
    on_meetings = Term.objects.filter(meetings__isnull=False).values_list("vocabulary", flat=True)
    assert set(on_listings) | set(on_meetings) == set(Vocabulary.values)


def test_data_looks_like_a_real_directory():
    generate(listings=200, meetings=150)

    listings = generated()
    assert listings.filter(status=ListingStatus.PUBLISHED).count() > 150
    assert listings.searchable().count() > 150  # verified within the last two years mostly
    # Phone numbers only from the range kept for fiction.
    phones = [phone for phone in listings.values_list("phone", flat=True) if phone]
    assert phones and all(phone[4:10] == "555-01" for phone in phones)
    # Meetings online and hybrid as well as in person; places and hours exist.
    attendance = set(Meeting.objects.values_list("attendance", flat=True))
    assert attendance == set(Attendance.values)
    assert Place.objects.exists()
    assert OpeningHours.objects.filter(listing__source=SOURCE).exists()
    # In-person listings have coordinates in the US (Hawaii to Maine, Alaska to Florida).
    located = listings.filter(offers_in_person=True)
    assert not located.filter(latitude__isnull=True).exists()
    for latitude, longitude in located.values_list("latitude", "longitude"):
        assert 13 < latitude < 72 and -180 < longitude < -64


def test_search_text_is_stored():
    generate(listings=60, meetings=20)

    assert not generated().filter(search_document="").exists()
    if connection.vendor == "postgresql":
        assert not generated().filter(search_vector__isnull=True).exists()
    clinician = Clinician.objects.filter(source=SOURCE, status=ListingStatus.PUBLISHED).first()
    surname = clinician.name.split(",")[0].split()[-1]
    assert clinician.pk in Listing.objects.search(surname).values_list("pk", flat=True)


def test_same_seed_same_rows():
    generate(seed=7)
    first = snapshot()

    generate(seed=7)

    assert snapshot() == first


def test_another_seed_other_rows():
    generate(seed=7)
    first = snapshot()

    generate(seed=8)

    assert snapshot() != first


def test_running_again_replaces_and_keeps_curated_rows():
    curated = make_clinician(name="Curated Clinician")
    generate(listings=60, meetings=60)
    generate(listings=30, meetings=20)

    assert generated().count() == 30
    assert Meeting.objects.count() == 20
    assert Listing.objects.filter(pk=curated.pk).exists()
    organizations = Organization.objects.filter(slug__startswith=ORGANIZATION_SLUG_PREFIX)
    assert organizations.count() == 1


def test_clear_removes_only_generated_rows():
    curated = make_clinician(name="Curated Clinician")
    generate(listings=60, meetings=60)

    call_command("generate_demo", clear=True, force=True, verbosity=0)

    assert list(Listing.objects.all()) == [curated.listing_ptr]
    assert not Meeting.objects.exists()
    assert not Place.objects.exists()
    assert not Organization.objects.filter(slug__startswith=ORGANIZATION_SLUG_PREFIX).exists()


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("generate_demo", listings=10, meetings=0, verbosity=0)
    assert not generated().exists()


def test_too_few_listings_is_explained():
    with pytest.raises(CommandError, match="at least 6 listings"):
        generate(listings=3, meetings=0)
