"""Community programmes, as the composition root (pustaka/parts.py) knows it."""

from chassis.part import Part

PART = Part(
    name="events",
    package="services.events",
    service="services.events.service:EventsService",
    contract="services.events.contract",
    api="services.events.api",
    web="gateway.web.events",
    demo="services.events.demo:load_demo",
)
