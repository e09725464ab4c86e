"""Where a webhook may go. An endpoint's URL is http or https, and its host must
not resolve to this machine or the library's own network (loopback, private,
link-local, multicast, unspecified, or any other address not globally reachable):
a webhook is a request the platform makes on an integrator's word, and must not
reach what only the platform can. The check is made at registration and again for
every connection, and the connection goes to the address that was checked (never
resolved a second time), so a name that resolves elsewhere later (DNS rebinding)
gains nothing. A setting (ALLOW_PRIVATE_URLS) lifts it, for tests and a machine
of one's own."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from chassis.errors import field_error

SCHEMES = {"http": 80, "https": 443}


class Refused(ValueError):
    """A URL a webhook may not be sent to; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as the URL names it: the Host header and TLS name
    port: int
    path: str  # with its query


def parse(url: str) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"not a URL ({exc})") from exc
    if parts.scheme not in SCHEMES:
        raise Refused("only http and https URLs are taken")
    if not parts.hostname:
        raise Refused("the URL names no host")
    if parts.username or parts.password:
        raise Refused("credentials in the URL are not taken; the signature authenticates")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or SCHEMES[parts.scheme], path)


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    # Not global: loopback, private, link-local, unspecified, reserved, shared
    # (carrier NAT) and documentation ranges; multicast is never an endpoint.
    return not ip.is_global or ip.is_multicast


def resolve(target: Target, allow_private: bool) -> str:
    """The address to connect to: the first the host resolves to, once every address
    it resolves to is one a webhook may go to (else Refused)."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Refused(f"the host {target.host!r} does not resolve ({exc})") from exc
    addresses = [info[4][0] for info in found]
    if not addresses:
        raise Refused(f"the host {target.host!r} does not resolve")
    if not allow_private:
        bad = [a for a in addresses if _forbidden(a)]
        if bad:
            raise Refused(
                f"the host {target.host!r} resolves to {bad[0]}, a loopback, private, "
                "link-local, multicast or unspecified address"
            )
    return addresses[0]


def check_url(url: str, allow_private: bool) -> str:
    """The URL if a webhook may be sent there now, else a field error on "url"."""
    try:
        resolve(parse(url), allow_private)
    except Refused as exc:
        raise field_error("url", f"Refused: {exc}.") from exc
    return url
