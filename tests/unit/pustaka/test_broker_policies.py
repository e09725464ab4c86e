"""Which queues each bound reaches: one policy per queue (the broker applies only one),
every queue that fills while its consumer is away, and nothing else."""

import re

from chassis.nameko.queues import every_event_queue, handler_queue
from pustaka import broker_policies, platform


def reaching(name: str, policies: dict) -> list[str]:
    return [p for p, body in policies.items() if re.search(body["pattern"], name)]


def test_every_queue_that_fills_has_one_bound_and_replies_and_requests_none():
    policies = broker_policies.policies(platform.load_config(environ={}))
    services = [p.name for p in platform.parts() if p.reliable]
    for service in services:
        handler = handler_queue("catalog", "title_created", service, "on_title").name
        assert reaching(handler, policies) == [f"pustaka-bounds-{service}-handlers"]
        definition = policies[f"pustaka-bounds-{service}-handlers"]["definition"]
        assert definition["dead-letter-exchange"] == f"{service}.dead-letters"
        assert reaching(f"{service}.dead-letters", policies) == ["pustaka-bounds-dead-letters"]
    fan_in = every_event_queue(services, "webhooks", "on_event").name
    assert reaching(fan_in, policies) == ["pustaka-bounds-webhooks-handlers"]
    assert reaching("integrator.dasbor.titles", policies) == ["pustaka-bounds-integrators"]
    assert reaching("integrators.dead-letters", policies) == ["pustaka-bounds-dead-letters"]
    # RPC requests expire at their deadline and reply queues with their process.
    for name in ("rpc-catalog", "rpc.reply-gateway-1234", "nameko-rpc"):
        assert reaching(name, policies) == []
    for body in policies.values():
        assert body["apply-to"] == "queues" and body["definition"]["overflow"] == "drop-head"
