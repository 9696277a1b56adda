"""Search in Spanish: accents ignored by ``unaccent`` and Spanish stemming, in a text search
configuration of their own (``spanish_unaccent``, PostgreSQL only); and every listing's
search text made again after this migrate, now with Spanish term labels and texts
(``index_unindexed_listings`` indexes the listings whose ``search_document`` is empty)."""

from django.db import migrations

from resources.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0012_listing_texts"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS unaccent",
                "CREATE TEXT SEARCH CONFIGURATION spanish_unaccent (COPY = spanish)",
                "ALTER TEXT SEARCH CONFIGURATION spanish_unaccent "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION spanish_unaccent"],
        ),
        migrations.RunSQL(
            sql="UPDATE resources_listing SET search_document = ''",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
