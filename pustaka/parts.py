"""The platform's parts: one line each. Each part describes itself in its own
part.py (chassis/part.py says what a description holds); configuration,
migrations, queues, the supervised programs, demo data, the gateway's status page
and event catalogue, the deployment checks and the tests all derive from this list.

To add a service, give it its folder and add its line here (README: "Adding a service").
"""

from gateway.part import PART as gateway
from services.catalog.part import PART as catalog
from services.events.part import PART as events
from services.feedback.part import PART as feedback
from services.insight.part import PART as insight
from services.people.part import PART as people
from services.webhooks.part import PART as webhooks

PARTS = (catalog, people, events, feedback, webhooks, insight, gateway)
