"""The delivery label "online or telehealth" becomes "online or video", the words the search
filters, the results and the listing pages use (Listing.delivery_label). No column changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0007_admin_search_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalclinician",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
        migrations.AlterField(
            model_name="historicalcommunityresource",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
        migrations.AlterField(
            model_name="historicalhelpline",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
        migrations.AlterField(
            model_name="historicalsoberlivinghome",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
        migrations.AlterField(
            model_name="historicaltreatmentprogram",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
        migrations.AlterField(
            model_name="listing",
            name="offers_online",
            field=models.BooleanField(default=False, verbose_name="online or video"),
        ),
    ]
