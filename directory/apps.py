from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The public site: search, browse, listing and meeting pages (no models)."""

    name = "directory"
    verbose_name = "Public site"
