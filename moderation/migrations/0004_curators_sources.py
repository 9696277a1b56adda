"""The Curators group may add, change and view the sources that sync themselves, read
their runs and approve or reject a held run (moderation/curators.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from moderation.curators import sync_curators_group


def sync_group(apps, schema_editor):
    # As in 0002: on a fresh database permissions are made only after every migration
    # (post_migrate), so make those of the new models now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_curators_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_submission_erased_at"),
        ("exchange", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
