"""Reading an uploaded CSV file into a table of rows, with a plain message when it cannot be."""

import csv
import io

import tablib
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV

from resources.csv_io.columns import cell_text, normalize_header

# An upload larger than this, or with more rows, is refused before any row is read. Each
# pass (preview, then confirm) takes about 20-35 ms a row on PostgreSQL, so 500 rows stay
# well inside the web server's 30-second timeout.
MAX_UPLOAD_BYTES = getattr(settings, "CSV_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
MAX_ROWS = getattr(settings, "CSV_IMPORT_MAX_ROWS", 500)


class CSVProblem(ValueError):
    """The file cannot be read as a table of listings; the message says why."""


class ListingCSV(CSV):
    """CSV read with every record kept, blank ones too, so that row N of the table is line
    N + 1 of the spreadsheet (tablib drops blank lines, which would shift the numbers)."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        try:
            records = list(csv.reader(io.StringIO(in_stream, newline="")))
        except csv.Error as error:
            raise CSVProblem(_("This is not a CSV file we can read: %s.") % error) from None
        if not records or not any(cell_text(cell) for cell in records[0]):
            raise CSVProblem(_("The file is empty: the first line must name the columns."))
        headers = [normalize_header(cell) for cell in records[0]]
        rows = records[1:]
        while rows and not any(cell_text(cell) for cell in rows[-1]):
            rows.pop()  # blank lines at the end, as spreadsheets write them
        if not rows:
            raise CSVProblem(_("The file has a header line but no listings under it."))
        if len(rows) > MAX_ROWS:
            raise CSVProblem(
                _("The file has %(count)s listings; import at most %(max)s at a time.")
                % {"count": f"{len(rows):,}", "max": f"{MAX_ROWS:,}"}
            )
        width = len(headers)
        for line, row in enumerate(rows, start=2):
            extra = row[width:]
            if any(cell_text(cell) for cell in extra):
                raise CSVProblem(
                    _(
                        "Line %(line)s has more cells than the header has columns: is a "
                        "comma inside a cell missing its quotes?"
                    )
                    % {"line": line}
                )
            row[:] = row[:width] + [""] * (width - len(row))
        # Columns with no header and nothing in them are leftovers of spreadsheet editing.
        used = [i for i, header in enumerate(headers) if header or any(r[i] for r in rows)]
        for i in used:
            if not headers[i]:
                raise CSVProblem(
                    _("Column %(number)s has values but no name in the header line.")
                    % {"number": i + 1}
                )
        headers = [headers[i] for i in used]
        duplicates = sorted({h for h in headers if headers.count(h) > 1})
        if duplicates:
            raise CSVProblem(
                _("These columns appear more than once: %(columns)s.")
                % {"columns": ", ".join(duplicates)}
            )
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([row[i] for i in used])
        return dataset
