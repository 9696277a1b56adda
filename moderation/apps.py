from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Suggestions and problem reports from the public, and the curators' queue for them."""

    name = "moderation"
    verbose_name = "Moderation"
    default_auto_field = "django.db.models.BigAutoField"
