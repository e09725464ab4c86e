"""The event catalogue integrators' subscriptions are checked against (a webhook
endpoint's event_types, an integrator's broker queue): every event the platform's
services declare in their contracts, the same list the gateway documents for
integrators (/v1/asyncapi.json, /docs/events).

Which services, and where their contracts are, the composition root says in the
configuration (SERVICES: name -> contract module), as it does for the gateway's
event catalogue. So nothing here names a service: a service added to the platform
is known without a change here. A pattern is `*`, `service.*` or `service.type`."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from functools import cache

from chassis.errors import field_error


@cache
def _declared(module: str) -> frozenset[str]:
    """The event types a contract module declares (none for a service named without
    one)."""
    if not module:
        return frozenset()
    return frozenset(event.type for event in importlib.import_module(module).CONTRACT.events)


def event_catalogue(services: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """service -> the event types it publishes, from SERVICES."""
    return {name: _declared(module) for name, module in services.items()}


def check_event_types(
    patterns: Iterable[str], catalogue: Mapping[str, frozenset[str]], field: str = "event_types"
):
    """A field error on `field` for the first pattern that names no event of the
    catalogue (its shape, *, service.* or service.type, the caller has checked)."""
    for pattern in patterns:
        if pattern == "*":
            continue
        service, _, event_type = pattern.partition(".")
        if service not in catalogue:
            raise field_error(
                field,
                f"{pattern!r}: no service {service!r} publishes events; the services "
                f"are {', '.join(sorted(catalogue))}.",
            )
        if event_type != "*" and event_type not in catalogue[service]:
            known = ", ".join(sorted(catalogue[service])) or "none"
            raise field_error(
                field,
                f"{pattern!r}: {service} publishes no {event_type!r}; its events are {known}.",
            )


def routes(patterns: Iterable[str], sources: Iterable[str]) -> list[tuple[str, str]]:
    """(service, routing key) pairs by which the broker carries the events of
    `patterns` from each service's exchange: `*` is '#' on every one of `sources`,
    `service.*` '#' on that service's, `service.type` its type there. A type whose
    service is taken whole already is left out. Sorted, each once."""
    whole, types = set(), set()
    for pattern in patterns:
        service, _, event_type = pattern.partition(".")
        if pattern == "*":
            whole.update(sources)
        elif event_type == "*":
            whole.add(service)
        else:
            types.add((service, event_type))
    return sorted({(s, "#") for s in whole} | {(s, t) for s, t in types if s not in whole})
