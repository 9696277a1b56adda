"""gunicorn settings: ``gunicorn recovery_site.wsgi`` picks this file up from the project folder.

Privacy: the access log records the path, status, size and duration of each request, but
never the query string (it holds what people searched for and where they are) nor the
visitor's IP address.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
timeout = 30
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker):
    # Build the town index before the first visitor asks for "City, ST".
    from resources.geo import warm_up

    warm_up()
