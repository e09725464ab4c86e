"""The service's own worker, running: a confirmed registration's reminder is
published once when due, and a restart of the service neither repeats nor loses it
(SQLite: the database's part is the same on both)."""

import json

import pytest

from pustaka import platform
from services.events.models import branches
from services.events.service import EventsService
from tests.domain.events.helpers import KMN, person, published, run
from tests.support import ClusterRpcProxy, Subscriber

pytestmark = pytest.mark.parametrize("database_kind", ["sqlite"])


def test_a_reminder_is_published_once_across_a_restart(config, migrated_url, container_factory):
    # Reminders fall due 1,000 hours ahead: at once for an occurrence a week away.
    section = {
        "DATABASE_URL": migrated_url("events"),
        "REMINDER_HOURS": 1000,
        "REMINDER_POLL_SECONDS": 0.2,
    }
    config = {**config, "events": section}
    db = platform.database(config, platform.part("events"))
    subscriber = Subscriber(config["AMQP_URI"])
    try:
        run(db, branches.seen, {"code": "KMN", "name": "Kumun Debai"})
        occurrence = published(db, capacity=5)["occurrences"][0]["id"]
        queue = subscriber.bind("events", "reminder_due")
        service = container_factory(EventsService, config)
        service.start()
        with ClusterRpcProxy(config, context_data={"caller": KMN.as_context()}) as rpc:
            made = [rpc.events.register(occurrence, person(i))["items"][0] for i in range(3)]
        reminded = subscriber.drain(queue, 3)
        ids = sorted(json.loads(m.body)["data"]["registration_id"] for m in reminded)
        assert ids == sorted(r["id"] for r in made)
        service.stop()
        container_factory(EventsService, config).start()  # the service again, later
        assert subscriber.drain(queue, 0, timeout=1.5) == []
    finally:
        subscriber.close()
        db.engine.dispose()
