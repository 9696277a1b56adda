from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save


def load_guides(sender, using="default", **kwargs):
    from guides.content import create_missing_guides
    from guides.models import Guide

    # Skip when migrating backwards to before the table (or its language column) existed.
    connection = connections[using]
    table = Guide._meta.db_table
    if table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = {
            column.name for column in connection.introspection.get_table_description(cursor, table)
        }
    if "language" in columns:
        create_missing_guides(Guide, using=using)


class GuidesConfig(AppConfig):
    """Short reviewed guides to the kinds of help, and the visitor's own support plan."""

    name = "guides"
    verbose_name = "Guides"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from guides.models import Guide
        from resources.public_cache import forget_on_change

        # The guides the site ships are real content, not demo data: after every migrate
        # (and after the test runner flushes the database) the missing ones are added.
        post_migrate.connect(load_guides, sender=self)
        # Pages link to the guides that explain them: a change shows on every kept page.
        post_save.connect(forget_on_change, sender=Guide, dispatch_uid="public-cache-guide")
        post_delete.connect(forget_on_change, sender=Guide, dispatch_uid="public-cache-guide")
