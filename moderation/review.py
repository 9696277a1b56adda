"""What approving a submission would change, shown to the curator first, then applied.

The same ``Plan`` draws the side-by-side table in the admin and makes the change, so the
curator approves exactly what they saw. Every change is a plain ``.save()`` on the typed
object, so it is kept in the history with a change reason naming the reference.

What approval does:

- a suggestion: creates a draft listing of the suggested kind with the proposed values;
- "closed or moved" on a listing: archives it; on a meeting: marks it "no longer meets";
- "meeting did not happen": marks the meeting "temporarily closed";
- "wrong phone" / "wrong address": applies the corrected values that were given;
- "something else": changes nothing but the verification date.

Every approved report also marks the listing (for a meeting: its group) verified today.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groups.models import MeetingStatus
from moderation.models import (
    SUBMITTER_FIELDS,
    ProblemType,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from resources.models import (
    Address,
    ClinicianRole,
    CommunityResourceType,
    HelplineType,
    Listing,
    ListingKind,
    ListingStatus,
    LocationPrecision,
    SoberHomeServes,
    typed_listing_models,
)

# The parts of an address a visitor may correct: those a submission holds.
ADDRESS_FIELDS = [name for name in Address.ADDRESS_FIELDS if name in SUBMITTER_FIELDS]
EMPTY = "—"


class CannotApprove(Exception):
    """Approval cannot be applied; the message says why in plain words."""


class AlreadyDecided(CannotApprove):
    """Someone decided this submission first: it is never decided twice."""


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a field, its value now and after approval."""

    label: str
    current: str
    proposed: str

    @property
    def changed(self):
        return self.current != self.proposed


@dataclass
class Target:
    """One existing object approval would change, and how."""

    obj: models.Model
    label: str
    shown: list
    changes: dict = field(default_factory=dict)

    def rows(self):
        for name in self.shown:
            verbose = self.obj._meta.get_field(name).verbose_name
            current = getattr(self.obj, name)
            proposed = self.changes.get(name, current)
            yield Row(
                f"{self.label}: {verbose}",
                display(self.obj, name, current),
                display(self.obj, name, proposed),
            )


def display(obj, name, value):
    """A value as the curator reads it: choice labels, dates in words, a dash for nothing."""
    if value is None or value == "":
        return EMPTY
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return date_format(value)
    return str(value)


@dataclass
class Plan:
    targets: list
    rows: list
    warnings: list


def plan(submission):
    """What approving ``submission`` would change, as of now."""
    if submission.kind == SubmissionKind.SUGGESTION:
        return Plan([], suggestion_rows(submission), suggestion_warnings(submission))
    targets, warnings = report_targets(submission)
    rows = [row for target in targets for row in target.rows()]
    return Plan(targets, rows, warnings)


def _proposed_address(submission):
    return {name: getattr(submission, name) for name in ADDRESS_FIELDS if getattr(submission, name)}


def report_targets(submission):
    today = timezone.localdate()
    problem = submission.problem_type
    warnings = []
    if submission.listing_id:
        listing = submission.listing.specific
        changes = {"last_verified_on": today}
        if problem == ProblemType.CLOSED:
            changes["status"] = ListingStatus.ARCHIVED
        elif problem == ProblemType.WRONG_PHONE and submission.phone:
            changes["phone"] = submission.phone
        elif problem == ProblemType.WRONG_ADDRESS:
            changes.update(_proposed_address(submission))
        if set(changes) & set(ADDRESS_FIELDS) and listing.has_coordinates:
            warnings.append(_("The address changes: check the listing's latitude and longitude."))
        shown = ["name", "phone", *ADDRESS_FIELDS, "status", "last_verified_on"]
        return [Target(listing, _("Listing"), shown, changes)], warnings
    if submission.meeting_id:
        meeting = submission.meeting
        group = meeting.group
        meeting_changes = {}
        if problem == ProblemType.DID_NOT_HAPPEN:
            meeting_changes["status"] = MeetingStatus.TEMPORARILY_CLOSED
        elif problem == ProblemType.CLOSED:
            meeting_changes["status"] = MeetingStatus.INACTIVE
        targets = [Target(meeting, _("Meeting"), ["name", "weekday", "start_time", "status"])]
        targets[0].changes = meeting_changes
        group_changes = {"last_verified_on": today}
        if problem == ProblemType.WRONG_ADDRESS:
            address = _proposed_address(submission)
            if meeting.place_id:
                targets.append(
                    Target(meeting.place, _("Meeting place"), ["name", *ADDRESS_FIELDS], address)
                )
                warnings.append(
                    _("The meeting place changes for every meeting held there: check them.")
                )
            else:
                group_changes.update(address)
            if address:
                warnings.append(_("The address changes: check the latitude and longitude."))
        targets.append(
            Target(group, _("Group"), ["name", *ADDRESS_FIELDS, "last_verified_on"], group_changes)
        )
        return targets, warnings
    return [], [_("What this report was about has been deleted: approving changes nothing.")]


def suggestion_rows(submission):
    values = [
        (_("Kind of listing"), submission.get_listing_kind_display()),
        (_("Fellowship"), str(submission.fellowship) if submission.fellowship_id else ""),
        (_("Name"), submission.name),
        (_("Phone"), submission.phone),
        (_("Website"), submission.website),
        (_("Email"), submission.email),
        (_("Street address"), submission.address_line1),
        (_("City or town"), submission.city),
        (_("State"), submission.region),
        (_("ZIP code"), submission.postal_code),
        (_("Description (what it offers)"), submission.offers),
        (_("Status"), ListingStatus.DRAFT.label),
    ]
    return [Row(f"{_('New listing')}: {label}", EMPTY, value or EMPTY) for label, value in values]


def suggestion_warnings(submission):
    return [
        _(
            "A draft is created with a default for what the public form does not ask "
            "(role, type, who a home serves…): check every field before publishing."
        )
    ]


def _change_reason(submission):
    what = (
        _("suggestion")
        if submission.kind == SubmissionKind.SUGGESTION
        else submission.get_problem_type_display()
    )
    return f"{_('Approved')} {submission.reference} ({what})"[:100]


def _claim(submission, user, status, **fields):
    """Mark the submission decided, if nobody has yet: one conditional UPDATE, so two
    curators pressing at once can never both decide it."""
    decided = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.OPEN).update(
        status=status, decided_by=user, decided_at=timezone.now(), **fields
    )
    if not decided:
        raise AlreadyDecided


@transaction.atomic
def approve(submission, user):
    """Apply the plan, record the decision; returns the new draft listing for a suggestion."""
    _claim(submission, user, SubmissionStatus.APPROVED)
    reason = _change_reason(submission)
    created = None
    if submission.kind == SubmissionKind.SUGGESTION:
        created = create_draft(submission, reason)
        Submission.objects.filter(pk=submission.pk).update(created_listing=created)
    else:
        for target in plan(submission).targets:
            if not target.changes:
                continue
            for name, value in target.changes.items():
                setattr(target.obj, name, value)
            target.obj._change_reason = reason
            target.obj.save()
    submission.refresh_from_db()
    return created


@transaction.atomic
def reject(submission, user, reason):
    _claim(submission, user, SubmissionStatus.REJECTED, rejection_reason=reason)
    submission.refresh_from_db()


def unique_slug(name):
    base = slugify(name)[:200] or "listing"
    slug, number = base, 2
    while Listing.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def create_draft(submission, reason):
    """A draft listing of the suggested kind, filled with what the public gave."""
    kind = submission.listing_kind
    fields = {
        "name": submission.name,
        "slug": unique_slug(submission.name),
        "status": ListingStatus.DRAFT,
        "phone": submission.phone,
        "website": submission.website,
        "email": submission.email,
        "address_line1": submission.address_line1,
        "city": submission.city,
        "region": submission.region,
        "postal_code": submission.postal_code,
        "description": submission.offers,
        "source": f"{_('Public suggestion')} {submission.reference}"[:200],
    }
    # What the public form does not ask, each kind's required choice, gets its broadest value.
    if kind == ListingKind.CLINICIAN:
        fields["role"] = ClinicianRole.THERAPIST
    elif kind == ListingKind.SOBER_LIVING_HOME:
        fields["serves"] = SoberHomeServes.ALL
        # Homes usually publish only their town; a curator widens it if the home agrees.
        fields["location_precision"] = LocationPrecision.APPROXIMATE
    elif kind == ListingKind.HELPLINE:
        fields["helpline_type"] = HelplineType.HOTLINE if submission.phone else HelplineType.WEBSITE
        fields["offers_in_person"] = False
        fields["offers_phone"] = bool(submission.phone)
        fields["offers_online"] = bool(submission.website)
    elif kind == ListingKind.COMMUNITY_RESOURCE:
        fields["resource_type"] = CommunityResourceType.RECOVERY_CENTER
    elif kind == ListingKind.SUPPORT_GROUP:
        if submission.fellowship is None:
            raise CannotApprove(_("The suggested group has no fellowship: reject it instead."))
        fields["fellowship"] = submission.fellowship
    listing = typed_listing_models()[kind](**fields)
    listing._change_reason = reason
    listing.save()
    return listing
