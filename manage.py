#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_site.settings")
    # manage.py is the developer's and curator's tool, so it defaults to development mode;
    # the web server (recovery_site/wsgi.py, gunicorn) defaults to DEBUG off, and
    # production sets DEBUG=false explicitly for both.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
