"""The check `make lint` runs on the pages' message catalogues: every text the
pages mark (a .pot that `pybabel extract` made from gateway/web with babel.cfg), and
every value of a slice's VOCABULARY (in its context), has a translation in each
language's catalogue: not empty, not fuzzy. A page with a text missing from a
catalogue would show it in English (or a contract's value as it is spelled), so
the catalogue, not the page, is what lint holds to account.

    python -m gateway.web.catalogues messages.pot
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import gateway.web
from gateway.web.shell.i18n import LANGUAGES, catalogue_path


def vocabulary() -> set[tuple[str, str]]:
    """(context, value) of every slice's VOCABULARY: the contract's values it labels."""
    wanted = set()
    for found in pkgutil.iter_modules(gateway.web.__path__):
        if found.ispkg:
            words = getattr(importlib.import_module(f"gateway.web.{found.name}"), "VOCABULARY", {})
            wanted |= {(context, value) for context, values in words.items() for value in values}
    return wanted


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def missing(template: Catalog, catalogue: Catalog, words: set[tuple[str, str]]) -> list[str]:
    """What `catalogue` does not translate, as people read it."""
    wanted = [(m.context, m.id) for m in template if m.id]
    wanted += sorted(words)
    problems = []
    for context, msgid in wanted:
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalogue.get(key, context=context)
        if message is None or not _translated(message):
            problems.append(f"{context}: {key!r}" if context else repr(key))
    return problems


def main(pot: str) -> int:
    with open(pot, "rb") as extracted:
        template = read_po(extracted)
    words = vocabulary()
    failed = False
    for lang in LANGUAGES:
        with catalogue_path(lang).open("rb") as po:
            catalogue = read_po(po, locale=lang)
        for problem in missing(template, catalogue, words):
            print(f"{catalogue_path(lang)}: no translation of {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
