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
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from groups.fellowships import FELLOWSHIPS
from resources import geo
from resources.categories import ALL_FILTERS, KIND_NAMES, tagged
from resources.models import ClinicianRole, Listing, Term
from resources.vocabularies import TERMS, Vocabulary

MAX_SEARCH_LENGTH = 200

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

# What the link next to a problem does, when it is not "Remove it".
FIXES = {
    "q": _("Clear the search text"),
    "near": _("Clear the place"),
    "radius": _("Use 25 miles"),
    "sort": _("Use the usual order"),
}

RADIUS_CHOICES = [(miles, _("%(miles)s miles") % {"miles": miles}) for miles in geo.RADIUS_CHOICES]


def _shown(value):
    """A visitor's value, short enough to repeat back in a message."""
    return Truncator(str(value)).chars(40)


class TextField(forms.CharField):
    """Free text with a length limit; the messages name the text in plain words."""

    def __init__(self, *, noun, max_chars, **kwargs):
        self.noun, self.max_chars = noun, max_chars
        kwargs.setdefault(
            "error_messages",
            {
                "null_characters_not_allowed": _(
                    "%(noun)s has characters we could not read. Please type it again."
                )
                % {"noun": noun}
            },
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_chars:
            raise ValidationError(
                _(
                    "%(noun)s is too long (%(length)s characters); "
                    "shorten it to %(limit)s or fewer."
                ),
                code="max_length",
                params={"noun": self.noun, "length": f"{len(value):,}", "limit": self.max_chars},
            )
        # U+FFFD is what broken UTF-8 in the address (%ff) is decoded to.
        if "\ufffd" in value:
            raise ValidationError(
                _("%(noun)s has characters we could not read. Please type it again."),
                code="unreadable",
                params={"noun": self.noun},
            )

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.max_chars)}


class TextFilter(filters.CharFilter):
    field_class = TextField


class ChoicesField(filters.fields.MultipleChoiceField):
    """Several choices; an unknown one is named in the message, cut short if it is long."""

    def validate(self, value):
        for choice in value:
            if not self.valid_value(choice):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": _shown(choice)},
                )


class ChoicesFilter(filters.MultipleChoiceFilter):
    field_class = ChoicesField

    def __init__(self, *args, what, **kwargs):
        kwargs.setdefault("distinct", False)  # every filter here keeps one row per listing
        kwargs["error_messages"] = {
            "invalid_choice": _("We don’t list “%(value)s” as %(what)s. Choose from the list.")
            % {"what": what, "value": "%(value)s"}
        }
        super().__init__(*args, **kwargs)


class TickField(forms.Field):
    """A checkbox: ticked ("1", "on", "true", "yes") or not (absent, "", "0", "off"…)."""

    TICKED = {"1", "on", "true", "yes"}
    UNTICKED = {"", "0", "off", "false", "no"}

    def to_python(self, value):
        text = str(value if value is not None else "").strip().lower()
        if text in self.TICKED:
            return True
        if text in self.UNTICKED:
            return None  # an empty value: the filter is skipped
        raise ValidationError(
            _("“%(value)s” is not a yes or no: tick the box, or leave it out."),
            code="invalid",
            params={"value": _shown(value)},
        )


class TickFilter(filters.Filter):
    field_class = TickField


def _used_by_other_filters(queryset, name, value):
    """``radius``, ``remote`` and ``sort`` change how ``near`` and the ordering work."""
    return queryset


class SearchForm(forms.Form):
    """The FilterSet's form: turns the place into a Location once, and keeps the suggestions."""

    place_not_found = None

    def clean_near(self):
        text = self.cleaned_data.get("near")
        try:
            return geo.resolve_near(text)
        except geo.PlaceNotFound as error:
            self.place_not_found = error
            raise ValidationError(error.message, code="place_not_found") from None


@dataclass(frozen=True)
class Chip:
    """An active filter, and the query-string change that removes it."""

    label: str
    without: dict


@dataclass(frozen=True)
class Problem:
    """A value we could not use: which field, what is wrong, and how to take it away."""

    field: str
    label: str
    message: str
    without: dict
    fix: str


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


class ListingFilter(filters.FilterSet):
    q = TextFilter(
        label=_("Search text"),
        noun=_("Search text"),
        max_chars=MAX_SEARCH_LENGTH,
        method="filter_text",
    )
    near = TextFilter(
        label=_("Place"),
        noun=_("Place"),
        max_chars=geo.MAX_QUERY_LENGTH,
        method="filter_near",
    )
    radius = filters.TypedChoiceFilter(
        label=_("Distance"),
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=None,
        method=_used_by_other_filters,
        error_messages={
            "invalid_choice": _("Choose a distance from the list: 5, 10, 25, 50 or 100 miles.")
        },
    )
    remote = TickFilter(
        label=_("Also show phone and online help for my state"), method=_used_by_other_filters
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
        method=_used_by_other_filters,
        error_messages={"invalid_choice": _("Choose how to sort from the list.")},
    )

    class Meta:
        form = SearchForm

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

    @property
    def location(self):
        return self.form.cleaned_data.get("near") if self.is_valid() else None

    @property
    def miles(self):
        if self.is_valid():
            return self.form.cleaned_data.get("radius") or geo.DEFAULT_RADIUS
        return geo.DEFAULT_RADIUS

    @property
    def text(self):
        return self.form.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def place_not_found(self):
        """The PlaceNotFound raised for ``near``, if it was; it carries the suggestions."""
        return self.form.place_not_found

    @property
    def place_suggestions(self):
        error = self.form.place_not_found
        return error.suggestions if error else []

    def sent(self, name):
        """The values sent for ``name``, as strings: from a QueryDict or a plain dict."""
        if not self.is_bound:
            return []
        if hasattr(self.data, "getlist"):
            return self.data.getlist(name)
        value = self.data.get(name)
        if value is None:
            return []
        return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]

    def filters_need_fixing(self):
        """True when one of the checkbox filters this page shows has a value we could not use."""
        return any(name in self.errors for name in self.offered if name != "remote")

    def has_unusable_input(self):
        """True when a value is wrong, as opposed to a place we could not find."""
        return any(name != "near" or not self.form.place_not_found for name in self.errors)

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
        data = self.form.cleaned_data
        chips = []
        for name in ALL_FILTERS:
            value = data.get(name)
            if not value or (name == "remote" and not data.get("near")):
                continue
            label = self.filters[name].label
            if isinstance(value, list):
                labels = dict(self.filters[name].extra["choices"])
                for choice in dict.fromkeys(value):
                    rest = [other for other in value if other != choice]
                    chips.append(Chip(labels[choice], {name: rest, "page": None}))
            else:
                chips.append(Chip(label, {name: None, "page": None}))
        return chips

    def problems(self):
        """Every value we could not use, in form order, with the change that removes it."""
        problems = []
        for name, errors in self.errors.items():
            filter_ = self.filters.get(name)
            label = filter_.label if filter_ else name
            fix = FIXES.get(name, _("Remove it"))
            if isinstance(filter_, ChoicesFilter):
                valid = {str(value) for value, _label in filter_.extra["choices"]}
                sent = self.sent(name)
                without = {name: [value for value in sent if value in valid]}
                unknown = [_shown(value) for value in dict.fromkeys(sent) if value not in valid]
                fix = _("Remove %(values)s") % {
                    "values": ", ".join(f"“{value}”" for value in unknown)
                }
            else:
                without = {name: None}
            for message in errors:
                problems.append(Problem(name, label, message, {**without, "page": None}, fix))
        return problems

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
