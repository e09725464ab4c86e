"""Insight: headquarters' view across the services, the visitors' book and the city's
literacy figures (IPLM)."""
