"""The search and browse filters: one FilterSet reads the whole query string of a search.

How choices combine:

* Within one filter the ticked choices are alternatives (OR): ``payment=medicaid&
  payment=medicare`` finds listings that take Medicaid or Medicare. People tick several
  to say "any of these is fine for me".
* Different filters must all hold (AND): ``payment=medicaid&language=es`` finds listings
  that take Medicaid and speak Spanish.
* A filter that only some kinds of listing have (clinician role, accepting new clients,
  fellowship, beds available) shows only those kinds.
* ``remote`` adds, to the listings within ``radius`` of ``near``, the online and phone
  services that serve the place's state; they have no distance.

Nothing is silently dropped: a value that is not one of the choices makes the form invalid,
and the page says so (see ``problems``). Choices come from constants that mirror the
database (``TERMS`` and the seeded ``FELLOWSHIPS``), so building and checking the form costs
no query.
"""

from dataclasses import dataclass
from functools import cached_property

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from directory.categories import ALL_FILTERS, KIND_NAMES, tagged
from directory.choice_counts import count_choices
from directory.filtering import (
    ChoicesFilter,
    Note,
    Option,
    PlaceSearchFilterSet,
    TickFilter,
    near_me_note,
    used_by_other_filters,
)
from groups.fellowships import FELLOWSHIPS
from resources import geo
from resources.models import ClinicianRole, Listing, ids_found_first
from resources.search import TextSearch, strip_near_me
from resources.vocabularies import Vocabulary, term_choices

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
# A search page's search with words and no place ranks, shows and counts only the first this
# many matches PostgreSQL finds, in no order, so that it stops reading early: "suboxone"
# matches about 9,400 listings nationally, and ranking and counting them all cost about 1 s
# a page (issue 18). The page says there are more, and that a place finds the near ones.
NATIONAL_CAP = 500


class Sort:
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    NAME = "name"
    CHOICES = [
        (RELEVANCE, _("Best match")),
        (DISTANCE, _("Nearest first")),
        (NAME, _("Name, A to Z")),
    ]


DELIVERY_FIELDS = {
    "in_person": "offers_in_person",
    "online": "offers_online",
    "phone": "offers_phone",
}
DELIVERY_CHOICES = [(key, Listing.delivery_label(field)) for key, field in DELIVERY_FIELDS.items()]

# The query-string change behind "Clear all filters": the search words and place stay.
CLEAR_FILTERS = dict.fromkeys(ALL_FILTERS) | {"page": None}


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
    new_clients = TickFilter(label=_("Taking new clients"), method="filter_new_clients")
    beds = TickFilter(label=_("Has open beds"), method="filter_beds")
    open_now = TickFilter(label=_("Open now"), method="filter_open_now")
    open_24_7 = TickFilter(label=_("Open 24 hours, 7 days"), field_name="open_24_7")
    payment = ChoicesFilter(
        label=_("Payment"),
        choices=term_choices(Vocabulary.PAYMENT),
        method="filter_terms",
        what=_("a payment option"),
    )
    medication = ChoicesFilter(
        label=_("Medication for addiction"),
        choices=term_choices(Vocabulary.MEDICATION),
        method="filter_terms",
        what=_("a medication"),
    )
    substance = ChoicesFilter(
        label=_("Help with"),
        choices=term_choices(Vocabulary.SUBSTANCE),
        method="filter_terms",
        what=_("a substance"),
    )
    population = ChoicesFilter(
        label=_("Who it is for"),
        choices=term_choices(Vocabulary.POPULATION),
        method="filter_terms",
        what=_("a group of people"),
    )
    language = ChoicesFilter(
        label=_("Language"),
        choices=term_choices(Vocabulary.LANGUAGE),
        method="filter_terms",
        what=_("a language"),
    )
    accessibility = ChoicesFilter(
        label=_("Accessibility"),
        choices=term_choices(Vocabulary.ACCESSIBILITY),
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

    def __init__(
        self, data=None, queryset=None, *, offered=ALL_FILTERS, cap_national=False, **kwargs
    ):
        if queryset is None:
            queryset = Listing.objects.published()
        super().__init__(data, queryset, **kwargs)
        self.offered = offered
        # The search page caps a national text search (NATIONAL_CAP); the API does not, so
        # that a program paging through every match gets them all and their exact number.
        self.cap_national = cap_national

    # Filtering

    @property
    def qs(self):
        """The results, in order (see ``filtered``)."""
        return self.filtered.results

    @cached_property
    def filtered(self):
        """The listings filtered in two steps, built once for the results and the ``tally``.

        The counted choices in use come last, so that the tally starts from the listings
        that meet every other filter (``uncounted``) without building them again.
        """
        queryset = self.queryset.all()
        if not self.is_bound:
            return Filtered(uncounted=queryset, results=queryset)
        # Clean the form for cleaned_data. Like django-filter, a value that cannot be used
        # is left out and the others still filter.
        self.form.is_valid()
        data = self.form.cleaned_data
        chosen = self.counted_choices()
        uncounted = self._filtered(
            queryset, {name: value for name, value in data.items() if name not in chosen}
        )
        results = self._filtered(uncounted, chosen)
        if self.cap:
            # Only the first matches found are ranked: the outer query reads those rows by
            # their ids, to rank them, rather than searching the text again.
            first = ids_found_first(results, self.cap)
            results = self.text_search.apply(self.queryset.filter(pk__in=first))
        return Filtered(uncounted, results=self.ordered(results))

    @property
    def cap(self):
        """How many matches this search ranks, shows and counts (``NATIONAL_CAP``) when it
        has words and no place; None when it has all of them."""
        searches_nationally = (
            self.cap_national
            and self.is_bound
            and self.is_valid()
            and not self.form.cleaned_data.get("near")
            and self.text_search.searches
        )
        return NATIONAL_CAP if searches_nationally else None

    @property
    def more_than_cap(self):
        """True when the search found more matches than it shows (see ``cap``)."""
        return self.cap is not None and self.tally().more

    def _filtered(self, queryset, data):
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    @cached_property
    def text_search(self):
        """The search words, read once, however many times the option counts filter again:
        whether typos are forgiven is decided by one query over the page's starting set."""
        return TextSearch(self.text, self.queryset)

    @property
    def searched_text(self):
        """The words as searched, for the page to repeat: without "near me" and its like."""
        return " ".join(strip_near_me(self.text)[0].split())

    def filter_text(self, queryset, name, text):
        near_a_place = bool(self.form.cleaned_data.get("near"))
        return self.text_search.apply(queryset, near_a_place=near_a_place)

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

    def filter_new_clients(self, queryset, name, value):
        # Clinicians and treatment programs both say whether they take new clients.
        return queryset.filter(
            Q(clinician__accepting_new_clients=True)
            | Q(treatmentprogram__accepting_new_clients=True)
        )

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
        # Text with nothing to search by ("the", "?") has no relevance to sort by.
        if wanted == Sort.RELEVANCE and self.text_search.searches:
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

    def notes(self, category=None):
        """What the page says about words it could not search by, and "near me"."""
        if not self.is_valid():
            return []
        notes, search = [], self.text_search
        if search.ignored:
            where = {"place": self.location.label} if self.location else {}
            if category:
                where["category"] = category.label
            shown = {
                ("place", "category"): _("everything in “%(category)s” near %(place)s"),
                ("place",): _("everything near %(place)s"),
                ("category",): _("everything in “%(category)s”"),
                (): _("everything we list"),
            }[tuple(where)] % where
            if search.ignored_reason == "common":
                message = _(
                    "Your words were too common to search by, so here is %(shown)s. Try "
                    "a word that says what you need, like counselor, detox or AA."
                )
            else:
                message = _(
                    "What you typed has no letters or numbers we can search by, so here is "
                    "%(shown)s. Try a word that says what you need, like counselor, detox or AA."
                )
            notes.append(Note(message % {"shown": shown}))
        if search.near_me and not self.location:
            notes.append(near_me_note(_("Where?")))
        return notes

    def filters_need_fixing(self):
        """True when one of the checkbox filters this page shows has a value we could not use."""
        return any(name in self.errors for name in self.offered if name != "remote")

    def tally(self):
        """The number of results and of each choice's listings (a ``Tally``), in one query.

        Each filter's choices are counted over the results of every other filter, so the
        number says how many listings have that choice whether or not a sibling is ticked.
        A capped search (``cap``) counts them among the first ``cap`` listings found.
        """
        return self._tally

    @cached_property
    def _tally(self):
        # count_choices flags each listing that meets every other filter with which of the
        # counted choices in use it meets.
        uncounted, chosen = self.filtered.uncounted, self.counted_choices()
        # A capped search counts its results apart: the first found of them, unranked.
        results = self._filtered(uncounted, chosen) if self.cap else None
        return count_choices(
            uncounted, self.counted_filters(), chosen, cap=self.cap, results=results
        )

    def counted_filters(self):
        """The filters whose choices this page shows with a count."""
        return [name for name in COUNTED_FILTERS if name in self.offered]

    def counted_choices(self):
        """{filter: [choices]} of the counted filters in use."""
        data = self.form.cleaned_data
        return {name: data[name] for name in self.counted_filters() if data.get(name)}

    def option_counts(self):
        """{(filter, choice): number of listings}; see ``tally``."""
        return self.tally().options

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


@dataclass(frozen=True)
class Filtered:
    uncounted: object  # the listings that meet every filter but the counted choices in use
    results: object  # those that meet the counted choices too, in order: the results
