"""Dates, times and numbers as each language writes them in the United States
(settings.FORMAT_MODULE_PATH). A language without a module here uses Django's own."""
