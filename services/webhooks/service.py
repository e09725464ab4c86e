"""The webhook service: thin nameko entrypoints over the domain modules, the fan-in
of every service's events, and the delivery worker in each process."""

from __future__ import annotations

from chassis.nameko.background import Background, green_map
from chassis.nameko.database import Database
from chassis.nameko.fan_in import FanInBindings
from chassis.nameko.grouped import GroupedApply
from chassis.nameko.handlers import every_event
from chassis.nameko.service import ServiceBase, read, write

from . import deliveries, endpoints
from .deliveries import wanted_events
from .dispatch import Dispatcher
from .models import Base
from .settings import Settings


def delivery_worker(config: dict, database) -> Dispatcher:
    settings = Settings.from_config(config)
    return Dispatcher(database.transaction, settings, concurrently=green_map(settings.concurrency))


def fan_in(config: dict):
    settings = Settings.from_config(config)
    return lambda session, events: deliveries.record_events(session, events, settings)


class Deliveries(Background):
    identifier = "webhook-deliveries"
    # Most events want no endpoint: their fan-in commits make no delivery to claim.
    wakes_on = frozenset({"deliveries"})


class WebhookService(ServiceBase):
    name = "webhooks"

    db = Database(Base)
    deliveries = Deliveries(delivery_worker)
    # A burst's events make their deliveries in shared transactions, each once; an
    # event no endpoint takes writes nothing.
    fan_in = GroupedApply(fan_in, wanted=wanted_events)
    # ...and the broker brings it only the events some endpoint takes.
    bindings = FanInBindings(endpoints.event_types)

    @property
    def settings(self) -> Settings:
        return Settings.from_config(self.config)

    # -- endpoints ----------------------------------------------------------------
    def bind_event_types(self, payload: dict) -> None:
        """A new endpoint's patterns bound before it is written: none of its events
        is missed once it commits."""
        self.bindings(endpoints.checked(payload, self.caller, self.settings)["event_types"])

    @write(before=bind_event_types)
    def register_endpoint(self, session, payload: dict) -> dict:
        return endpoints.register(session, payload, self.caller, self.settings)

    @read
    def list_endpoints(self, session) -> dict:
        return endpoints.list_endpoints(session, self.caller)

    @read
    def get_endpoint(self, session, endpoint_id: str) -> dict:
        return endpoints.get(session, endpoint_id, self.caller)

    @write
    def rotate_secret(self, session, endpoint_id: str) -> dict:
        return endpoints.rotate_secret(session, endpoint_id, self.caller, self.settings)

    @write
    def disable_endpoint(self, session, endpoint_id: str, payload: dict) -> dict:
        return endpoints.disable_by_caller(session, endpoint_id, payload, self.caller)

    @write
    def enable_endpoint(self, session, endpoint_id: str) -> dict:
        return endpoints.enable(session, endpoint_id, self.caller, self.settings)

    # -- deliveries ---------------------------------------------------------------
    @read
    def list_deliveries(self, session, endpoint_id: str, params: dict) -> dict:
        return deliveries.list_deliveries(session, endpoint_id, params, self.caller)

    @read
    def list_attempts(self, session, endpoint_id: str, delivery_id: str) -> dict:
        return deliveries.list_attempts(session, endpoint_id, delivery_id, self.caller)

    @write
    def replay_delivery(self, session, endpoint_id: str, delivery_id: str) -> dict:
        return deliveries.replay_delivery(
            session, endpoint_id, delivery_id, self.caller, self.settings
        )

    @write
    def replay_since(self, session, endpoint_id: str, payload: dict) -> dict:
        return deliveries.replay_since(session, endpoint_id, payload, self.caller, self.settings)

    # -- every event of every service -------------------------------------------------
    @every_event("SERVICES", into="fan_in")
    def on_event(self, event: dict) -> None:
        """Applied by fan_in, to which the entrypoint hands each event."""
