"""Public ids: a record's sequence number as the world sees it (T000042).

Every service formats and parses its ids through one `PublicId`, so an id has one
spelling. Parsing accepts that spelling only: an id written with other digits
(fullwidth, Arabic-Indic, superscript), with extra leading zeros or beyond what a
database column holds names no record, rather than naming one under an alias (which
a cache would keep apart from the record's own spelling) or failing in the database.
"""

from __future__ import annotations

from dataclasses import dataclass

# The largest value a BIGINT column (PostgreSQL, SQLite) holds.
SEQ_MAX = 2**63 - 1
_SEQ_DIGITS = len(str(SEQ_MAX))


@dataclass(frozen=True)
class PublicId:
    """Ids of one kind: `prefix`, then the sequence number zero-padded to `width`."""

    prefix: str
    width: int

    def format(self, seq: int) -> str:
        return f"{self.prefix}{seq:0{self.width}d}"

    def parse(self, text: object) -> int | None:
        """The sequence number `text` spells if it is an id of this kind in its one
        spelling: ASCII digits, zero-padded to `width` and no further, 1 <= seq <=
        SEQ_MAX. Else None. Cheap for any input: a long string is refused by its
        length before any digit is converted."""
        if not isinstance(text, str) or not text.startswith(self.prefix):
            return None
        digits = text[len(self.prefix) :]
        if not (len(digits) <= _SEQ_DIGITS and digits.isascii() and digits.isdigit()):
            return None
        seq = int(digits)
        return seq if 1 <= seq <= SEQ_MAX and self.format(seq) == text else None
