"""The gateway service: the routes of the platform, of each service it fronts and of
OAI-PMH, composed into one nameko service over the edge (gateway/edge)."""

from __future__ import annotations

from .routes.catalog import CatalogRoutes
from .routes.events import EventsRoutes
from .routes.feedback import FeedbackRoutes
from .routes.oai import OaiRoutes
from .routes.people import PeopleRoutes
from .routes.platform import PlatformRoutes
from .routes.signin import SignInRoutes
from .routes.webhooks import WebhookRoutes


class GatewayService(
    PlatformRoutes,
    SignInRoutes,
    CatalogRoutes,
    PeopleRoutes,
    EventsRoutes,
    FeedbackRoutes,
    WebhookRoutes,
    OaiRoutes,
):
    name = "gateway"
