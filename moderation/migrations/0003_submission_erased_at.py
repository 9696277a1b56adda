"""When a submitter's details were erased (``erased_at``); an erased suggestion may have
no name, and only a decided submission is erased. See README "Keeping what people send"."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_scale_indexes"),
        ("moderation", "0002_curators_group"),
        ("resources", "0007_admin_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="submission",
            name="submission_kind_fields",
        ),
        migrations.AddField(
            model_name="submission",
            name="erased_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When what the submitter wrote was erased, by the daily purge or by a superuser. The decision is kept.",
                null=True,
                verbose_name="submitter's details erased",
            ),
        ),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("kind", "report"),
                        ("listing_kind", ""),
                        models.Q(("problem_type", ""), _negated=True),
                    ),
                    models.Q(
                        ("kind", "suggestion"),
                        ("problem_type", ""),
                        models.Q(("listing_kind", ""), _negated=True),
                        models.Q(
                            models.Q(("name", ""), _negated=True),
                            ("erased_at__isnull", False),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="submission_kind_fields",
            ),
        ),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("erased_at__isnull", True),
                    models.Q(("status", "open"), _negated=True),
                    _connector="OR",
                ),
                name="submission_erased_when_decided",
            ),
        ),
    ]
