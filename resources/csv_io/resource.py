"""Importing and exporting the rows of one kind of listing (django-import-export resources)."""

import logging
from functools import cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.instance_loaders import CachedInstanceLoader
from import_export.resources import ModelResource
from import_export.results import Result, RowResult

from resources import search_index
from resources.csv_io.columns import (
    RelatedWidget,
    VocabularyField,
    cell_text,
    columns_of,
    current_terms,
    normalize_header,
    widget_for,
)
from resources.csv_io.files import CSVProblem
from resources.models import Listing
from resources.models.history import one_history_row

logger = logging.getLogger(__name__)

CHANGE_REASON = "CSV import"


class ListingImportResult(Result):
    """Rows numbered as the spreadsheet numbers its lines: the header is line 1."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def row_errors(self):
        return [(row.line, row.errors) for row in self.rows if row.errors]


class ListingResource(ModelResource):
    """Shared behaviour of every kind's resource; ``listing_resource()`` adds the columns."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.file_columns = None
        self.header_problem = False
        self.slugs_seen = set()
        self.saved_pks = []
        self.slugs_of_other_kinds = {}

    def get_result_class(self):
        return ListingImportResult

    def related_columns(self):
        return [
            name for name, field in self.fields.items() if isinstance(field.widget, RelatedWidget)
        ]

    def get_queryset(self):
        # What the rows of the file are matched with: one query, plus one for the terms.
        return self._meta.model.objects.select_related(*self.related_columns()).prefetch_related(
            "terms"
        )

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance.kind = instance.listing_kind
        return instance

    # Reading the file

    def import_data(self, dataset, *args, **kwargs):
        # Only the columns in the file are read, compared and shown in the preview.
        dataset.headers = [normalize_header(header) for header in dataset.headers or ()]
        self.file_columns = set(dataset.headers)
        # Each save and change of terms would re-index its listing twice over; after_import
        # indexes the saved listings once, in one batch.
        with search_index.per_save_refreshes_skipped():
            return super().import_data(dataset, *args, **kwargs)

    def get_import_fields(self):
        fields = super().get_import_fields()
        if self.file_columns is None:
            return fields
        return [field for field in fields if field.column_name in self.file_columns]

    def before_import(self, dataset, **kwargs):
        known = set(self.fields)
        unknown = [header for header in dataset.headers if header not in known]
        problems = []
        if "slug" not in dataset.headers:
            problems.append(_("The file needs a “slug” column: it says which listing a row is."))
        if unknown:
            problems.append(
                _("Unknown columns: %(unknown)s. The columns are: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(self.get_export_order())}
            )
        if problems:
            self.header_problem = True
            raise CSVProblem(" ".join(str(problem) for problem in problems))
        slugs = {cell_text(slug) for slug in dataset["slug"]} - {""}
        self.slugs_of_other_kinds = dict(
            Listing.objects.filter(slug__in=slugs)
            .exclude(kind=self._meta.model.KIND)
            .values_list("slug", "kind")
        )

    def import_row(self, row, instance_loader, **kwargs):
        line = kwargs["row_number"] + 1
        if self.header_problem or not any(cell_text(value) for value in row.values()):
            # Nothing to do: the file is refused as a whole, or the line is blank.
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
        else:
            row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.errors:
            # The database refused the row (a check constraint, see validate_instance) or
            # something unforeseen failed: report it on its line, not as a traceback. The
            # row's savepoint is rolled back; the import as a whole is then too.
            error = row_result.errors[0].error
            if isinstance(error, IntegrityError):
                message = violated_constraint(self._meta.model, error)
            else:
                logger.warning("CSV import line %s could not be saved: %r", line, error)
                message = _("This row could not be saved: %(error)s") % {"error": error}
            row_result.errors = []
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(message)
        row_result.line = line
        return row_result

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        stored_status = instance.status if instance.pk else None
        instance.csv_terms_before = current_terms(instance)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if stored_status and instance.status != stored_status and "status" not in errors:
            # The workflow (draft → pending review → published → archived), as in the admin.
            refusal = instance.status_change_error(instance.status, old_status=stored_status)
            if refusal:
                errors["status"] = [refusal]
        slug = instance.slug
        if slug in self.slugs_of_other_kinds:
            kind = Listing._meta.get_field("kind").flatchoices
            errors.setdefault("slug", []).append(
                _("“%(slug)s” is already the slug of a listing of another kind (%(kind)s).")
                % {"slug": slug, "kind": dict(kind)[self.slugs_of_other_kinds[slug]]}
            )
        elif slug and slug in self.slugs_seen:
            errors.setdefault("slug", []).append(
                _("“%(slug)s” is on an earlier line of this file too.") % {"slug": slug}
            )
        self.slugs_seen.add(slug)
        if errors:
            raise ValidationError(errors)

    # Saving

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Field checks and the model's clean(), as the admin form runs them.

        The check constraints are left to the database, which the preview writes to as
        well (and rolls back): checking each in Python costs a query per constraint per row.
        """
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=errors.keys(), validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # Read by django-simple-history when it writes the historical row.
        file_name = kwargs.get("file_name")
        reason = f"{CHANGE_REASON} ({file_name})" if file_name else CHANGE_REASON
        instance._change_reason = reason[:100]
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]

    def save_m2m(self, instance, row, **kwargs):
        chosen = getattr(instance, "csv_terms", None)
        if not chosen:
            return
        kept = [term for term in instance.csv_terms_before if term.vocabulary not in chosen]
        # The save and the new terms make one history row, as an edit in the admin does.
        with one_history_row(instance):
            instance.terms.set([*kept, *(term for terms in chosen.values() for term in terms)])

    def after_save_instance(self, instance, row, **kwargs):
        self.saved_pks.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and self.saved_pks:
            search_index.refresh_search_index(Listing.objects.filter(pk__in=self.saved_pks))

    # Exporting

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.related_columns()).prefetch_related("terms")


def violated_constraint(model, error):
    """The message of the constraint the database names in ``error``, as full_clean() words it."""
    for owner in [model, *model._meta.get_parent_list()]:
        for constraint in owner._meta.constraints:
            if constraint.name in str(error):
                return constraint.get_violation_error_message()
    return _("The database refused this row: %(error)s") % {"error": error}


@cache
def listing_resource(model):
    """The CSV resource of one kind of listing (Clinician, SupportGroup…)."""
    columns = columns_of(model)
    vocabularies = {vocabulary.value: vocabulary for vocabulary in model.vocabularies}
    fields = {}
    for column in columns:
        if column in vocabularies:
            fields[column] = VocabularyField(vocabularies[column])
        else:
            fields[column] = Field(
                attribute=column,
                column_name=column,
                widget=widget_for(model._meta.get_field(column)),
            )
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": columns,
            "import_order": columns,
            "export_order": columns,
            "import_id_fields": ("slug",),
            "instance_loader_class": CachedInstanceLoader,
            "clean_model_instances": True,
            "use_transactions": True,
            "skip_unchanged": True,
            "report_skipped": False,
            "name": model._meta.verbose_name_plural,
        },
    )
    return type(ListingResource)(
        f"{model.__name__}Resource", (ListingResource,), {"Meta": meta, **fields}
    )
