from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Curators' sign-in: lockout after wrong passwords, and the second factor."""

    name = "accounts"
    verbose_name = "Curators' accounts"
    default_auto_field = "django.db.models.BigAutoField"
