"""Meetings carry the source that imported them and that source's slug (issue 14).

Imported meetings so far are those of groups with a source label: they take that label and
their own slug, as the source's slug (the importer matched them by it).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_sources(apps, schema_editor):
    Meeting = apps.get_model("groups", "Meeting")
    Listing = apps.get_model("resources", "Listing")
    group_source = Listing.objects.filter(pk=OuterRef("group_id")).values("source")[:1]
    imported = Meeting.objects.exclude(group__source="")
    imported.update(source=Subquery(group_source), source_slug=models.F("slug"))


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0006_offers_online_says_online_or_video"),
        ("resources", "0008_offers_online_says_online_or_video"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmeeting",
            name="source",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="The import that brings this meeting; blank when curators made it.",
                max_length=200,
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="source_slug",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=220,
                verbose_name="slug in the source",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="source",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="The import that brings this meeting; blank when curators made it.",
                max_length=200,
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="source_slug",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=220,
                verbose_name="slug in the source",
            ),
        ),
        migrations.RunPython(fill_sources, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", ""), _negated=True),
                fields=("source", "source_slug"),
                name="meeting_source_slug_unique",
            ),
        ),
    ]
