"""The site's own URLs, plus the benchmark's floor page (``bench/floor.py``)."""

from django.urls import path

from bench.floor import floor
from recovery_site.urls import handler400, handler403, handler404, handler500  # noqa: F401
from recovery_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *site_urlpatterns]
