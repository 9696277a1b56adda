"""Meetings are archived by a curator (``archived_on``) rather than deleted; see README
"Archiving meetings"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmeeting",
            name="archived_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="Archived meetings are kept with their history but shown nowhere on the site. Use the actions “Archive” and “Restore”.",
                null=True,
                verbose_name="archived on",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="archived_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="Archived meetings are kept with their history but shown nowhere on the site. Use the actions “Archive” and “Restore”.",
                null=True,
                verbose_name="archived on",
            ),
        ),
    ]
