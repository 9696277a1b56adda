"""The delivery label "online or telehealth" becomes "online or video", the words the search
filters, the results and the listing pages use (Listing.delivery_label). No column changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0005_meeting_archived_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalsupportgroup",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
    ]
