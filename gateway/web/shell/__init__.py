"""The web app's shell: the pages' layout, sign-in, rendering."""

from gateway.routes.signin import SignInRoutes

from .catalogue import EventCatalogue

WEB = (SignInRoutes, EventCatalogue)
