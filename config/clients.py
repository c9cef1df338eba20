"""Who a client is, for the limits of the public side and of staff sign-in.

Behind the local proxy (a connection from AMANAT_TRUSTED_PROXIES) only the header that
proxy sets counts (AMANAT_CLIENT_HEADER). nginx (deploy/nginx/) sets it to a keyed token
for clear-web visitors ("c1." and an HMAC-SHA256 of the address, or of its /64 for IPv6,
under a key only nginx holds: never the address itself) and to the Tor circuit's id for
onion visitors (an address in fc00:dead:beef:4dad::/64). A token is kept as it is; an
address is kept as its /64 (IPv6) or whole. From a trusted proxy without that header there
is no per-client signal. Any other connection is known by its address.

The signal may name a client: callers replace it at once by an HMAC under a key that
exists only in process memory (`day_key`), derived from RATELIMIT_SECRET and the date,
never from SECRET_KEY and never stored beside the counters.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.AMANAT_TRUSTED_PROXIES)))


def _meta_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


# Tor names each onion circuit by an address in this /64 (HiddenServiceExportCircuitID
# haproxy): there each address is one circuit and is kept whole.
_TOR_CIRCUITS = ipaddress.ip_network("fc00:dead:beef:4dad::/64")


def _network_of(value: str) -> str:
    """An IPv6 address stands for its /64: one subscriber gets a whole /64 and could
    otherwise take a new address for every try. Anything else is kept as it is."""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return value
    if ip.version == 6 and ip.ipv4_mapped is None and ip not in _TOR_CIRCUITS:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return value


def client_signal(request: HttpRequest) -> str | None:
    """What tells this client apart, in clear, or None when nothing does. Never store
    it: hash it at once."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if _trusted_proxy(address):
        value = str(request.META.get(_meta_name(settings.AMANAT_CLIENT_HEADER), "")).strip()
        return f"proxy:{_network_of(value[:200])}" if value else None
    return f"addr:{_network_of(address)}" if address else None


def day_key(purpose: str, day: str) -> bytes:
    """The key that names clients for `purpose` on `day` (an ISO date)."""
    label = f"amanat/{purpose}/day/{day}".encode()
    return hmac.new(settings.RATELIMIT_SECRET, label, hashlib.sha256).digest()
