"""A service's branch read model: a code found once is not read again, in that
database only, and a code not (yet) told of is refused every time it is named."""

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session

from chassis.branches import BranchColumns, BranchReadModel
from chassis.errors import ValidationFailed


class Base(DeclarativeBase):
    pass


class Branch(BranchColumns, Base):
    pass


def database():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return engine, statements


def test_a_found_code_is_read_once_and_only_in_its_own_database():
    branches = BranchReadModel(Branch)
    (told, told_reads), (other, _) = database(), database()
    with Session(told) as session, session.begin():
        branches.seen(session, {"code": "SPN", "name": "Cabang SPN"})
    told_reads.clear()
    for _ in range(3):
        with Session(told) as session:
            assert branches.require(session, "SPN") == "SPN"
    assert len(told_reads) == 1
    with Session(other) as session, pytest.raises(ValidationFailed) as refused:
        branches.require(session, "SPN", "sessions.0.venue.branch")
    assert refused.value.details["fields"] == {"sessions.0.venue.branch": ["No branch 'SPN'."]}


def test_a_code_not_told_of_is_refused_until_it_is():
    branches = BranchReadModel(Branch)
    engine, reads = database()
    for _ in range(2):
        with Session(engine) as session, pytest.raises(ValidationFailed):
            branches.require(session, "KMN")
    assert len(reads) == 2  # a refusal is not kept: the code is looked for again
    with Session(engine) as session, session.begin():
        branches.seen(session, {"code": "KMN", "name": "Cabang KMN"})
    with Session(engine) as session:
        assert branches.require(session, "KMN") == "KMN"
    before = len(reads)
    with Session(engine) as session, pytest.raises(ValidationFailed):
        branches.require(session, "kmn")
    assert len(reads) == before  # not a code's spelling: refused without a read
