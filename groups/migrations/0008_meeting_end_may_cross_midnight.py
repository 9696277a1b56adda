"""A meeting may end past midnight: an end before the start is the next day (issue 14)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0007_meeting_source"),
        ("resources", "0008_offers_online_says_online_or_video"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="meeting",
            name="meeting_ends_after_start",
        ),
        migrations.AlterField(
            model_name="historicalmeeting",
            name="end_time",
            field=models.TimeField(
                blank=True,
                help_text="An end before the start is the next day: 23:30 to 00:30.",
                null=True,
                verbose_name="ends",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="end_time",
            field=models.TimeField(
                blank=True,
                help_text="An end before the start is the next day: 23:30 to 00:30.",
                null=True,
                verbose_name="ends",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_time__isnull", True),
                    models.Q(("end_time", models.F("start_time")), _negated=True),
                    _connector="OR",
                ),
                name="meeting_end_differs_from_start",
            ),
        ),
    ]
