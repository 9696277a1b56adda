"""Indexes for a national directory (200,000 listings, 100,000 meetings) on PostgreSQL.

Created with SQL that runs only on PostgreSQL, like the search indexes of 0003: they change
no model, so SQLite migrates the same models without them and ``makemigrations`` sees
nothing to do. The figures they serve are in docs/performance.md.

- ``listing_point_gist``: a GiST index on each listing's coordinates as a point, which
  ``resources.geo.within_radius`` asks for with a box around the circle (``point <@ box``).
  The B-tree on (latitude, longitude) can only narrow by latitude: a 25-mile band of
  latitude crosses the whole country.
- ``listing_name_id``: the admin's changelists and the search page's "Name, A to Z" order
  by name, then id; with the index a page of 100 is read, not 200,000 sorted.
- ``listing_region_status``: the admin's state and status filters; counting the published
  listings of one state went from a 240 ms scan to 1 ms.
"""

from django.db import migrations

from resources.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0005_history"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            sql=[
                "CREATE INDEX IF NOT EXISTS listing_point_gist ON resources_listing USING gist "
                "(point(longitude::double precision, latitude::double precision))",
                "CREATE INDEX IF NOT EXISTS listing_name_id ON resources_listing (name, id)",
                "CREATE INDEX IF NOT EXISTS listing_region_status "
                "ON resources_listing (region, status)",
            ],
            reverse_sql=[
                "DROP INDEX listing_region_status",
                "DROP INDEX listing_name_id",
                "DROP INDEX listing_point_gist",
            ],
        ),
    ]
