"""Shared test set-up.

pytest-django provides ``client``, ``admin_client`` and ``django_assert_num_queries``.
"""
