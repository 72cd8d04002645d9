"""Which ``Host`` and ``Origin`` values the server answers: none that a web page elsewhere could produce.

The server listens on loopback, where any page open in the user's browser can reach it. Two checks, on
every route (API, WebSocket and admin alike, so that no route is the weak one):

* ``Host`` must name the server as only local software would: ``localhost`` (or ``*.localhost``), an IP
  address, or the host the server was started on. A DNS-rebinding page reaches the server under its own
  domain name, which is refused, so it can neither read answers nor use a key it guessed.
* ``Origin``, which browsers add to every cross-origin request and WebSocket handshake, must be absent
  (clients outside browsers) or a loopback page (``http://localhost:3000``): a page of any other site,
  or a sandboxed one (``null``), is refused even for the "simple" requests a browser sends without asking.
"""

from __future__ import annotations

import ipaddress
from typing import Final
from urllib.parse import urlsplit

DEFAULT_HOST: Final = "127.0.0.1"
"""Where the server listens unless told otherwise: loopback, out of reach of other machines."""
_LOCAL_NAMES: Final = ("localhost",)


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _normalized(name: str) -> str:
    return name.strip("[]").rstrip(".").lower()


def _host_of_authority(authority: str) -> str | None:
    """``"localhost:8080"`` gives ``localhost``, ``"[::1]:8080"`` gives ``::1``; None when malformed."""
    if authority.startswith("["):
        inside, bracket, rest = authority[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return inside.lower()
    name, colon, port = authority.partition(":")
    if colon and not port.isdigit():
        return None
    return _normalized(name)


def _is_loopback(name: str) -> bool:
    address = _ip(name)
    if address is not None:
        return address.is_loopback
    return name in _LOCAL_NAMES or name.endswith(".localhost")


def _own(name: str, own_host: str) -> bool:
    own = _normalized(own_host)
    address = _ip(own)
    return name == own and not (address is not None and address.is_unspecified)


def host_problem(host: str | None, own_host: str) -> str | None:
    """Why a ``Host`` header is refused, or None when it is one of the server's own names."""
    if not host:
        return None  # HTTP/1.0 clients and raw tools: not a browser, which always sends one
    name = _host_of_authority(host)
    if name is not None and (_ip(name) is not None or _is_loopback(name) or _own(name, own_host)):
        return None
    return (
        f"Host {host!r} is not this server's: the local server answers requests addressed to localhost "
        "or an IP address only (a web page cannot reach it under another domain name)"
    )


def origin_problem(origin: str | None, own_host: str) -> str | None:
    """Why an ``Origin`` header is refused, or None when it is absent or a page on this machine."""
    if origin is None:
        return None
    try:
        parts = urlsplit(origin.strip())
        name = _normalized(parts.hostname or "")
    except ValueError:  # e.g. "http://[::1": no page has that origin
        name = ""
    if name and parts.scheme in ("http", "https") and (_is_loopback(name) or _own(name, own_host)):
        return None
    return f"Requests from web pages of other origins are refused: Origin {origin.strip()!r}"
