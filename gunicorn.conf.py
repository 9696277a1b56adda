"""gunicorn settings: ``gunicorn recovery_site.wsgi`` picks this file up from the project folder.

Sized for a small server with 2 CPU cores. Change the numbers without editing this file:
WEB_CONCURRENCY (worker processes), WEB_THREADS (threads in each), HOST and PORT; any other
gunicorn option through GUNICORN_CMD_ARGS, e.g. ``GUNICORN_CMD_ARGS="--timeout 60"``.

Each thread keeps its own database connection open (DB_CONN_MAX_AGE), so PostgreSQL sees
up to workers × threads connections: 10 with the defaults on 2 cores.

Privacy: the access log records the path, status, size and duration of each request, but
never the query string (it holds what people searched for and where they are) nor the
visitor's IP address; the error log names no address either (recovery_site/logging.py).

Behind an HTTPS proxy on another machine, list its address in TRUSTED_PROXIES.
"""

import gc
import os


def available_cores():
    # The cores this process may run on, which a container may limit below the machine's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"

# Pages are mostly Python work (templates, filters), and Python runs one thread of a
# process at a time, so processes are what use the cores: two per core plus one keeps
# both cores busy while other workers wait on PostgreSQL (gunicorn's own rule of thumb).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * available_cores() + 1))

# A second thread lets a worker answer while its other request waits on the database or
# on a slow client, and threads keep browsers' keep-alive connections. The threaded
# worker also tells gunicorn it is alive from its own loop, so a long admin CSV import is
# not killed by `timeout` below.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 2))

# Load Django once in the master before forking: workers start in milliseconds and share
# the loaded code's memory, and a bad setting stops start-up once with a clear message
# instead of every worker failing in a loop.
preload_app = True

# Replace each worker after about 5,000 requests so a slow leak can never grow without
# bound; the jitter keeps the workers from all restarting at the same moment.
max_requests = 5000
max_requests_jitter = 500

# A worker that stops answering for 30 seconds is replaced; on restart or deploy, requests
# in progress get 30 seconds to finish.
timeout = 30
graceful_timeout = 30

# No control socket (gunicornc): nothing here uses it, and two servers on one machine
# (tests, benchmarks) would fight over its single default path.
control_socket_disable = True

# The HTTPS proxies in front of the site (comma-separated addresses or networks, the same
# TRUSTED_PROXIES Django reads). gunicorn believes their X-Forwarded-Proto: https, and only
# theirs, and tells Django the request is secure; without that, behind a proxy on another
# host every form and admin POST fails the CSRF check and SECURE_SSL_REDIRECT loops.
# Default: none, as for Django's rate limits, so one setting says whom the site believes (a
# proxy on this machine is listed as 127.0.0.1). gunicorn refuses an entry that is not an
# address or network, and Django's own reading of the variable stops start-up too.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "").strip()

accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Keeps IP addresses out of the error log and writes control characters in a path as
# escapes, so that no request can add a line of its own to either log.
logger_class = "recovery_site.logging.GunicornLogger"


def when_ready(server):
    # With preload_app the master has Django loaded: build the town index once here and
    # every worker inherits it. No database connection may cross the fork.
    if server.cfg.preload_app:
        from django.db import connections

        from resources.geo import warm_up

        warm_up()
        connections.close_all()
        # Move everything loaded so far (Django, the templates, the town and ZIP indexes)
        # out of the garbage collector's reach: full collections then walk only what a
        # request makes, and the workers' copies of these pages stay shared.
        gc.freeze()


def post_worker_init(worker):
    # Build the town index before the first visitor asks for "City, ST" (nothing to do
    # when the master already built it).
    from resources.geo import warm_up

    warm_up()
    gc.freeze()
