"""The data model: what must always hold is held by the database, and the domain verbs work."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from groups.models import Attendance, Fellowship, FellowshipAudience, Meeting
from resources.models import (
    Clinician,
    Listing,
    ListingKind,
    ListingStatus,
    OpeningHours,
    SoberLivingHome,
    Term,
    Weekday,
)
from resources.vocabularies import TERMS, Vocabulary, meeting_guide_types, sync_vocabularies
from tests import factories

pytestmark = pytest.mark.django_db


def violates_constraint(create):
    """True when the database itself refuses the row."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# The database refuses bad rows, whatever code writes them.


def test_listing_coordinates_must_be_in_range():
    assert violates_constraint(lambda: factories.make_clinician(latitude=Decimal("91")))
    assert violates_constraint(lambda: factories.make_clinician(longitude=Decimal("-181")))


def test_listing_needs_both_coordinates_or_neither():
    assert violates_constraint(
        lambda: factories.make_clinician(status=ListingStatus.DRAFT, longitude=None)
    )


def test_published_in_person_listing_needs_a_place():
    assert violates_constraint(
        lambda: factories.make_clinician(
            latitude=None, longitude=None, address_line1="", offers_online=True
        )
    )


def test_published_listing_needs_some_way_to_reach_it():
    assert violates_constraint(
        lambda: factories.make_helpline(offers_in_person=False, offers_phone=False)
    )


def test_online_only_listing_without_a_place_can_be_published():
    helpline = factories.make_helpline(latitude=None, longitude=None, city="", region="")

    assert Listing.objects.published().filter(pk=helpline.pk).exists()


def test_drafts_may_be_incomplete():
    draft = factories.make_clinician(status=ListingStatus.DRAFT, latitude=None, longitude=None)

    assert draft.pk is not None


def test_status_and_choices_are_checked_by_the_database():
    clinician = factories.make_clinician()

    assert violates_constraint(lambda: Listing.objects.filter(pk=clinician.pk).update(status="x"))
    assert violates_constraint(
        lambda: Clinician.objects.filter(pk=clinician.pk).update(role="astrologer")
    )
    assert violates_constraint(
        lambda: Listing.objects.filter(pk=clinician.pk).update(location_precision="vague")
    )


def test_slug_is_unique_across_every_kind():
    factories.make_clinician(slug="open-door")

    assert violates_constraint(lambda: factories.make_treatment_program(slug="open-door"))


def test_available_beds_cannot_exceed_total_beds():
    assert violates_constraint(
        lambda: factories.make_sober_living_home(
            beds_total=6, beds_available=7, beds_updated_on=date(2026, 11, 1)
        )
    )


def test_available_beds_need_the_date_they_were_counted():
    assert violates_constraint(
        lambda: factories.make_sober_living_home(beds_total=6, beds_available=2)
    )


def test_weekly_cost_cannot_be_negative():
    assert violates_constraint(
        lambda: factories.make_sober_living_home(weekly_cost=Decimal("-1.00"))
    )


def test_opening_hours_must_close_after_they_open_on_a_real_weekday():
    listing = factories.make_clinician()

    assert violates_constraint(
        lambda: OpeningHours.objects.create(
            listing=listing, weekday=1, opens=time(17), closes=time(9)
        )
    )
    assert violates_constraint(
        lambda: OpeningHours.objects.create(
            listing=listing, weekday=7, opens=time(9), closes=time(17)
        )
    )


def test_meeting_end_differs_from_its_start_and_an_earlier_one_is_the_next_day():
    assert violates_constraint(
        lambda: factories.make_meeting(start_time=time(19), end_time=time(19))
    )
    late = factories.make_meeting(start_time=time(23, 30), end_time=time(0, 30))
    assert late.end_time == time(0, 30)


def test_meeting_weekday_is_sunday_zero_to_saturday_six():
    assert violates_constraint(lambda: factories.make_meeting(weekday=7))


def test_online_meeting_needs_a_link_or_a_phone():
    assert violates_constraint(lambda: factories.make_meeting(attendance=Attendance.ONLINE))
    online = factories.make_meeting(attendance=Attendance.ONLINE, conference_phone="312-555-0199")

    assert online.is_online
    assert online.location is None


def test_vocabulary_codes_are_unique_within_a_vocabulary():
    assert violates_constraint(
        lambda: Term.objects.create(vocabulary=Vocabulary.LANGUAGE, code="en", label="English")
    )
    assert violates_constraint(
        lambda: Term.objects.create(vocabulary="colour", code="red", label="Red")
    )


# Validation explains itself to curators before the database has to refuse.


def test_clean_explains_too_many_available_beds():
    home = SoberLivingHome(
        name="Maple House",
        slug="maple-house",
        serves="women",
        beds_total=4,
        beds_available=5,
        beds_updated_on=date(2026, 11, 1),
    )

    with pytest.raises(ValidationError) as error:
        home.full_clean()

    assert error.value.message_dict["beds_available"] == [
        "Available beds cannot be more than the beds in total."
    ]


def test_clean_explains_an_unreachable_published_listing():
    clinician = Clinician(
        name="Dr. Test",
        slug="dr-test",
        role="psychiatrist",
        status=ListingStatus.PUBLISHED,
        offers_in_person=True,
    )

    with pytest.raises(ValidationError, match="needs its street address, or its latitude"):
        clinician.full_clean()


def test_a_published_in_person_listing_may_have_a_street_address_without_coordinates():
    """Many feeds publish addresses with no coordinates: listed, just not placed on a map."""
    clinician = factories.make_clinician(
        latitude=None, longitude=None, address_line1="12 Elm Street", city="Dover"
    )

    clinician.full_clean()
    assert Listing.objects.filter(pk=clinician.pk, latitude__isnull=True).exists()


def test_clean_rejects_unknown_time_zones_on_meetings():
    meeting = factories.make_meeting()
    meeting.time_zone = "America/Gotham"

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert "time_zone" in error.value.message_dict


def test_clean_requires_a_place_when_the_group_has_none():
    group = factories.make_support_group(
        offers_in_person=False, offers_online=True, latitude=None, longitude=None
    )
    meeting = Meeting(
        group=group,
        name="Nowhere",
        slug="nowhere",
        weekday=2,
        start_time=time(18),
        time_zone="America/Chicago",
        attendance=Attendance.IN_PERSON,
    )

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert "place" in error.value.message_dict


# The typed listings share one base.


def test_kind_is_stored_on_the_base_row_by_the_typed_model():
    clinician = factories.make_clinician(role="psychiatrist")
    group = factories.make_support_group()

    assert Listing.objects.get(pk=clinician.pk).kind == ListingKind.CLINICIAN
    assert Listing.objects.get(pk=group.pk).kind == ListingKind.SUPPORT_GROUP


def test_a_bare_listing_cannot_be_saved():
    with pytest.raises(TypeError, match="typed listing"):
        Listing.objects.create(name="Untyped", slug="untyped")


def test_one_query_lists_every_kind_and_reaches_typed_fields(django_assert_num_queries):
    factories.make_clinician(role="psychiatrist", name="A clinician")
    factories.make_treatment_program(is_opioid_treatment_program=True, name="B program")
    factories.make_sober_living_home(serves="women", name="C home")
    factories.make_helpline(name="D line")
    factories.make_community_resource(resource_type="faith", name="E community")
    factories.make_support_group(name="F group", fellowship=factories.fellowship("SMART"))

    with django_assert_num_queries(1):
        listings = list(Listing.objects.published().with_kind_details().order_by("name"))
        details = [type(listing.specific).__name__ for listing in listings]
        assert listings[0].specific.get_role_display() == "Psychiatrist"
        assert listings[1].specific.is_opioid_treatment_program
        assert listings[5].specific.fellowship_id is not None

    assert details == [
        "Clinician",
        "TreatmentProgram",
        "SoberLivingHome",
        "Helpline",
        "CommunityResource",
        "SupportGroup",
    ]


def test_counts_by_kind_counts_only_what_is_asked_for(django_assert_num_queries):
    factories.make_clinician()
    factories.make_clinician()
    factories.make_clinician(status=ListingStatus.DRAFT)
    factories.make_helpline()

    with django_assert_num_queries(1):
        counts = Listing.objects.published().counts_by_kind()

    assert counts == {ListingKind.CLINICIAN: 2, ListingKind.HELPLINE: 1}


def test_terms_of_every_vocabulary_share_one_relation():
    clinician = factories.make_clinician(
        terms={
            Vocabulary.LANGUAGE: ["en", "es"],
            Vocabulary.PAYMENT: ["medicaid"],
            Vocabulary.MEDICATION: ["buprenorphine"],
        }
    )

    assert set(clinician.terms.values_list("vocabulary", "code")) == {
        ("language", "en"),
        ("language", "es"),
        ("payment", "medicaid"),
        ("medication", "buprenorphine"),
    }
    assert list(Listing.objects.filter(terms__code="buprenorphine")) == [clinician.listing_ptr]


def test_approximate_places_show_only_the_town():
    home = factories.make_sober_living_home(
        address_line1="14 Secret Lane", city="Denver", region="CO", postal_code="80205"
    )
    clinic = factories.make_clinician(
        address_line1="1 Main St", city="Denver", region="CO", postal_code="80202"
    )
    clinic.location_precision = "exact"

    assert home.public_address_lines == ["Denver, CO"]
    assert clinic.public_address_lines == ["1 Main St", "Denver, CO 80202"]


def test_weekday_counts_sunday_as_zero():
    assert Weekday.of(datetime(2026, 11, 22)) == Weekday.SUNDAY
    assert Weekday.of(date(2026, 11, 28)) == Weekday.SATURDAY


# Vocabularies and fellowships are there after migrate, and stay right.


def test_every_vocabulary_is_seeded_after_migrate():
    for vocabulary, terms in TERMS.items():
        codes = set(Term.objects.filter(vocabulary=vocabulary).values_list("code", flat=True))
        assert codes == {code for code, _label in terms}


def test_every_meeting_guide_type_code_is_a_term():
    codes = set(
        Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", flat=True)
    )

    assert len(codes) == 87
    assert {"O", "C", "W", "M", "S", "X", "BE", "LGBTQ"} <= codes
    assert codes == {code for code, _label in meeting_guide_types()}


def test_syncing_vocabularies_restores_labels_and_never_deletes_terms():
    english = Term.objects.get(vocabulary=Vocabulary.LANGUAGE, code="en")
    english.label = "Englisch"
    english.save()
    Term.objects.create(vocabulary=Vocabulary.LANGUAGE, code="la", label="Latin")

    created, updated = sync_vocabularies(Term)

    assert (created, updated) == (0, 1)
    assert Term.objects.get(pk=english.pk).label == "English"
    assert Term.objects.filter(vocabulary=Vocabulary.LANGUAGE, code="la").exists()


def test_the_thirteen_fellowships_are_seeded():
    short_names = set(Fellowship.objects.values_list("short_name", flat=True))

    assert short_names >= {
        "AA",
        "NA",
        "CA",
        "CMA",
        "SMART",
        "WFS",
        "LifeRing",
        "RD",
        "CR",
        "Al-Anon",
        "Alateen",
        "Nar-Anon",
        "SMART F&F",
    }
    assert Fellowship.objects.get(short_name="Al-Anon").audience == (
        FellowshipAudience.FAMILY_AND_FRIENDS
    )


# Opening hours are read in each listing's own time zone.


def test_time_zone_comes_from_the_zip_code_when_not_given():
    denver = factories.make_clinician(postal_code="80205")
    chicago = factories.make_clinician(postal_code="60614")
    explicit = factories.make_clinician(postal_code="60614", time_zone="America/Phoenix")

    assert denver.time_zone == "America/Denver"
    assert chicago.time_zone == "America/Chicago"
    assert explicit.time_zone == "America/Phoenix"


def test_open_now_reads_hours_in_each_listings_own_time_zone(django_assert_num_queries):
    chicago = factories.make_clinician(postal_code="60614")  # America/Chicago
    denver = factories.make_clinician(postal_code="80205")  # America/Denver, an hour behind
    always = factories.make_helpline(open_24_7=True)
    for listing in (chicago, denver):
        factories.make_opening_hours(listing)
    # Monday 23 November 2026, 16:30 in Chicago = 15:30 in Denver = 22:30 UTC.
    moment = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)

    with django_assert_num_queries(2):  # the zones in use, then the listings
        open_now = set(Listing.objects.open_now(moment).values_list("pk", flat=True))
    assert open_now == {chicago.pk, denver.pk, always.pk}

    # 17:30 in Chicago is after closing; 16:30 in Denver is still open.
    later = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert set(Listing.objects.open_now(later).values_list("pk", flat=True)) == {
        denver.pk,
        always.pk,
    }


def test_monthly_meetings_say_which_week_and_weekly_ones_do_not():
    assert violates_constraint(lambda: factories.make_meeting(frequency="monthly"))
    assert violates_constraint(lambda: factories.make_meeting(week_of_month=1))
    assert violates_constraint(lambda: factories.make_meeting(frequency="monthly", week_of_month=6))
    monthly = factories.make_meeting(frequency="monthly", week_of_month=1, weekday=0)
    weekly = factories.make_meeting(weekday=2)

    assert monthly.schedule == "First Sunday of the month"
    assert weekly.schedule == "Every Tuesday"
    assert list(Meeting.objects.weekly()) == [weekly]


def test_public_meetings_include_temporarily_closed_but_not_inactive_or_unpublished():
    active = factories.make_meeting()
    closed = factories.make_meeting(status="temporarily_closed")
    factories.make_meeting(status="inactive")
    factories.make_meeting(group=factories.make_support_group(status=ListingStatus.DRAFT))

    assert set(Meeting.objects.public()) == {active, closed}
    assert set(Meeting.objects.listed()) == {active}
