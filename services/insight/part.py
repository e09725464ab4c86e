"""Headquarters' view across the services, the visitors' book and the city's
literacy figures, as the composition root (pustaka/parts.py) knows it."""

from chassis.part import Part

PART = Part(
    name="insight",
    package="services.insight",
    service="services.insight.service:InsightService",
    contract="services.insight.contract",
    api="services.insight.api",
    web="gateway.web.insight",
    demo="services.insight.demo:load_demo",
)
