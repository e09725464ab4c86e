"""Who is who on the broker (chassis/trust.py)."""

from chassis.contract import Contract, Method
from chassis.nameko.queues import rpc_topic_permissions
from chassis.trust import callers, part_user, uri_user, user_of

CLUSTER = "amqp://admin:pw@a:5672/pustaka;amqp://admin:pw@b:5672/pustaka"


def test_users_and_virtual_host_come_from_the_first_node_of_a_clusters_uri():
    assert uri_user(CLUSTER) == "admin"
    assert part_user("catalog", CLUSTER) == "pustaka-catalog@pustaka"
    assert user_of({"AMQP_URI": CLUSTER}, "people") == "admin"  # one user for every part
    assert user_of({"AMQP_URI": CLUSTER, "BROKER_USERS": {"people": "p"}}, "people") == "p"


CATALOG = Contract(
    "catalog",
    methods=(Method("get_title"), Method("reindex", callers=("people",)), Method("health")),
)


def test_the_table_gives_each_part_its_calls_and_nobody_an_undeclared_method():
    assert callers(CATALOG, "get_title") == ("gateway",)
    assert callers(CATALOG, "reindex") == ("people",)
    assert callers(CATALOG, "drop_everything") == ()
    gateway = rpc_topic_permissions("gateway", [CATALOG])
    assert gateway["write"] == r"^(catalog\.(get_title|health))$"
    assert gateway["read"] == r"^(gateway\.\*|reply\.gateway\.[0-9a-f]+)$"
    catalog = rpc_topic_permissions("catalog", [CATALOG])
    assert catalog["write"] == r"^(reply\.(gateway|people)\.[0-9a-f]+)$"
    assert rpc_topic_permissions("webhooks", [CATALOG])["write"] == "^$"
