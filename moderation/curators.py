"""The "Curators" group: exactly the permissions needed to keep listings right and to decide
submissions, and nothing about users or groups (no ``auth`` permission at all).

The list lives here only; the data migration that creates the group reads it. If it changes,
add a migration that calls ``sync_curators_group`` again.
"""

CURATORS_GROUP = "Curators"

ALL = ("view", "add", "change", "delete")
NO_DELETE = ("view", "add", "change")
READ_AND_EDIT = ("view", "change")

# {app label: {model name: actions}}
CURATOR_PERMISSIONS = {
    "resources": {
        "clinician": ALL,
        "treatmentprogram": ALL,
        "soberlivinghome": ALL,
        "helpline": ALL,
        "communityresource": ALL,
        "openinghours": ALL,
        "organization": NO_DELETE,
        "listing": READ_AND_EDIT,
        "term": READ_AND_EDIT,
    },
    "groups": {
        "supportgroup": ALL,
        "meeting": ALL,
        "place": ALL,
        "fellowship": NO_DELETE,
    },
    "moderation": {
        "submission": READ_AND_EDIT,
        # What visitors confirmed is only read: their counts are never edited.
        "listingcheckedbyvisitors": ("view",),
        "meetingcheckedbyvisitors": ("view",),
    },
    # Curators add and fix the feeds the site syncs (never delete one: its runs are kept),
    # read every run's change report and approve or reject a held run.
    "exchange": {
        "source": NO_DELETE,
        "syncrun": ("view", "approve"),
        # What an HSDS source's taxonomy terms become here (the defaults are in the project).
        "hsdstermmapping": NO_DELETE,
    },
    # Guides are written and corrected, never deleted: a published one is archived.
    "guides": {
        "guide": NO_DELETE,
    },
}


def curator_permission_codes():
    """{(app label, codename)} of every permission the group must have."""
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in CURATOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def sync_curators_group(apps):
    """Create the group if needed and give it exactly the permissions above.

    ``apps`` is a migration's app registry (or ``django.apps.apps``).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # An earlier migration runs before later apps' models exist: it grants what exists then,
    # and the migration that adds a model to the list grants the rest.
    wanted = {
        (app_label, codename)
        for app_label, codename in curator_permission_codes()
        if _model_exists(apps, app_label, codename.split("_", 1)[1])
    }
    permissions = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in=CURATOR_PERMISSIONS,
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    found = {(p.content_type.app_label, p.codename) for p in permissions}
    if found != wanted:
        missing = ", ".join(sorted(f"{app}.{code}" for app, code in wanted - found))
        raise LookupError(f"Permissions missing for the Curators group: {missing}")
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    group.permissions.set(permissions)
    return group


def _model_exists(apps, app_label, model_name):
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True
