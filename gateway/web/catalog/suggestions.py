"""The link from the catalogue to the suggestion form (the feedback slice's page):
a title nobody found, or one a reader wants more of, with what is known of it
filled in. The form's address and field names are said here once."""

from __future__ import annotations

from urllib.parse import urlencode

SUGGESTION_FORM = "/usulan/baru"
FIELDS = {"title": "judul", "author": "pengarang", "isbn": "isbn"}


def suggestion_link(lang: str, title: str = "", author: str = "", isbn: str = "") -> str:
    given = {"title": title, "author": author, "isbn": isbn}
    query = [(FIELDS[name], value) for name, value in given.items() if value]
    return f"{SUGGESTION_FORM}?{urlencode([*query, ('lang', lang)])}"
