"""CSV import and export of listings in the curators' admin.

Every typed listing admin gets an Import and an Export button (``ListingCSVMixin``). A file
has one row per listing, keyed by ``slug``: a known slug updates that listing, a new slug
creates one. The columns are the listing's fields, one column per vocabulary holding term
codes separated by "|", and the kind's own fields (docs/csv-format.md). An exported file
imports back unchanged.

Importing is all or nothing: the file is first tried in a transaction that is rolled back
(the preview); if any row has a problem, the preview lists each one by its line in the
spreadsheet (the header is line 1) and nothing is saved. Confirming runs the same import for
real, again rolled back entirely if any row fails. Each listing is saved with ``save()``, so
the history (with the curator and "CSV import" as the reason) and the admin log are written
as for an edit in the admin; the search text is refreshed once for all of them.

``columns`` turns cells into field values and back, ``files`` reads the uploaded file,
``resource`` imports and exports rows (django-import-export), ``admin`` is the admin mixin.
"""

from resources.csv_io.admin import ListingCSVMixin
from resources.csv_io.columns import columns_of
from resources.csv_io.resource import listing_resource

__all__ = ["ListingCSVMixin", "columns_of", "listing_resource"]
