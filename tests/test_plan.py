"""My support plan: the page the server sends (the plan itself lives in the browser; see
tests/browser/test_plan.py), and the "Save to my plan" buttons on cards and pages."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import make_clinician, make_meeting, make_place
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

PLAN = reverse("guides:plan")


def save_buttons(html):
    """{data attribute: value} of each "Save to my plan" button on the page."""
    buttons = re.findall(r'<button type="button" class="button save-to-plan"(.*?)>', html, re.S)
    return [
        {name: unescape(value) for name, value in re.findall(r'data-plan-([a-z]+)="([^"]*)"', b)}
        | {"hidden": " hidden" in b}
        for b in buttons
    ]


def test_the_plan_page_says_it_stays_on_this_device(client):
    response = client.get(PLAN)
    text = text_of(response.content.decode())
    assert "Your plan stays on this device. We never see it." in text
    assert "no account, no cookie, and nothing is sent to us" in text
    assert not response.cookies


def test_without_javascript_the_page_explains_the_plan_and_offers_a_blank_one(client):
    html = client.get(PLAN).content.decode()
    blank = re.search(r'<div id="plan-blank".*?<div id="plan-app"', html, re.S)[0]
    text = text_of(blank)
    assert "print this blank plan" in text
    for heading in (
        "People I can call",
        "Meetings I will go to",
        "My warning signs",
        "What I will do",
        "My reasons for recovery",
        "If I’m in crisis",
    ):
        assert f"<h2>{heading}</h2>" in blank or f">{heading}</h2>" in blank
    # The editor needs JavaScript: hidden until plan.js shows it.
    assert re.search(r'<div id="plan-app" class="plan-app" hidden>', html)


def test_the_crisis_block_is_filled_in_with_988_and_the_samhsa_helpline(client):
    html = client.get(PLAN).content.decode()
    for block in re.findall(r'<section class="plan-crisis".*?</section>', html, re.S):
        text = text_of(block)
        assert "Call or text 988" in text
        assert "1-800-662-4357" in text
        assert 'href="tel:988"' in block
        assert 'href="tel:18006624357"' in block


def test_the_page_is_the_same_for_everyone_and_loads_only_its_own_script(client):
    html = client.get(PLAN).content.decode()
    assert client.get(PLAN).content.decode() == html
    scripts = re.findall(r"<script[^>]*>", html)
    assert all('src="/static/' in script for script in scripts), scripts
    assert any("js/plan" in script and 'type="module"' in script for script in scripts)


def test_a_result_card_has_a_hidden_save_button_with_the_listing(client):
    listing = make_clinician(name="Dr. Ada Plan", phone="(312) 555-0101")
    html = client.get(reverse("directory:search")).content.decode()
    [button] = [b for b in save_buttons(html) if b["name"] == "Dr. Ada Plan"]
    assert button == {
        "kind": "listing",
        "name": "Dr. Ada Plan",
        "url": listing.get_absolute_url(),
        "phone": "(312) 555-0101",
        "address": ", ".join(listing.public_address_lines),
        "hidden": True,
    }


def test_a_listing_page_has_a_save_button(client):
    listing = make_clinician(name="Dr. Ada Plan")
    [button] = save_buttons(client.get(listing.get_absolute_url()).content.decode())
    assert (button["name"], button["url"]) == ("Dr. Ada Plan", listing.get_absolute_url())


def test_a_meeting_page_has_a_save_button_with_its_day_time_and_zone(client):
    meeting = make_meeting(name="Tuesday Night Hope", place=make_place())
    [button] = save_buttons(client.get(meeting.get_absolute_url()).content.decode())
    assert button["kind"] == "meeting"
    assert button["name"] == "Tuesday Night Hope"
    assert button["url"] == meeting.get_absolute_url()
    assert (button["weekday"], button["start"], button["end"]) == ("1", "19:00", "20:00")
    assert (button["zone"], button["week"]) == ("America/Chicago", "")
    assert button["schedule"] == "Every Monday"
    assert button["address"]
