"""Who is asking: the one rule for a visitor's address, and the only form it is kept in.

``client_address(request)`` is the address of the visitor's own connection. Without
``TRUSTED_PROXIES`` that is ``REMOTE_ADDR`` and ``X-Forwarded-For`` is ignored: anyone can
send that header with any value. When ``REMOTE_ADDR`` is one of the trusted reverse proxies,
the header is read from the right, past every address that is itself a trusted proxy; the
first one that is not is the visitor. Entries further left were written by the visitor
(or whoever the visitor's proxy trusted) and are never read.

``rate_key(address)`` is what rate limits count under: an HMAC keyed with ``SECRET_KEY``, so
the address cannot be read back from the cache. IPv6 addresses are counted per /64 (one
household or server gets a whole /64 and can pick a new address for every request), and
IPv4 seen through IPv6 (``::ffff:203.0.113.9``) as the IPv4 address it is.

Nothing here stores or logs an address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac


def _parse(text):
    """The IP address in ``text`` (IPv4-mapped IPv6 as IPv4), or None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address):
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request):
    """The visitor's address as text ("" when the server gives none)."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = _parse(remote)
    if address is None:
        return remote.strip()
    if not settings.TRUSTED_PROXIES or not _is_trusted(address):
        return str(address)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        hop = _parse(entry)
        if hop is None:
            # Not written by a proxy we trust (they write plain addresses): the nearest
            # address we can vouch for is the one that handed this entry on.
            break
        address = hop
        if not _is_trusted(hop):
            break
    return str(address)


def rate_key(address):
    """A keyed hash standing for ``address`` in rate limits (IPv6 by its /64)."""
    parsed = _parse(address)
    if parsed is None:
        text = address.strip()
    elif parsed.version == 6:
        text = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    else:
        text = str(parsed)
    return salted_hmac("recovery_site.clients.rate_key", text, algorithm="sha256").hexdigest()
