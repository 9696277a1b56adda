from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Exchange formats in and out: Meeting Guide, HSDS (no models)."""

    name = "exchange"
    verbose_name = "Exchange formats"
