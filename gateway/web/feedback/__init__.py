"""The feedback slice of the web app: what does more than forward a call."""

from gateway.routes.feedback import FeedbackRoutes

from .exports import FeedbackExports

WEB = (FeedbackExports, FeedbackRoutes)
