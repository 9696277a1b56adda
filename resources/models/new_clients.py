"""Whether a clinician or a treatment program is taking new clients, when that was last
confirmed and by whom, and the single-use links a curator sends a listing's contact so they
can confirm it themselves.

The first complaint about every national locator is places no longer taking people: the
answer is only worth something with its date. Past ``NEW_CLIENTS_FRESH_DAYS`` without a
confirmation, cards and pages tell people to call before they go.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "NEW_CLIENTS_FRESH_DAYS",
    "NEW_CLIENTS_LINK_DAYS",
    "NewClientsAnswer",
    "NewClientsConfirmer",
    "TakesNewClients",
    "NewClientsLink",
    "NewClientsLinkError",
]

# A confirmation older than this no longer counts: "call before you go".
NEW_CLIENTS_FRESH_DAYS = 30
# How long a confirmation link sent to a listing's contact can be used.
NEW_CLIENTS_LINK_DAYS = 14
LINK_SALT = "resources.new-clients-link"
# The history's reason when the listing's own contact answers through the link.
CONFIRMED_BY_CONTACT = "Confirmed by the listing's contact"


class NewClientsAnswer(models.TextChoices):
    TAKING = "taking", _("Yes, taking new clients")
    WAITLIST = "waitlist", _("Waiting list for new clients")
    NOT_TAKING = "not_taking", _("No, not taking new clients now")


class NewClientsConfirmer(models.TextChoices):
    CURATOR = "curator", _("a curator")
    CONTACT = "contact", _("the listing's own contact")


class TakesNewClients(models.Model):
    """The fields of a kind of listing that takes clients (Clinician, TreatmentProgram)."""

    accepting_new_clients = models.BooleanField(_("accepting new clients"), default=True)
    new_clients_waitlist = models.BooleanField(
        _("waiting list for new clients"),
        default=False,
        help_text=_("Not taking anyone now, but putting new clients on a waiting list."),
    )
    new_clients_confirmed_on = models.DateField(
        _("taking new clients confirmed on"),
        null=True,
        blank=True,
        help_text=_(
            "The day someone last confirmed whether it takes new clients. Past 30 days, its "
            "card says “call before you go”."
        ),
    )
    new_clients_confirmed_by = models.CharField(
        _("confirmed by"), max_length=10, choices=NewClientsConfirmer, blank=True, default=""
    )

    class Meta:
        abstract = True

    @classmethod
    def new_clients_constraints(cls, prefix):
        return [
            # A waiting list means not taking anyone straight away.
            models.CheckConstraint(
                condition=Q(new_clients_waitlist=False) | Q(accepting_new_clients=False),
                name=f"{prefix}_waitlist_not_accepting",
            ),
            models.CheckConstraint(
                condition=Q(new_clients_confirmed_by="")
                | Q(new_clients_confirmed_by__in=NewClientsConfirmer.values),
                name=f"{prefix}_new_clients_confirmer_valid",
            ),
        ]

    @property
    def takes_new_clients(self):
        """True for every kind with these fields: templates ask this of any listing."""
        return True

    @property
    def new_clients_answer(self):
        if self.accepting_new_clients:
            return NewClientsAnswer.TAKING
        if self.new_clients_waitlist:
            return NewClientsAnswer.WAITLIST
        return NewClientsAnswer.NOT_TAKING

    @property
    def new_clients_fact(self):
        """What a card's key facts say: "Taking new clients", "Waiting list for new clients"."""
        return {
            NewClientsAnswer.TAKING: _("Taking new clients"),
            NewClientsAnswer.WAITLIST: _("Waiting list for new clients"),
            NewClientsAnswer.NOT_TAKING: _("Not taking new clients now"),
        }[self.new_clients_answer]

    @property
    def new_clients_fresh_days(self):
        return NEW_CLIENTS_FRESH_DAYS

    @property
    def new_clients_is_fresh(self):
        """Confirmed within the last NEW_CLIENTS_FRESH_DAYS days."""
        if self.new_clients_confirmed_on is None:
            return False
        age = timezone.localdate() - self.new_clients_confirmed_on
        return age.days <= NEW_CLIENTS_FRESH_DAYS

    def set_new_clients(self, answer, confirmed_by, on=None):
        """Record an answer and who gave it; the caller saves (so history keeps it)."""
        answer = NewClientsAnswer(answer)
        self.accepting_new_clients = answer == NewClientsAnswer.TAKING
        self.new_clients_waitlist = answer == NewClientsAnswer.WAITLIST
        self.new_clients_confirmed_on = on or timezone.localdate()
        self.new_clients_confirmed_by = confirmed_by


class NewClientsLinkError(Exception):
    """A confirmation link that cannot be used; ``reason`` says why: "bad", "expired",
    "used" (and then ``link`` is the used one)."""

    def __init__(self, reason, link=None):
        super().__init__(reason)
        self.reason, self.link = reason, link


def _new_nonce():
    return secrets.token_urlsafe(18)


class NewClientsLink(models.Model):
    """A link a curator sends a listing's contact to ask "are you taking new clients?".

    Good once, for ``NEW_CLIENTS_LINK_DAYS`` days. The address carries the nonce signed with
    the site's secret key (``django.core.signing``), so a made-up address is refused before
    the database is asked; the row says when it was used and what was answered.
    """

    listing = models.ForeignKey(
        "resources.Listing",
        verbose_name=_("listing"),
        on_delete=models.CASCADE,
        related_name="new_clients_links",
    )
    nonce = models.CharField(max_length=32, unique=True, default=_new_nonce, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=10, choices=NewClientsAnswer, blank=True, default=""
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("new-clients confirmation link")
        verbose_name_plural = _("new-clients confirmation links")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True, answer="")
                | Q(used_at__isnull=False, answer__in=NewClientsAnswer.values),
                name="new_clients_link_used_has_answer",
            ),
        ]

    def __str__(self):
        return f"{self.listing}: {self.created_at:%Y-%m-%d}"

    @property
    def token(self):
        return signing.Signer(salt=LINK_SALT).sign(self.nonce)

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=NEW_CLIENTS_LINK_DAYS)

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_live(self):
        return self.used_at is None and not self.is_expired

    @classmethod
    def from_token(cls, token):
        """The usable link a token names; NewClientsLinkError says why not."""
        try:
            nonce = signing.Signer(salt=LINK_SALT).unsign(token)
        except signing.BadSignature:
            raise NewClientsLinkError("bad") from None
        link = cls.objects.select_related("listing").filter(nonce=nonce).first()
        if link is None:
            raise NewClientsLinkError("bad")
        if link.used_at is not None:
            raise NewClientsLinkError("used", link)
        if link.is_expired:
            raise NewClientsLinkError("expired", link)
        return link

    @transaction.atomic
    def use(self, answer):
        """Record the contact's answer on the listing, with history; good once.

        The row is claimed by one UPDATE, so two answers sent at the same moment cannot
        both count.
        """
        claimed = NewClientsLink.objects.filter(pk=self.pk, used_at__isnull=True).update(
            used_at=timezone.now(), answer=answer
        )
        if not claimed:
            raise NewClientsLinkError("used", self)
        listing = self.listing.specific
        listing.set_new_clients(answer, NewClientsConfirmer.CONTACT)
        listing._change_reason = CONFIRMED_BY_CONTACT
        listing.save()
        self.refresh_from_db()
        return listing
