"""The gateway's routes: one module per service it fronts (catalog.py, webhooks.py),
the platform's own (platform.py: health, readiness, status, documents) and OAI-PMH
(oai.py), and signing in on the pages (signin.py). gateway/service.py composes
them into the one gateway service."""
