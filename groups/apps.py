from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def seed_fellowships(sender, using="default", **kwargs):
    from groups.fellowships import create_missing_fellowships
    from groups.models import Fellowship

    # Skip when migrating backwards to before the table existed.
    if Fellowship._meta.db_table in connections[using].introspection.table_names():
        create_missing_fellowships(Fellowship, using=using)


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Peer support"

    def ready(self):
        from groups.models import Fellowship
        from resources.search_index import copy_text_from

        post_migrate.connect(seed_fellowships, sender=self)
        # A group's search text holds its fellowship's names: renaming one refreshes them.
        copy_text_from(Fellowship, "supportgroup__fellowship")
