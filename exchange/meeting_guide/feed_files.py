"""Meeting Guide feeds made once per change of the data, then served as they are.

A feed is named by the public *generation* (``directory/public_cache.py``: a new one
whenever anything public changes) and a hash of what was asked. The first request of a
generation makes it; requests for the same feed arriving meanwhile wait for that one build
(an exclusive lock on a lock file) and are then served what it made. Then:

- a feed of up to ``largest`` bytes (a city's) is kept in the cache, like other public
  pages, for ``seconds``;
- a larger one (a whole fellowship's or country's: 64 MB at 100,000 meetings) is written to
  ``FEEDS_DIR/<generation>/<hash>.json`` and streamed from that file (``FileResponse``; under
  gunicorn the kernel sends it with ``sendfile``), never held whole in a worker's memory or
  sent to Redis. It is written under a temporary name and renamed, so no reader ever sees
  half a file. Writing a new generation's file removes older generations' folders.

Every response carries an ETag and Last-Modified (the moment of the change that began the
generation), so a client that already has this version gets 304 Not Modified.

If the cache cannot be reached there is no generation to trust: the feed is made for that
request into a temporary file and streamed from it.
"""

import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from resources import public_cache

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json"
FILENAME = "meeting-guide.json"
# Builds of different feeds share these lock files (a fixed number, however many different
# questions are asked): at worst one waits for another's build.
LOCK_STRIPES = 16
# A half-written feed older than this was abandoned (a build takes seconds).
ABANDONED_SECONDS = 60 * 60


def serve(request, parts, write, *, largest, seconds):
    """The response for the feed named by ``parts``, made by ``write(binary_file)`` when
    needed. An exception from ``write`` reaches the caller, and nothing is kept."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    try:
        current = public_cache.generation()
    except Exception:
        logger.warning("The cache is unreachable; making the feed afresh.", exc_info=True)
        return _made_for_this_request(write)
    etag = f'"{current}-{digest}"'
    modified = current // 1_000_000_000  # generations are time.time_ns() of the change
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = _kept(current, digest, write, largest, seconds)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(modified)
    return response


def _kept(current, digest, write, largest, seconds):
    key = f"public:{current}:meeting-guide-feed:{digest}"
    path = Path(settings.FEEDS_DIR) / str(current) / f"{digest}.json"
    if (found := _found(key, path)) is not None:
        return found
    with _lock(digest):
        # The build this request waited for may have made it.
        if (found := _found(key, path)) is not None:
            return found
        # Made beside the generations' folders, so a small feed leaves no folder behind.
        made = _written(write, path.parent.parent)
        if made.stat().st_size <= largest:
            body = made.read_bytes()
            made.unlink()
            try:
                cache.set(key, body, seconds)
            except Exception:
                logger.warning("The cache is unreachable; feed not kept.", exc_info=True)
            return HttpResponse(body, content_type=CONTENT_TYPE)
        path.parent.mkdir(exist_ok=True)
        os.replace(made, path)
        _forget_older_generations(path.parent, current)
        return _opened(path)


def _found(key, path):
    cached = _cached(key)
    return cached if cached is not None else _opened(path)


def _cached(key):
    try:
        body = cache.get(key)
    except Exception:
        logger.warning("The cache is unreachable; looking for the feed's file.", exc_info=True)
        return None
    return None if body is None else HttpResponse(body, content_type=CONTENT_TYPE)


def _opened(path):
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it when sent
    except FileNotFoundError:
        return None
    return FileResponse(handle, content_type=CONTENT_TYPE, filename=FILENAME)


@contextmanager
def _lock(digest):
    folder = Path(settings.FEEDS_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    stripe = int(digest[:8], 16) % LOCK_STRIPES
    # Mode "a" creates the file if need be and never empties it; the lock goes with the
    # file's closing, even if the build fails.
    with open(folder / f"{stripe}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _written(write, folder):
    """A new file in ``folder`` holding what ``write`` wrote (removed if it fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as handle:
        try:
            write(handle)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    return Path(handle.name)


def _forget_older_generations(folder, current):
    for other in folder.parent.iterdir():
        if other.name.isdigit() and int(other.name) < current:
            shutil.rmtree(other, ignore_errors=True)
        elif other.suffix == ".part":
            # Left by a worker stopped in the middle of a build (or another's, being written).
            with suppress(OSError):
                if other.stat().st_mtime < time.time() - ABANDONED_SECONDS:
                    other.unlink()


def _made_for_this_request(write):
    folder = Path(settings.FEEDS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    # Unnamed on disk: the file goes when the response closes it.
    handle = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, content_type=CONTENT_TYPE, filename=FILENAME)
