from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Exchange formats in and out (Meeting Guide, BMLT, HSDS), and the sources that sync
    themselves with their change reports (models: Source, SyncRun)."""

    name = "exchange"
    verbose_name = "Exchange formats"
