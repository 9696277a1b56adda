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
        post_migrate.connect(seed_fellowships, sender=self)
