"""New arrivals as Atom feeds (RFC 4287), for all branches and for each: the titles
whose copies came in last, each linking to its record page. Written by feedgen;
the titles are the catalogue's `new_arrivals`, its public view."""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from werkzeug.wrappers import Response

from gateway.web.shell.i18n import translations, translator

FEED = "/katalog/terbaru"  # .atom for all branches, /<code>.atom for one
ATOM = "application/atom+xml"


def feed_path(branch: str | None = None) -> str:
    return f"{FEED}/{branch}.atom" if branch else f"{FEED}.atom"


def atom(site: str, items: list[dict], lang: str, branch: tuple[str, str] | None = None) -> bytes:
    """The feed of `items` (newest first); `branch`: its (code, name), for one branch's."""
    _ = translator(lang)
    library = _("City Library of Sungai Penuh")
    self_url = site + feed_path(branch[0] if branch else None)
    feed = FeedGenerator()
    feed.id(self_url)
    heading = _("New arrivals") + (f": {branch[1]}" if branch else "")
    feed.title(f"{heading} - {library}")
    feed.link(href=self_url, rel="self")
    feed.link(href=f"{site}/katalog?lang={lang}", rel="alternate")
    feed.language(lang)
    feed.author({"name": library})
    if items:  # else feedgen gives the time of writing, which is as true
        feed.updated(max(t["arrived_at"] for t in items))
    for item in reversed(items):  # feedgen puts each new entry first
        entry = feed.add_entry()
        url = f"{site}/katalog/{item['id']}"
        entry.id(url)
        entry.title(item["title"] + (f": {item['subtitle']}" if item.get("subtitle") else ""))
        entry.link(href=f"{url}?lang={lang}")
        entry.updated(item["arrived_at"])
        for author in item.get("authors") or ():
            entry.author({"name": author})
        kind = translations(lang).pgettext("material_type", item["material_type"])
        facts = [kind, str(item.get("year") or ""), item.get("publisher") or ""]
        entry.summary(" · ".join(f for f in facts if f))
    return feed.atom_str(pretty=False)


def atom_response(body: bytes) -> Response:
    return Response(
        body,
        mimetype=ATOM,
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
