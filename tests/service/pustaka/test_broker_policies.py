"""The queues' bounds on the real broker: a queue past its bound dead-letters its
oldest messages instead of growing, and the dead-letter queues are bounded too."""

import time
from urllib.parse import quote

import requests
from kombu import Connection, Queue, binding

from chassis.nameko.deadletters import list_parked
from chassis.nameko.queues import events_exchange
from pustaka import broker_policies, platform
from pustaka.broker_users import broker


def depth(conn: Connection, name: str) -> int:
    return conn.channel().queue_declare(name, passive=True).message_count


def wait_for_policies(config: dict, queues: list[str]) -> None:
    """Policies reach queues a moment after they are set: wait until each shows one."""
    admin = broker(config)
    vhost = quote(admin.vhost, safe="")
    for name in queues:
        for _ in range(100):
            url = f"{admin.api}/queues/{vhost}/{quote(name, safe='')}"
            if requests.get(url, auth=admin.auth, timeout=10).json().get("policy"):
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"no policy reached {name}")


def test_a_queue_past_its_bound_dead_letters_instead_of_growing(config):
    config = {
        **config,
        "HANDLER_QUEUE_MAX_LENGTH": 3,
        "INTEGRATOR_QUEUE_MAX_LENGTH": 2,
        "DEAD_LETTERS_MAX_LENGTH": 4,
    }
    declared = platform.declare(config)
    assert {f"policy {name}" for name in broker_policies.policies(config)} <= set(declared)
    # A handler of the catalogue's title_created in another service, and an integrator's
    # queue (which the operator declares for it: the policy reaches it by its name).
    handler = next(n for n in declared if n.startswith("evt-catalog-title_created--"))
    owner = handler.split("--")[1].split(".")[0]
    integrator = "integrator.dasbor.titles"
    with Connection(config["AMQP_URI"]) as conn:
        Queue(
            integrator,
            bindings=[binding(events_exchange("catalog"), routing_key="title_created")],
            durable=True,
        )(conn.channel()).declare()
        wait_for_policies(config, [handler, integrator, f"{owner}.dead-letters"])
        producer = conn.Producer(exchange=events_exchange("catalog"))
        for n in range(10):
            producer.publish(
                {"n": n}, routing_key="title_created", message_id=f"e{n}", delivery_mode=2
            )
        time.sleep(0.5)  # dead-lettering is the broker's, a moment after the publish
        assert depth(conn, handler) == 3
        assert depth(conn, integrator) == 2
        # The overflow is parked where `pustaka dlq` finds it (bounded: the newest 4),
        # and the integrators' overflow in its own bounded queue.
        assert depth(conn, f"{owner}.dead-letters") == 4
        assert depth(conn, broker_policies.INTEGRATORS_DEAD_LETTERS) == 4
        # What remains in the handler's queue is the newest.
        channel = conn.channel()
        assert channel.basic_get(handler, no_ack=True).properties["message_id"] == "e7"
    parked = list_parked(config["AMQP_URI"], owner)
    assert [p.message_id for p in parked] == ["e3", "e4", "e5", "e6"]
    assert {p.original_queue for p in parked} == {handler}
