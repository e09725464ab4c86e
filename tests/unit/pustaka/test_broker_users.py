"""Which broker user a process connects as: a part's own, from its password."""

from urllib.parse import unquote, urlparse

from pustaka import platform
from pustaka.broker_users import command_uri, own_uri, part_user


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
