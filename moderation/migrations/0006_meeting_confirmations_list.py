"""Meetings confirmed by visitors get a read-only list in the admin, as listings have, and
the Curators group may read it (moderation/curators.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from moderation.curators import sync_curators_group


def sync_group(apps, schema_editor):
    # As in 0002: on a fresh database permissions are made only after every migration
    # (post_migrate), so make those of the new proxy now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_curators_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0009_meeting_source_details"),
        ("moderation", "0005_visitor_confirmations"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeetingCheckedByVisitors",
            fields=[],
            options={
                "verbose_name": "meeting confirmed by visitors",
                "verbose_name_plural": "visitor confirmations of meetings",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("groups.meeting",),
        ),
        migrations.RunPython(sync_group, migrations.RunPython.noop),
    ]
