"""Shared test set-up.

pytest-django provides ``client``, ``admin_client`` and ``django_assert_num_queries``.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests.servers import collected_static, redis_server


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts and ends with an empty cache.

    Rolling back a test's database sends no signals, so counts cached from its rows, and
    the rate limiter's counters, would otherwise leak into the next test.
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in English. A request to /es/… leaves Spanish active in the test's
    thread (LocaleMiddleware activates the address's language and nothing switches it
    back), which would make the next test's reverse() give /es/ addresses."""
    translation.activate("en")
    yield
    translation.activate("en")


def pytest_collection_modifyitems(config, items):
    """Leave PostgreSQL-only tests out of SQLite runs.

    They test what only PostgreSQL has (full-text search, trigram similarity); CI runs
    the suite on both databases, so each of them runs where it applies, and the count
    of what was left out is printed rather than hidden as skips.
    """
    if connection.vendor == "postgresql":
        return
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("postgresql") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files gathered by collectstatic, as a deployment does (tests/servers.py)."""
    return collected_static(tmp_path_factory)


@pytest.fixture(scope="module")
def redis_url():
    """The address of a Redis server of the module's own (tests/servers.py)."""
    with redis_server() as url:
        yield url
