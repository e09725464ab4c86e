"""The search index: for each word of the search documents, the titles that hold it.

A word's titles are a roaring bitmap of their seqs, stored in rows of
(term, chunk, bits), one row per 65,536 seqs, so adding a title rewrites only the
newest chunk of each of its words. A search reads the bitmaps of its words and
intersects them: the exact number of matches and any page of them then cost
microseconds, however many titles match.

Why not FTS5 or a PostgreSQL GIN index: both find the newest page of matches
quickly, but counting the matches exactly is work per match. At 1M titles,
PostgreSQL's GIN took 25 ms just to list the 250,000 titles of a word in a quarter
of them, and 175 ms more to check each one's visibility in the table; a GIN-backed
search with an exact total took 270-430 ms at p95. The bitmaps answer the same
question in a few milliseconds, and they are the same code and the same answers on
SQLite and PostgreSQL.

A word's bitmap is shared by every title with that word, and the commonest are
shared by all (the facet tokens: every book, every title in Indonesian). Were each
new title to rewrite them, every write would read and write the same few rows, of
up to 8 KB each as the catalogue grows, and concurrent writes would queue on their
locks. So a write of a title (`defer_documents`) adds rows of its own to
search_pending instead, one per word it gains or loses; a search reads them over
the bitmaps in the same statement; and the catalogue's worker folds them into the
bitmaps in batches (`merge_pending`, `Folder`), each bitmap rewritten once for
all the titles of the batch. An import, thousands of titles at once, writes the
bitmaps straight away (`update_documents`).

Either way the index changes in the same transaction as the search document, so
a search never sees a title its index does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from pyroaring import BitMap
from sqlalchemy import Boolean, LargeBinary, cast, delete, null, select, tuple_, union_all
from sqlalchemy.orm import Session

from chassis import bulk
from chassis.db import insert_at_end
from chassis.errors import field_error

from .models import PendingPosting, SearchPosting
from .text import FACET, Term

CHUNK_BITS = 16
# A BitMap holds 32-bit values: no title beyond this seq is in the index.
SEQ_MAX = 2**32 - 1
# A prefix matching more words than this is refused: its bitmaps would be read
# and merged for every search, and a longer prefix says what is meant.
MAX_PREFIX_WORDS = 5_000
# Keys per statement: well inside SQLite's limit on bound parameters.
STATEMENT_KEYS = 2_000

table = SearchPosting.__table__
pending = PendingPosting.__table__
# Pending rows folded per transaction: a bounded lock and a bounded statement.
FOLD_BATCH = 20_000


def _slices(items: list, size: int = STATEMENT_KEYS):
    for start in range(0, len(items), size):
        yield items[start : start + size]


Changes = Iterable[tuple[int, str, str]]  # (seq, old document, new document)
Keyed = dict[tuple[str, int], list[int]]  # (term, chunk) -> seqs


def _words(changes: Changes) -> Iterator[tuple[str, int, bool]]:
    """(term, seq, whether the title now holds it) for each word gained or lost."""
    for seq, old, new in changes:
        before, after = set(old.split()), set(new.split())
        for term in after - before:
            yield term, seq, True
        for term in before - after:
            yield term, seq, False


def update_documents(session: Session, changes: Changes) -> None:
    """Bring the bitmaps in step with changed search documents: (seq, old, new) each,
    where a new title's old document is "" and a withdrawn title's new one is "".
    For many titles at once (an import), of which no change is pending."""
    _fold(session, _keyed(_words(changes)))


def defer_documents(session: Session, changes: Changes) -> None:
    """The same, as pending rows: for the writes of one title, which then wait on
    no other write. A word gained and lost again before it is folded leaves its
    row saying so (the last change is the one kept)."""
    rows = [{"term": t, "seq": seq, "present": p} for t, seq, p in _words(changes)]
    if rows:  # with the write's end (its events): nothing reads them back before
        insert_at_end(session, pending, rows, bulk.upsert_clause(pending, list(rows[0])))


def merge_pending(session: Session, limit: int = FOLD_BATCH) -> int:
    """Fold up to `limit` pending rows into the bitmaps, oldest words first; how many.
    Replicas folding at once take different rows (PostgreSQL skips those locked)."""
    taken = select(pending.c.term, pending.c.seq, pending.c.present).order_by(
        pending.c.term, pending.c.seq
    )
    if session.get_bind().dialect.name == "postgresql":
        taken = taken.with_for_update(skip_locked=True)
    rows = session.execute(taken.limit(limit)).all()
    if not rows:
        return 0
    _fold(session, _keyed(rows))
    for keys in _slices([(term, seq) for term, seq, _ in rows]):
        session.execute(delete(pending).where(tuple_(pending.c.term, pending.c.seq).in_(keys)))
    return len(rows)


class Folder:
    """The catalogue's worker folding what writes left pending (a Background of the
    service): `gather_seconds` after a write, so that the writes of that while are
    one batch; and every `poll_seconds`, for another process's."""

    poll_seconds = 5.0
    gather_seconds = 0.2

    def __init__(self, transaction: Callable, batch: int = FOLD_BATCH):
        self.transaction = transaction  # DatabaseSession.transaction
        self.batch = batch

    def run_once(self) -> int:
        """Fold a batch. How many rows, if the batch was full and more may wait; 0 if
        it took all there was. Rows written meanwhile then wait for the next gather
        (searches read them pending): under steady writes, a fold at once after each
        fold would take a few titles' words a time, rewriting the shared bitmaps
        (every title's facet tokens) each time."""
        with self.transaction() as session:
            folded = merge_pending(session, self.batch)
        return folded if folded >= self.batch else 0

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


def _keyed(words: Iterable[tuple[str, int, bool]]) -> tuple[Keyed, Keyed]:
    """(added, dropped): the seqs gained and lost by each (term, chunk)."""
    added: Keyed = defaultdict(list)
    dropped: Keyed = defaultdict(list)
    for term, seq, present in words:
        (added if present else dropped)[term, seq >> CHUNK_BITS].append(seq)
    return added, dropped


def _fold(session: Session, changes: tuple[Keyed, Keyed]) -> None:
    """Rewrite the bitmaps of each (term, chunk) with the seqs it gains and loses."""
    added, dropped = changes
    # A word's first titles in a chunk make its row; rows that exist already, or
    # that another transaction has just made, are merged into below.
    new_rows = bulk.insert_missing(
        session,
        table,
        [
            {"term": t, "chunk": c, "bits": BitMap(seqs).serialize()}
            for (t, c), seqs in sorted(added.items())
        ],
    )
    merged = (added.keys() | dropped.keys()) - new_rows
    chunks = sorted({chunk for _, chunk in merged})
    changed, emptied = [], []
    for terms in _slices(sorted({term for term, _ in merged})):
        # Terms × chunks: one index scan; the few rows beyond the keys stay as they are.
        rows = session.execute(
            select(SearchPosting.term, SearchPosting.chunk, SearchPosting.bits)
            .where(SearchPosting.term.in_(terms), SearchPosting.chunk.in_(chunks))
            .order_by(SearchPosting.term, SearchPosting.chunk)
            .with_for_update()
        )
        for term, chunk, bits in rows:
            if (term, chunk) not in merged:
                continue
            seqs = BitMap.deserialize(bits)
            seqs |= BitMap(added.get((term, chunk), ()))
            seqs -= BitMap(dropped.get((term, chunk), ()))
            if seqs:
                changed.append({"term": term, "chunk": chunk, "bits": seqs.serialize()})
            else:
                emptied.append((term, chunk))
    bulk.update_rows(session, table, changed)
    for keys in _slices(emptied):
        session.execute(delete(table).where(tuple_(table.c.term, table.c.chunk).in_(keys)))


def bitmaps(session: Session, words: Iterable[str]) -> dict[str, BitMap]:
    """Each word's titles (an empty bitmap for a word no title holds)."""
    found: dict[str, BitMap] = defaultdict(BitMap)
    for part in _slices(sorted(set(words))):
        _read(session, found, lambda term, part=part: term.in_(part))
    return found


def bitmaps_with_prefix(session: Session, prefix: str) -> dict[str, BitMap]:
    """Every word that begins with `prefix`, with its titles: for the few words of one
    kind of facet token, whose values are then what the index holds."""
    found: dict[str, BitMap] = defaultdict(BitMap)
    _read(session, found, lambda term: _begins(term, prefix))
    return found


def _read(session: Session, found: dict[str, BitMap], where: Callable) -> None:
    """Add to `found` the titles of the words `where(term column)` picks: their
    bitmaps, then what is pending over them. One statement, so one snapshot: a fold
    committed meanwhile is seen whole or not at all."""
    rows = session.execute(
        union_all(
            select(
                table.c.term,
                table.c.bits,
                cast(null(), pending.c.seq.type).label("seq"),
                cast(null(), Boolean).label("present"),
            ).where(where(table.c.term)),
            select(
                pending.c.term, cast(null(), LargeBinary), pending.c.seq, pending.c.present
            ).where(where(pending.c.term)),
        )
    )
    changes = []
    for term, bits, seq, present in rows:
        if bits is not None:
            found[term] |= BitMap.deserialize(bits)
        else:
            changes.append((term, seq, present))
    for term, seq, present in changes:
        if present:
            found[term].add(seq)
        else:
            found[term].discard(seq)


def _begins(term, prefix: str):
    # Terms compare in byte (code point) order, so the words that begin with the
    # prefix are one range of the primary key.
    return (term >= prefix) & (term < prefix + "\U0010ffff")


def matching(session: Session, terms: list[Term]) -> BitMap:
    """The seqs of the titles holding every term (a term: its word, any of its
    alternatives, or any word it is a prefix of)."""
    exact = bitmaps(session, (w for t in terms if not t.prefix for w in (t.word, *t.alternatives)))
    per_term = [
        _prefixed(session, t.word)
        if t.prefix
        else BitMap.union(*(exact[w] for w in (t.word, *t.alternatives)))
        for t in terms
    ]
    return BitMap.intersection(*sorted(per_term, key=len))


def _prefixed(session: Session, prefix: str) -> BitMap:
    """Titles with any word that begins with `prefix` (never a facet token)."""

    def in_range(term):
        found = _begins(term, prefix)
        return found & ~term.startswith(FACET) if FACET.startswith(prefix) else found

    either = union_all(
        select(table.c.term).where(in_range(table.c.term)),
        select(pending.c.term).where(in_range(pending.c.term), pending.c.present),
    ).subquery()
    words = session.scalars(select(either.c.term).distinct().limit(MAX_PREFIX_WORDS + 1)).all()
    if len(words) > MAX_PREFIX_WORDS:
        raise field_error(
            "q", f"{prefix}* matches more than {MAX_PREFIX_WORDS:,} words: use a longer prefix."
        )
    return BitMap.union(BitMap(), *bitmaps(session, words).values())


def newest(matches: BitMap, before: int | None, limit: int) -> list[int]:
    """Up to `limit` seqs of `matches`, highest first, all below `before` if given."""
    end = len(matches) if before is None else matches.rank(before - 1)
    return [matches[i] for i in range(end - 1, max(end - limit, 0) - 1, -1)]
