"""The webhook service's public contract: what the gateway may call (endpoints,
their deliveries and attempts, replays) and the one event it publishes.

A disabled endpoint's events wait for it: enabling it sends them, oldest first. At
most DISABLED_WAIT_EVENTS wait, none longer than DISABLED_WAIT_SECONDS (3 days by
default); beyond either the oldest are dropped, and listed as `dropped` with the
reason (services/webhooks/waiting.py)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chassis.contract import Contract, Event, Method
from chassis.errors import Conflict, Forbidden, NotFound
from chassis.ids import PublicId
from chassis.schemas import Input, page_of, paged_query

ENDPOINT_ID = PublicId("WH", 6)  # WH000001
DELIVERY_ID = PublicId("WD", 8)  # WD00000001
# What an endpoint may subscribe to: every event (*), every event of a service
# (catalog.*), or one type (catalog.title_created); each must name a service or an
# event of the event catalogue (catalogue.py), so a typo is refused, not silent.
EVENT_PATTERN = r"\A(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*))\Z"
# pending: to be sent (again); waiting: its endpoint is disabled; dropped: it waited
# beyond the bounds, its body no longer kept; failed: retried until the time ran out.
DELIVERY_STATES = ("pending", "waiting", "delivered", "failed", "dropped")
# The headers of every delivery (the Standard Webhooks specification's), as the event
# catalogue documents them; signing.py makes them.
WEBHOOK_HEADERS = {
    "webhook-id": "The event's id: the same on every attempt, the key to drop a repeat.",
    "webhook-timestamp": "When this attempt was signed, in seconds since the epoch.",
    "webhook-signature": 'Space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.'
    '{body}">`, one per valid secret of the endpoint (two while a rotated one lasts).',
}
LIMIT_DEFAULT, LIMIT_MAX = 20, 100
Paged = paged_query(default=LIMIT_DEFAULT, ceiling=LIMIT_MAX)  # its lists' base query


class EndpointInput(Input):
    url = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "https://203.0.113.7/hooks/pustaka"},
    )
    event_types = fields.List(
        fields.String(
            validate=validate.Regexp(
                EVENT_PATTERN, error="Not an event type, service.* or *: {input!r}."
            )
        ),
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "example": ["catalog.*"],
            "description": "*, <service>.* or <service>.<type>, as the event catalogue "
            "(/v1/asyncapi.json) names them: another is a 400 naming it.",
        },
    )
    ordered = fields.Boolean(
        load_default=False,
        metadata={"description": "Deliver one subject's events in order, each after the last."},
    )
    description = fields.String(load_default=None, validate=validate.Length(max=200))


class EndpointOutput(Schema):
    id = fields.String(required=True, metadata={"example": "WH000001"})
    owner = fields.String(required=True, metadata={"description": "The client id that owns it."})
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    ordered = fields.Boolean(required=True)
    description = fields.String(allow_none=True)
    enabled = fields.Boolean(required=True)
    disabled_reason = fields.String(allow_none=True)
    disabled_at = fields.String(allow_none=True)
    created_at = fields.String(required=True)
    previous_secret_expires_at = fields.String(
        allow_none=True,
        metadata={"description": "Until then, deliveries are signed with the old secret too."},
    )


class EndpointWithSecret(EndpointOutput):
    secret = fields.String(
        required=True,
        metadata={"description": "whsec_<base64>: shown once, at registration and rotation."},
    )


class EndpointList(Schema):
    items = fields.List(fields.Nested(EndpointOutput), required=True)


class DisableInput(Input):
    reason = fields.String(load_default=None, validate=validate.Length(max=500))


class DeliveryQuery(Paged):
    status = fields.String(validate=validate.OneOf(DELIVERY_STATES))


class DeliveryOutput(Schema):
    id = fields.String(required=True, metadata={"example": "WD00000001"})
    endpoint_id = fields.String(required=True)
    event_id = fields.String(required=True, metadata={"description": "Sent as webhook-id."})
    event_type = fields.String(required=True)
    subject = fields.String(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(DELIVERY_STATES),
        metadata={
            "description": "waiting: for the disabled endpoint to be enabled; dropped: "
            "it waited beyond the bounds (last_error says which), and is not sent"
        },
    )
    attempts = fields.Integer(required=True)
    next_attempt_at = fields.String(allow_none=True)
    created_at = fields.String(required=True)
    delivered_at = fields.String(allow_none=True)
    last_error = fields.String(allow_none=True)


DeliveryPage = page_of(DeliveryOutput)


class AttemptOutput(Schema):
    attempted_at = fields.String(required=True)
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    latency_ms = fields.Float(required=True)
    response = fields.String(
        allow_none=True, metadata={"description": "The first 200 bytes of the answer."}
    )


class AttemptList(Schema):
    items = fields.List(fields.Nested(AttemptOutput), required=True)


class ReplayInput(Input):
    since = fields.AwareDateTime(
        required=True, metadata={"description": "Deliveries made at or after this time."}
    )


class ReplayResult(Schema):
    replayed = fields.Integer(required=True)


class EndpointDisabled(Schema):
    endpoint_id = fields.String(required=True)
    owner = fields.String(required=True)
    url = fields.String(required=True)
    reason = fields.String(required=True)
    disabled_at = fields.String(required=True)


ENDPOINT = ("endpoint_id",)
MAY_FAIL = (Forbidden, NotFound)
GONE = (*MAY_FAIL, Conflict)  # a dropped delivery has no body to send again

CONTRACT = Contract(
    service="webhooks",
    methods=(
        Method(
            "register_endpoint",
            ("payload",),
            EndpointInput,
            EndpointWithSecret,
            (Forbidden,),
            writes=True,
        ),
        Method("list_endpoints", (), None, EndpointList, (Forbidden,)),
        Method("get_endpoint", ENDPOINT, None, EndpointOutput, MAY_FAIL),
        Method("rotate_secret", ENDPOINT, None, EndpointWithSecret, MAY_FAIL, writes=True),
        Method(
            "disable_endpoint",
            (*ENDPOINT, "payload"),
            DisableInput,
            EndpointOutput,
            MAY_FAIL,
            writes=True,
        ),
        Method("enable_endpoint", ENDPOINT, None, EndpointOutput, MAY_FAIL, writes=True),
        Method("list_deliveries", (*ENDPOINT, "params"), DeliveryQuery, DeliveryPage, MAY_FAIL),
        Method("list_attempts", (*ENDPOINT, "delivery_id"), None, AttemptList, MAY_FAIL),
        Method(
            "replay_delivery", (*ENDPOINT, "delivery_id"), None, DeliveryOutput, GONE, writes=True
        ),
        Method(
            "replay_since", (*ENDPOINT, "payload"), ReplayInput, ReplayResult, MAY_FAIL, writes=True
        ),
        Method("health"),
    ),
    events=(Event("endpoint_disabled", EndpointDisabled),),
)
