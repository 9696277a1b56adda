"""Create the "Curators" group with exactly the permissions in moderation/curators.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from moderation.curators import CURATORS_GROUP, sync_curators_group


def create_curators_group(apps, schema_editor):
    # On a fresh database permissions are only made after every migration has run
    # (post_migrate): make them now so the group can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_curators_group(apps)


def remove_curators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("groups", "0003_history"),
        ("resources", "0005_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators_group, remove_curators_group)]
