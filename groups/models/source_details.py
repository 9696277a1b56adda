"""What a meeting's source publishes about it beyond when and where: its own page, where to
send feedback, the 7th-tradition links, the service entity and the regions it files it under.

They sit on the meeting, not on its group or place, because that is where every source puts
them (one Meeting Guide row, one BMLT row per meeting): a group's meetings may be filed
under different regions or districts, and a place may be shared by the meetings of
several sources (``exchange.places_and_groups``), so a region or an entity stored on it
would flip from one source's value to another's on each import. Stored on the meeting,
each import compares and writes them with the meeting, in the same bulk update.
"""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SourceDetails", "SOURCE_DETAIL_FIELDS"]


class SourceDetails(models.Model):
    source_url = models.URLField(
        _("page at the source"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("The meeting's own page on the website of the source that lists it."),
    )
    source_updated = models.DateTimeField(
        _("updated at the source"),
        null=True,
        blank=True,
        help_text=_("When the source last changed the meeting, as its feed says."),
    )
    regions = models.JSONField(
        _("regions"),
        default=list,
        blank=True,
        help_text=_("The source's regions, from the widest to the narrowest: Chicago, North Side."),
    )
    district = models.CharField(_("district"), max_length=200, blank=True, default="")
    location_notes = models.CharField(
        _("where notes"),
        max_length=300,
        blank=True,
        default="",
        help_text=_(
            "Notes on where the meeting is, for a meeting without a place (an online one): "
            "those of a place are its directions."
        ),
    )
    feedback_url = models.URLField(
        _("feedback page"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Where to tell the source that the listing is wrong."),
    )
    feedback_emails = models.JSONField(_("feedback e-mail addresses"), default=list, blank=True)
    venmo = models.CharField(
        _("Venmo"), max_length=100, blank=True, default="", help_text=_("For example @AnyGroup.")
    )
    paypal = models.CharField(
        _("PayPal"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("A PayPal.me name, for example AnyGroup."),
    )
    square = models.CharField(
        _("Cash App"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("A cashtag, for example $AnyGroup."),
    )
    entity = models.CharField(
        _("service entity"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("The intergroup, area or office that keeps this listing."),
    )
    entity_email = models.EmailField(_("service entity e-mail"), blank=True, default="")
    entity_phone = models.CharField(
        _("service entity phone"), max_length=60, blank=True, default=""
    )
    entity_location = models.CharField(
        _("service entity area"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("The area it serves: “Serving the Springfield area”."),
    )
    entity_url = models.URLField(
        _("service entity website"), max_length=500, blank=True, default=""
    )
    # Kept so our feed passes it on; never shown on our pages (no image from other sites).
    entity_logo = models.URLField(_("service entity logo"), max_length=500, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def region_names(self):
        """ "Chicago › North Side": the regions, widest first, as one line."""
        return " › ".join(self.regions or [])

    @property
    def source_site(self):
        """ "aa-example.org": the site of the source's page, as people say it."""
        host = urlsplit(self.source_url).hostname or ""
        return host.removeprefix("www.")

    @property
    def tradition_links(self):
        """[(service, handle, web address)] of the 7th-tradition handles the source gave."""
        links = []
        if self.venmo:
            links.append(("Venmo", self.venmo, f"https://venmo.com/u/{self.venmo.lstrip('@')}"))
        if self.paypal:
            links.append(("PayPal", self.paypal, f"https://www.paypal.me/{self.paypal}"))
        if self.square:
            tag = self.square.lstrip("$")
            links.append(("Cash App", f"${tag}", f"https://cash.app/${tag}"))
        return links


SOURCE_DETAIL_FIELDS = [field.name for field in SourceDetails._meta.local_fields]
