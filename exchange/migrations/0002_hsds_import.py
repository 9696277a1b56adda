"""HSDS sources: the HSDS format, each source's ids of what it brought (ExternalRecord), the
HSDS term mappings, which the Curators group may view, add and change
(moderation/curators.py)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import exchange.models
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
        ("exchange", "0001_initial"),
        ("resources", "0010_taking_new_clients"),
        ("moderation", "0002_curators_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalsource",
            name="format",
            field=models.CharField(
                choices=[
                    ("meeting_guide", "Meeting Guide JSON"),
                    ("bmlt", "BMLT semantic JSON (GetSearchResults)"),
                    ("hsds", "HSDS 3.0 API (Open Referral)"),
                ],
                max_length=20,
                verbose_name="format",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="format",
            field=models.CharField(
                choices=[
                    ("meeting_guide", "Meeting Guide JSON"),
                    ("bmlt", "BMLT semantic JSON (GetSearchResults)"),
                    ("hsds", "HSDS 3.0 API (Open Referral)"),
                ],
                max_length=20,
                verbose_name="format",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalHsdsTermMapping",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "taxonomy",
                    models.CharField(
                        blank=True,
                        help_text="The HSDS taxonomy's name (AIRS/211 LA…); blank for a term of any taxonomy.",
                        max_length=200,
                        verbose_name="taxonomy",
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="The taxonomy term's code or its name, as the source writes it (any case).",
                        max_length=200,
                        verbose_name="term code or name",
                    ),
                ),
                (
                    "target",
                    models.CharField(
                        choices=exchange.models.mapping_targets,
                        max_length=32,
                        verbose_name="becomes",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="The term's code in that vocabulary (e.g. detox), or for a kind of listing the kind, with its detail after a colon: treatment_program, clinician:therapist, helpline:hotline, community_resource:family_support, sober_living_home:all.",
                        max_length=60,
                        verbose_name="code",
                    ),
                ),
                ("notes", models.CharField(blank=True, max_length=300, verbose_name="notes")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical HSDS term mapping",
                "verbose_name_plural": "historical HSDS term mappings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HsdsTermMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "taxonomy",
                    models.CharField(
                        blank=True,
                        help_text="The HSDS taxonomy's name (AIRS/211 LA…); blank for a term of any taxonomy.",
                        max_length=200,
                        verbose_name="taxonomy",
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="The taxonomy term's code or its name, as the source writes it (any case).",
                        max_length=200,
                        verbose_name="term code or name",
                    ),
                ),
                (
                    "target",
                    models.CharField(
                        choices=exchange.models.mapping_targets,
                        max_length=32,
                        verbose_name="becomes",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="The term's code in that vocabulary (e.g. detox), or for a kind of listing the kind, with its detail after a colon: treatment_program, clinician:therapist, helpline:hotline, community_resource:family_support, sober_living_home:all.",
                        max_length=60,
                        verbose_name="code",
                    ),
                ),
                ("notes", models.CharField(blank=True, max_length=300, verbose_name="notes")),
            ],
            options={
                "verbose_name": "HSDS term mapping",
                "verbose_name_plural": "HSDS term mappings",
                "ordering": ["taxonomy", "term"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("taxonomy", "term"), name="hsds_term_mapping_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ExternalRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_label", models.CharField(max_length=200, verbose_name="source label")),
                ("table", models.CharField(max_length=40, verbose_name="table")),
                ("external_id", models.CharField(max_length=200, verbose_name="id in the source")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "listing",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="external_records",
                        to="resources.listing",
                        verbose_name="listing",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="external_records",
                        to="resources.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "record from a source",
                "verbose_name_plural": "records from sources",
                "ordering": ["source_label", "table", "external_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source_label", "table", "external_id"),
                        name="external_record_unique",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("listing__isnull", False), ("organization__isnull", True)),
                            models.Q(("listing__isnull", True), ("organization__isnull", False)),
                            _connector="OR",
                        ),
                        name="external_record_one_target",
                    ),
                ],
            },
        ),
        migrations.RunPython(sync_group, migrations.RunPython.noop),
    ]
