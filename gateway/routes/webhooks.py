"""The webhook service's routes, for integrators (their own endpoints) and admins
(every one). The service is called through its client, made from its contract;
who may see which endpoint is the service's to say, from the caller."""

from __future__ import annotations

from services.webhooks.contract import (
    CONTRACT,
    DELIVERY_ID,
    ENDPOINT_ID,
    AttemptList,
    DeliveryOutput,
    DeliveryPage,
    DeliveryQuery,
    DisableInput,
    EndpointInput,
    EndpointList,
    EndpointOutput,
    EndpointWithSecret,
    ReplayInput,
    ReplayResult,
)

from ..edge.calls import ServiceClient
from ..edge.errors import json_response
from ..edge.http import json_body, path_id, route

ROLES = ("integrator",)  # and admin, as every route
ENDPOINT = "/v1/webhooks/endpoints/<endpoint:endpoint_id>"

path_id("endpoint", ENDPOINT_ID)
path_id("delivery", DELIVERY_ID)


class WebhookRoutes:
    webhooks = ServiceClient(CONTRACT)

    @route(
        "POST",
        "/v1/webhooks/endpoints",
        roles=ROLES,
        summary="Register an endpoint for the event types given (*, catalog.*, "
        "catalog.title_created). The answer holds its signing secret, shown only here "
        "and on rotation.",
        body=EndpointInput,
        response=EndpointWithSecret,
        status=201,
        tag="webhooks",
        link=("endpoint_id", "id"),
        calls=(CONTRACT.method("register_endpoint"),),
    )
    def register_endpoint(self, request):
        made = self.webhooks.register_endpoint(json_body(request))
        return json_response(made, 201, {"Location": f"/v1/webhooks/endpoints/{made['id']}"})

    @route(
        "GET",
        "/v1/webhooks/endpoints",
        roles=ROLES,
        summary="Your endpoints (an admin's: every one).",
        response=EndpointList,
        tag="webhooks",
        calls=(CONTRACT.method("list_endpoints"),),
    )
    def list_endpoints(self, request):
        return json_response(self.webhooks.list_endpoints())

    @route(
        "GET",
        ENDPOINT,
        roles=ROLES,
        summary="One endpoint; if disabled, why.",
        response=EndpointOutput,
        tag="webhooks",
        calls=(CONTRACT.method("get_endpoint"),),
    )
    def get_endpoint(self, request, endpoint_id):
        return json_response(self.webhooks.get_endpoint(endpoint_id))

    @route(
        "POST",
        f"{ENDPOINT}/rotate-secret",
        roles=ROLES,
        summary="A new signing secret; the old one still signs for a grace period (24 h).",
        response=EndpointWithSecret,
        tag="webhooks",
        calls=(CONTRACT.method("rotate_secret"),),
    )
    def rotate_secret(self, request, endpoint_id):
        return json_response(self.webhooks.rotate_secret(endpoint_id))

    @route(
        "POST",
        f"{ENDPOINT}/disable",
        roles=ROLES,
        summary="Stop deliveries (they wait, and go on when it is enabled again).",
        body=DisableInput,
        response=EndpointOutput,
        tag="webhooks",
        calls=(CONTRACT.method("disable_endpoint"),),
    )
    def disable_endpoint(self, request, endpoint_id):
        payload = json_body(request, optional=True)
        return json_response(self.webhooks.disable_endpoint(endpoint_id, payload))

    @route(
        "POST",
        f"{ENDPOINT}/enable",
        roles=ROLES,
        summary="Deliver again; what waited is sent now.",
        response=EndpointOutput,
        tag="webhooks",
        calls=(CONTRACT.method("enable_endpoint"),),
    )
    def enable_endpoint(self, request, endpoint_id):
        return json_response(self.webhooks.enable_endpoint(endpoint_id))

    @route(
        "GET",
        f"{ENDPOINT}/deliveries",
        roles=ROLES,
        summary="The endpoint's deliveries, newest first; pages with limit and cursor.",
        query=DeliveryQuery,
        response=DeliveryPage,
        tag="webhooks",
        calls=(CONTRACT.method("list_deliveries"),),
    )
    def list_deliveries(self, request, endpoint_id):
        params = request.args.to_dict()
        return json_response(self.webhooks.list_deliveries(endpoint_id, params))

    @route(
        "GET",
        f"{ENDPOINT}/deliveries/<delivery:delivery_id>/attempts",
        roles=ROLES,
        summary="Each attempt of a delivery: status or error, latency, the start of the answer.",
        response=AttemptList,
        tag="webhooks",
        calls=(CONTRACT.method("list_attempts"),),
    )
    def list_attempts(self, request, endpoint_id, delivery_id):
        return json_response(self.webhooks.list_attempts(endpoint_id, delivery_id))

    @route(
        "POST",
        f"{ENDPOINT}/deliveries/<delivery:delivery_id>/replay",
        roles=ROLES,
        summary="Send one delivery again, with its webhook-id.",
        response=DeliveryOutput,
        tag="webhooks",
        calls=(CONTRACT.method("replay_delivery"),),
    )
    def replay_delivery(self, request, endpoint_id, delivery_id):
        return json_response(self.webhooks.replay_delivery(endpoint_id, delivery_id))

    @route(
        "POST",
        f"{ENDPOINT}/replay",
        roles=ROLES,
        summary="Send again every delivery made since a time.",
        body=ReplayInput,
        response=ReplayResult,
        tag="webhooks",
        calls=(CONTRACT.method("replay_since"),),
    )
    def replay_since(self, request, endpoint_id):
        return json_response(self.webhooks.replay_since(endpoint_id, json_body(request)))
