"""The client's address (gateway/edge/proxies.py): X-Forwarded-For believed only
from a trusted proxy, read from the right, and the proxies to trust as configured."""

import ipaddress

import pytest

from gateway.edge.proxies import TrustedProxies, networks

PROXIES = TrustedProxies(networks(["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"]))


def test_trusted_proxies_are_a_list_or_one_string_of_them():
    assert networks([]) == networks("") == networks(None) == ()
    assert networks("10.0.0.0/8, 192.0.2.7") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("192.0.2.7/32"),
    )
    with pytest.raises(ValueError, match="'proxy.local' is no address"):
        networks(["proxy.local"])


def test_from_a_peer_not_trusted_the_header_counts_for_nothing():
    assert PROXIES.client("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert TrustedProxies().client("10.0.0.1", "198.51.100.1") == "10.0.0.1"  # trusts none


def test_from_a_trusted_peer_the_client_is_the_right_most_address_it_did_not_add():
    assert PROXIES.client("10.0.0.1", "198.51.100.1") == "198.51.100.1"
    # a client's own header is to the left of what the proxies appended
    assert PROXIES.client("10.0.0.1", "1.2.3.4, 198.51.100.1") == "198.51.100.1"
    # through two proxies of ours
    assert PROXIES.client("10.0.0.1", "1.2.3.4, 198.51.100.1, 192.0.2.7") == "198.51.100.1"
    # no header: the proxy itself asked
    assert PROXIES.client("10.0.0.1", None) == "10.0.0.1"


def test_a_chain_of_trusted_addresses_only_ends_at_the_left_most():
    assert PROXIES.client("10.0.0.1", "10.9.9.9, 192.0.2.7") == "10.9.9.9"


def test_what_is_no_address_ends_the_walk_at_the_hop_that_passed_it_on():
    assert PROXIES.client("10.0.0.1", "198.51.100.1, unknown") == "10.0.0.1"
    assert PROXIES.client("10.0.0.1", "unknown, 10.2.2.2") == "10.2.2.2"


@pytest.mark.parametrize(
    "entry, client",
    [
        ("198.51.100.1:4711", "198.51.100.1"),
        ("[2001:db9::1]:4711", "2001:db9::1"),
        ("2001:DB9:0::1", "2001:db9::1"),
        ("::ffff:198.51.100.1", "198.51.100.1"),
    ],
)
def test_ports_brackets_and_spellings_are_one_address(entry, client):
    assert PROXIES.client("10.0.0.1", entry) == client


def test_a_peer_mapped_into_ipv6_is_its_ipv4_address():
    assert PROXIES.client("::ffff:10.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert PROXIES.client("::ffff:203.0.113.5", None) == "203.0.113.5"
