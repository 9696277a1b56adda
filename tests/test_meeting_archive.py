"""Meetings are archived, not deleted: in bulk or one at a time, restored the same way, each
change in the history with the curator's name; archived meetings are shown nowhere."""

import io
import json
from datetime import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from groups.models import Meeting, MeetingKeptError, MeetingStatus
from resources.models import ListingStatus
from tests.factories import make_curator, make_meeting, make_support_group

pytestmark = pytest.mark.django_db

MEETINGS = reverse("admin:groups_meeting_changelist")
FEED = reverse("exchange:meeting_guide_feed")
FINDER = reverse("directory:meeting_finder")
GOOD_FEED = Path(__file__).parent / "data" / "meeting_guide" / "good.json"


@pytest.fixture
def curator():
    return make_curator(username="casey")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def act(client, action, meetings):
    return client.post(
        MEETINGS,
        {"action": action, "index": "0", "_selected_action": [m.pk for m in meetings]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def history_of(meeting):
    return list(Meeting.history.filter(id=meeting.pk).order_by("history_id"))


def test_bulk_archive_then_bulk_restore_with_history(curator_client, curator):
    group = make_support_group()
    chosen = [make_meeting(group=group, name=f"Meeting {n}") for n in range(3)]
    other = make_meeting(group=group, name="Not chosen")

    archived = act(curator_client, "archive_meetings", chosen)

    assert "3 meetings archived." in messages_of(archived)
    assert set(Meeting.objects.archived()) == set(chosen)
    other.refresh_from_db()
    assert not other.is_archived
    for meeting in chosen:
        last = history_of(meeting)[-1]
        assert last.archived_on is not None
        assert last.history_user == curator
        assert last.history_change_reason == "Bulk action: archive"
    # Still there, with everything it had: only off the site.
    assert Meeting.objects.filter(pk__in=[m.pk for m in chosen]).count() == 3

    restored = act(curator_client, "restore_meetings", [*chosen, other])

    assert "3 meetings restored." in messages_of(restored)
    assert "1 meeting was not archived." in messages_of(restored)
    assert not Meeting.objects.archived().exists()
    for meeting in chosen:
        rows = history_of(meeting)
        assert [row.archived_on is None for row in rows[-2:]] == [False, True]
        assert rows[-1].history_user == curator
        assert rows[-1].history_change_reason == "Bulk action: restore"


def test_archiving_twice_saves_nothing_more(curator_client):
    meeting = make_meeting()
    act(curator_client, "archive_meetings", [meeting])
    rows = len(history_of(meeting))

    again = act(curator_client, "archive_meetings", [meeting])

    assert "1 meeting was already archived." in messages_of(again)
    assert len(history_of(meeting)) == rows


def test_one_meeting_is_archived_from_its_own_page(curator_client, curator):
    meeting = make_meeting()
    page = reverse("admin:groups_meeting_change", args=[meeting.pk])
    assert "Archive this meeting" in curator_client.get(page).text

    curator_client.post(
        page,
        {"CHANGE_FORM-action": "archive_meetings", "_selected_action": [meeting.pk]},
        follow=True,
    )

    meeting.refresh_from_db()
    assert meeting.is_archived
    assert history_of(meeting)[-1].history_user == curator


def test_djangos_delete_selected_is_gone_and_deletes_nothing(curator_client):
    meetings = [make_meeting() for _ in range(3)]
    changelist = curator_client.get(MEETINGS).text
    assert 'value="delete_selected"' not in changelist
    assert 'value="archive_meetings"' in changelist
    assert 'value="restore_meetings"' in changelist

    curator_client.post(
        MEETINGS,
        {
            "action": "delete_selected",
            "index": "0",
            "post": "yes",
            "_selected_action": [m.pk for m in meetings],
        },
    )

    assert Meeting.objects.count() == 3


def test_a_meeting_of_a_public_group_cannot_be_deleted(curator_client):
    meeting = make_meeting()
    delete_page = reverse("admin:groups_meeting_delete", args=[meeting.pk])

    assert curator_client.post(delete_page, {"post": "yes"}).status_code == 403
    with pytest.raises(MeetingKeptError, match="archive it instead"):
        meeting.delete()
    # Archived groups have been public too.
    meeting.group.status = ListingStatus.ARCHIVED
    meeting.group.save()
    with pytest.raises(MeetingKeptError):
        Meeting.objects.get(pk=meeting.pk).delete()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_of_a_group_never_published_can_be_deleted(curator_client):
    meeting = make_meeting(group=make_support_group(status=ListingStatus.DRAFT))
    delete_page = reverse("admin:groups_meeting_delete", args=[meeting.pk])

    curator_client.post(delete_page, {"post": "yes"})

    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_public_groups_page_offers_no_delete_box_for_its_meetings(curator_client):
    published = make_meeting().group
    draft = make_meeting(group=make_support_group(status=ListingStatus.DRAFT)).group

    def delete_boxes(group):
        page = reverse("admin:groups_supportgroup_change", args=[group.pk])
        return curator_client.get(page).text.count('name="meetings-0-DELETE"')

    assert delete_boxes(published) == 0
    assert delete_boxes(draft) == 1


def test_the_changelist_filters_archived_meetings(curator_client):
    make_meeting(name="Still listed")
    gone = make_meeting(name="Taken off")
    act(curator_client, "archive_meetings", [gone])

    def names(query):
        response = curator_client.get(f"{MEETINGS}?{query}")
        return {meeting.name for meeting in response.context["cl"].result_list}

    assert names("archived=yes") == {"Taken off"}
    assert names("archived=no") == {"Still listed"}


# The public site leaves archived meetings out


def test_archived_meetings_are_shown_nowhere(client, curator_client):
    group = make_support_group()
    kept = make_meeting(group=group, name="Kept Tuesday meeting", slug="kept", weekday=2)
    gone = make_meeting(group=group, name="Archived Tuesday meeting", slug="gone", weekday=2)
    act(curator_client, "archive_meetings", [gone])

    finder = client.get(f"{FINDER}?day=any").text
    assert kept.name in finder and gone.name not in finder
    feed = [entry["slug"] for entry in client.get(FEED).json()]
    assert feed == ["kept"]
    calendar = client.get(reverse("directory:meeting_calendar"), {"day": "any"}).text
    assert kept.name in calendar and gone.name not in calendar
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:meeting_ics", args=[gone.slug])).status_code == 404
    group_page = client.get(group.get_absolute_url()).text
    assert kept.name in group_page and gone.name not in group_page


def test_an_archived_temporarily_closed_meeting_leaves_the_groups_page(client, curator_client):
    group = make_support_group()
    closed = make_meeting(
        group=group, name="Closed for now", status=MeetingStatus.TEMPORARILY_CLOSED
    )
    assert closed.name in client.get(group.get_absolute_url()).text

    act(curator_client, "archive_meetings", [closed])

    assert closed.name not in client.get(group.get_absolute_url()).text


# Imports: "no longer meets" is the feed's word, archiving the curator's


def test_an_import_never_brings_back_a_meeting_a_curator_archived(curator_client, client):
    call_command("import_meeting_guide", str(GOOD_FEED), fellowship="AA", stdout=io.StringIO())
    feed = json.loads(GOOD_FEED.read_text())
    slug = feed[0]["slug"]
    act(curator_client, "archive_meetings", [Meeting.objects.get(slug=slug)])

    # The feed still lists it, with a new start time: the import updates it, keeps it archived.
    feed[0]["time"] = "06:45"
    again = io.StringIO(json.dumps(feed))
    call_command("import_meeting_guide", "-", fellowship="AA", stdin=again, stdout=io.StringIO())

    meeting = Meeting.objects.get(slug=slug)
    assert meeting.start_time == time(6, 45)
    assert meeting.status == MeetingStatus.ACTIVE
    assert meeting.is_archived
    assert slug not in [entry["slug"] for entry in client.get(FEED).json()]
