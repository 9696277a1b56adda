"""The directory as Open Referral HSDS 3.0: the shapes (``builders``), the ids (``ids``) and
the tabular export (``export``). The API under /hsds/ (``opendata.hsds``) uses the same
builders.
The import reads a package or an API into tables (``tables``), rows (``reader``, ``rows``,
terms matched by ``mapping``) and hands them to ``exchange.listing_writer`` (``importer``).
"""
