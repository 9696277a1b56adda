"""What the listing search and the meeting finder share.

Form fields that explain a bad value in plain words instead of dropping it, the place a
search is near, and the chips and problems a page shows about the filters in use.
"""

from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resources import geo

MAX_TEXT_LENGTH = 200


def _miles(miles):
    return gettext("%(miles)s miles") % {"miles": miles}


# Lazy, so that each page shows them in its own language ("25 millas").
RADIUS_CHOICES = [(miles, lazy(_miles, str)(miles)) for miles in geo.RADIUS_CHOICES]

# What the link next to a problem does, when it is not "Remove it".
FIXES = {
    "q": _("Clear the search text"),
    "near": _("Clear the place"),
    "radius": _("Use 25 miles"),
    "sort": _("Use the usual order"),
}


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


def _not_listed(what):
    return gettext("We don’t list “%(value)s” as %(what)s. Choose from the list.") % {
        "what": what,
        "value": "%(value)s",
    }


class ChoicesFilter(filters.MultipleChoiceFilter):
    field_class = ChoicesField

    def __init__(self, *args, what, **kwargs):
        kwargs.setdefault("distinct", False)  # every filter here keeps one row per listing
        kwargs["error_messages"] = {"invalid_choice": lazy(_not_listed, str)(what)}
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


def used_by_other_filters(queryset, name, value):
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
class Option:
    """One choice of a filter shown as checkboxes, with its count when the page counts."""

    value: str
    label: str
    checked: bool
    count: int | None = None


@dataclass(frozen=True)
class Chip:
    """An active filter, and the query-string change that removes it."""

    label: str
    without: dict


@dataclass(frozen=True)
class Note:
    """Something a page says about how it read the search, with a link when one helps."""

    message: str
    link_text: str = ""
    link_href: str = ""


def near_me_note(where):
    """What a page says to "near me" without a place: where to give one."""
    return Note(
        _(
            "Where are you? Type a town or ZIP code in “%(where)s”, or use your location: "
            "if your browser shows a “Use my location” button there, it fills it in."
        )
        % {"where": where},
        _("Type a place"),
        "#id_near",
    )


@dataclass(frozen=True)
class Problem:
    """A value we could not use: which field, what is wrong, and how to take it away."""

    field: str
    label: str
    message: str
    without: dict
    fix: str


class PlaceSearchFilterSet(filters.FilterSet):
    """Search words ``q`` and a place ``near`` within ``radius``, and what a page says of them.

    Subclasses define ``filter_text`` and ``filter_near`` for what they search.
    """

    q = TextFilter(
        label=_("Search text"),
        noun=_("Search text"),
        max_chars=MAX_TEXT_LENGTH,
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
        method=used_by_other_filters,
        error_messages={
            "invalid_choice": _("Choose a distance from the list: 5, 10, 25, 50 or 100 miles.")
        },
    )

    class Meta:
        form = SearchForm
        fields = []

    @property
    def text(self):
        return self.form.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def location(self):
        return self.form.cleaned_data.get("near") if self.is_valid() else None

    @property
    def miles(self):
        # Read while filtering too, when cleaned_data exists but qs is being built.
        data = getattr(self.form, "cleaned_data", {})
        return data.get("radius") or geo.DEFAULT_RADIUS

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

    def has_unusable_input(self):
        """True when a value is wrong, as opposed to a place we could not find."""
        return any(name != "near" or not self.form.place_not_found for name in self.errors)

    def choice_chips(self, names):
        """One removable chip per active choice of the filters ``names``."""
        data = self.form.cleaned_data
        chips = []
        for name in names:
            value = data.get(name)
            if not value:
                continue
            if isinstance(value, list):
                labels = dict(self.filters[name].extra["choices"])
                for choice in dict.fromkeys(value):
                    rest = [other for other in value if other != choice]
                    chips.append(Chip(labels[choice], {name: rest, "page": None}))
            else:
                chips.append(Chip(self.filters[name].label, {name: None, "page": None}))
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
