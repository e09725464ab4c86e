"""A service's public contract, as data: its RPC methods with their schemas and the
errors they may answer, its events each with a schema and a major version, and the
events of others that it consumes. Each service declares one in its contract.py;
that module is all the gateway and other services may import of it.

The contract is used, not only documented: the outbox emits only the events its
service's contract declares, stamped with their version; the gateway calls services
through clients made from their contracts; an event handler says which events (and
which major versions) it accepts and with which schema of its own it reads them, and
a test checks each such schema against the producer's contract.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass, field
from functools import cache

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from .errors import DomainError

# An event's type is its routing key: one word, so that a binding by '*' takes every
# event of a service (queues.EVERY_TYPE).
EVENT_TYPE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Method:
    name: str
    params: tuple[str, ...] = ()  # its arguments, in order (plain JSON values)
    input: type[Schema] | None = None  # the schema of its payload argument
    output: type[Schema] | None = None
    errors: tuple[type[DomainError], ...] = ()  # besides bad input (always possible)
    _: KW_ONLY  # the rest by name: a bare True or 600.0 in a row says nothing
    writes: bool = False  # changes state: the call carries a request id
    deadline: float | None = None  # seconds, where it needs longer than a read
    # The parts that may call it: the broker's table of who calls what (trust.py).
    callers: tuple[str, ...] = ("gateway",)


@dataclass(frozen=True)
class Event:
    type: str  # the routing key, `<service>.<type>` in the envelope
    schema: type[Schema]  # of the envelope's data
    version: int = 1  # major: within it only additive changes


@dataclass(frozen=True)
class Consumes:
    """An event of another service that a service reads, with the schema of the
    fields it relies on (its own copy, never an import of the producer's code)."""

    source: str
    type: str
    schema: type[Schema]
    versions: tuple[int, ...] = (1,)  # the majors it understands; others are parked


@dataclass(frozen=True)
class Contract:
    service: str
    methods: tuple[Method, ...] = ()
    events: tuple[Event, ...] = ()
    consumes: tuple[Consumes, ...] = ()
    _methods: dict = field(init=False, repr=False, compare=False)
    _events: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        for event in self.events:
            if not EVENT_TYPE.fullmatch(event.type):
                raise ValueError(f"{self.service}: event type {event.type!r} is not one word")
        object.__setattr__(self, "_methods", {m.name: m for m in self.methods})
        object.__setattr__(self, "_events", {e.type: e for e in self.events})

    def method(self, name: str) -> Method:
        try:
            return self._methods[name]
        except KeyError:
            raise LookupError(f"{self.service} has no method {name!r} in its contract") from None

    def event(self, event_type: str) -> Event:
        try:
            return self._events[event_type]
        except KeyError:
            raise LookupError(
                f"{self.service} declares no event {event_type!r} in its contract"
            ) from None

    def consumed(self, source: str, event_type: str) -> Consumes:
        """What this service reads of another's event: its handler's argument."""
        for consumes in self.consumes:
            if (consumes.source, consumes.type) == (source, event_type):
                return consumes
        raise LookupError(f"{self.service} declares no use of {source}.{event_type}")

    def errors(self) -> tuple[type[DomainError], ...]:
        """Every error class its methods may answer."""
        found: list = []
        for method in self.methods:
            found += [e for e in method.errors if e not in found]
        return tuple(found)


def read_event_data(consumes: Consumes, data) -> dict:
    """The event's data as the consumer's schema reads it (fields it does not know are
    left out); ValidationError if a field it relies on is missing or malformed."""
    return _reader(consumes.schema).load(data)


@cache  # a schema is made once per class: loading keeps no state in it
def _reader(schema: type[Schema]) -> Schema:
    return schema(unknown=EXCLUDE)


def incompatibilities(consumer: type[Schema], producer: type[Schema], path: str = "") -> list[str]:
    """What the consumer relies on that the producer does not promise: each field the
    consumer requires must be one the producer always gives, of the same kind."""
    problems = []
    produced = producer().fields
    for name, wanted in consumer().fields.items():
        where = f"{path}{name}"
        given = produced.get(name)
        if given is None:
            if wanted.required:
                problems.append(f"{where}: the producer has no such field")
            continue
        if wanted.required and not given.required:
            problems.append(f"{where}: required here, optional in the producer")
        if not isinstance(given, type(wanted)):
            problems.append(
                f"{where}: a {type(wanted).__name__} here, a {type(given).__name__} there"
            )
        elif isinstance(wanted, fields.Nested):
            problems += incompatibilities(
                _schema_class(wanted.nested), _schema_class(given.nested), f"{where}."
            )
    return problems


def _schema_class(nested) -> type[Schema]:
    return nested if isinstance(nested, type) else type(nested)


__all__ = [
    "Consumes",
    "Contract",
    "Event",
    "Method",
    "ValidationError",
    "incompatibilities",
    "read_event_data",
]
