"""Who may do what in the admin: a permission matrix over anonymous visitors, a staff user in
the Curators group, a superuser and a staff user in no group; and the Curators group itself,
which the migration gives exactly the permissions in moderation/curators.py."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from moderation.curators import CURATOR_PERMISSIONS, CURATORS_GROUP, curator_permission_codes
from moderation.models import ProblemType, SubmissionStatus
from resources.models import ListingStatus
from tests.factories import (
    make_clinician,
    make_community_resource,
    make_curator,
    make_helpline,
    make_meeting,
    make_place,
    make_report,
    make_sober_living_home,
    make_support_group,
    make_treatment_program,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "curator", "superuser", "staff_without_group"]
OK, FORBIDDEN, LOGIN = 200, 403, "login"


@pytest.fixture
def as_role(client):
    def log_in(role):
        if role == "curator":
            client.force_login(make_curator())
        elif role == "superuser":
            client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
        elif role == "staff_without_group":
            client.force_login(make_user())
        return client

    return log_in


def listing_pages():
    """(name, maker, admin model name) for every kind of listing, its meetings and places."""
    return [
        ("clinician", make_clinician, "resources_clinician"),
        ("program", make_treatment_program, "resources_treatmentprogram"),
        ("sober home", make_sober_living_home, "resources_soberlivinghome"),
        ("helpline", make_helpline, "resources_helpline"),
        ("community", make_community_resource, "resources_communityresource"),
        ("group", make_support_group, "groups_supportgroup"),
        ("meeting", make_meeting, "groups_meeting"),
        ("place", make_place, "groups_place"),
        ("listing overview", make_clinician, "resources_listing"),
    ]


def expected(role, allowed_for_curator=True):
    if role == "anonymous":
        return LOGIN
    if role == "superuser" or (role == "curator" and allowed_for_curator):
        return OK
    return FORBIDDEN


def assert_answer(response, answer):
    if answer == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == answer


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "maker", "model"), listing_pages(), ids=lambda v: str(v))
def test_listing_admin_pages(as_role, role, name, maker, model):
    obj = maker()
    client = as_role(role)
    answer = expected(role)
    assert_answer(client.get(reverse(f"admin:{model}_changelist")), answer)
    change = reverse(f"admin:{model}_change", args=[obj.pk])
    if model == "resources_listing" and role != "anonymous":
        # The overview's rows open the typed admin, which decides.
        response = client.get(change, follow=True)
        assert response.redirect_chain[-1][0] == reverse(
            "admin:resources_clinician_change", args=[obj.pk]
        )
        assert response.status_code == answer
    else:
        assert_answer(client.get(change), answer)
    if model != "resources_listing":
        assert_answer(client.get(reverse(f"admin:{model}_add")), answer)


@pytest.mark.parametrize("role", ROLES)
def test_the_moderation_queue_and_review_page(as_role, role):
    report = make_report()
    client = as_role(role)
    answer = expected(role)
    assert_answer(client.get(reverse("admin:moderation_submission_changelist")), answer)
    assert_answer(
        client.get(reverse("admin:moderation_submission_change", args=[report.pk])), answer
    )


@pytest.mark.parametrize("role", ROLES)
def test_approving(as_role, role):
    listing = make_clinician()
    report = make_report(listing=listing, problem_type=ProblemType.CLOSED)
    client = as_role(role)
    response = client.post(reverse("admin:moderation_submission_approve", args=[report.pk]))
    report.refresh_from_db()
    listing.refresh_from_db()
    if role in ("curator", "superuser"):
        assert response.status_code == 302
        assert report.status == SubmissionStatus.APPROVED
        assert listing.status == ListingStatus.ARCHIVED
    else:
        assert_answer(response, expected(role))
        assert report.status == SubmissionStatus.OPEN
        assert listing.status == ListingStatus.PUBLISHED


@pytest.mark.parametrize("role", ROLES)
def test_rejecting(as_role, role):
    report = make_report()
    client = as_role(role)
    response = client.post(
        reverse("admin:moderation_submission_reject", args=[report.pk]), {"reason": "No."}
    )
    report.refresh_from_db()
    if role in ("curator", "superuser"):
        assert response.status_code == 302
        assert report.status == SubmissionStatus.REJECTED
    else:
        assert_answer(response, expected(role))
        assert report.status == SubmissionStatus.OPEN


@pytest.mark.parametrize("role", ROLES)
def test_user_and_group_management_is_for_superusers_only(as_role, role):
    client = as_role(role)
    answer = expected(role, allowed_for_curator=False)
    assert_answer(client.get(reverse("admin:auth_user_changelist")), answer)
    assert_answer(client.get(reverse("admin:auth_user_add")), answer)
    assert_answer(client.get(reverse("admin:auth_group_changelist")), answer)
    someone = make_user(is_staff=False)
    response = client.post(
        reverse("admin:auth_user_change", args=[someone.pk]),
        {"username": someone.username, "is_staff": "on", "is_superuser": "on"},
    )
    someone.refresh_from_db()
    if role != "superuser":
        assert_answer(response, answer)
        assert not someone.is_superuser


def test_a_staff_user_in_no_group_sees_an_empty_admin(as_role):
    html = as_role("staff_without_group").get(reverse("admin:index")).content.decode()
    assert "You don’t have permission to view or edit anything." in html


def test_a_curator_sees_listings_and_the_queue_but_not_users(as_role):
    html = as_role("curator").get(reverse("admin:index")).content.decode()
    assert reverse("admin:moderation_submission_changelist") in html
    assert reverse("admin:resources_clinician_changelist") in html
    assert reverse("admin:groups_meeting_changelist") in html
    assert reverse("admin:auth_user_changelist") not in html


# The Curators group


def test_the_curators_group_has_exactly_the_listed_permissions():
    group = Group.objects.get(name=CURATORS_GROUP)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert granted == curator_permission_codes()


def test_curators_get_no_user_or_group_management():
    group = Group.objects.get(name=CURATORS_GROUP)
    assert not group.permissions.filter(
        content_type__app_label__in=["auth", "admin", "contenttypes", "sessions"]
    ).exists()


def test_the_list_covers_every_curated_model_and_what_curators_may_do():
    codes = curator_permission_codes()
    for model in (
        "clinician",
        "treatmentprogram",
        "soberlivinghome",
        "helpline",
        "communityresource",
        "openinghours",
    ):
        for action in ("view", "add", "change", "delete"):
            assert ("resources", f"{action}_{model}") in codes
    for model in ("supportgroup", "meeting", "place"):
        assert ("groups", f"delete_{model}") in codes
    assert ("resources", "delete_organization") not in codes
    assert ("groups", "delete_fellowship") not in codes
    assert ("resources", "add_term") not in codes
    assert {("moderation", "view_submission"), ("moderation", "change_submission")} <= codes
    assert ("moderation", "delete_submission") not in codes
    # What visitors confirmed is read, never changed.
    assert ("moderation", "view_listingcheckedbyvisitors") in codes
    assert ("moderation", "change_listingcheckedbyvisitors") not in codes
    assert ("moderation", "view_meetingcheckedbyvisitors") in codes
    assert ("moderation", "change_meetingcheckedbyvisitors") not in codes
    # Sources that sync themselves: added and fixed, never deleted (their runs are kept);
    # runs are read and held ones approved, never edited.
    assert {("exchange", f"{action}_source") for action in ("view", "add", "change")} <= codes
    assert ("exchange", "delete_source") not in codes
    assert {("exchange", "view_syncrun"), ("exchange", "approve_syncrun")} <= codes
    assert ("exchange", "change_syncrun") not in codes
    assert ("exchange", "delete_syncrun") not in codes
    # HSDS term mappings: curators extend the reviewed defaults; a mapping is changed, kept.
    assert {("exchange", f"{a}_hsdstermmapping") for a in ("view", "add", "change")} <= codes
    assert ("exchange", "delete_hsdstermmapping") not in codes
    assert {("guides", f"{action}_guide") for action in ("view", "add", "change")} <= codes
    assert ("guides", "delete_guide") not in codes
    assert set(CURATOR_PERMISSIONS) == {"resources", "groups", "moderation", "exchange", "guides"}


def test_every_listed_permission_exists():
    for app_label, codename in curator_permission_codes():
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), f"{app_label}.{codename}"


def test_a_curator_has_the_permissions_through_the_group():
    curator = make_curator()
    assert curator.has_perm("resources.change_clinician")
    assert curator.has_perm("moderation.change_submission")
    assert not curator.has_perm("auth.change_user")
    assert not curator.has_perm("auth.add_group")
