"""Two replicas of the service on one database and one queue, as `make up` runs
them: 50 simultaneous registrations over RPC for 10 seats are exactly 10 confirmed
and 40 waitlisted, none lost and none doubled (SQLite, then PostgreSQL). The same in
one process, on the domain alone: tests/domain/events/test_concurrency.py."""

import json

import pytest

from pustaka import platform
from services.events.models import branches
from services.events.service import EventsService
from tests.domain.events.helpers import KMN, at_once, person, published, run, statuses
from tests.support import ClusterRpcProxy


@pytest.fixture
def two_replicas(config, migrated_url, container_factory):
    """Two processes' worth of the service (two containers) on one database and one
    queue, as `make up` runs replicas."""
    config = {**config, "events": {"DATABASE_URL": migrated_url("events")}}
    for _ in range(2):
        container_factory(EventsService, config).start()
    return config


def test_fifty_register_at_once_across_two_replicas(two_replicas):
    db = platform.database(two_replicas, platform.part("events"))
    try:
        run(db, branches.seen, {"code": "KMN", "name": "Kumun Debai"})
        occurrence = published(db, capacity=10)["occurrences"][0]["id"]
        kmn = {"caller": KMN.as_context()}

        def register(i):
            def call():
                with ClusterRpcProxy(two_replicas, context_data=kmn, timeout=30) as rpc:
                    return rpc.events.register(occurrence, person(i))["items"][0]["status"]

            return call

        answers = at_once([register(i) for i in range(50)])
        assert sorted(answers).count("confirmed") == 10
        assert statuses(db) == {"confirmed": 10, "waitlisted": 40}
        with ClusterRpcProxy(two_replicas, context_data=kmn, timeout=10) as rpc:
            listed = rpc.events.list_registrations(occurrence)["items"]
        assert len(listed) == 50 and len({r["id"] for r in listed}) == 50
        assert json.dumps(listed).count('"confirmed"') == 10
    finally:
        db.engine.dispose()
