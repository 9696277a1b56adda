from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def sync_vocabulary_terms(sender, using="default", **kwargs):
    from resources.models import Term
    from resources.vocabularies import sync_vocabularies

    # Skip when migrating backwards to before the table existed.
    if Term._meta.db_table in connections[using].introspection.table_names():
        sync_vocabularies(Term, using=using)


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Listings"

    def ready(self):
        # After every migrate (and after the test runner flushes the database) the
        # vocabulary table matches resources/vocabularies.py.
        post_migrate.connect(sync_vocabulary_terms, sender=self)
