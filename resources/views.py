from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from groups.models import Fellowship, Meeting
from resources.models import Listing, ListingKind

# Each kind of support in the plain words the home page and breadcrumbs use.
KIND_NAMES = {
    ListingKind.CLINICIAN: _("Doctors, therapists and counselors"),
    ListingKind.TREATMENT_PROGRAM: _("Treatment programs"),
    ListingKind.SOBER_LIVING_HOME: _("Sober living homes"),
    ListingKind.HELPLINE: _("Hotlines and online help"),
    ListingKind.COMMUNITY_RESOURCE: _("Community resources"),
    ListingKind.SUPPORT_GROUP: _("Peer support groups"),
}
KIND_DESCRIPTIONS = {
    ListingKind.CLINICIAN: _(
        "Professionals who treat addiction, including doctors who can prescribe medication."
    ),
    ListingKind.TREATMENT_PROGRAM: _(
        "Detox, outpatient and residential programs, and methadone clinics."
    ),
    ListingKind.SOBER_LIVING_HOME: _(
        "Shared, alcohol- and drug-free homes for people in recovery."
    ),
    ListingKind.HELPLINE: _("People to call, text or chat with, wherever you are."),
    ListingKind.COMMUNITY_RESOURCE: _(
        "Recovery centers, work and training, faith, wellness, family and legal help."
    ),
    ListingKind.SUPPORT_GROUP: _(
        "Free meetings led by people in recovery, and groups for family and friends."
    ),
}


def home(request):
    counts = Listing.objects.published().counts_by_kind()
    kinds = [
        {
            "kind": kind,
            "name": name,
            "description": KIND_DESCRIPTIONS[kind],
            "count": counts.get(kind, 0),
        }
        for kind, name in KIND_NAMES.items()
    ]
    context = {
        "kinds": kinds,
        "meeting_count": Meeting.objects.listed().count(),
        "fellowship_count": Fellowship.objects.count(),
    }
    return render(request, "resources/home.html", context)


class ListingDetailView(DetailView):
    template_name = "resources/listing_detail.html"
    context_object_name = "listing"

    def get_queryset(self):
        meetings = Meeting.objects.active().select_related("place").prefetch_related("types")
        return (
            Listing.objects.published()
            .with_kind_details()
            .select_related("supportgroup__fellowship")
            .prefetch_related(
                "terms",
                "opening_hours",
                Prefetch("supportgroup__meetings", queryset=meetings),
            )
        )

    def get_context_data(self, **kwargs):
        listing = self.object
        return super().get_context_data(
            specific=listing.specific, kind_name=KIND_NAMES[listing.kind], **kwargs
        )
