"""The webhook service for the webhook benchmark, in a process of its own (a core
to itself, as in production): `python -m tests.bench.webhooks_service AMQP_URI
DB_URL RECEIVER_URL [PREFILL]`. Migrates its database, declares its queues (bound
to the exchanges of the catalogue and of the benchmark's own emitter, `bench`),
registers one endpoint for every event, stores PREFILL events' deliveries before it
starts (to time the delivery worker alone), prints the endpoint as a line of JSON
and runs until stdin closes. Settings come from config/pustaka.yaml and the environment
(WEBHOOKS__RETRY_CAP_SECONDS=...), private URLs allowed for the local receiver."""

from chassis.nameko.green import patch_process

patch_process()

import json  # noqa: E402
import sys  # noqa: E402

import eventlet  # noqa: E402
import eventlet.tpool  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402

from chassis.context import Caller  # noqa: E402
from chassis.envelope import make_envelope  # noqa: E402
from chassis.nameko.declare import declare_all  # noqa: E402
from chassis.nameko.run import service_config  # noqa: E402
from pustaka import platform  # noqa: E402
from services.webhooks import deliveries, endpoints  # noqa: E402
from services.webhooks.service import WebhookService  # noqa: E402
from services.webhooks.settings import Settings  # noqa: E402


def main() -> None:
    amqp_uri, db_url, receiver_url = sys.argv[1:4]
    prefill = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    config = platform.load_config()
    config.update(AMQP_URI=amqp_uri, SERVICES={**config["SERVICES"], "bench": ""})
    config["webhooks"] = {**config["webhooks"], "DATABASE_URL": db_url, "ALLOW_PRIVATE_URLS": True}
    list(platform.migrate(config, ["webhooks"]))
    declare_all(config, [WebhookService])
    db = platform.database(config, platform.part("webhooks"))
    settings = Settings.from_config(config)
    with db.transaction() as session:
        endpoint = endpoints.register(
            session,
            {"url": receiver_url, "event_types": ["*"]},
            Caller("bench", "integrator"),
            settings,
        )
        events = [
            make_envelope("catalog", "title_created", f"T{n:06d}", {"title": f"Judul {n}"})
            for n in range(prefill)
        ]
        deliveries.record_events(session, events, settings)
    db.engine.dispose()
    container = ServiceContainer(WebhookService, service_config(WebhookService, config))
    container.start()
    print(json.dumps(endpoint), flush=True)
    eventlet.tpool.execute(sys.stdin.read)  # until the benchmark closes our stdin
    container.stop()


if __name__ == "__main__":
    main()
