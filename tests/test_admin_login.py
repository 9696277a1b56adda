"""Curators' accounts cannot be guessed: lockout, the second step, short sessions.

Sign-ins go through the admin's real login page, passwords through a real (counting)
PBKDF2 hasher, codes through django-otp with the real clock.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from hashlib import sha256
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery_site.clients import rate_key
from tests.factories import make_curator

PROJECT_DIR = Path(__file__).resolve().parent.parent
WRONG_PASSWORD_MESSAGE = "Please enter the correct username and password"


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2 as in production (fewer rounds, for speed), counting every hash it computes."""

    iterations = 1000
    hashes = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.hashes += 1
        return super().encode(password, salt, iterations)


@pytest.fixture(autouse=True)
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.test_admin_login.CountingHasher"]
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    CountingHasher.hashes = 0
    return CountingHasher


@pytest.fixture
def alex(db):
    return make_curator(username="alex")  # password "pw"


@pytest.fixture
def two_step(settings):
    settings.ADMIN_REQUIRE_2FA = True


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def current_code(device, drift=0):
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:06d}"


def wrong_code(device):
    # Not the code of this 30 seconds, nor of those either side (both are accepted too).
    accepted = {current_code(device, drift) for drift in (-1, 0, 1)}
    return next(code for code in ("111111", "222222", "333333", "444444") if code not in accepted)


# Lockout -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_lock_out_even_the_right_one(client, alex, counting_hasher):
    for _ in range(4):
        response = sign_in(client, "alex", "guess")
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in response.text

    fifth = sign_in(client, "alex", "guess")
    hashes_when_locked = counting_hasher.hashes
    right = sign_in(client, "alex", "pw")

    for response in (fifth, right):
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        assert "Signing in is paused for up to 15 minutes" in response.text
        assert 'name="password"' not in response.text
    assert not signed_in(client)
    # Refused before the password was hashed: a locked-out attempt costs no CPU.
    assert counting_hasher.hashes == hashes_when_locked
    assert hashes_when_locked == 5 + 1  # five checks, and the user made with a password


@pytest.mark.django_db
def test_one_address_trying_unknown_user_names_is_locked_out(client, alex, counting_hasher):
    for number in range(4):
        response = sign_in(client, f"nobody{number}", "guess", address="198.51.100.7")
        assert response.status_code == 200
    assert sign_in(client, "nobody4", "guess", address="198.51.100.7").status_code == 429
    hashes = counting_hasher.hashes

    assert sign_in(client, "nobody5", "guess", address="198.51.100.7").status_code == 429
    assert sign_in(client, "alex", "pw", address="198.51.100.7").status_code == 429
    assert counting_hasher.hashes == hashes
    assert not signed_in(client)

    # Another connection is not held back by this one.
    assert sign_in(client, "alex", "pw", address="198.51.100.8").status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_one_user_name_is_locked_out_whatever_the_address(client, alex):
    for number in range(5):
        sign_in(client, "alex", "guess", address=f"203.0.113.{number}")

    response = sign_in(client, "alex", "pw", address="203.0.113.99")

    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_signing_in_works_again_after_the_pause(client, alex, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    for _ in range(5):
        sign_in(client, "alex", "guess")
    assert sign_in(client, "alex", "pw").status_code == 429

    time.sleep(2.5)

    response = sign_in(client, "alex", "pw")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert signed_in(client)


@pytest.mark.django_db
def test_an_administrator_lifts_the_pause_for_a_user_name(client, alex):
    for number in range(5):
        sign_in(client, "alex", "guess", address=f"203.0.113.{number}")

    call_command("axes_reset_username", "alex")

    assert sign_in(client, "alex", "pw", address="203.0.113.99").status_code == 302


@pytest.mark.django_db
def test_wrong_passwords_are_counted_under_a_keyed_hash_in_the_cache_only(client, alex):
    sign_in(client, "alex", "guess", address="203.0.113.9")

    assert AccessAttempt.objects.count() == 0
    assert AccessLog.objects.count() == 0
    # Axes names a count by the SHA-256 of what it counts. Of a bare IPv4 address that could
    # be reversed by trying all four billion; of the keyed hash it cannot.
    assert cache.get(f"axes-{sha256(b'203.0.113.9').hexdigest()}") is None
    keyed = rate_key("203.0.113.9").encode()
    assert cache.get(f"axes-{sha256(keyed).hexdigest()}") == 1


@pytest.mark.django_db
def test_with_the_cache_down_a_curator_still_signs_in(client, alex, settings):
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = sign_in(client, "alex", "wrong")
    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.text
    response = sign_in(client, "alex", "pw")
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_the_test_clients_login_still_works(client, alex):
    assert client.login(username="alex", password="pw")

    assert client.get(reverse("admin:index")).status_code == 200


# Sessions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_curators_session_ends_with_the_browser_and_after_eight_hours(client, alex):
    sign_in(client, "alex", "pw")

    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < remaining <= timedelta(hours=8)


# The second step -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("two_step")
def test_a_curator_without_an_app_is_sent_to_set_one_up(client, alex):
    assert sign_in(client, "alex", "pw").status_code == 302

    for page in (reverse("admin:index"), reverse("admin:resources_listing_changelist")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:setup')}?{urlencode({'next': page})}"

    setup = client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=alex)
    assert not device.confirmed
    assert '<svg width="' in setup.text
    secret = TOTPDevice.objects.get(user=alex).config_url.split("secret=")[1].split("&")[0]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in setup.text


@pytest.mark.django_db
@pytest.mark.usefixtures("two_step")
def test_the_first_right_code_confirms_the_app_and_opens_the_admin(client, alex):
    sign_in(client, "alex", "pw")
    changelist = reverse("admin:resources_listing_changelist")
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=alex)

    response = client.post(
        reverse("accounts:setup"), {"code": current_code(device), "next": changelist}
    )

    assert response.status_code == 302
    assert response["Location"] == changelist
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(changelist).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("two_step")
def test_a_curator_with_an_app_must_type_its_code(client, alex):
    device = TOTPDevice.objects.create(user=alex, name="Phone", confirmed=True)
    sign_in(client, "alex", "pw")
    index = reverse("admin:index")
    assert client.get(index)["Location"] == f"{reverse('accounts:verify')}?next=%2Fadmin%2F"

    wrong = client.post(reverse("accounts:verify"), {"code": wrong_code(device), "next": index})

    assert wrong.status_code == 200
    assert "That code did not match" in wrong.text
    assert client.get(index).status_code == 302

    time.sleep(1.1)  # django-otp checks no code for a second after a wrong one
    # An address on another site is not followed: the admin's home is.
    right = client.post(
        reverse("accounts:verify"), {"code": current_code(device), "next": "https://evil.example/"}
    )

    assert right.status_code == 302
    assert right["Location"] == index
    assert client.get(index).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("two_step")
def test_a_password_alone_cannot_replace_a_curators_app(client, alex):
    TOTPDevice.objects.create(user=alex, name="Phone", confirmed=True)
    sign_in(client, "alex", "pw")

    response = client.get(reverse("accounts:setup"))

    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=alex).count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("two_step")
def test_an_administrator_removes_a_lost_app_and_the_curator_sets_up_a_new_one(client, alex):
    TOTPDevice.objects.create(user=alex, name="Phone", confirmed=True)

    call_command("remove_sign_in_app", "alex")

    sign_in(client, "alex", "pw")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("accounts:setup"))


@pytest.mark.django_db
def test_administrators_see_a_curators_app_but_never_its_key(admin_client, alex):
    device = TOTPDevice.objects.create(user=alex, name="Phone", confirmed=True)

    listed = admin_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert "alex" in listed.text
    assert page.status_code == 200
    assert device.key not in page.text
    config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    assert admin_client.get(config).status_code == 403


@pytest.mark.django_db
@pytest.mark.usefixtures("two_step")
def test_the_second_step_leaves_public_pages_alone(client, alex):
    sign_in(client, "alex", "pw")

    assert client.get(reverse("directory:home")).status_code == 200


@pytest.mark.django_db
def test_the_second_step_pages_need_the_password_first(client):
    response = client.get(reverse("accounts:verify"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_without_the_second_step_a_password_opens_the_admin(client, alex, settings):
    settings.ADMIN_REQUIRE_2FA = False
    sign_in(client, "alex", "pw")

    assert client.get(reverse("admin:index")).status_code == 200


# Settings ------------------------------------------------------------------------------------


def django_says(expression, **environment):
    """Start the project with the given environment and print one expression's value."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "ADMIN_URL"}}
    env.update(environment)
    code = f"from django.conf import settings; from django.urls import reverse; print({expression})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_admin_moves_to_admin_url_and_asks_for_a_second_step_in_production():
    says = django_says(
        "reverse('admin:index'), reverse('accounts:verify'), settings.ADMIN_REQUIRE_2FA",
        DEBUG="false",
        SECRET_KEY="test-only-" + "x" * 40,
        ADMIN_URL="/back-office/",
    )

    assert says == "/back-office/ /back-office/two-step/ True"


def test_development_asks_for_no_second_step_by_default():
    assert django_says("settings.ADMIN_REQUIRE_2FA", DEBUG="true") == "False"
