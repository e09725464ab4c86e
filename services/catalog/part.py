"""The catalogue, as the composition root (pustaka/parts.py) knows it."""

from chassis.part import Part

PART = Part(
    name="catalog",
    package="services.catalog",
    service="services.catalog.service:CatalogService",
    contract="services.catalog.contract",
    api="services.catalog.api",
    web="gateway.web.catalog",
    demo="services.catalog.demo:load_demo",
    cli="services.catalog.cli",
)
