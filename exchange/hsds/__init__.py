"""The directory as Open Referral HSDS 3.0: the shapes (``builders``), the ids (``ids``) and
the tabular export (``export``). The API under /hsds/ (``opendata.hsds``) uses the same
builders.
"""
