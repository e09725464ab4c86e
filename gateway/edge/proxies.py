"""Who the client is, by address: the peer's address, unless the peer is a proxy
the library trusts (GATEWAY_TRUSTED_PROXIES, addresses or networks; none by
default). Then X-Forwarded-For says who it forwarded for, read from the right: each
trusted proxy appends the address it was sent from, so the right-most address that
is not a trusted proxy is the first one no trusted hand wrote down for us; anything
to its left is the client's own say and counts for nothing. From an untrusted peer
the header is ignored: anyone can send it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

PEER = "pustaka.peer"  # in a request's environ: the connection's own address


def networks(setting) -> tuple[Network, ...]:
    """GATEWAY_TRUSTED_PROXIES as networks: a list, or one string of them separated by
    commas (as an environment variable gives it); a mistake is refused at start."""
    if setting is None:
        return ()
    entries = setting.split(",") if isinstance(setting, str) else setting
    found = []
    for entry in entries:
        text = str(entry).strip()
        if not text:
            continue
        try:
            found.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ValueError(f"GATEWAY_TRUSTED_PROXIES: {text!r} is no address or network") from exc
    return tuple(found)


def parse(text: str) -> Address | None:
    """An address as a header or the server gives it (a port or brackets around it
    are dropped); an IPv4 address mapped into IPv6 is the IPv4 address."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:8080
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:8080
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


class TrustedProxies:
    def __init__(self, trusted: Iterable[Network] = ()):
        self.trusted = tuple(trusted)

    def trusts(self, address: Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    def client(self, peer: str, forwarded_for: str | None) -> str:
        """The client's address for a request from `peer` carrying `forwarded_for`
        (X-Forwarded-For, its lines joined by commas)."""
        nearest = parse(peer or "")
        if not self.trusts(nearest) or not forwarded_for:
            return str(nearest) if nearest else peer or ""
        for entry in reversed(forwarded_for.split(",")):
            address = parse(entry)
            if address is None:
                # A trusted proxy wrote something that is no address: the hop that
                # handed it to us is the nearest client we know.
                break
            nearest = address
            if not self.trusts(address):
                break
        return str(nearest)
