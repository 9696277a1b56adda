from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """The open data APIs: the versioned JSON API and the HSDS API (no models)."""

    name = "opendata"
    verbose_name = "Open data"
