"""The pages' words in the reader's language: one gettext message catalogue per
language (locale/<lang>/LC_MESSAGES/messages.po), Indonesian first.

The .po files are read once, when a page first asks, and compiled in memory: no
binary .mo file is kept in the repository or made by a build step that a checkout
could skip, and `make lint` checks the very files the pages read (every text the
pages and templates mark, and every value of a slice's VOCABULARY, translated in
each language: gateway/web/catalogues.py).

Message ids are the English texts. A value of a part's vocabulary (a programme
type, an audience) is a message of its own, in the context of its kind:
pgettext("programme_type", "storytime"); one without a translation shows as the
value itself, so a new value never drops out of a page before lint says so."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("id", "en")  # Indonesian first: the default
DEFAULT = LANGUAGES[0]
# Each language's name in itself, for the link to it.
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LOCALE = Path(__file__).parent / "locale"


def catalogue_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> Translations:
    with catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return Translations(compiled)


def translator(lang: str) -> Callable[..., str]:
    """`_ = translator(lang)`, then `_("Text with %(name)s", name=...)` in Python code
    (pybabel extracts `_("...")` calls)."""
    gettext = translations(lang).gettext

    def _(message: str, **values) -> str:
        text = gettext(message)
        return text % values if values else text

    return _


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks a text to translate later (where it is shown), for pybabel to extract."""
    return message
