"""The Curators group may view, add and change guides, never delete one
(moderation/curators.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from moderation.curators import sync_curators_group


def sync_group(apps, schema_editor):
    # As in moderation's 0002: on a fresh database permissions are made only after every
    # migration (post_migrate), so make those of the new model now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_curators_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0001_initial"),
        ("moderation", "0002_curators_group"),
    ]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
