"""Which broker user a process connects as: a part's own, from its password."""

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlparse

import pytest
import requests

from pustaka import platform
from pustaka.broker_users import Broker, command_uri, own_uri, part_user
from tests.support import http_server


def config(uri: str, **passwords) -> dict:
    made = platform.load_config(environ={"AMQP_URI": uri})
    for part, password in passwords.items():
        made[part]["BROKER_PASSWORD"] = password
    return made


def user_and_password(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    return unquote(parsed.username), unquote(parsed.password)


def test_a_part_with_a_password_connects_as_itself_at_the_same_host_and_vhost():
    uri = own_uri(config("amqp://rabbitmq:5672/pustaka", catalog="s3cr@t/"), "catalog")
    assert user_and_password(uri) == ("pustaka-catalog@pustaka", "s3cr@t/")
    assert urlparse(uri).hostname == "rabbitmq" and urlparse(uri).path == "/pustaka"
    assert part_user("people", "amqp://h/") == "pustaka-people"


def test_without_a_password_a_part_uses_amqp_uri_as_it_is():
    uri = "amqp://guest:guest@127.0.0.1:5672/"
    assert own_uri(config(uri), "catalog") == uri


def test_a_command_in_a_parts_pod_speaks_as_that_part_and_an_operators_as_given():
    pod = config("amqp://rabbitmq:5672/pustaka", gateway="pw")
    assert user_and_password(command_uri(pod)) == ("pustaka-gateway@pustaka", "pw")
    operator = config("amqp://admin:pw@rabbitmq:5672/pustaka", gateway="pw")
    assert command_uri(operator) == "amqp://admin:pw@rabbitmq:5672/pustaka"


def test_a_part_connects_as_itself_to_every_node_of_a_cluster():
    nodes = "amqp://admin:pw@127.0.0.1:5701/pustaka;amqp://admin:pw@127.0.0.1:5702/pustaka"
    uri = own_uri(config(nodes, catalog="s3cr@t/"), "catalog")
    assert len(uri.split(";")) == 2
    for node, port in zip(uri.split(";"), (5701, 5702), strict=True):
        assert user_and_password(node) == ("pustaka-catalog@pustaka", "s3cr@t/")
        assert urlparse(node).port == port and urlparse(node).path == "/pustaka"
    assert part_user("people", nodes) == "pustaka-people@pustaka"
    assert command_uri(config(nodes)) == nodes


class FlakyManagementApi(BaseHTTPRequestHandler):
    """Fails the first `fails` requests with a 500, as the broker does when a user it
    lists is deleted meanwhile; then answers one user. Counts every request."""

    fails = 0
    seen: list = []

    def do_GET(self):
        self.seen.append(self.path)
        failing = len(self.seen) <= self.fails
        body = b"{}" if failing else json.dumps([{"name": "a", "tags": "t"}]).encode()
        self.send_response(500 if failing else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_GET

    def log_message(self, *_args):
        pass


@pytest.fixture
def flaky_api():
    FlakyManagementApi.seen = []
    with http_server(FlakyManagementApi) as url:
        yield urlparse(url).port


def test_a_read_the_broker_fails_is_asked_again_a_change_is_not(flaky_api):
    broker = Broker("amqp://guest:guest@127.0.0.1:5672/", flaky_api)
    FlakyManagementApi.fails = 2
    assert broker.users("t") == [{"name": "a", "tags": "t"}]
    assert len(FlakyManagementApi.seen) == 3
    FlakyManagementApi.fails, FlakyManagementApi.seen = 3, []
    with pytest.raises(requests.HTTPError):
        broker.users("t")  # three reads failed: the failure is told
    assert len(FlakyManagementApi.seen) == 3
    FlakyManagementApi.fails, FlakyManagementApi.seen = 1, []
    with pytest.raises(requests.HTTPError):
        broker.put_policy("p", {})  # a change is made once: its caller decides
    assert len(FlakyManagementApi.seen) == 1
