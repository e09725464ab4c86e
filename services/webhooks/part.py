"""The webhook service, as the composition root (pustaka/parts.py) knows it."""

from chassis.part import Part

PART = Part(
    name="webhooks",
    package="services.webhooks",
    service="services.webhooks.service:WebhookService",
    contract="services.webhooks.contract",
    api="services.webhooks.api",
)
