"""Rate limits that hold: one rule for the visitor's address (recovery_site/clients.py), one
sliding-window limiter (recovery_site/ratelimit.py), and the API's throttle built on them.

The limiter is tested with explicit timestamps (``now=``), the API through real requests,
and what the cache holds in a real Redis."""

import ipaddress
import random
import uuid

import pytest
import redis
from django.test import RequestFactory
from django.urls import reverse

from recovery_site import ratelimit
from recovery_site.clients import client_address, rate_key
from tests.factories import make_clinician, make_meeting
from tests.helpers import run_manage_check, suggestion_data

pytestmark = pytest.mark.django_db

LISTINGS = reverse("api:listing-list")
VOCABULARIES = reverse("api:vocabularies")
HSDS_SERVICES = reverse("hsds:service-list")
FEED = reverse("exchange:meeting_guide_feed")
HOUR = 60 * 60
# Some clock hour, far from the real time: the limiter never reads the clock when told.
ON_THE_HOUR = 500_000 * HOUR
# Nothing listens on port 1: every cache call fails at once.
CACHE_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def request_from(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def random_address():
    return str(ipaddress.IPv4Address(random.getrandbits(32)))


def api_rate(settings, rate):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": rate}}


# The visitor's address


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    request = request_from("198.51.100.7", forwarded_for="203.0.113.1")
    assert client_address(request) == "198.51.100.7"


def test_forwarded_for_from_a_connection_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = request_from("198.51.100.7", forwarded_for="203.0.113.1")
    assert client_address(request) == "198.51.100.7"


def test_behind_trusted_proxies_the_first_untrusted_address_from_the_right_is_the_visitor(
    settings,
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.5"]
    # The visitor wrote "1.2.3.4" itself; its proxy added 203.0.113.1, then two of ours.
    request = request_from("10.0.0.1", forwarded_for="1.2.3.4, 203.0.113.1, 192.0.2.5,10.1.1.1")
    assert client_address(request) == "203.0.113.1"


def test_when_every_forwarded_address_is_trusted_the_leftmost_is_used(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("10.0.0.1", forwarded_for="10.0.0.9")) == "10.0.0.9"
    assert client_address(request_from("10.0.0.1")) == "10.0.0.1"


def test_a_forwarded_entry_that_is_not_an_address_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = request_from("10.0.0.1", forwarded_for="203.0.113.1, evil, 10.0.0.2")
    assert client_address(request) == "10.0.0.2"


def test_ipv4_seen_through_ipv6_is_the_ipv4_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request_from("::ffff:198.51.100.7")) == "198.51.100.7"
    request = request_from("::ffff:10.0.0.1", forwarded_for="::ffff:203.0.113.1")
    assert client_address(request) == "203.0.113.1"


def test_the_rate_key_is_a_keyed_hash_and_ipv6_counts_per_64(settings):
    key = rate_key("198.51.100.7")
    assert "198.51.100.7" not in key and len(key) == 64
    assert rate_key("::ffff:198.51.100.7") == key
    assert rate_key("198.51.100.8") != key
    assert rate_key("2001:db8:1:2::1") == rate_key("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert rate_key("2001:db8:1:2::1") != rate_key("2001:db8:1:3::1")
    # Without the secret key nobody can make the table from addresses back to keys.
    settings.SECRET_KEY = "another secret key, long enough to be taken as one"
    assert rate_key("198.51.100.7") != key


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"TRUSTED_PROXIES": "10.0.0.1, nginx"}, "TRUSTED_PROXIES must list IP addresses"),
        ({"SUBMISSIONS_PROXY_COUNT": "1"}, "SUBMISSIONS_PROXY_COUNT is replaced by"),
    ],
)
def test_a_proxy_setting_that_cannot_be_used_stops_start_up(environment, message):
    result = run_manage_check(DEBUG="true", **environment)
    assert result.returncode != 0
    assert message in result.stderr


# The sliding window


def test_five_just_before_the_hour_leave_no_room_just_after_it():
    for _ in range(5):
        assert ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR - 60).allowed

    refused = ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR + 60)

    assert not refused.allowed
    assert not ratelimit.check("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR + 60).allowed
    # Someone else is not affected.
    assert ratelimit.hit("test", "198.51.100.8", 5, HOUR, now=ON_THE_HOUR + 60).allowed


def test_retry_after_says_when_the_next_one_fits_and_refusals_do_not_count():
    for _ in range(5):
        ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR - 60)
    refused = ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR + 60)
    # Knocking again and again while refused does not push the time back.
    for second in range(61, 120):
        assert not ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR + second).allowed

    wait = refused.retry_after
    assert 0 < wait < HOUR
    too_soon = ON_THE_HOUR + 60 + wait - 2
    assert not ratelimit.check("test", "198.51.100.7", 5, HOUR, now=too_soon).allowed
    in_time = ON_THE_HOUR + 60 + wait
    assert ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=in_time).allowed


def test_a_whole_window_later_everything_is_forgotten():
    for _ in range(5):
        ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=ON_THE_HOUR - 60)
    later = ON_THE_HOUR - 60 + 2 * HOUR
    for _ in range(5):
        assert ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=later).allowed
    assert not ratelimit.hit("test", "198.51.100.7", 5, HOUR, now=later).allowed


def test_the_limiter_lets_everything_through_when_the_cache_is_down(settings, caplog):
    settings.CACHES = CACHE_DOWN
    for _ in range(3):
        assert ratelimit.hit("test", "198.51.100.7", 1, HOUR).allowed
    assert ratelimit.check("test", "198.51.100.7", 1, HOUR).allowed
    assert "198.51.100.7" not in caplog.text


# The API's throttle


def test_random_forwarded_for_values_do_not_escape_the_api_limit(client, settings):
    api_rate(settings, "10/minute")
    statuses = [
        client.get(
            VOCABULARIES, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=random_address()
        ).status_code
        for _ in range(50)
    ]
    assert statuses == [200] * 10 + [429] * 40


def test_behind_a_trusted_proxy_each_forwarded_visitor_has_their_own_allowance(client, settings):
    api_rate(settings, "3/minute")
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    first = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    for _ in range(3):
        assert client.get(VOCABULARIES, **first).status_code == 200

    refused = client.get(VOCABULARIES, **first)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"]
    # Up to two windows: requests of this minute's bucket weigh on the next one as they fade.
    assert 0 < int(refused["Retry-After"]) <= 2 * 60
    # The same visitor through a second proxy of ours, or making up an address on the left.
    through_two = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 10.0.0.5"}
    assert client.get(VOCABULARIES, **through_two).status_code == 429
    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1"}
    assert client.get(VOCABULARIES, **forged).status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.get(VOCABULARIES, **other).status_code == 200


def test_ipv6_visitors_share_the_api_allowance_of_their_64(client, settings):
    api_rate(settings, "2/minute")
    assert client.get(VOCABULARIES, REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    assert client.get(VOCABULARIES, REMOTE_ADDR="2001:db8:1:2::2").status_code == 200
    assert client.get(VOCABULARIES, REMOTE_ADDR="2001:db8:1:2::3").status_code == 429
    assert client.get(VOCABULARIES, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_the_api_and_hsds_answer_when_the_cache_is_down(client, settings):
    make_clinician(name="Dr. Rivera")
    settings.CACHES = CACHE_DOWN

    listings = client.get(LISTINGS)
    services = client.get(HSDS_SERVICES)

    assert listings.status_code == 200
    assert [item["name"] for item in listings.json()["results"]] == ["Dr. Rivera"]
    assert services.status_code == 200
    assert [item["name"] for item in services.json()["contents"]] == ["Dr. Rivera"]


# What the cache holds


@pytest.fixture
def real_redis(settings):
    """The site's cache in a real Redis (database 12), under a key prefix of this test's
    own; only those keys are removed afterwards."""
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": prefix,
        }
    }
    connection = redis.Redis(host="127.0.0.1", port=6379, db=12)
    yield connection, prefix
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)
    connection.close()


def test_redis_keys_never_hold_the_visitors_address(client, real_redis):
    connection, prefix = real_redis
    make_meeting()
    addresses = ("203.0.113.77", "2001:db8:abcd:12::7")
    for address in addresses:
        assert client.get(VOCABULARIES, REMOTE_ADDR=address).status_code == 200
        assert client.get(FEED, REMOTE_ADDR=address).status_code == 200
        assert client.post("/suggest/", suggestion_data(), REMOTE_ADDR=address).status_code == 302

    keys = [key.decode() for key in connection.scan_iter(f"{prefix}:*")]
    assert keys
    for key in keys:
        assert "203.0.113" not in key and "2001:db8:abcd:12" not in key
    counters = [key for key in keys if ":ratelimit:" in key]
    assert {key.split(":ratelimit:")[1].split(":")[0] for key in counters} == {
        "api-anon",
        "feeds",
        "submissions",
    }
    assert {rate_key(address) for address in addresses} == {key.split(":")[-2] for key in counters}
