"""The HSDS 3.0 API (Open Referral's openapi.json): read-only, paginated, JSON.

Lists answer HSDS's Page (``total_items``, ``total_pages``, ``page_number``, ``size``,
``first_page``, ``last_page``, ``empty``, ``contents``); a page past the end is an empty
page, not an error. A parameter we cannot use answers 400 ``{"errors": {name: [message]}}``
and an unknown id 404 ``{"detail": message}``, as the site's own API does.

Ids are name-based UUIDs (``exchange.hsds.ids``), which cannot be turned back into a
primary key: a detail view computes the ids of the candidates' keys (one query of keys,
a microsecond or two each) to find the one asked for.
"""

import json
import math
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from exchange.hsds import builders, ids
from groups.models import Meeting
from opendata.hsds import params
from resources.geo.distances import RADIUS_CHOICES, within_radius
from resources.models import Listing, Organization
from resources.search import TextSearch
from resources.vocabularies import Vocabulary

HSDS_SPECIFICATION = "https://github.com/openreferral/specification/tree/3.0"
HSDS_OPENAPI = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
)


def _find(value, keys, make_id):
    """The key among ``keys`` whose id is ``value``, or NotFound."""
    try:
        wanted = str(uuid.UUID(value))
    except ValueError:
        wanted = None
    for key in keys if wanted else ():
        if make_id(key) == wanted:
            return key
    raise NotFound(f"There is no item with the id “{value[:40]}”.")


NDJSON_CHUNK = 200


def _ndjson(total, rows_of):
    """Every result, one JSON object a line, read a chunk at a time (``format=ndjson``)."""

    def lines():
        for offset in range(0, total, NDJSON_CHUNK):
            for row in rows_of(offset, NDJSON_CHUNK):
                yield json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson")


def _paged(total, parameters, rows_of):
    """HSDS's Page around ``rows_of(offset, limit)``, or every row as NDJSON."""
    if parameters.get("format") == "ndjson":
        return _ndjson(total, rows_of)
    offset, limit, page = params.page_of(total, parameters)
    page["contents"] = rows_of(offset, limit) if page["size"] else []
    return Response(page)


class JSONOnly(BaseContentNegotiation):
    """Always JSON. HSDS's own ``format`` parameter (json or ndjson) is read by the views,
    not taken by Django REST framework as the renderer's name."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class HSDSView(APIView):
    # Not part of the site's own OpenAPI document: Open Referral's openapi.json describes it.
    schema = None
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly


# The lists take ``search``: no cache keeps what someone looked for.
no_store = method_decorator(never_cache, name="dispatch")


class RootView(HSDSView):
    def get(self, request):
        return Response(
            {
                "version": "3.0",
                "profile": HSDS_SPECIFICATION,
                "openapi_url": HSDS_OPENAPI,
            }
        )


def filtered_services(queryset, parameters):
    """Published listings narrowed by the HSDS service parameters."""
    if parameters.get("modified_after"):
        queryset = queryset.filter(updated_at__gte=parameters["modified_after"])
    term_id = parameters.get("taxonomy_term_id")
    if term_id:
        vocabulary_code = builders.term_ids().get(str(term_id))
        queryset = _with_term(queryset, *vocabulary_code) if vocabulary_code else queryset.none()
    taxonomy = parameters.get("taxonomy_id")
    if taxonomy:
        vocabularies = {ids.taxonomy_id(v): v for v in [*Vocabulary, builders.LISTING_KINDS]}
        vocabulary = vocabularies.get(str(taxonomy))
        queryset = _with_vocabulary(queryset, vocabulary) if vocabulary else queryset.none()
    organization = parameters.get("organization_id")
    if organization:
        queryset = _of_organization(queryset, str(organization))
    search = TextSearch(parameters.get("search"), queryset)
    if search.searches:
        return search.apply(queryset).order_by("-rank", "name", "pk")
    # No words, or none to search by ("the", "?"): everything, by name.
    return queryset.order_by("name", "pk")


def _with_term(queryset, vocabulary, code):
    if vocabulary == builders.LISTING_KINDS:
        return queryset.filter(kind=code)
    if vocabulary == Vocabulary.MEETING_TYPE:
        meetings = Meeting.objects.active().filter(types__vocabulary=vocabulary, types__code=code)
        return queryset.filter(pk__in=meetings.values("group_id"))
    tagged = Listing.terms.through.objects.filter(term__vocabulary=vocabulary, term__code=code)
    return queryset.filter(pk__in=tagged.values("listing_id"))


def _with_vocabulary(queryset, vocabulary):
    if vocabulary == builders.LISTING_KINDS:
        return queryset
    if vocabulary == Vocabulary.MEETING_TYPE:
        meetings = Meeting.objects.active().filter(types__vocabulary=vocabulary)
        return queryset.filter(pk__in=meetings.values("group_id"))
    tagged = Listing.terms.through.objects.filter(term__vocabulary=vocabulary)
    return queryset.filter(pk__in=tagged.values("listing_id"))


def _of_organization(queryset, organization):
    org_keys = Organization.objects.values_list("pk", flat=True)
    for key in org_keys:
        if ids.organization_id(key) == organization:
            return queryset.filter(organization_id=key)
    own = queryset.filter(organization__isnull=True).values_list("pk", flat=True)
    for key in own:
        if ids.listing_organization_id(key) == organization:
            return queryset.filter(pk=key)
    return queryset.none()


@no_store
class ServiceListView(HSDSView):
    def get(self, request):
        parameters = params.read(params.ServiceParameters, request)
        services = filtered_services(builders.services_queryset(), parameters)
        if parameters.get("minimal"):
            # Just each service's id and when it last changed: for a consumer to see
            # what to fetch again.
            changed = services.values_list("pk", "updated_at")
            return _paged(
                services.count(),
                parameters,
                lambda offset, limit: [
                    {"id": ids.service_id(pk), "last_modified": updated_at.isoformat()}
                    for pk, updated_at in changed[offset : offset + limit]
                ],
            )
        # Fully nested unless ``full=false`` asks for the service's own fields only.
        shape = builders.service_fields if parameters.get("full") is False else builders.service
        return _paged(
            services.count(),
            parameters,
            lambda offset, limit: [shape(listing) for listing in services[offset : offset + limit]],
        )


class ServiceDetailView(HSDSView):
    def get(self, request, id):
        keys = Listing.objects.published().values_list("pk", flat=True)
        key = _find(id, keys, ids.service_id)
        return Response(builders.service(builders.services_queryset().get(pk=key)))


@no_store
class ServiceAtLocationListView(HSDSView):
    def get(self, request):
        parameters = params.read(params.ServiceAtLocationParameters, request)
        located = builders.services_queryset().filter(offers_in_person=True, latitude__isnull=False)
        located, nearest_first = _near_postcode(located, parameters)
        services = filtered_services(located, parameters)
        if nearest_first and not parameters.get("search"):
            services = services.order_by("distance", "pk")
        full = parameters.get("full") is not False
        return _paged(
            services.count(),
            parameters,
            lambda offset, limit: [
                builders.service_at_location(listing, with_service=full)
                for listing in services[offset : offset + limit]
            ],
        )


def _near_postcode(queryset, parameters):
    """(queryset, ordered by distance?) for HSDS's ``postcode`` and ``proximity``.

    With ``proximity`` (meters): locations within that distance of the postcode's centre.
    With ``postcode`` alone: locations at that postcode (we keep no service areas).
    """
    postcode = parameters.get("postcode")
    if not postcode:
        return queryset, False
    code, place = postcode
    meters = parameters.get("proximity")
    if not meters:
        return queryset.filter(postal_code=code), False
    miles = meters / params.METERS_PER_MILE
    box_miles = next(choice for choice in RADIUS_CHOICES if choice >= math.ceil(miles))
    return within_radius(queryset, place, box_miles).filter(distance__lte=miles), True


class ServiceAtLocationDetailView(HSDSView):
    def get(self, request, id):
        keys = (
            Listing.objects.published()
            .filter(offers_in_person=True, latitude__isnull=False)
            .values_list("pk", flat=True)
        )
        key = _find(id, keys, ids.service_at_location_id)
        return Response(builders.service_at_location(builders.services_queryset().get(pk=key)))


def _organizations(search):
    """(Organizations with published listings, published listings without one)."""
    published = Listing.objects.published()
    real = Organization.objects.filter(
        pk__in=published.exclude(organization=None).values("organization_id")
    ).order_by("name", "pk")
    own = published.filter(organization=None).order_by("name", "pk")
    if search:
        real, own = real.filter(name__icontains=search), own.filter(name__icontains=search)
    return real, own


@no_store
class OrganizationListView(HSDSView):
    def get(self, request):
        parameters = params.read(params.PageParameters, request)
        real, own = _organizations(parameters.get("search"))
        real_total = real.count()

        def rows(offset, limit):
            # Real organizations first, then the synthetic ones of listings without one.
            found = [builders.organization(org) for org in real[offset : offset + limit]]
            start = max(0, offset - real_total)
            more = limit - len(found)
            if more > 0:
                found += [
                    builders.synthetic_organization(listing)
                    for listing in own.only("pk", "name", "website", "email")[start : start + more]
                ]
            return found

        return _paged(real_total + own.count(), parameters, rows)


class OrganizationDetailView(HSDSView):
    def get(self, request, id):
        real, own = _organizations("")
        listings = builders.services_queryset().order_by("name", "pk")
        try:
            key = _find(id, real.values_list("pk", flat=True), ids.organization_id)
        except NotFound:
            key = _find(id, own.values_list("pk", flat=True), ids.listing_organization_id)
            listing = listings.get(pk=key)
            body = builders.synthetic_organization(listing)
            body["services"] = [builders.service_fields(listing)]
            return Response(body)
        body = builders.organization(Organization.objects.get(pk=key))
        body["services"] = [
            builders.service_fields(listing) for listing in listings.filter(organization_id=key)
        ]
        return Response(body)


@no_store
class TaxonomyListView(HSDSView):
    def get(self, request):
        parameters = params.read(params.PageParameters, request)
        rows = builders.taxonomies()
        if parameters.get("search"):
            rows = [row for row in rows if parameters["search"].lower() in row["name"].lower()]
        return _paged(len(rows), parameters, lambda offset, limit: rows[offset : offset + limit])


class TaxonomyDetailView(HSDSView):
    def get(self, request, id):
        by_id = {row["id"]: row for row in builders.taxonomies()}
        return Response(by_id[_find(id, by_id, str)])


@no_store
class TaxonomyTermListView(HSDSView):
    def get(self, request):
        parameters = params.read(params.TaxonomyTermParameters, request)
        rows = builders.taxonomy_terms()
        if parameters.get("taxonomy_id"):
            rows = [row for row in rows if row["taxonomy_id"] == str(parameters["taxonomy_id"])]
        if parameters.get("search"):
            text = parameters["search"].lower()
            rows = [row for row in rows if text in row["name"].lower() or text == row["code"]]
        return _paged(len(rows), parameters, lambda offset, limit: rows[offset : offset + limit])


class TaxonomyTermDetailView(HSDSView):
    def get(self, request, id):
        by_id = {row["id"]: row for row in builders.taxonomy_terms()}
        return Response(by_id[_find(id, by_id, str)])
