"""What the public sends: suggestions of new resources and reports of problems with a listing
or a meeting, and visitors' "yes, the number worked" (counted by day, nothing else kept).
Nothing here is public but those counts' last date: curators read each submission in the
admin and decide.

The submitter's IP address is never stored (the rate limit keeps only a keyed hash of it in
the cache, for an hour); the optional follow-up email is shown to curators only.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship, Meeting
from resources.models import Listing, ListingKind

# Letters and digits people cannot mix up when reading one out over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "RS-"
REFERENCE_LENGTH = 6
# A reference as it appears in URLs and on the thank-you page: RS-7K3P9Q.
REFERENCE_PATTERN = rf"{REFERENCE_PREFIX}[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}"


def new_reference():
    """A short reference nobody can guess: 31⁶ (about 887 million) possibilities."""
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


class SubmissionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggested new resource")
    REPORT = "report", _("Problem report")


class ProblemType(models.TextChoices):
    CLOSED = "closed", _("It has closed or moved")
    WRONG_PHONE = "wrong_phone", _("The phone number is wrong")
    WRONG_ADDRESS = "wrong_address", _("The address is wrong")
    DID_NOT_HAPPEN = "did_not_happen", _("The meeting did not happen")
    OTHER = "other", _("Something else")


# Which problems people can report about a listing, and about a meeting.
LISTING_PROBLEMS = [
    ProblemType.CLOSED,
    ProblemType.WRONG_PHONE,
    ProblemType.WRONG_ADDRESS,
    ProblemType.OTHER,
]
MEETING_PROBLEMS = [
    ProblemType.DID_NOT_HAPPEN,
    ProblemType.CLOSED,
    ProblemType.WRONG_ADDRESS,
    ProblemType.OTHER,
]

# Open reports of these problems put a notice on the page until a curator decides.
LISTING_NOTICE_PROBLEMS = [ProblemType.CLOSED]
MEETING_NOTICE_PROBLEMS = [ProblemType.CLOSED, ProblemType.DID_NOT_HAPPEN]


class SubmissionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Everything the submitter typed: their follow-up email, and the names, contact details and
# free text they proposed. Erased once no longer needed (README: "Keeping what people send");
# the decision, the reference, what it was about and who decided stay.
SUBMITTER_FIELDS = [
    "name",
    "phone",
    "website",
    "email",
    "address_line1",
    "city",
    "region",
    "postal_code",
    "offers",
    "details",
    "contact_email",
]


def retention_cutoff(now=None):
    """Submissions decided (or, if open, received) before this have been kept long enough."""
    return (now or timezone.now()) - timedelta(days=settings.SUBMISSION_RETENTION_DAYS)


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=SubmissionStatus.OPEN)

    def decided(self):
        return self.exclude(status=SubmissionStatus.OPEN)

    def due_for_erasure(self, now=None):
        """Decided more than SUBMISSION_RETENTION_DAYS ago, and not erased yet.

        Counted from the decision, not the arrival: until then a curator needs the details
        to decide, and for a while after to answer a follow-up question about it.
        """
        return self.decided().filter(decided_at__lt=retention_cutoff(now), erased_at__isnull=True)

    def contact_overdue(self, now=None):
        """Open for more than SUBMISSION_RETENTION_DAYS and still holding a follow-up email.

        An open submission keeps what it proposes, so a curator can still decide it, but
        nobody follows up after that long: the email goes.
        """
        return self.open().filter(created_at__lt=retention_cutoff(now)).exclude(contact_email="")

    def erase_submitter_details(self, now=None):
        """Blank what the submitter typed and record when; returns how many were erased.

        One UPDATE: the decision, reference and subject are not touched. Already erased
        rows are left as they are, so running it twice changes nothing.
        """
        blank = dict.fromkeys(SUBMITTER_FIELDS, "")
        return self.filter(erased_at__isnull=True).update(erased_at=now or timezone.now(), **blank)

    @transaction.atomic
    def erase_now(self, user, now=None):
        """A superuser's erasure: blank these submissions' details at once.

        An open one is closed first, rejected with a reason saying why, so that nobody
        approves a suggestion whose contents are gone. Returns how many were erased.
        """
        now = now or timezone.now()
        # The ids first: the caller's queryset may be filtered by status, which this changes.
        chosen = Submission.objects.filter(pk__in=list(self.values_list("pk", flat=True)))
        chosen.open().update(
            status=SubmissionStatus.REJECTED,
            decided_by=user,
            decided_at=now,
            rejection_reason=gettext("The submitter's details were erased before a decision."),
        )
        return chosen.erase_submitter_details(now)

    def open_notice_about_listing(self):
        """For ``Exists()``: an open "closed or moved" report on the outer listing."""
        return self.open().filter(listing=OuterRef("pk"), problem_type__in=LISTING_NOTICE_PROBLEMS)

    def open_notice_about_meeting(self):
        """For ``Exists()``: an open "did not happen" or "closed" report on the outer meeting."""
        return self.open().filter(meeting=OuterRef("pk"), problem_type__in=MEETING_NOTICE_PROBLEMS)


def with_pending_notice(queryset, about):
    """Annotate listings (``about="listing"``) or meetings with what moderation adds to
    their pages: ``has_pending_notice``, and ``last_visitor_yes``, the last day a visitor
    confirmed the phone number or the meeting (None if never).

    Subqueries inside the page's one query, so they cost the page no extra query.
    """
    reports = Submission.objects.all()
    reports = (
        reports.open_notice_about_listing()
        if about == "listing"
        else reports.open_notice_about_meeting()
    )
    yeses = VisitorConfirmation.objects.filter(**{about: OuterRef("pk")}, yes__gt=0)
    return queryset.annotate(
        has_pending_notice=Exists(reports),
        last_visitor_yes=Subquery(yeses.order_by("-day").values("day")[:1]),
    )


class Submission(models.Model):
    """One suggestion or problem report from the public, waiting for (or given) a decision."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SubmissionKind)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubmissionStatus,
        default=SubmissionStatus.OPEN,
        db_index=True,
    )

    # What a report is about (one of the two); kept, emptied, if that is ever deleted.
    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    problem_type = models.CharField(
        _("problem"), max_length=20, choices=ProblemType, blank=True, default=""
    )

    # Proposed values: the whole new listing for a suggestion, corrections for a report.
    listing_kind = models.CharField(
        _("kind of listing"), max_length=32, choices=ListingKind, blank=True, default=""
    )
    fellowship = models.ForeignKey(
        Fellowship,
        verbose_name=_("fellowship"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    website = models.URLField(_("website"), max_length=200, blank=True, default="")
    email = models.EmailField(_("email"), max_length=254, blank=True, default="")
    address_line1 = models.CharField(_("street address"), max_length=200, blank=True, default="")
    city = models.CharField(_("city or town"), max_length=100, blank=True, default="")
    region = models.CharField(_("state"), max_length=2, blank=True, default="")
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True, default="")
    offers = models.CharField(_("what it offers"), max_length=1000, blank=True, default="")
    details = models.CharField(_("details"), max_length=2000, blank=True, default="")

    contact_email = models.EmailField(
        _("submitter's email"),
        max_length=254,
        blank=True,
        default="",
        help_text=_("Only for following up with the person who wrote. Never shown publicly."),
    )

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejecting"), max_length=500, blank=True, default=""
    )
    created_listing = models.ForeignKey(
        Listing,
        verbose_name=_("draft listing created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    erased_at = models.DateTimeField(
        _("submitter's details erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When what the submitter wrote was erased, by the daily purge or by a superuser. "
            "The decision is kept."
        ),
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["status", "created_at"], name="submission_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SubmissionKind.values), name="submission_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(problem_type="") | Q(problem_type__in=ProblemType.values),
                name="submission_problem_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(listing_kind="") | Q(listing_kind__in=ListingKind.values),
                name="submission_listing_kind_valid",
            ),
            # A report says what is wrong; a suggestion says what to add (its name, until
            # the submitter's details are erased).
            models.CheckConstraint(
                condition=Q(kind=SubmissionKind.REPORT, listing_kind="") & ~Q(problem_type="")
                | Q(kind=SubmissionKind.SUGGESTION, problem_type="")
                & ~Q(listing_kind="")
                & (~Q(name="") | Q(erased_at__isnull=False)),
                name="submission_kind_fields",
            ),
            # Only a decided submission is erased: an open one still needs what it says.
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | ~Q(status=SubmissionStatus.OPEN),
                name="submission_erased_when_decided",
            ),
            # A report is about a listing or a meeting, never both.
            models.CheckConstraint(
                condition=Q(listing__isnull=True) | Q(meeting__isnull=True),
                name="submission_one_subject",
            ),
            # Decided means decided at a time; a rejection says why.
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.OPEN, decided_at__isnull=True)
                | Q(status=SubmissionStatus.APPROVED, decided_at__isnull=False)
                | Q(status=SubmissionStatus.REJECTED, decided_at__isnull=False)
                & ~Q(rejection_reason=""),
                name="submission_decision_complete",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.subject_name}"

    def save(self, *args, **kwargs):
        if self.reference:
            return super().save(*args, **kwargs)
        # A fresh reference is all but certain to be unused; if not, draw again.
        for attempt in range(5):
            self.reference = new_reference()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if attempt == 4 or not self._reference_taken():
                    raise
        return None

    @property
    def subject_name(self):
        """What the submission is about, in a few words."""
        if self.kind == SubmissionKind.SUGGESTION:
            return self.name or _("(details erased)")
        subject = self.listing or self.meeting
        return str(subject.name) if subject else _("(deleted)")

    @property
    def subject(self):
        return self.listing or self.meeting

    @property
    def is_open(self):
        return self.status == SubmissionStatus.OPEN

    @property
    def is_erased(self):
        return self.erased_at is not None

    def _reference_taken(self):
        return Submission.objects.filter(reference=self.reference).exists()


class VisitorConfirmationQuerySet(models.QuerySet):
    def about(self, subject):
        """The rows about a listing or a meeting."""
        if isinstance(subject, Meeting):
            return self.filter(meeting=subject)
        return self.filter(listing=subject)

    def last_yes(self, subject):
        """The last day a visitor said yes about ``subject``, or None."""
        return self.about(subject).filter(yes__gt=0).aggregate(last=Max("day"))["last"]

    def count_report(self, submission):
        """A report that the phone is wrong, or that the meeting did not happen, is a no."""
        if submission.listing_id and submission.problem_type == ProblemType.WRONG_PHONE:
            self.count_answer(submission.listing, worked=False)
        elif submission.meeting_id and submission.problem_type == ProblemType.DID_NOT_HAPPEN:
            self.count_answer(submission.meeting, worked=False)

    def count_answer(self, subject, worked, day=None):
        """Add one yes (``worked``) or one no to ``subject``'s row for the day."""
        day = day or timezone.localdate()
        column = "yes" if worked else "no"
        subject_field = "meeting" if isinstance(subject, Meeting) else "listing"
        rows = self.filter(**{subject_field: subject, "day": day})
        # Insert-or-add, safe when two answers arrive at once: the unique constraint lets
        # only one insert win, and the other adds to its row. Only the insert is saved with
        # signals, leaving kept pages behind: pages show the day, not the counts.
        if rows.update(**{column: F(column) + 1}):
            return
        try:
            with transaction.atomic():
                self.create(**{subject_field: subject, "day": day, column: 1})
        except IntegrityError:
            rows.update(**{column: F(column) + 1})


class VisitorConfirmation(models.Model):
    """How many visitors said, on one day, that a listing's phone number worked (or that a
    meeting happened), and how many said it did not.

    Only counts and a date: no time, no address, nothing about who answered, so one
    visitor's answer cannot be told from another's. A yes is sent from the listing's or the
    meeting's page; a no is counted when someone reports the phone wrong or the meeting not
    happening, which also puts the report in the moderation queue.
    """

    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visitor_confirmations",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visitor_confirmations",
    )
    day = models.DateField(_("day"))
    yes = models.PositiveIntegerField(_("said it worked"), default=0)
    no = models.PositiveIntegerField(_("said it did not"), default=0)

    objects = VisitorConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("visitor confirmation")
        verbose_name_plural = _("visitor confirmations")
        constraints = [
            models.CheckConstraint(
                condition=Q(listing__isnull=False, meeting__isnull=True)
                | Q(listing__isnull=True, meeting__isnull=False),
                name="visitor_confirmation_one_subject",
            ),
            models.UniqueConstraint(
                fields=["listing", "day"],
                condition=Q(listing__isnull=False),
                name="visitor_confirmation_listing_day",
            ),
            models.UniqueConstraint(
                fields=["meeting", "day"],
                condition=Q(meeting__isnull=False),
                name="visitor_confirmation_meeting_day",
            ),
        ]

    def __str__(self):
        subject = self.listing or self.meeting
        return f"{subject}, {self.day}: {self.yes} yes, {self.no} no"


class ListingCheckedByVisitors(Listing):
    """Listings as the admin's "visitor confirmations" list shows them (confirmations_admin):
    a proxy, so the list lives with the confirmations, above the listings' own admin."""

    class Meta:
        proxy = True
        verbose_name = _("listing confirmed by visitors")
        verbose_name_plural = _("visitor confirmations of listings")


class MeetingCheckedByVisitors(Meeting):
    """Meetings as the admin's "visitor confirmations" list shows them: whether visitors
    said the meeting happened (moderation.confirmations_admin)."""

    class Meta:
        proxy = True
        verbose_name = _("meeting confirmed by visitors")
        verbose_name_plural = _("visitor confirmations of meetings")
