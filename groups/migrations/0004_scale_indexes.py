"""Indexes for the meeting finder and the Meeting Guide feed at national scale.

The model indexes (both databases):

- ``meeting_time_zone``: ``meeting_time_zones()`` reads the few distinct zones by jumping
  through it on PostgreSQL, instead of reading 100,000 meetings.
- ``meeting_day_place`` and ``meeting_day_group_no_place``: the finder near a place, on a
  day, looks up the meetings of the places and groups within the circle on that day (see
  ``MeetingQuerySet.near``), instead of every meeting of those places on every day.
- ``place_without_coordinates``: the (usually no) places ``near()`` measures from their
  group's address.

PostgreSQL only, created with SQL like ``resources/migrations/0006_scale_indexes.py`` (their
expressions and ``INCLUDE`` are not model indexes; SQLite migrates without them):

- ``place_point_gist`` and ``support_group_point_gist``: each place's and each support group's
  coordinates as a point, which ``geo.within_radius`` asks for with a box around the
  circle. They carry the id and the coordinates, so the places and groups within the circle
  are read from the index alone. The support groups' index is on ``resources_listing``
  (where their addresses are) but only over support groups, and serves only this app.
- ``place_city_upper`` and ``support_group_city_upper``: the feed's ``?region=``, a city
  compared without regard to case (``iexact``, ``UPPER(city) = UPPER(…)`` on PostgreSQL).
"""

from django.db import migrations, models

from resources.migration_operations import RunSQLOnPostgreSQL

POINT = "point(longitude::double precision, latitude::double precision)"


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_history"),
        ("resources", "0006_scale_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["time_zone"], name="meeting_time_zone"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["weekday", "place"], name="meeting_day_place"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                condition=models.Q(("place__isnull", True)),
                fields=["weekday", "group"],
                name="meeting_day_group_no_place",
            ),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(
                condition=models.Q(("latitude__isnull", True)),
                fields=["id"],
                name="place_without_coordinates",
            ),
        ),
        RunSQLOnPostgreSQL(
            sql=[
                f"CREATE INDEX IF NOT EXISTS place_point_gist ON groups_place USING gist "
                f"({POINT}) INCLUDE (id, latitude, longitude)",
                f"CREATE INDEX IF NOT EXISTS support_group_point_gist ON resources_listing "
                f"USING gist ({POINT}) INCLUDE (id, latitude, longitude) "
                f"WHERE kind = 'support_group'",
                "CREATE INDEX IF NOT EXISTS place_city_upper ON groups_place (UPPER(city::text))",
                "CREATE INDEX IF NOT EXISTS support_group_city_upper ON resources_listing "
                "(UPPER(city::text)) WHERE kind = 'support_group'",
            ],
            reverse_sql=[
                "DROP INDEX support_group_city_upper",
                "DROP INDEX place_city_upper",
                "DROP INDEX support_group_point_gist",
                "DROP INDEX place_point_gist",
            ],
        ),
    ]
