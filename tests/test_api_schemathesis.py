"""Property-based check of the API against its own OpenAPI description, with Schemathesis.

For every GET operation in ``/api/schema/`` Schemathesis generates requests from the
declared parameters (valid ones and, for the "negative" phase, some that break them) and
checks each answer: never a server error (``not_a_server_error``, named explicitly, and
asserted again on the status), only documented status codes, the documented content type
and headers, and a body that matches the response schema.

The schema is read once, at import, through the WSGI application: drawing it up touches
no database (only the throttle's cache), so it is safe before pytest-django sets up the
test database. The requests themselves go through the same WSGI application in the test's
own thread, so with plain ``django_db`` they share the test's connection and transaction
and see the listings and meetings the ``directory`` fixture makes.

Bounded and repeatable: at most ``MAX_EXAMPLES`` cases per operation, derandomized (the
same cases every run), no deadline and no example database written to disk.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection

from groups.models import Attendance
from tests.factories import (
    make_clinician,
    make_community_resource,
    make_helpline,
    make_meeting,
    make_place,
    make_sober_living_home,
    make_support_group,
    make_treatment_program,
)

MAX_EXAMPLES = 25

# Slugs that exist in the test data, so that the detail endpoint answers 200 with a body
# to validate, not only 404s for the random slugs Schemathesis makes up.
SLUGS = [
    "lakeside-clinic",
    "dr-rivera",
    "harbor-house",
    "crisis-line",
    "northside-center",
    "lincoln-park-aa",
]
# Places the geocoder knows, one in each form ``near`` takes (ZIP, "City, ST", "lat,lng").
PLACES = ["60614", "Chicago, IL", "41.9248,-87.6414"]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    """A published listing of each kind and a few meetings of one group."""
    make_treatment_program(slug=SLUGS[0], name="Lakeside Clinic")
    make_clinician(slug=SLUGS[1], name="Dr. Rivera")
    make_sober_living_home(slug=SLUGS[2], name="Harbor House")
    make_helpline(slug=SLUGS[3], name="Crisis Line")
    make_community_resource(slug=SLUGS[4], name="Northside Center")
    group = make_support_group(slug=SLUGS[5], name="Lincoln Park AA")
    make_meeting(group=group, place=make_place(), types=["O", "D"])
    make_meeting(
        group=group,
        weekday=5,
        attendance=Attendance.HYBRID,
        conference_url="https://example.org/zoom",
        types=["O"],
    )
    make_meeting(
        group=group,
        weekday=0,
        attendance=Attendance.ONLINE,
        conference_url="https://example.org/zoom",
    )


@pytest.fixture
def unthrottled():
    # Hundreds of requests from one address in a few seconds would trip the anonymous
    # throttle (120/minute); the throttle reads its rate per request, so raise it here.
    rates = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "100000/minute"}
    with override_settings(
        REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        cache.clear()
        yield
    cache.clear()


@pytest.fixture
def kept_connection():
    # A real WSGI request closes "old" database connections when it starts and finishes,
    # and inside the test's transaction (autocommit off) Django counts the connection as
    # old: PostgreSQL's would be closed mid-test (SQLite's in-memory one never is). The
    # test client unhooks the same signal handler around each request; so do we.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.include(method="GET").parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_its_schema_says(case, directory, unthrottled, kept_connection):
    positive = case.meta is None or case.meta.generation.mode is GenerationMode.POSITIVE
    if case.path_parameters and "slug" in case.path_parameters:
        # Most made-up slugs are unknown (404); now and then ask for one that exists instead,
        # so a full listing (of each kind, a support group's meetings too) is validated.
        slug = str(case.path_parameters["slug"])
        pick = sum(map(ord, slug)) % (2 * len(SLUGS))
        if pick < len(SLUGS):
            case.path_parameters["slug"] = SLUGS[pick]
    if positive and case.query and case.query.get("near"):
        # No schema can say which places exist: a made-up ``near`` answers 400 (as the
        # schema documents), which Schemathesis would call valid data rejected. Use a
        # place the geocoder knows instead, in each of the forms it takes.
        near = str(case.query["near"])
        case.query["near"] = PLACES[sum(map(ord, near)) % len(PLACES)]
    # Not ``negative_data_rejection``: like the site's search form, the API takes an empty
    # parameter (``page=``, ``near=``) as one not given, on purpose, where Schemathesis
    # expects a 4xx for "" not being an integer or enum value.
    # The WSGI client does not undo gzip, which the site sends to clients that ask for it
    # (tests/test_compression.py): ask for the plain body.
    response = case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        additional_checks=[not_a_server_error],
        excluded_checks=[negative_data_rejection],
    )
    assert response.status_code < 500, (case.path, case.query)
