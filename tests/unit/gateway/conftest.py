import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from gateway.models import Base


@pytest.fixture
def session(tmp_path):
    """A session on a gateway database of the test's own (its keys, its page sessions)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'gw.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
