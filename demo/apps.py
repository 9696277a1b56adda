from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Invented demo data and the national-scale generator (no models)."""

    name = "demo"
    verbose_name = "Demo data"
