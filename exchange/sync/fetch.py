"""Fetching a source's feed over HTTPS, politely and within bounds (standard library only).

- Only https:// addresses (plain http:// only from this machine, or with DEBUG on: see
  ``exchange.models.allowed_url``); a redirect is followed only to such an address, at most
  ``MAX_REDIRECTS`` times, never to file:, ftp: or any other scheme.
- ``timeout`` seconds to connect and for each read, and ``deadline`` seconds in all.
- At most ``max_bytes``: reading stops past it, and the fetch fails with a clear error.
- ``If-None-Match`` / ``If-Modified-Since`` from the last good fetch: a 304 means the feed
  has not changed since.
"""

import http.client
import time
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin
from urllib.request import HTTPRedirectHandler, Request, build_opener

from exchange.models import allowed_url

TIMEOUT = 30
DEADLINE = 300
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "RecoverySupportDirectory-sync/1.0"


class FetchError(Exception):
    """The feed could not be fetched; the message says why, in plain words."""


@dataclass
class Fetched:
    status: int  # 200, or 304: not changed since the last good fetch
    body: bytes
    etag: str
    last_modified: str

    @property
    def not_changed(self):
        return self.status == 304


class SafeRedirects(HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if not allowed_url(target):
            raise FetchError(
                f"The server redirects to {target!r}: only https:// addresses are followed."
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(
    url,
    *,
    etag="",
    last_modified="",
    timeout=TIMEOUT,
    deadline=DEADLINE,
    max_bytes=MAX_BYTES,
):
    """GET ``url``; return a Fetched, or raise FetchError."""
    if not allowed_url(url):
        raise FetchError(f"{url!r} is not an https:// address: it is not fetched.")
    request = Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    started = time.monotonic()
    try:
        response = build_opener(SafeRedirects).open(request, timeout=timeout)
    except HTTPError as error:
        error.close()
        if error.code == 304:
            return Fetched(304, b"", etag, last_modified)
        raise FetchError(f"The server answered {error.code} {error.reason}.") from error
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(_plain(error.reason, timeout)) from error
        raise FetchError(f"Cannot reach the server: {error.reason}.") from error
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise FetchError(_plain(error, timeout)) from error
    with response:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(_too_big(max_bytes))
        body = _read(response, max_bytes, started + deadline, timeout)
        return Fetched(
            response.status,
            body,
            response.headers.get("ETag", ""),
            response.headers.get("Last-Modified", ""),
        )


def _read(response, max_bytes, stop_at, timeout):
    chunks, size = [], 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(_too_big(max_bytes))
            if time.monotonic() > stop_at:
                raise FetchError("The feed took too long to download: stopped reading.")
            chunks.append(chunk)
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise FetchError(_plain(error, timeout)) from error
    return b"".join(chunks)


def _too_big(max_bytes):
    return f"The feed is larger than {max_bytes / 1024 / 1024:g} MB: stopped reading."


def _plain(error, timeout):
    if isinstance(error, TimeoutError):
        return f"The server did not answer within {timeout:g} seconds."
    return f"The download failed: {error}."
