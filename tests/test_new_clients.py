"""Taking new clients, with the date it was confirmed and by whom: a curator's action, or the
listing's own contact through a single-use link; past 30 days cards and pages say "call
before you go"."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from resources.models import (
    Clinician,
    NewClientsAnswer,
    NewClientsConfirmer,
    NewClientsLink,
    TreatmentProgram,
)
from tests.factories import (
    days_ago,
    make_clinician,
    make_curator,
    make_helpline,
    make_treatment_program,
)
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

CALL_FIRST = "Call before you go:"
SEARCH = reverse("directory:search")


def link_url(link):
    return reverse("moderation:new_clients", args=[link.token])


def long_date(day):
    return date_format(day, "F j, Y")


# What cards and pages say


def test_a_fresh_confirmation_shows_with_its_date_and_who_gave_it(client):
    make_clinician(
        name="Dr. Ana Reyes",
        new_clients_confirmed_on=days_ago(5),
        new_clients_confirmed_by=NewClientsConfirmer.CONTACT,
    )
    listing = make_treatment_program(
        name="Lakeside Program",
        accepting_new_clients=False,
        new_clients_waitlist=True,
        new_clients_confirmed_on=days_ago(30),
        new_clients_confirmed_by=NewClientsConfirmer.CURATOR,
    )
    cards = client.get(SEARCH, {"near": "60614"}).content.decode()
    assert "Taking new clients: confirmed by the service on <time datetime=" in cards
    assert long_date(days_ago(5)) in cards
    assert "Waiting list for new clients: confirmed by our curators on" in cards
    assert CALL_FIRST not in cards

    page = client.get(listing.get_absolute_url()).content.decode()
    assert "Waiting list for new clients: confirmed by our curators on" in page
    assert long_date(days_ago(30)) in page


def test_past_30_days_or_never_cards_and_pages_say_call_before_you_go(client):
    stale = make_clinician(name="Dr. Stale", new_clients_confirmed_on=days_ago(31))
    make_treatment_program(name="Never Confirmed Program")
    cards = client.get(SEARCH, {"near": "60614"}).content.decode()
    assert cards.count(CALL_FIRST) == 2
    page = client.get(stale.get_absolute_url()).content.decode()
    assert (
        f"<strong>{CALL_FIRST}</strong> whether it takes new clients has not been confirmed "
        "in the last 30 days."
    ) in page


def test_kinds_that_take_no_clients_say_nothing_of_it(client):
    helpline = make_helpline()
    page = client.get(helpline.get_absolute_url()).content.decode()
    assert CALL_FIRST not in page
    assert "new clients" not in page


def test_a_waiting_list_is_never_also_taking_clients():
    with pytest.raises(IntegrityError):
        make_clinician(accepting_new_clients=True, new_clients_waitlist=True)


# The curator


def test_the_action_confirms_today_and_keeps_the_answer_in_the_history(client):
    curator = make_curator()
    client.force_login(curator)
    taking = make_clinician(new_clients_confirmed_on=days_ago(90))
    full = make_clinician(accepting_new_clients=False)
    make_clinician(name="Not chosen")

    response = client.post(
        reverse("admin:resources_clinician_changelist"),
        {"action": "confirm_new_clients_today", "_selected_action": [taking.pk, full.pk]},
    )

    assert response.status_code == 302
    today = timezone.localdate()
    for listing, accepting in ((taking, True), (full, False)):
        listing.refresh_from_db()
        assert listing.accepting_new_clients is accepting
        assert listing.new_clients_confirmed_on == today
        assert listing.new_clients_confirmed_by == NewClientsConfirmer.CURATOR
        row = listing.history.first()
        assert row.history_change_reason == "Bulk action: confirm taking new clients today"
        assert row.history_user == curator
        assert row.new_clients_confirmed_on == today
    assert not Clinician.objects.get(name="Not chosen").new_clients_confirmed_on


def test_the_admin_lists_and_filters_by_confirmation_age(admin_client):
    make_treatment_program(name="Fresh Program", new_clients_confirmed_on=days_ago(3))
    make_treatment_program(name="Old Program", new_clients_confirmed_on=days_ago(45))
    make_treatment_program(name="Unconfirmed Program")
    url = reverse("admin:resources_treatmentprogram_changelist")
    html = admin_client.get(url).content.decode()
    assert "over 30 days ago" in html
    assert (
        admin_client.get(url, {"new_clients_confirmed": "fresh"})
        .content.decode()
        .count("Program</a>")
        == 1
    )
    old = admin_client.get(url, {"new_clients_confirmed": "old"}).content.decode()
    assert "Old Program" in old
    assert "Fresh Program" not in old
    never = admin_client.get(url, {"new_clients_confirmed": "never"}).content.decode()
    assert "Unconfirmed Program" in never
    assert "Old Program" not in never


def test_a_curator_creates_links_to_send_and_the_page_shows_them(client):
    curator = make_curator()
    client.force_login(curator)
    programs = [make_treatment_program(name=name) for name in ("A Program", "B Program")]

    response = client.post(
        reverse("admin:resources_treatmentprogram_changelist"),
        {"action": "create_new_clients_links", "_selected_action": [p.pk for p in programs]},
    )

    assert response.status_code == 200
    html = response.content.decode()
    links = list(NewClientsLink.objects.order_by("listing__name"))
    assert [link.listing_id for link in links] == [p.pk for p in programs]
    for link in links:
        assert link.created_by == curator
        assert f"http://testserver{link_url(link)}" in html


def test_the_change_page_creates_a_link_and_shows_it(admin_client):
    clinician = make_clinician()
    url = reverse("admin:resources_clinician_change", args=[clinician.pk])
    page = admin_client.get(url).content.decode()
    assert "No link waiting for an answer." in page
    assert 'name="_new_clients_link"' in page

    data = form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "_new_clients_link": "1"})

    assert response.status_code == 302
    assert response["Location"] == url
    link = NewClientsLink.objects.get(listing=clinician)
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(f"http://testserver{link_url(link)}" in message for message in messages)
    assert link_url(link) in admin_client.get(url).content.decode()


def test_editing_the_date_in_the_form_records_a_curator(admin_client):
    program = make_treatment_program()
    url = reverse("admin:resources_treatmentprogram_change", args=[program.pk])
    data = form_data(admin_client.get(url))
    data["new_clients_confirmed_on"] = timezone.localdate().isoformat()
    assert admin_client.post(url, data).status_code == 302
    program.refresh_from_db()
    assert program.new_clients_confirmed_by == NewClientsConfirmer.CURATOR


# The listing's contact, through the link


def test_the_link_asks_the_question_and_records_the_answer_with_history(client):
    program = make_treatment_program(name="Lakeside Program")
    link = NewClientsLink.objects.create(listing=program)
    page = client.get(link_url(link))
    assert page.status_code == 200
    assert "<h1>Is Lakeside Program taking new clients?</h1>" in page.content.decode()

    response = client.post(link_url(link), {"answer": NewClientsAnswer.WAITLIST})

    assert response.status_code == 200
    assert "Waiting list for new clients" in response.content.decode()
    program = TreatmentProgram.objects.get(pk=program.pk)
    assert (program.accepting_new_clients, program.new_clients_waitlist) == (False, True)
    assert program.new_clients_confirmed_on == timezone.localdate()
    assert program.new_clients_confirmed_by == NewClientsConfirmer.CONTACT
    row = program.history.first()
    assert row.history_change_reason == "Confirmed by the listing's contact"
    assert row.new_clients_waitlist is True
    link.refresh_from_db()
    assert link.used_at is not None
    assert link.answer == NewClientsAnswer.WAITLIST


def test_the_link_works_once_and_then_says_it_was_used(client):
    clinician = make_clinician(accepting_new_clients=False)
    link = NewClientsLink.objects.create(listing=clinician)
    client.post(link_url(link), {"answer": NewClientsAnswer.TAKING})
    history_rows = clinician.history.count()

    again = client.post(link_url(link), {"answer": NewClientsAnswer.NOT_TAKING})

    assert again.status_code == 410
    html = again.content.decode()
    assert "This link has already been used" in html
    assert "Yes, taking new clients" in html
    assert client.get(link_url(link)).status_code == 410
    clinician.refresh_from_db()
    assert clinician.accepting_new_clients is True
    assert clinician.history.count() == history_rows


def test_an_expired_link_changes_nothing(client):
    clinician = make_clinician()
    link = NewClientsLink.objects.create(
        listing=clinician, created_at=timezone.now() - timedelta(days=15)
    )
    response = client.post(link_url(link), {"answer": NewClientsAnswer.NOT_TAKING})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    clinician.refresh_from_db()
    assert clinician.accepting_new_clients is True
    assert clinician.new_clients_confirmed_on is None


def test_a_made_up_or_altered_link_is_not_found(client):
    link = NewClientsLink.objects.create(listing=make_clinician())
    nonce, signature = link.token.rsplit(":", 1)
    for token in ("nothing", f"{nonce}:{signature[:-2]}xx", f"other{nonce}:{signature}"):
        url = reverse("moderation:new_clients", args=[token])
        assert client.get(url).status_code == 404


def test_an_answer_must_be_chosen(client):
    link = NewClientsLink.objects.create(listing=make_clinician())
    response = client.post(link_url(link), {})
    assert response.status_code == 400
    assert "Choose one answer." in response.content.decode()
    link.refresh_from_db()
    assert link.used_at is None
