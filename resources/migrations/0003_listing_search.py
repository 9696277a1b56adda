"""Stored search text on listings, and on PostgreSQL its two GIN indexes.

The indexes (full-text on search_vector, trigram on search_keywords) are PostgreSQL
only, so they are created here with SQL that runs only there rather than declared in
Listing.Meta.indexes: SQLite migrates the same model without them. Existing listings
are indexed by the post_migrate handler (resources.search_index.index_unindexed_listings).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models

from resources.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_listing_time_zone"),
    ]

    operations = [
        # Django's CreateExtension operations already do nothing on other databases.
        TrigramExtension(),
        migrations.AddField(
            model_name="listing",
            name="search_document",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search document"
            ),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_keywords",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search keywords"
            ),
        ),
        migrations.AddField(
            model_name="listing",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True, verbose_name="search vector"),
        ),
        RunSQLOnPostgreSQL(
            sql=[
                "CREATE INDEX listing_search_vector_gin ON resources_listing "
                "USING gin (search_vector)",
                "CREATE INDEX listing_search_keywords_trgm ON resources_listing "
                "USING gin (search_keywords gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX listing_search_keywords_trgm",
                "DROP INDEX listing_search_vector_gin",
            ],
        ),
    ]
