"""The status workflow: draft → pending review → published → archived (and restored), checked
in the admin and by the bulk actions; published and archived listings are never deleted."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import SupportGroup
from resources.models import (
    STATUS_TRANSITIONS,
    Clinician,
    Listing,
    ListingKeptError,
    ListingStatus,
    SoberLivingHome,
)
from tests import factories
from tests.helpers import change_page_data

pytestmark = pytest.mark.django_db

DRAFT = ListingStatus.DRAFT
PENDING = ListingStatus.PENDING_REVIEW
PUBLISHED = ListingStatus.PUBLISHED
ARCHIVED = ListingStatus.ARCHIVED

ALLOWED = {
    (DRAFT, PENDING),
    (DRAFT, PUBLISHED),
    (PENDING, DRAFT),
    (PENDING, PUBLISHED),
    (PUBLISHED, ARCHIVED),
    (ARCHIVED, PUBLISHED),
}
EVERY_CHANGE = [
    pytest.param(old, new, id=f"{old}-to-{new}")
    for old, new in itertools.permutations(ListingStatus, 2)
]


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_transitions_are_defined_once_on_the_status():
    defined = {(old, new) for old, news in STATUS_TRANSITIONS.items() for new in news}
    assert defined == ALLOWED
    for old, new in itertools.permutations(ListingStatus, 2):
        assert old.can_become(new) == ((old, new) in ALLOWED)
    assert all(status.can_become(status) for status in ListingStatus)


@pytest.mark.parametrize(("old", "new"), EVERY_CHANGE)
def test_the_admin_change_form_allows_or_refuses_each_change_of_status(admin_client, old, new):
    clinician = factories.make_clinician(status=old)
    url = admin_url(Clinician, "change", clinician.pk)
    data = change_page_data(admin_client.get(url))
    data["status"] = new

    response = admin_client.post(url, data)

    clinician.refresh_from_db()
    if (old, new) in ALLOWED:
        assert response.status_code == 302
        assert clinician.status == new
    else:
        assert response.status_code == 200
        error = response.context["adminform"].form.errors["status"][0]
        assert f"A listing that is {old.label.lower()} cannot become {new.label.lower()}." in error
        assert error in response.text
        assert clinician.status == old


def test_the_refusal_says_what_the_status_can_become(admin_client):
    home = factories.make_sober_living_home(status=PUBLISHED)
    url = admin_url(SoberLivingHome, "change", home.pk)
    data = change_page_data(admin_client.get(url))
    data["status"] = DRAFT

    response = admin_client.post(url, data)

    assert response.context["adminform"].form.errors["status"] == [
        "A listing that is published cannot become draft. From published it can become Archived."
    ]


def test_a_new_listing_may_start_in_any_status(admin_client):
    listing = Clinician(status=ARCHIVED)
    assert listing.status_change_error(ARCHIVED) is None


# --- Bulk actions follow the workflow ------------------------------------------------------


def test_bulk_publish_skips_what_the_workflow_refuses_and_says_why(admin_client):
    draft = factories.make_clinician(status=DRAFT)
    pending = factories.make_clinician(status=PENDING)
    archived = factories.make_clinician(status=ARCHIVED)
    published = factories.make_clinician(status=PUBLISHED)

    response = admin_client.post(
        admin_url(Clinician, "changelist"),
        {
            "action": "publish",
            "_selected_action": [draft.pk, pending.pk, archived.pk, published.pk],
        },
        follow=True,
    )

    assert messages_of(response) == [
        "3 listings published.",
        "1 listing skipped: already published",
    ]
    statuses = set(Clinician.objects.values_list("status", flat=True))
    assert statuses == {PUBLISHED}


def test_bulk_archive_skips_drafts_and_pending_listings_with_the_reason(admin_client):
    drafts = [factories.make_helpline(status=DRAFT) for _ in range(2)]
    published = factories.make_helpline(status=PUBLISHED)
    pending = factories.make_helpline(status=PENDING)

    response = admin_client.post(
        admin_url(Listing, "changelist"),
        {
            "action": "archive",
            "_selected_action": [*(d.pk for d in drafts), published.pk, pending.pk],
        },
        follow=True,
    )

    assert messages_of(response) == [
        "1 listing archived.",
        "2 listings skipped: A listing that is draft cannot become archived. From draft it can "
        "become Pending review or Published.",
        "1 listing skipped: A listing that is pending review cannot become archived. From "
        "pending review it can become Draft or Published.",
    ]
    assert set(Listing.objects.filter(status=ARCHIVED)) == {Listing.objects.get(pk=published.pk)}


def test_bulk_publish_refuses_a_listing_nobody_could_reach(admin_client):
    unreachable = factories.make_clinician(
        status=DRAFT, latitude=None, longitude=None, address_line1=""
    )

    response = admin_client.post(
        admin_url(Clinician, "changelist"),
        {"action": "publish", "_selected_action": [unreachable.pk]},
        follow=True,
    )

    assert messages_of(response) == [
        "0 listings published.",
        "1 listing skipped: A published in-person listing needs its street address, or its "
        "latitude and longitude.",
    ]
    unreachable.refresh_from_db()
    assert unreachable.status == DRAFT


def test_a_bulk_action_costs_the_same_queries_for_each_listing(admin_client):
    """One query for the chosen rows, then a fixed number per saved listing (its save, its
    history row and term snapshot, its search text): never a query per row to find it."""

    def archive(count):
        listings = [factories.make_support_group() for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            admin_client.post(
                admin_url(Listing, "changelist"),
                {"action": "archive", "_selected_action": [listing.pk for listing in listings]},
            )
        return len(queries)

    archive(1)  # warm caches
    two, four, six = archive(2), archive(4), archive(6)
    assert four - two == six - four
    assert (four - two) // 2 <= 12


def test_mark_verified_today_leaves_the_status_alone(admin_client):
    archived = factories.make_community_resource(status=ARCHIVED, last_verified_on=None)

    admin_client.post(
        admin_url(Listing, "changelist"),
        {"action": "mark_verified_today", "_selected_action": [archived.pk]},
    )

    archived.refresh_from_db()
    assert archived.status == ARCHIVED and archived.last_verified_on is not None


# --- Published and archived listings are never deleted --------------------------------------


@pytest.mark.parametrize("status", [PUBLISHED, ARCHIVED])
def test_delete_is_not_offered_for_published_or_archived_listings(admin_client, status):
    group = factories.make_support_group(status=status)

    change_page = admin_client.get(admin_url(SupportGroup, "change", group.pk))
    delete_page = admin_client.get(admin_url(SupportGroup, "delete", group.pk))
    delete_post = admin_client.post(admin_url(SupportGroup, "delete", group.pk), {"post": "yes"})

    assert admin_url(SupportGroup, "delete", group.pk) not in change_page.text
    assert delete_page.status_code == delete_post.status_code == 403
    assert SupportGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.parametrize("status", [DRAFT, PENDING])
def test_drafts_and_pending_listings_can_be_deleted(admin_client, status):
    clinician = factories.make_clinician(status=status)
    url = admin_url(Clinician, "delete", clinician.pk)

    assert url in admin_client.get(admin_url(Clinician, "change", clinician.pk)).text
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Clinician.objects.filter(pk=clinician.pk).exists()
    assert clinician.history.first().history_type == "-"


@pytest.mark.parametrize("model", [Clinician, Listing])
def test_bulk_delete_removes_only_listings_never_published(admin_client, model):
    draft = factories.make_clinician(status=DRAFT)
    published = factories.make_clinician(status=PUBLISHED)
    archived = factories.make_clinician(status=ARCHIVED)
    url = admin_url(model, "changelist")
    chosen = [draft.pk, published.pk, archived.pk]

    changelist = admin_client.get(url)
    confirm = admin_client.post(url, {"action": "delete_unpublished", "_selected_action": chosen})
    done = admin_client.post(
        url,
        {"action": "delete_unpublished", "_selected_action": chosen, "post": "yes"},
        follow=True,
    )

    assert 'value="delete_selected"' not in changelist.text
    assert 'value="delete_unpublished"' in changelist.text
    assert draft.name in confirm.text
    assert published.name not in confirm.text and archived.name not in confirm.text
    assert "2 published or archived listings are kept: archive them instead." in messages_of(done)
    assert set(Clinician.objects.values_list("pk", flat=True)) == {published.pk, archived.pk}


def test_django_s_own_delete_selected_is_not_available(admin_client):
    published = factories.make_clinician(status=PUBLISHED)

    admin_client.post(
        admin_url(Clinician, "changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )

    assert Clinician.objects.filter(pk=published.pk).exists()


@pytest.mark.parametrize("status", [PUBLISHED, ARCHIVED])
def test_code_cannot_delete_a_published_or_archived_listing(status):
    home = factories.make_sober_living_home(status=status)

    with pytest.raises(ListingKeptError, match="archive it instead"):
        home.delete()
    with pytest.raises(ListingKeptError):
        Listing.objects.get(pk=home.pk).delete()

    assert SoberLivingHome.objects.filter(pk=home.pk).exists()


def test_code_can_delete_a_draft():
    draft = factories.make_sober_living_home(status=DRAFT)

    draft.delete()

    assert not Listing.objects.filter(pk=draft.pk).exists()
