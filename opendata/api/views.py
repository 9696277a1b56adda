"""The read-only API views: a FilterSet reads the query string, a queryset verb does the rest.

Listings and meetings take the same parameters as the site's search and meeting finder
(``ListingFilter``, ``MeetingFilter``), with the same messages when a value is wrong.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.categories import KIND_NAMES
from directory.listing_filters import ListingFilter
from directory.meeting_filters import MeetingFilter
from groups.models import Attendance, Fellowship, FellowshipApproach, FellowshipAudience, Meeting
from opendata.api import serializers as api
from opendata.api.errors import filterset_errors
from opendata.api.languages import LANGUAGE_PARAMETERS, InRequestedLanguage
from opendata.api.pagination import Pagination
from opendata.api.schema import PAGE_PARAMETERS, filterset_parameters
from resources.models import ClinicianRole, Listing, ListingKind
from resources.vocabularies import Vocabulary, term_choices

ERROR_400 = OpenApiResponse(
    inline_serializer(
        "BadParameters",
        {
            "errors": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField())
            ),
            "suggestions": serializers.ListField(child=serializers.CharField(), required=False),
        },
    ),
    description="A parameter could not be used: its messages, by parameter name.",
)
ERROR_404 = OpenApiResponse(
    inline_serializer("NotFound", {"detail": serializers.CharField()}),
    description="No such item (or page).",
)


# No cache keeps a search: its address holds what and where someone looked for help.
@method_decorator(never_cache, name="dispatch")
class FilteredListView(InRequestedLanguage, GenericAPIView):
    """A paginated list whose query string is read by ``filterset_class``; never cached."""

    pagination_class = Pagination
    filterset_class = None

    def base_queryset(self):
        raise NotImplementedError

    def with_details(self, queryset):
        return queryset

    def get(self, request):
        filterset = self.filterset_class(request.GET, self.base_queryset())
        if not filterset.is_valid():
            raise filterset_errors(filterset)
        page = self.paginate_queryset(self.with_details(filterset.qs))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ListingListView(FilteredListView):
    serializer_class = api.ListingSerializer
    filterset_class = ListingFilter

    def base_queryset(self):
        return Listing.objects.searchable()

    def with_details(self, queryset):
        return queryset.without_search_text()

    @extend_schema(
        summary="Search listings",
        description="Published listings of every kind, with the site search's parameters. "
        "Within one parameter repeated values are alternatives (OR); different parameters "
        "must all hold (AND). Sorted by best match with `q`, by distance with `near`, "
        "else by name, unless `sort` says otherwise.",
        parameters=[*filterset_parameters(ListingFilter), *PAGE_PARAMETERS, *LANGUAGE_PARAMETERS],
        responses={200: api.ListingSerializer(many=True), 400: ERROR_400, 404: ERROR_404},
    )
    def get(self, request):
        return super().get(request)


class MeetingListView(FilteredListView):
    serializer_class = api.MeetingSerializer
    filterset_class = MeetingFilter

    def base_queryset(self):
        return Meeting.objects.listed()

    def with_details(self, queryset):
        return queryset.with_details()

    @extend_schema(
        summary="Find meetings",
        description="Active meetings of published groups, with the meeting finder's "
        "parameters, in the order they next start. Without `day` (or `now`) only today's "
        "meetings from 15 minutes ago on are listed, as on the finder: use `day=any` for "
        "the whole week.",
        parameters=[
            *filterset_parameters(
                MeetingFilter,
                {"q": "Words in the meeting, group or place name, or the notes."},
            ),
            *PAGE_PARAMETERS,
            *LANGUAGE_PARAMETERS,
        ],
        responses={200: api.MeetingSerializer(many=True), 400: ERROR_400, 404: ERROR_404},
    )
    def get(self, request):
        return super().get(request)


class ListingDetailView(InRequestedLanguage, APIView):
    @extend_schema(
        summary="One listing",
        parameters=LANGUAGE_PARAMETERS,
        responses={200: api.ListingDetailSerializer, 400: ERROR_400, 404: ERROR_404},
    )
    def get(self, request, slug):
        listings = (
            Listing.objects.published()
            .with_kind_details()
            .prefetch_related(
                "terms",
                "opening_hours",
                Prefetch("supportgroup__meetings", queryset=api.meeting_queryset_for_detail()),
            )
        )
        listing = get_object_or_404(listings, slug=slug)
        return Response(api.ListingDetailSerializer(listing, context={"request": request}).data)


class FellowshipListView(InRequestedLanguage, GenericAPIView):
    serializer_class = api.FellowshipSerializer
    pagination_class = Pagination
    queryset = Fellowship.objects.all()

    @extend_schema(
        summary="Fellowships",
        parameters=[*PAGE_PARAMETERS, *LANGUAGE_PARAMETERS],
        responses={200: api.FellowshipSerializer(many=True), 400: ERROR_400, 404: ERROR_404},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _options(choices):
    return [{"code": str(code), "label": str(label)} for code, label in choices]


def _filter_choices(filterset_class):
    return {
        name: _options(filter_.extra["choices"])
        for name, filter_ in filterset_class.base_filters.items()
        if "choices" in filter_.extra
    }


def option_list():
    return api.CodeLabelSerializer(many=True)


class VocabularyListView(InRequestedLanguage, APIView):
    """Every code the API uses, with its label: enough to build a filter form."""

    @extend_schema(
        summary="Vocabularies and choices",
        description="Read from the site's code, not the database: costs no query.",
        parameters=LANGUAGE_PARAMETERS,
        responses={
            200: inline_serializer(
                "Vocabularies",
                {
                    "vocabularies": inline_serializer(
                        "Vocabulary",
                        {
                            "code": serializers.CharField(),
                            "label": serializers.CharField(),
                            "terms": api.CodeLabelSerializer(many=True),
                        },
                        many=True,
                    ),
                    "kinds": option_list(),
                    "clinician_roles": option_list(),
                    "attendance": option_list(),
                    "meeting_types": option_list(),
                    "fellowship_approaches": option_list(),
                    "fellowship_audiences": option_list(),
                    "listing_filters": serializers.DictField(child=option_list()),
                    "meeting_filters": serializers.DictField(child=option_list()),
                },
            ),
            400: ERROR_400,
        },
    )
    def get(self, request):
        terms = {vocabulary: term_choices(vocabulary) for vocabulary in Vocabulary}
        return Response(
            {
                "vocabularies": [
                    {
                        "code": vocabulary.value,
                        "label": str(vocabulary.label),
                        "terms": _options(terms[vocabulary]),
                    }
                    for vocabulary in Vocabulary
                ],
                "kinds": _options((kind, ListingKind(kind).label) for kind in KIND_NAMES),
                "clinician_roles": _options(ClinicianRole.choices),
                "attendance": _options(Attendance.choices),
                "meeting_types": _options(terms[Vocabulary.MEETING_TYPE]),
                "fellowship_approaches": _options(FellowshipApproach.choices),
                "fellowship_audiences": _options(FellowshipAudience.choices),
                "listing_filters": _filter_choices(ListingFilter),
                "meeting_filters": _filter_choices(MeetingFilter),
            }
        )


class APIDocsView(SpectacularSwaggerSplitView):
    """The API's documentation page (Swagger UI).

    Its page is an HTML template, which DRF's answer to OPTIONS (a JSON description of
    the view) has none of: OPTIONS answers as Django's own views do, with ``Allow``.
    """

    def options(self, request, *args, **kwargs):
        response = HttpResponse()
        response["Content-Length"] = "0"
        return response
