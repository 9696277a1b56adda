"""The typed kinds of listing, each adding its own fields to the shared Listing base.

Each kind also says what only it has to say: its search words, the phrase and the key
facts a search result shows (see ``Listing``). SupportGroup, the sixth kind, lives in the
groups app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from resources.models.common import ListingKind
from resources.models.listing import Listing, listing_history
from resources.models.new_clients import TakesNewClients
from resources.vocabularies import Vocabulary

__all__ = [
    "ClinicianRole",
    "Clinician",
    "TreatmentProgram",
    "SoberHomeServes",
    "SoberHomeCertification",
    "SoberLivingHome",
    "HelplineType",
    "ServiceScope",
    "Helpline",
    "CommunityResourceType",
    "CommunityResource",
]


class ClinicianRole(models.TextChoices):
    ADDICTION_MEDICINE = "addiction_medicine", _("Physician or addiction medicine")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    THERAPIST = "therapist", _("Therapist or counselor")
    SOCIAL_WORKER = "social_worker", _("Social worker or case manager")
    PEER_SPECIALIST = "peer_specialist", _("Peer recovery specialist")


class Clinician(Listing, TakesNewClients):
    """An individual professional."""

    KIND = ListingKind.CLINICIAN

    role = models.CharField(_("role"), max_length=32, choices=ClinicianRole)
    credentials = models.CharField(
        _("credentials"),
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "Licences and degrees as the clinician writes them, for example MD, LCSW, CADC."
        ),
    )

    vocabularies = (
        *Listing.vocabularies,
        Vocabulary.THERAPY_APPROACH,
        Vocabulary.MEDICATION,
    )

    history = listing_history()

    class Meta:
        verbose_name = _("doctor, therapist or counselor")
        verbose_name_plural = _("doctors, therapists and counselors")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=ClinicianRole.values), name="clinician_role_valid"
            ),
            *TakesNewClients.new_clients_constraints("clinician"),
        ]

    def search_words(self):
        return [self.get_role_display()], [self.credentials]

    def kind_phrase(self):
        return self.get_role_display()

    def kind_facts(self):
        return [str(self.new_clients_fact)]


class TreatmentProgram(Listing, TakesNewClients):
    """A clinic, hospital unit or residential program offering treatment."""

    KIND = ListingKind.TREATMENT_PROGRAM

    is_opioid_treatment_program = models.BooleanField(
        _("opioid treatment program (OTP)"),
        default=False,
        help_text=_("Certified to dispense methadone (a “methadone clinic”)."),
    )
    license_number = models.CharField(
        _("state licence number"), max_length=60, blank=True, default=""
    )

    vocabularies = (
        *Listing.vocabularies,
        Vocabulary.LEVEL_OF_CARE,
        Vocabulary.MEDICATION,
        Vocabulary.THERAPY_APPROACH,
        Vocabulary.ACCREDITATION,
    )

    history = listing_history()

    class Meta:
        verbose_name = _("treatment program")
        verbose_name_plural = _("treatment programs")
        constraints = [*TakesNewClients.new_clients_constraints("treatment_program")]

    def search_words(self):
        if self.is_opioid_treatment_program:
            return ["opioid treatment program (OTP)", "methadone clinic"], []
        return [], []

    def kind_phrase(self):
        if self.is_opioid_treatment_program:
            return gettext("Treatment program and methadone clinic")
        return gettext("Treatment program")


class SoberHomeServes(models.TextChoices):
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    ALL = "all", _("All genders")


class SoberHomeCertification(models.TextChoices):
    NONE = "none", _("Not certified")
    NARR_1 = "narr_1", _("NARR Level I (peer-run)")
    NARR_2 = "narr_2", _("NARR Level II (monitored)")
    NARR_3 = "narr_3", _("NARR Level III (supervised)")
    NARR_4 = "narr_4", _("NARR Level IV (service provider)")
    STATE = "state", _("State certified")


class SoberLivingHome(Listing):
    """A recovery residence. Many publish only their town, so the precision flag matters."""

    KIND = ListingKind.SOBER_LIVING_HOME

    serves = models.CharField(_("serves"), max_length=8, choices=SoberHomeServes)
    beds_total = models.PositiveSmallIntegerField(_("beds in total"), null=True, blank=True)
    beds_available = models.PositiveSmallIntegerField(_("beds available"), null=True, blank=True)
    beds_updated_on = models.DateField(
        _("beds last updated on"),
        null=True,
        blank=True,
        help_text=_("Available beds change weekly; say when the number was last checked."),
    )
    certification = models.CharField(
        _("certification"),
        max_length=8,
        choices=SoberHomeCertification,
        default=SoberHomeCertification.NONE,
    )
    certifying_body = models.CharField(
        _("certifying body"),
        max_length=120,
        blank=True,
        default="",
        help_text=_("For example the state NARR affiliate or the state agency."),
    )
    allows_medication = models.BooleanField(
        _("welcomes residents on medication for addiction treatment"), default=False
    )
    weekly_cost = models.DecimalField(
        _("weekly cost (USD)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    history = listing_history()

    class Meta:
        verbose_name = _("sober living home")
        verbose_name_plural = _("sober living homes")
        constraints = [
            models.CheckConstraint(
                condition=Q(serves__in=SoberHomeServes.values), name="sober_home_serves_valid"
            ),
            models.CheckConstraint(
                condition=Q(certification__in=SoberHomeCertification.values),
                name="sober_home_certification_valid",
            ),
            models.CheckConstraint(
                condition=Q(beds_available__isnull=True)
                | Q(beds_total__isnull=False, beds_available__lte=models.F("beds_total")),
                name="sober_home_available_within_total",
            ),
            models.CheckConstraint(
                condition=Q(beds_available__isnull=True) | Q(beds_updated_on__isnull=False),
                name="sober_home_available_has_date",
            ),
            models.CheckConstraint(
                condition=Q(weekly_cost__isnull=True) | Q(weekly_cost__gte=0),
                name="sober_home_weekly_cost_not_negative",
            ),
        ]

    def search_words(self):
        facts = [f"serves {self.get_serves_display()}", self.certifying_body]
        if self.certification != SoberHomeCertification.NONE:
            facts.append(self.get_certification_display())
        if self.allows_medication:
            facts.append(self._meta.get_field("allows_medication").verbose_name)
        return [], facts

    def kind_phrase(self):
        return gettext("Sober living home for %(who)s") % {"who": self.get_serves_display().lower()}

    def kind_facts(self):
        """The open beds, as of when they were counted."""
        if self.beds_available is None:
            return []
        when = dateformat.format(self.beds_updated_on, gettext("M j"))
        if not self.beds_available:
            return [gettext("No open beds on %(when)s") % {"when": when}]
        return [
            ngettext(
                "%(n)s open bed on %(when)s", "%(n)s open beds on %(when)s", self.beds_available
            )
            % {"n": self.beds_available, "when": when}
        ]

    def clean(self):
        super().clean()
        if self.beds_available is not None:
            if self.beds_total is None or self.beds_available > self.beds_total:
                raise ValidationError(
                    {"beds_available": _("Available beds cannot be more than the beds in total.")}
                )
            if self.beds_updated_on is None:
                raise ValidationError(
                    {"beds_updated_on": _("Say when the number of available beds was checked.")}
                )


class HelplineType(models.TextChoices):
    HOTLINE = "hotline", _("Phone hotline")
    TEXT_LINE = "text_line", _("Text line")
    CHAT = "chat", _("Online chat")
    WEBSITE = "website", _("Website")
    FORUM = "forum", _("Online forum or community")
    APP = "app", _("App")


class ServiceScope(models.TextChoices):
    NATIONAL = "national", _("National")
    STATE = "state", _("Statewide")
    LOCAL = "local", _("Local")


class Helpline(Listing):
    """A hotline, text line, chat or online resource people reach from anywhere in its area."""

    KIND = ListingKind.HELPLINE

    helpline_type = models.CharField(_("type"), max_length=16, choices=HelplineType)
    chat_url = models.URLField(_("chat link"), blank=True, default="")
    scope = models.CharField(
        _("area served"),
        max_length=10,
        choices=ServiceScope,
        default=ServiceScope.NATIONAL,
        help_text=_("For statewide or local services, fill in the state (and city) above."),
    )

    history = listing_history()

    class Meta:
        verbose_name = _("helpline or online resource")
        verbose_name_plural = _("helplines and online resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(helpline_type__in=HelplineType.values), name="helpline_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=ServiceScope.values), name="helpline_scope_valid"
            ),
            models.CheckConstraint(
                condition=~Q(helpline_type=HelplineType.CHAT) | ~Q(chat_url=""),
                name="helpline_chat_has_link",
            ),
        ]

    def search_words(self):
        return [self.get_helpline_type_display()], [self.get_scope_display()]

    def kind_phrase(self):
        return self.get_helpline_type_display()

    def clean(self):
        super().clean()
        if self.scope != ServiceScope.NATIONAL and not self.region:
            raise ValidationError(
                {"region": _("Say which state a statewide or local service serves.")}
            )
        if self.helpline_type == HelplineType.HOTLINE and not self.phone:
            raise ValidationError({"phone": _("A hotline needs its phone number.")})
        if self.helpline_type == HelplineType.TEXT_LINE and not self.sms:
            raise ValidationError({"sms": _("A text line needs the number to text.")})


class CommunityResourceType(models.TextChoices):
    FAITH = "faith", _("Faith or spiritual community")
    VOCATIONAL = "vocational", _("Jobs and vocational training")
    EDUCATION = "education", _("Education")
    WELLNESS = "wellness", _("Wellness and holistic (mindfulness, yoga, exercise, nutrition)")
    RECREATION = "recreation", _("Sober recreation")
    VOLUNTEERING = "volunteering", _("Volunteering")
    FAMILY_SUPPORT = "family_support", _("Family support services")
    LEGAL_FINANCIAL = "legal_financial", _("Legal or financial aid")
    RECOVERY_CENTER = "recovery_center", _("Recovery community center")


class CommunityResource(Listing):
    """Support around recovery that is not treatment: work, faith, wellness, family, law…"""

    KIND = ListingKind.COMMUNITY_RESOURCE

    resource_type = models.CharField(_("type"), max_length=20, choices=CommunityResourceType)

    history = listing_history()

    class Meta:
        verbose_name = _("community resource")
        verbose_name_plural = _("community resources")
        constraints = [
            models.CheckConstraint(
                condition=Q(resource_type__in=CommunityResourceType.values),
                name="community_resource_type_valid",
            ),
        ]

    def search_words(self):
        return [self.get_resource_type_display()], []

    def kind_phrase(self):
        return self.get_resource_type_display()
