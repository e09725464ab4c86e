"""A route's function must take exactly what its URL names: checked once, when the
gateway starts, rather than on every request."""

from types import SimpleNamespace

import pytest

from gateway.edge.http import Route


class Routes:
    def get_title(self, request, title_id):
        pass

    def wrong(self, request, titel_id):
        pass


def started(method_name: str, url: str) -> list:
    route = Route("GET", url)
    route.method_name = method_name
    route.container = SimpleNamespace(service_cls=Routes)
    registered = []
    route.server = SimpleNamespace(register_provider=registered.append)
    route.setup()
    return registered


def test_a_route_taking_what_its_url_names_starts():
    assert len(started("get_title", "/v1/catalog/titles/<title_id>")) == 1


@pytest.mark.parametrize(
    "method_name, url",
    [
        ("wrong", "/v1/catalog/titles/<title_id>"),  # misspelt
        ("get_title", "/v1/catalog/titles"),  # takes one the URL does not name
        ("get_title", "/v1/catalog/titles/<title_id>/<barcode>"),  # named, not taken
    ],
)
def test_a_route_taking_other_than_its_url_names_fails_to_start(method_name, url):
    with pytest.raises(TypeError, match=method_name):
        started(method_name, url)
