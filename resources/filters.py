"""The search and browse filters: one FilterSet reads the whole query string of a search.

How choices combine:

* Within one filter the ticked choices are alternatives (OR): ``payment=medicaid&
  payment=medicare`` finds listings that take Medicaid or Medicare. People tick several
  to say "any of these is fine for me".
* Different filters must all hold (AND): ``payment=medicaid&language=es`` finds listings
  that take Medicaid and speak Spanish.
* A filter that only one kind of listing has (clinician role, accepting new clients,
  fellowship, beds available) shows only that kind.
* ``remote`` adds, to the listings within ``radius`` of ``near``, the online and phone
  services that serve the place's state; they have no distance.

Nothing is silently dropped: a value that is not one of the choices makes the form invalid,
and the page says so (see ``problems``). Choices come from constants that mirror the
database (``TERMS`` and the seeded ``FELLOWSHIPS``), so building and checking the form costs
no query.
"""

from dataclasses import dataclass

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _

from groups.fellowships import FELLOWSHIPS
from resources import geo
from resources.categories import ALL_FILTERS, KIND_NAMES, tagged
from resources.filtering import (
    ChoicesFilter,
    PlaceSearchFilterSet,
    TickFilter,
    used_by_other_filters,
)
from resources.models import ClinicianRole, Listing, Term
from resources.vocabularies import TERMS, Vocabulary

# The vocabulary filters: the parameter is the vocabulary's own code.
VOCABULARY_FILTERS = (
    Vocabulary.PAYMENT,
    Vocabulary.MEDICATION,
    Vocabulary.SUBSTANCE,
    Vocabulary.POPULATION,
    Vocabulary.LANGUAGE,
    Vocabulary.ACCESSIBILITY,
)
# Filters whose choices get a count next to them.
COUNTED_FILTERS = ("kind", "role", "fellowship", *VOCABULARY_FILTERS)
# Single checkboxes, shown together under "Show only".
TICK_FILTERS = ("new_clients", "beds", "open_now", "open_24_7")


class Sort:
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    NAME = "name"
    CHOICES = [
        (RELEVANCE, _("Best match")),
        (DISTANCE, _("Nearest first")),
        (NAME, _("Name, A to Z")),
    ]


DELIVERY_CHOICES = [
    ("in_person", _("In person")),
    ("online", _("Online or video")),
    ("phone", _("By phone")),
]
DELIVERY_FIELDS = {
    "in_person": "offers_in_person",
    "online": "offers_online",
    "phone": "offers_phone",
}

# The query-string change behind "Clear all filters": the search words and place stay.
CLEAR_FILTERS = dict.fromkeys(ALL_FILTERS) | {"page": None}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool
    count: int | None


@dataclass(frozen=True)
class FilterGroup:
    """A filter with several choices, shown as a group of checkboxes."""

    name: str
    legend: str
    options: list
    errors: list

    @property
    def any_checked(self):
        return any(option.checked for option in self.options)


@dataclass(frozen=True)
class Tick:
    """A filter shown as one checkbox."""

    name: str
    label: str
    checked: bool
    errors: list


class ListingFilter(PlaceSearchFilterSet):
    remote = TickFilter(
        label=_("Also show phone and online help for my state"), method=used_by_other_filters
    )
    kind = ChoicesFilter(
        label=_("Kind of help"),
        choices=list(KIND_NAMES.items()),
        field_name="kind",
        what=_("a kind of help"),
    )
    role = ChoicesFilter(
        label=_("Kind of professional"),
        choices=ClinicianRole.choices,
        field_name="clinician__role",
        what=_("a kind of professional"),
    )
    fellowship = ChoicesFilter(
        label=_("Fellowship"),
        choices=[(f["slug"], f["name"]) for f in FELLOWSHIPS],
        field_name="supportgroup__fellowship__slug",
        what=_("a fellowship"),
    )
    delivery = ChoicesFilter(
        label=_("How you get help"),
        choices=DELIVERY_CHOICES,
        method="filter_delivery",
        what=_("a way to get help"),
    )
    new_clients = TickFilter(
        label=_("Taking new clients"), field_name="clinician__accepting_new_clients"
    )
    beds = TickFilter(label=_("Has open beds"), method="filter_beds")
    open_now = TickFilter(label=_("Open now"), method="filter_open_now")
    open_24_7 = TickFilter(label=_("Open 24 hours, 7 days"), field_name="open_24_7")
    payment = ChoicesFilter(
        label=_("Payment"),
        choices=TERMS[Vocabulary.PAYMENT],
        method="filter_terms",
        what=_("a payment option"),
    )
    medication = ChoicesFilter(
        label=_("Medication for addiction"),
        choices=TERMS[Vocabulary.MEDICATION],
        method="filter_terms",
        what=_("a medication"),
    )
    substance = ChoicesFilter(
        label=_("Help with"),
        choices=TERMS[Vocabulary.SUBSTANCE],
        method="filter_terms",
        what=_("a substance"),
    )
    population = ChoicesFilter(
        label=_("Who it is for"),
        choices=TERMS[Vocabulary.POPULATION],
        method="filter_terms",
        what=_("a group of people"),
    )
    language = ChoicesFilter(
        label=_("Language"),
        choices=TERMS[Vocabulary.LANGUAGE],
        method="filter_terms",
        what=_("a language"),
    )
    accessibility = ChoicesFilter(
        label=_("Accessibility"),
        choices=TERMS[Vocabulary.ACCESSIBILITY],
        method="filter_terms",
        what=_("an accessibility feature"),
    )
    sort = filters.TypedChoiceFilter(
        label=_("Sort by"),
        choices=Sort.CHOICES,
        empty_value="",
        method=used_by_other_filters,
        error_messages={"invalid_choice": _("Choose how to sort from the list.")},
    )

    def __init__(self, data=None, queryset=None, *, offered=ALL_FILTERS, **kwargs):
        if queryset is None:
            queryset = Listing.objects.published()
        super().__init__(data, queryset, **kwargs)
        self.offered = offered

    # Filtering

    def filter_queryset(self, queryset):
        return self.ordered(self._filtered(queryset, self.form.cleaned_data))

    def _filtered(self, queryset, data):
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_text(self, queryset, name, text):
        return queryset.search(text)

    def filter_near(self, queryset, name, location):
        miles = self.form.cleaned_data.get("radius") or geo.DEFAULT_RADIUS
        if not self.form.cleaned_data.get("remote"):
            return queryset.near(location, miles)
        nearby = self.queryset.near(location, miles)
        remote = geo.serving_region(self.queryset, location.region)
        # Remote services come without a distance: they are as near as the phone.
        return queryset.filter(
            Q(pk__in=nearby.values("pk")) | Q(pk__in=remote.values("pk"))
        ).annotate(distance=Subquery(nearby.filter(pk=OuterRef("pk")).values("distance")[:1]))

    def filter_delivery(self, queryset, name, modes):
        condition = Q()
        for mode in modes:
            condition |= Q(**{DELIVERY_FIELDS[mode]: True})
        return queryset.filter(condition)

    def filter_beds(self, queryset, name, value):
        return queryset.filter(soberlivinghome__beds_available__gt=0)

    def filter_open_now(self, queryset, name, value):
        # open_now() reads the listings' time zones with a query of its own: run it once,
        # on the page's starting set, however many times the option counts filter again.
        if not hasattr(self, "_open_now"):
            self._open_now = self.queryset.open_now().values("pk")
        return queryset.filter(pk__in=self._open_now)

    def filter_terms(self, queryset, vocabulary, codes):
        return queryset.filter(tagged(vocabulary, codes))

    # Ordering

    @property
    def effective_sort(self):
        """The order the results are really in: the one asked for, when it can be followed."""
        data = self.form.cleaned_data if self.is_valid() else {}
        wanted = data.get("sort") or Sort.RELEVANCE
        if wanted == Sort.RELEVANCE and data.get("q"):
            return Sort.RELEVANCE
        if wanted in (Sort.RELEVANCE, Sort.DISTANCE) and data.get("near"):
            return Sort.DISTANCE
        return Sort.NAME

    def ordered(self, queryset):
        data = self.form.cleaned_data
        order = []
        if self.effective_sort == Sort.RELEVANCE:
            order.append(F("rank").desc())
        if self.effective_sort in (Sort.RELEVANCE, Sort.DISTANCE) and data.get("near"):
            order.append(F("distance").asc(nulls_last=True))
        return queryset.order_by(*order, "name", "pk")

    # What the page shows about the filters

    def filters_need_fixing(self):
        """True when one of the checkbox filters this page shows has a value we could not use."""
        return any(name in self.errors for name in self.offered if name != "remote")

    def option_counts(self):
        """{(filter, choice): number of listings}, in one query.

        Each filter's choices are counted over the results of every other filter, so the
        number says how many listings have that choice whether or not a sibling is ticked.
        The counts of the filters nobody has used share the results themselves; each used
        filter adds its own part, and the parts are joined with UNION ALL.
        """
        data = self.form.cleaned_data
        counted = [name for name in COUNTED_FILTERS if name in self.offered]
        unused = [name for name in counted if not data.get(name)]
        parts = _count_rows(self._filtered(self.queryset.all(), data), unused)
        for name in counted:
            if data.get(name):
                others = {key: value for key, value in data.items() if key != name}
                parts += _count_rows(self._filtered(self.queryset.all(), others), [name])
        if not parts:
            return {}
        rows = parts[0].union(*parts[1:], all=True).order_by()
        return {(row["facet"], row["option"]): row["n"] for row in rows}

    def groups(self, counts):
        """The choice filters this page offers, with each choice's count and state.

        A choice is shown ticked as it was asked for, even when the request as a whole could
        not be used, so the visitor sees what they sent.
        """
        groups = []
        for name in self.offered:
            filter_ = self.filters[name]
            if not isinstance(filter_, ChoicesFilter):
                continue
            chosen = set(self.sent(name))
            options = [
                Option(
                    value=str(value),
                    label=label,
                    checked=str(value) in chosen,
                    count=(counts.get((name, str(value))) or 0) if counts else None,
                )
                for value, label in filter_.extra["choices"]
            ]
            groups.append(FilterGroup(name, filter_.label, options, self.form[name].errors))
        return groups

    def ticks(self):
        """The single checkboxes this page offers ("Open now"…), "remote" apart."""
        return [self.tick(name) for name in TICK_FILTERS if name in self.offered]

    def tick(self, name):
        if name not in self.offered:
            return None
        field = self.form[name]
        try:
            checked = bool(field.field.to_python(field.data))
        except ValidationError:
            checked = False
        return Tick(name, self.filters[name].label, checked, field.errors)

    def select_options(self, name):
        """(value, label, selected) for the radius or sort list: what was asked, or the default."""
        default = {"radius": str(geo.DEFAULT_RADIUS), "sort": Sort.RELEVANCE}[name]
        choices = [(str(value), label) for value, label in self.filters[name].extra["choices"]]
        asked = (self.sent(name) or [""])[-1]
        current = asked if asked in dict(choices) else default
        return [(value, label, value == current) for value, label in choices]

    @property
    def wider_radius(self):
        """The next distance up from the one searched, if there is one."""
        return next((miles for miles in geo.RADIUS_CHOICES if miles > self.miles), None)

    @property
    def includes_remote(self):
        return bool(self.is_valid() and self.form.cleaned_data.get("remote"))

    def chips(self):
        """One removable chip per active filter choice; nothing for an unusable request."""
        if not self.is_valid():
            return []
        names = ALL_FILTERS
        if not self.form.cleaned_data.get("near"):
            names = [name for name in ALL_FILTERS if name != "remote"]
        return self.choice_chips(names)

    def hidden_values(self):
        """(name, value) of the filters in use that this page has no control for.

        A browse page offers only the filters that fit its category; a link may still carry
        others, and submitting the form again must not lose them.
        """
        return [
            (name, value)
            for name in ALL_FILTERS
            if name not in self.offered
            for value in self.sent(name)
            if value
        ]


def _count_rows(listings, names):
    """Querysets of (facet, option, n) rows counting ``listings`` by the choices of ``names``."""
    ids = listings.order_by().values("pk")
    parts = []
    vocabularies = [name for name in names if name in VOCABULARY_FILTERS]
    if vocabularies:
        parts.append(
            Term.objects.filter(vocabulary__in=vocabularies, listings__in=ids)
            .values(facet=F("vocabulary"), option=F("code"))
            .annotate(n=Count("listings", distinct=True))
            .order_by()
        )
    columns = {
        "kind": "kind",
        "role": "clinician__role",
        "fellowship": "supportgroup__fellowship__slug",
    }
    for name in names:
        if name in columns:
            parts.append(
                Listing.objects.filter(pk__in=ids, **{f"{columns[name]}__isnull": False})
                .values(facet=Value(name), option=F(columns[name]))
                .annotate(n=Count("pk", distinct=True))
                .order_by()
            )
    return parts
