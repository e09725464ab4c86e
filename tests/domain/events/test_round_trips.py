"""What a registration costs PostgreSQL in round trips, the whole unit of work as a
request runs it: every statement from the one that locks the occurrence's row to the
commit is a wait that every other registration for it waits too (see
tests/domain/people/test_round_trips.py)."""

import pytest

from chassis.context import SYSTEM
from services.events import registrations
from tests.support import requested, round_trips

from .helpers import person, published

pytestmark = pytest.mark.parametrize(
    "database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)


def test_registering_is_eight_round_trips_six_of_them_holding_the_seats(events_db):
    occurrence = published(events_db, capacity=5)["occurrences"][0]["id"]
    requested(events_db, "register", registrations.register, occurrence, person(1), SYSTEM)
    with round_trips(events_db.engine) as sent:
        requested(events_db, "register", registrations.register, occurrence, person(2), SYSTEM)
    # the occurrence found and locked, with its programme; the seats kept and taken;
    # the same person before; the registration, the event, the answer; the commit
    assert len(sent) == 8, sent
    assert "FOR UPDATE" in sent[1] and len(sent[2:]) == 6, sent
