"""The catalogue's Dublin Core crosswalk, beside its MARC one (marc.py): a title as
the simple Dublin Core elements OAI-PMH's oai_dc carries, each (element, value),
repeated where the title has several (authors, subjects, identifiers). The record's
own address is the harvester's host's to add: only it knows where it is served."""

from __future__ import annotations

from collections.abc import Iterator


def elements(title: dict) -> list[list[str]]:
    return [[name, value] for name, value in _pairs(title)]


def _pairs(title: dict) -> Iterator[tuple[str, str]]:
    subtitle = title.get("subtitle")
    yield "title", f"{title['title']}: {subtitle}" if subtitle else title["title"]
    for author in title.get("authors") or ():
        yield "creator", author
    for subject in title.get("subjects") or ():
        yield "subject", subject
    if title.get("description"):
        yield "description", title["description"]
    if title.get("publisher"):
        yield "publisher", title["publisher"]
    if title.get("year") is not None:
        yield "date", str(title["year"])
    yield "type", title["material_type"]
    if title.get("isbn"):
        yield "identifier", f"urn:isbn:{title['isbn']}"
    if title.get("issn"):
        yield "identifier", f"urn:issn:{title['issn']}"
    if title.get("access_url"):
        yield "identifier", title["access_url"]
    if title.get("language"):
        yield "language", title["language"]
