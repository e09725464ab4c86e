"""The webhook service's HTTP face, for integrators (their own endpoints) and admins
(every one, as on every route): who may see which endpoint is the service's to say,
from the caller."""

from chassis.api import Api, get, post

from .contract import CONTRACT, DELIVERY_ID, ENDPOINT_ID

ROLES = ("integrator",)  # and admin, as every route
DELIVERY = "/v1/webhooks/endpoints/<endpoint:endpoint_id>/deliveries/<delivery:delivery_id>"
ENDPOINT = "/v1/webhooks/endpoints/<endpoint:endpoint_id>"

# fmt: off
ROUTES = (
    post("/v1/webhooks/endpoints", "register_endpoint", ROLES, created=("endpoint_id", "id"),
         summary="Register an endpoint for the event types given (*, catalog.*, "
                 "catalog.title_created). The answer holds its signing secret, shown only here "
                 "and on rotation."),
    get("/v1/webhooks/endpoints", "list_endpoints", ROLES,
        summary="Your endpoints (an admin's: every one)."),
    get(ENDPOINT, "get_endpoint", ROLES,
        summary="One endpoint; if disabled, why."),
    post(f"{ENDPOINT}/rotate-secret", "rotate_secret", ROLES,
         summary="A new signing secret; the old one still signs for a grace period (24 h)."),
    post(f"{ENDPOINT}/disable", "disable_endpoint", ROLES, optional_body=True,
         summary="Stop deliveries (they wait, and go on when it is enabled again)."),
    post(f"{ENDPOINT}/enable", "enable_endpoint", ROLES,
         summary="Deliver again; what waited is sent now."),
    get(f"{ENDPOINT}/deliveries", "list_deliveries", ROLES,
        summary="The endpoint's deliveries, newest first; pages with limit and cursor."),
    get(f"{DELIVERY}/attempts", "list_attempts", ROLES,
        summary="Each attempt of a delivery: status or error, latency, the start of the answer."),
    post(f"{DELIVERY}/replay", "replay_delivery", ROLES,
         summary="Send one delivery again, with its webhook-id."),
    post(f"{ENDPOINT}/replay", "replay_since", ROLES,
         summary="Send again every delivery made since a time."),
)
# fmt: on

API = Api(CONTRACT, ROUTES, ids={"endpoint": ENDPOINT_ID, "delivery": DELIVERY_ID})
