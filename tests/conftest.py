"""Shared test set-up.

pytest-django provides ``client``, ``admin_client`` and ``django_assert_num_queries``.
"""

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts and ends with an empty cache.

    Rolling back a test's database sends no signals, so counts cached from its rows, and
    the rate limiter's counters, would otherwise leak into the next test.
    """
    cache.clear()
    yield
    cache.clear()


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
