"""Forms curators fill in: one group of checkboxes per vocabulary instead of one giant list.

Listings keep every tag in a single ``terms`` field. ``VocabularyTermsForm`` hides it and
offers one field per vocabulary of the model (``Clinician.vocabularies`` …), named after
the vocabulary (``language``, ``payment`` …), then writes the union back to ``terms``.
"""

from django import forms
from django.db.models import Q
from django.forms.models import ModelFormMetaclass
from django.utils.translation import gettext_lazy as _

from resources.models import ListingStatus, Term
from resources.models.history import one_history_row


def offered_terms(vocabulary, keep=()):
    """The active terms of a vocabulary, plus ``keep``: retired terms an object already has."""
    return Term.objects.filter(vocabulary=vocabulary).filter(
        Q(is_active=True) | Q(pk__in=[term.pk for term in keep])
    )


def historical_snapshot(instance, field_name):
    """The terms an m2m field held in the version ``instance`` was rebuilt from, when it is
    an old version being reverted in the admin (simple-history marks those); else None."""
    version = getattr(instance, "_history", None)
    if version is None:
        return None
    term_ids = getattr(version, field_name).values_list("term_id", flat=True)
    return list(Term.objects.filter(pk__in=term_ids))


class TermChoiceField(forms.ModelMultipleChoiceField):
    """Terms as checkboxes; a retired term still on the object says so."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        if obj.is_active:
            return obj.label
        return _("%(label)s (retired)") % {"label": obj.label}


class VocabularyTermsFormMetaclass(ModelFormMetaclass):
    """Declares one field per vocabulary of ``Meta.model``.

    The fields must be declared on the class, not added in ``__init__``, because the
    admin builds the form from its fieldsets and refuses names the class does not know.
    """

    def __new__(mcs, name, bases, attrs):
        model = getattr(attrs.get("Meta"), "model", None)
        for vocabulary in getattr(model, "vocabularies", ()):
            attrs.setdefault(
                vocabulary.value,
                TermChoiceField(
                    queryset=offered_terms(vocabulary),
                    required=False,
                    label=vocabulary.label,
                ),
            )
        return super().__new__(mcs, name, bases, attrs)


class VocabularyTermsForm(forms.ModelForm, metaclass=VocabularyTermsFormMetaclass):
    """Base form for every kind of listing; subclasses (or the admin) set ``Meta.model``."""

    class Meta:
        # The base knows no model, so it can only name what to leave out: the raw terms,
        # which the vocabulary fields replace. The admin's fieldsets list the fields.
        exclude = ("terms",)  # noqa: DJ006

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_terms = list(self.instance.terms.all()) if self.instance.pk else []
        status = self.fields.get("status")
        if status is not None and self.instance.pk is not None:
            current = ListingStatus(self.instance.status)
            status.help_text = _("%(status)s now; it can become %(choices)s.") % {
                "status": current.label,
                "choices": " or ".join(str(s.label).lower() for s in current.next_statuses),
            }
        snapshot = historical_snapshot(self.instance, "terms")
        if snapshot is not None:
            # Reverting to an earlier version: its terms are the ones to show and restore.
            self.current_terms = snapshot
        for vocabulary in self.vocabularies:
            field = self.fields.get(vocabulary.value)
            if field is None:
                continue
            current = [term for term in self.current_terms if term.vocabulary == vocabulary]
            # Retired terms stay offered (and ticked) on the listings that already have them,
            # so saving the form never drops them behind the curator's back.
            field.queryset = offered_terms(vocabulary, keep=current)
            self.initial.setdefault(vocabulary.value, [term.pk for term in current])

    def clean(self):
        cleaned_data = super().clean()
        # The workflow (ListingStatus.can_become), checked against the status stored now.
        status = cleaned_data.get("status")
        if status and self.instance.pk is not None and "status" in self.fields:
            refusal = self.instance.status_change_error(status)
            if refusal:
                self.add_error("status", refusal)
        return cleaned_data

    @property
    def vocabularies(self):
        return getattr(self._meta.model, "vocabularies", ())

    def chosen_terms(self):
        """The terms to store: those chosen here, plus any of vocabularies not on this form."""
        shown = {v.value for v in self.vocabularies if v.value in self.fields}
        terms = [term for term in self.current_terms if term.vocabulary not in shown]
        for name in shown:
            terms.extend(self.cleaned_data.get(name, ()))
        return terms

    def _save_m2m(self):
        # The admin calls save(commit=False) and later save_m2m() from save_related(),
        # after the listing has a primary key: both paths run through here. The listing's
        # save and its new terms make one history row, not one per term added or removed.
        with one_history_row(self.instance):
            super()._save_m2m()
            self.instance.terms.set(self.chosen_terms())
