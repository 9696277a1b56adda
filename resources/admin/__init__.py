"""The curators' admin for listings, organizations and vocabulary terms.

``base`` holds what every listing admin is built from (the groups app's admins too),
``actions`` the bulk actions, ``listings`` the admins of each kind, of all listings at
once and of organizations, ``vocabularies`` the terms' admin. All are registered here.
"""

from django.contrib import admin

from resources.admin.base import (
    HistoryAdmin,
    ListingTextInline,
    OpeningHoursInline,
    VerificationFilter,
    last_verified,
    listing_fieldsets,
    state_filter,
    term_filter,
)
from resources.admin.listings import (
    ClinicianAdmin,
    CommunityResourceAdmin,
    HelplineAdmin,
    ListingAdmin,
    OrganizationAdmin,
    SoberLivingHomeAdmin,
    TreatmentProgramAdmin,
    TypedListingAdmin,
)
from resources.admin.vocabularies import TermAdmin
from resources.models import (
    Clinician,
    CommunityResource,
    Helpline,
    Listing,
    Organization,
    SoberLivingHome,
    Term,
    TreatmentProgram,
)

__all__ = [
    "HistoryAdmin",
    "ListingTextInline",
    "OpeningHoursInline",
    "VerificationFilter",
    "last_verified",
    "listing_fieldsets",
    "state_filter",
    "term_filter",
    "TypedListingAdmin",
]

admin.site.register(Clinician, ClinicianAdmin)
admin.site.register(TreatmentProgram, TreatmentProgramAdmin)
admin.site.register(SoberLivingHome, SoberLivingHomeAdmin)
admin.site.register(Helpline, HelplineAdmin)
admin.site.register(CommunityResource, CommunityResourceAdmin)
admin.site.register(Listing, ListingAdmin)
admin.site.register(Organization, OrganizationAdmin)
admin.site.register(Term, TermAdmin)
