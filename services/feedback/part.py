"""Surveys, visitors' feedback and community suggestions, as the composition root
(pustaka/parts.py) knows it."""

from chassis.part import Part

PART = Part(
    name="feedback",
    package="services.feedback",
    service="services.feedback.service:FeedbackService",
    contract="services.feedback.contract",
    api="services.feedback.api",
    web="gateway.web.feedback",
    demo="services.feedback.demo:load_demo",
)
