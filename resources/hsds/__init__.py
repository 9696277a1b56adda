"""The directory as Open Referral HSDS 3.0 open data: an API under /hsds/ and a CSV export.

Every published listing is an HSDS *service*; the shapes are built once, in ``builders``,
and both the API (``views``) and the tabular export (``export``) use them.
"""
