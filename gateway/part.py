"""The gateway, as the composition root (pustaka/parts.py) knows it: a part with a
database of its own (API keys) and no events, so none of the shared outbox tables."""

from chassis.part import Part

PART = Part(
    name="gateway",
    package="gateway",
    service="pustaka.gateway:GatewayService",  # composed from the parts
    cli="gateway.cli",
    web="gateway.web.shell",
    reliable=False,
)
