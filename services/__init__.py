"""Pustaka's services: each package here is one independently deployable nameko service."""
