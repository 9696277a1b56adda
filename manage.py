#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    # DEBUG is off unless the environment turns it on, as for the web server: a curator's
    # shell on the production server must never get development mode (and load_demo's
    # invented listings) by forgetting a variable. `make` targets set DEBUG=true.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
