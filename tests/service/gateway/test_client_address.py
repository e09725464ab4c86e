"""The client's address as the gateway's routes see it, over real sockets: the peer's,
and behind a trusted proxy the one it forwards for (gateway/edge/proxies.py). The
test's two clients are 127.0.0.1, the proxy where one is trusted, and 127.0.0.2."""

import pytest

from gateway.edge.errors import json_response
from gateway.edge.http import PUBLIC, route
from tests.support import client_at, free_port

FORWARDED = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}


class Who:
    name = "who"

    @route("GET", "/who", roles=PUBLIC)
    def who(self, request):
        return json_response({"address": request.remote_addr})


@pytest.fixture
def serve(config, container_factory):
    def serving(trusted: list[str]) -> str:
        port = free_port()
        settings = {**config, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}"}
        container_factory(Who, {**settings, "GATEWAY_TRUSTED_PROXIES": trusted}).start()
        return f"http://127.0.0.1:{port}/who"

    return serving


def seen(url: str, client: str, headers: dict | None = None) -> str:
    return client_at(client).get(url, headers=headers or {}, timeout=5).json()["address"]


def test_without_trusted_proxies_the_header_counts_for_nothing(serve):
    url = serve([])
    assert seen(url, "127.0.0.1", FORWARDED) == "127.0.0.1"
    assert seen(url, "127.0.0.2", FORWARDED) == "127.0.0.2"


def test_behind_a_trusted_proxy_the_client_is_the_one_it_forwards_for(serve):
    url = serve(["127.0.0.1"])
    assert seen(url, "127.0.0.1", FORWARDED) == "198.51.100.1"
    assert seen(url, "127.0.0.1") == "127.0.0.1"  # the proxy asking for itself
    # a peer that is not the proxy sends the same header in vain
    assert seen(url, "127.0.0.2", FORWARDED) == "127.0.0.2"
