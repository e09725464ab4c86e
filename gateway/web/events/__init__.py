"""The events slice of the web app: what does more than forward a call."""

from gateway.routes.events import EventsRoutes

from .feeds import EventFeeds

WEB = (EventFeeds, EventsRoutes)
