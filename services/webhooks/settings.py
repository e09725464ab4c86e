"""The webhook service's settings, read once from its section of the configuration
(config/pustaka.yaml: `webhooks:`; WEBHOOKS__GIVE_UP_SECONDS=... overrides one), and
the event catalogue from the services the composition root names (SERVICES)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chassis.event_catalogue import event_catalogue


@dataclass(frozen=True)
class Settings:
    # Endpoints whose host is loopback, private, link-local, multicast or
    # unspecified are refused unless this is set (a test's receiver on 127.0.0.1).
    allow_private_urls: bool
    # How long a delivery is retried before its endpoint is disabled.
    give_up_seconds: float
    # What may wait for a disabled endpoint: at most this many deliveries, none for
    # longer than this (waiting.py).
    disabled_wait_events: int
    disabled_wait_seconds: float
    # How long the old secret still signs after a rotation.
    secret_grace_seconds: float
    # Backoff: a random delay up to min(cap, base * 2**attempts) ("full jitter").
    retry_base_seconds: float
    retry_cap_seconds: float
    timeout_seconds: float
    batch: int
    concurrency: int
    idle_connections: int
    lease_seconds: float
    poll_seconds: float
    # service -> the event types it publishes: what event_types may name.
    catalogue: Mapping[str, frozenset[str]]

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        section = config["webhooks"]
        return cls(
            allow_private_urls=bool(section["ALLOW_PRIVATE_URLS"]),
            give_up_seconds=float(section["GIVE_UP_SECONDS"]),
            disabled_wait_events=int(section["DISABLED_WAIT_EVENTS"]),
            disabled_wait_seconds=float(section["DISABLED_WAIT_SECONDS"]),
            secret_grace_seconds=float(section["SECRET_GRACE_SECONDS"]),
            retry_base_seconds=float(section["RETRY_BASE_SECONDS"]),
            retry_cap_seconds=float(section["RETRY_CAP_SECONDS"]),
            timeout_seconds=float(section["TIMEOUT_SECONDS"]),
            batch=int(section["DELIVERY_BATCH"]),
            concurrency=int(section["DELIVERY_CONCURRENCY"]),
            idle_connections=int(section["IDLE_CONNECTIONS_PER_ENDPOINT"]),
            lease_seconds=float(section["DELIVERY_LEASE_SECONDS"]),
            poll_seconds=float(section["DELIVERY_POLL_SECONDS"]),
            catalogue=event_catalogue(config["SERVICES"]),
        )
