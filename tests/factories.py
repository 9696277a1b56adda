"""Small factory functions: the one way tests make data.

Each returns a saved, valid object; keyword arguments override any field.
"""

import itertools
from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from groups.models import Attendance, Fellowship, Meeting, Place, SupportGroup
from resources.models import (
    Clinician,
    ClinicianRole,
    CommunityResource,
    CommunityResourceType,
    Helpline,
    HelplineType,
    ListingStatus,
    OpeningHours,
    Organization,
    SoberHomeServes,
    SoberLivingHome,
    Term,
    TreatmentProgram,
    Weekday,
)
from resources.vocabularies import Vocabulary

_numbers = itertools.count(1)

# A corner of Chicago's Lincoln Park, for listings that need a place.
CHICAGO = {
    "address_line1": "2400 N Clark St",
    "city": "Chicago",
    "region": "IL",
    "postal_code": "60614",
    "latitude": Decimal("41.924800"),
    "longitude": Decimal("-87.641400"),
}
# About 3 miles north of it, still in Chicago.
EDGEWATER = {
    "address_line1": "5500 N Broadway",
    "city": "Chicago",
    "region": "IL",
    "postal_code": "60640",
    "latitude": Decimal("41.981000"),
    "longitude": Decimal("-87.660000"),
}
# Far from both, in another state.
DENVER = {
    "address_line1": "1550 Larimer St",
    "city": "Denver",
    "region": "CO",
    "postal_code": "80202",
    "latitude": Decimal("39.748000"),
    "longitude": Decimal("-104.999000"),
}


# Listings were checked this many days before the day the tests run: recently enough
# that no page calls them out of date and search keeps them, whatever the year.
VERIFIED_DAYS_AGO = 60


def days_ago(days):
    """The date ``days`` before today, in the site's time zone."""
    return timezone.localdate() - timedelta(days=days)


def _unique(prefix):
    return f"{prefix}-{next(_numbers)}"


def term(vocabulary, code):
    return Term.objects.get(vocabulary=vocabulary, code=code)


def make_organization(**fields):
    slug = fields.pop("slug", None) or _unique("org")
    return Organization.objects.create(**{"name": f"Organization {slug}", "slug": slug, **fields})


def _listing_fields(name_prefix, fields):
    slug = fields.pop("slug", None) or _unique(name_prefix.lower().replace(" ", "-"))
    defaults = {
        "name": f"{name_prefix} {slug}",
        "slug": slug,
        "summary": f"Invented {name_prefix.lower()} for tests.",
        "status": ListingStatus.PUBLISHED,
        "phone": "312-555-0100",
        "last_verified_on": days_ago(VERIFIED_DAYS_AGO),
        **CHICAGO,
    }
    defaults.update(fields)
    return defaults


def _with_terms(listing, terms):
    """Attach terms given as {vocabulary: [code, …]}."""
    for vocabulary, codes in (terms or {}).items():
        listing.terms.add(*Term.objects.filter(vocabulary=vocabulary, code__in=codes))
    return listing


def make_opening_hours(listing, weekday=Weekday.MONDAY, opens=time(9), closes=time(17)):
    """One opening period of ``listing``: Monday 9 to 5 unless told."""
    return OpeningHours.objects.create(listing=listing, weekday=weekday, opens=opens, closes=closes)


def make_clinician(terms=None, **fields):
    fields.setdefault("role", ClinicianRole.THERAPIST)
    return _with_terms(Clinician.objects.create(**_listing_fields("Clinician", fields)), terms)


def make_treatment_program(terms=None, **fields):
    return _with_terms(TreatmentProgram.objects.create(**_listing_fields("Program", fields)), terms)


def make_sober_living_home(terms=None, **fields):
    fields.setdefault("serves", SoberHomeServes.ALL)
    fields.setdefault("location_precision", "approximate")
    return _with_terms(
        SoberLivingHome.objects.create(**_listing_fields("Sober home", fields)), terms
    )


def make_helpline(terms=None, **fields):
    fields.setdefault("helpline_type", HelplineType.HOTLINE)
    fields.setdefault("offers_in_person", False)
    fields.setdefault("offers_phone", True)
    return _with_terms(Helpline.objects.create(**_listing_fields("Helpline", fields)), terms)


def make_community_resource(terms=None, **fields):
    fields.setdefault("resource_type", CommunityResourceType.RECOVERY_CENTER)
    return _with_terms(
        CommunityResource.objects.create(**_listing_fields("Community", fields)), terms
    )


def fellowship(short_name="AA"):
    """One of the fellowships seeded after migrate."""
    return Fellowship.objects.get(short_name=short_name)


def make_support_group(terms=None, **fields):
    fields.setdefault("fellowship", fellowship())
    return _with_terms(SupportGroup.objects.create(**_listing_fields("Group", fields)), terms)


def make_place(**fields):
    defaults = {"name": _unique("Hall"), **CHICAGO}
    defaults.update(fields)
    return Place.objects.create(**defaults)


def make_meeting(types=(), **fields):
    if "group" not in fields:
        fields["group"] = make_support_group()
    slug = fields.pop("slug", None) or _unique("meeting")
    defaults = {
        "name": f"Meeting {slug}",
        "slug": slug,
        "weekday": 1,
        "start_time": time(19, 0),
        "end_time": time(20, 0),
        "time_zone": "America/Chicago",
        "attendance": Attendance.IN_PERSON,
    }
    defaults.update(fields)
    meeting = Meeting.objects.create(**defaults)
    meeting.types.add(*Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE, code__in=types))
    return meeting


# Moderation: submissions from the public and the people who decide them.


def make_report(listing=None, meeting=None, problem_type="closed", **fields):
    """An open problem report about a listing or a meeting (a new listing if neither)."""
    from moderation.models import Submission, SubmissionKind

    if listing is None and meeting is None:
        listing = make_clinician()
    return Submission.objects.create(
        kind=SubmissionKind.REPORT,
        listing=listing,
        meeting=meeting,
        problem_type=problem_type,
        **fields,
    )


def make_suggestion(**fields):
    """An open suggestion of a new treatment program, unless told otherwise."""
    from moderation.models import Submission, SubmissionKind

    defaults = {
        "listing_kind": "treatment_program",
        "name": _unique("Suggested Clinic"),
        "phone": "312-555-0177",
        "city": "Chicago",
        "region": "IL",
        "postal_code": "60614",
    }
    defaults.update(fields)
    return Submission.objects.create(kind=SubmissionKind.SUGGESTION, **defaults)


def make_user(groups=(), **fields):
    """A user (staff unless told otherwise) in the named groups; password "pw"."""
    from django.contrib.auth.models import Group, User

    username = fields.pop("username", None) or _unique("user")
    fields.setdefault("is_staff", True)
    user = User.objects.create_user(username=username, password="pw", **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def make_curator(**fields):
    """A staff user in the Curators group made by the moderation migration."""
    return make_user(groups=["Curators"], **fields)
