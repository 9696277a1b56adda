"""Suggest a resource: the public form at /suggest/, its limits, the honeypot, the rate limit,
the thank-you page with its reference number, and what is (and is not) stored."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from moderation import ratelimit
from moderation.models import REFERENCE_PATTERN, Submission, SubmissionKind, SubmissionStatus
from tests.factories import fellowship
from tests.helpers import suggestion_data

pytestmark = pytest.mark.django_db

SUGGEST = "/suggest/"


@pytest.fixture(autouse=True)
def empty_cache():
    # The rate limit counts in the real cache: every test starts from nothing.
    cache.clear()
    yield
    cache.clear()


def test_suggest_page_has_a_labelled_form_and_is_linked_from_every_page(client):
    response = client.get(SUGGEST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Suggest a resource</h1>" in html
    for label in ("What kind of help is it?", "Name", "Phone number", "Your email (optional)"):
        assert label in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'<a href="{SUGGEST}">Suggest a resource</a>' in client.get("/about/").content.decode()
    home = client.get(reverse("directory:home")).content.decode()
    assert f'href="{SUGGEST}"' in home


def test_only_the_form_page_sets_a_cookie_and_it_is_the_csrf_one(client):
    assert not client.get(reverse("directory:home")).cookies
    assert set(client.get(SUGGEST).cookies) == {"csrftoken"}


def test_a_valid_suggestion_is_stored_and_the_reference_shown(client):
    response = client.post(SUGGEST, suggestion_data())

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/thanks/{submission.reference}/"
    assert re.fullmatch(REFERENCE_PATTERN, submission.reference)
    assert submission.kind == SubmissionKind.SUGGESTION
    assert submission.status == SubmissionStatus.OPEN
    assert submission.listing_kind == "treatment_program"
    assert submission.name == "Lakeside Recovery Clinic"
    assert submission.region == "IL"
    assert submission.offers == "Outpatient treatment and buprenorphine."
    assert submission.contact_email == "me@example.net"

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert submission.reference in thanks.content.decode()
    assert "Your reference number is" in thanks.content.decode()
    assert not thanks.cookies


def test_the_visitors_address_is_stored_nowhere(client):
    # What the rate limit keeps in the cache is tested in a real Redis in test_ratelimit.py.
    client.post(SUGGEST, suggestion_data(), REMOTE_ADDR="203.0.113.77")
    submission = Submission.objects.get()
    for field in Submission._meta.concrete_fields:
        assert "203.0.113.77" not in str(getattr(submission, field.attname))


def test_two_suggestions_get_different_references(client):
    client.post(SUGGEST, suggestion_data())
    client.post(SUGGEST, suggestion_data(name="Another Place"))
    assert len(set(Submission.objects.values_list("reference", flat=True))) == 2


def test_missing_answers_are_explained_next_to_each_field_and_nothing_is_stored(client):
    response = client.post(
        SUGGEST, suggestion_data(listing_kind="", name="", phone="", website="", email="", city="")
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert "<title>Error: Suggest a resource" in html
    assert "There are 3 problems with the form" in html
    assert "Choose what kind of help it is." in html
    assert "Enter the name of the service or group." in html
    assert "Give at least one way to find it" in html
    assert re.search(r'<input[^>]*name="name"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input[^>]*name="name"[^>]*aria-describedby="hint-name error-name"', html)
    assert '<a href="#id_listing_kind_0">' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 201, "at most 200 characters (it has 201)"),
        ("offers", "x" * 1001, "at most 1000 characters (it has 1001)"),
        ("details", "x" * 2001, "at most 2000 characters (it has 2001)"),
        ("phone", "555", "Enter a phone number with its area code"),
        ("region", "Illinois", "Enter the state as two letters"),
        ("postal_code", "6061", "Enter a 5-digit ZIP code"),
        ("website", "not a website", "Enter a valid URL."),
        ("contact_email", "me@", "Enter a valid email address."),
        ("listing_kind", "spaceship", "Select a valid choice."),
    ],
)
def test_bad_values_are_refused_with_a_message(client, field, value, message):
    response = client.post(SUGGEST, suggestion_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_support_group_needs_its_fellowship(client):
    response = client.post(SUGGEST, suggestion_data(listing_kind="support_group"))
    assert response.status_code == 400
    assert "Choose the fellowship the group belongs to." in response.content.decode()

    na = fellowship("NA")
    client.post(SUGGEST, suggestion_data(listing_kind="support_group", fellowship=na.pk))
    assert Submission.objects.get().fellowship == na


def test_a_fellowship_is_dropped_for_other_kinds(client):
    client.post(SUGGEST, suggestion_data(fellowship=fellowship("AA").pk))
    assert Submission.objects.get().fellowship is None


def test_submitted_html_is_shown_as_text(client, admin_client):
    client.post(SUGGEST, suggestion_data(name="<script>alert(1)</script>", details="<b>bold</b>"))
    submission = Submission.objects.get()
    html = admin_client.get(
        reverse("admin:moderation_submission_change", args=[submission.pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_honeypot_field_is_hidden_from_people_and_screen_readers(client):
    html = client.get(SUGGEST).content.decode()
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">.*?</div>', html, re.S)
    assert honeypot
    assert "Leave this empty" in honeypot.group(0)
    assert 'tabindex="-1"' in honeypot.group(0)
    assert 'autocomplete="off"' in honeypot.group(0)


def test_a_filled_honeypot_looks_successful_but_stores_nothing(client):
    response = client.post(SUGGEST, suggestion_data(homepage="http://spam.example.com"))
    assert response.status_code == 302
    assert re.fullmatch(rf"/thanks/{REFERENCE_PATTERN}/", response["Location"])
    assert client.get(response["Location"]).status_code == 200
    assert not Submission.objects.exists()


def test_the_sixth_submission_in_an_hour_gets_a_friendly_429(client):
    for number in range(5):
        assert client.post(SUGGEST, suggestion_data(name=f"Clinic {number}")).status_code == 302

    response = client.post(SUGGEST, suggestion_data(name="Clinic 6"))
    html = response.content.decode()
    assert response.status_code == 429
    # Up to two hours: an early burst still weighs on the next hour (recovery_site/ratelimit.py).
    assert 0 < int(response["Retry-After"]) <= 2 * 3600
    assert "Please try again later" in html
    assert 'href="tel:988"' in html and "1-800-662-4357" in html
    assert Submission.objects.count() == 5
    assert not Submission.objects.filter(name="Clinic 6").exists()
    # The form itself now says so before anyone fills it in again.
    assert client.get(SUGGEST).status_code == 429


def test_the_limit_is_per_address(client):
    for number in range(5):
        client.post(SUGGEST, suggestion_data(name=f"Clinic {number}"), REMOTE_ADDR="198.51.100.1")
    assert client.post(SUGGEST, suggestion_data(), REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.post(SUGGEST, suggestion_data(), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_invalid_attempts_do_not_count_but_honeypot_hits_do(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for _ in range(5):
        assert client.post(SUGGEST, suggestion_data(name="")).status_code == 400
    assert client.post(SUGGEST, suggestion_data(homepage="spam")).status_code == 302
    assert client.post(SUGGEST, suggestion_data()).status_code == 302
    assert client.post(SUGGEST, suggestion_data()).status_code == 429
    assert Submission.objects.count() == 1


def test_behind_a_proxy_the_forwarded_address_is_counted(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1", **proxy}
    # A client cannot escape by adding its own entries on the left.
    forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1", **proxy}
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", **proxy}
    assert client.post(SUGGEST, suggestion_data(), **first).status_code == 302
    assert client.post(SUGGEST, suggestion_data(), **forged).status_code == 429
    assert client.post(SUGGEST, suggestion_data(), **other).status_code == 302


def test_five_just_before_the_hour_leave_no_room_just_after_it():
    # The limit is over any hour, not per clock hour (when it let 10 through in two minutes).
    request = RequestFactory().post(SUGGEST, REMOTE_ADDR="198.51.100.1")
    on_the_hour = 500_000 * 60 * 60
    for _ in range(5):
        assert ratelimit.count_submission(request, now=on_the_hour - 60)

    assert ratelimit.is_limited(request, now=on_the_hour + 60)
    assert not ratelimit.count_submission(request, now=on_the_hour + 60)
    assert 0 < ratelimit.retry_after(request, now=on_the_hour + 60) <= 2 * 60 * 60


def test_ipv6_addresses_of_one_64_share_a_count(client):
    # Anyone with IPv6 has a whole /64 and can pick a new address for each request.
    for number in range(5):
        address = f"2001:db8:1:2::{number + 1}"
        assert client.post(SUGGEST, suggestion_data(), REMOTE_ADDR=address).status_code == 302

    same_64 = client.post(
        SUGGEST, suggestion_data(), REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:ffff"
    )
    assert same_64.status_code == 429
    assert client.post(SUGGEST, suggestion_data(), REMOTE_ADDR="2001:db8:1:3::1").status_code == 302
    assert Submission.objects.count() == 6


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SUGGEST, suggestion_data())
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_a_malformed_reference_is_not_found(client):
    assert client.get("/thanks/RS-0000/").status_code == 404
    assert client.get("/thanks/<script>/").status_code == 404


def test_the_thank_you_page_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/thanks/RS-7K3P9Q/")
    assert "RS-7K3P9Q" in response.content.decode()


def test_the_csrf_failure_page_explains_in_plain_words(settings):
    settings.CSRF_FAILURE_VIEW = "moderation.views.csrf_failure"
    response = Client(enforce_csrf_checks=True).post(SUGGEST, suggestion_data())
    html = response.content.decode()
    assert response.status_code == 403
    assert "We could not accept the form" in html
    assert "Please allow cookies for this site" in html
    assert not Submission.objects.exists()


def test_an_unreachable_cache_does_not_stop_a_submission(client, settings):
    # Nothing listens on port 1: every cache call fails at once. Someone reporting a closed
    # clinic still gets through; the limit simply does not apply until the cache is back.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.post(SUGGEST, suggestion_data())
    assert response.status_code == 302
    assert Submission.objects.get().name == "Lakeside Recovery Clinic"
