"""The web app's shell, which names no part: the page layout and its one stylesheet,
rendering in the reader's language (the message catalogues in locale/), the charts,
signing in (routes.py), the page of a refusal, and the event catalogue for people
(catalogue.py)."""

from .catalogue import EventCatalogue
from .routes import SignInPages

WEB = (SignInPages, EventCatalogue)
VOCABULARY: dict = {}
