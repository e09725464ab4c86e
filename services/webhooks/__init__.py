"""Integrators' webhooks: every event of every service, delivered signed (Standard
Webhooks) to the endpoints that asked for it, retried with backoff, each attempt
logged."""
