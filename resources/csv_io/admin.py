"""The Import and Export buttons of the typed listing admins."""

import logging
import re

from django.contrib import messages
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from resources.csv_io import files
from resources.csv_io.files import CSVProblem, ListingCSV
from resources.csv_io.resource import listing_resource

logger = logging.getLogger(__name__)


class ListingImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > files.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s MB; upload at most %(max)s MB at a time.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "max": f"{files.MAX_UPLOAD_BYTES / 1024 / 1024:.0f}",
                }
            )
        start = upload.read(2048)
        upload.seek(0)
        if start.startswith(b"PK\x03\x04"):
            raise ValidationError(
                _(
                    "This is a spreadsheet workbook, not a CSV file. In your spreadsheet "
                    "choose Save as (or Download) → CSV UTF-8, then upload that file."
                )
            )
        if b"\x00" in start:
            raise ValidationError(_("This is not a text file. Upload a CSV file (UTF-8)."))
        return upload


class ListingConfirmImportForm(ConfirmImportForm):
    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        # Only a name the preview's storage gave (a temporary file, or a cache key if
        # IMPORT_EXPORT_TMP_STORAGE_CLASS says so), never another file on the server.
        if not re.fullmatch(r"tmp\w+|[0-9a-f]{32}", name):
            raise ValidationError(_("Upload the file again."))
        return name


class ListingCSVMixin(ImportExportMixin):
    """Import and Export buttons for a typed listing admin (put it first among the bases).

    Import needs the add and change permissions on the model; export the view permission.
    Export takes the changelist's current filters and search; the "Export selected" action
    takes the ticked rows.
    """

    import_template_name = "admin/import_export/listing_import.html"
    import_form_class = ListingImportForm
    confirm_form_class = ListingConfirmImportForm
    # A BOM tells Excel the file is UTF-8; import reads files with or without one.
    from_encoding = "utf-8-sig"
    to_encoding = "utf-8-sig"
    # One format, every column: clicking Export downloads the file.
    skip_export_form = True
    import_error_display = ("message",)

    def get_resource_classes(self, request):
        return [listing_resource(self.model)]

    def get_import_formats(self):
        return [ListingCSV]

    def get_export_formats(self):
        return [ListingCSV]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing, also when a row turns invalid between preview and confirm.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            message = _(
                "The file is not UTF-8 text. In your spreadsheet choose Save as (or "
                "Download) → CSV UTF-8, then upload that file."
            )
        elif isinstance(e, CSVProblem):
            message = str(e)
        else:
            logger.warning("CSV import could not read a file: %r", e)
            message = _("This file could not be read as CSV. Upload a CSV file (UTF-8).")
        form.add_error("import_file", message)

    def import_url(self):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.error(
                request,
                _(
                    "The uploaded file is no longer here: it may have been imported already. "
                    "Check the list, and upload the file again if it was not."
                ),
            )
            return HttpResponseRedirect(self.import_url())

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed nothing: a row became invalid after the preview.
            problems = [
                f"{_('line')} {row.number}: {'; '.join(row.error.messages)}"
                for row in result.invalid_rows[:10]
            ] + [str(error.error) for error in result.base_errors]
            messages.error(
                request,
                _("Nothing was imported. %(problems)s") % {"problems": " · ".join(problems)},
            )
            return HttpResponseRedirect(self.import_url())
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _("Import finished: %(new)d new, %(changed)d changed, %(same)d unchanged.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "changed": totals[RowResult.IMPORT_TYPE_UPDATE],
                "same": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["max_rows"] = files.MAX_ROWS
        context["max_megabytes"] = files.MAX_UPLOAD_BYTES // 1024 // 1024
        context["vocabularies"] = [
            (vocabulary.label, vocabulary.value) for vocabulary in self.model.vocabularies
        ]
        return context

    def export_action(self, request):
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, FieldError, ValidationError):
            # A filter in the address that the list does not have, or a bad value for one:
            # the list itself shows Django's "?e=1" notice for these.
            messages.error(request, _("The list's filters in the address are not valid."))
            opts = self.model._meta
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            return HttpResponseRedirect(f"{changelist}?e=1")

    def get_export_filename(self, request, queryset, file_format):
        name = slugify(self.model._meta.verbose_name_plural)
        return f"{name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self.has_export_permission(request):
            actions["export_selected_csv"] = (
                type(self).export_selected_csv,
                "export_selected_csv",
                _("Export selected %(verbose_name_plural)s as CSV"),
            )
        return actions

    def export_selected_csv(self, request, queryset):
        return self._do_file_export(ListingCSV(), request, queryset)
