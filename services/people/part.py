"""Staff development, as the composition root (pustaka/parts.py) knows it."""

from chassis.part import Part

PART = Part(
    name="people",
    package="services.people",
    service="services.people.service:PeopleService",
    contract="services.people.contract",
    api="services.people.api",
    web="gateway.web.people",
    demo="services.people.demo:load_demo",
)
