"""What a registration costs PostgreSQL in round trips, the whole unit of work as a
request runs it: every statement from the one that locks the occurrence's row to the
commit is a wait that every other registration for it waits too (see
tests/domain/people/test_round_trips.py)."""

import pytest

from chassis.context import SYSTEM
from chassis.errors import Forbidden
from services.events import checkin, registrations
from tests.support import requested, round_trips

from .helpers import KMN, SPN, person, published

pytestmark = pytest.mark.parametrize(
    "database_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)


@pytest.mark.parametrize("capacity, status", [(5, "confirmed"), (1, "waitlisted")])
def test_registering_is_four_round_trips_two_of_them_holding_the_seats(events_db, capacity, status):
    occurrence = published(events_db, capacity=capacity)["occurrences"][0]["id"]
    requested(events_db, "register", registrations.register, occurrence, person(1), SYSTEM)
    with round_trips(events_db.engine) as sent:
        made = requested(
            events_db, "register", registrations.register, occurrence, person(2), SYSTEM
        )
    assert made["items"][0]["status"] == status
    # the occurrence locked, then, in the same round trip, read with its programme,
    # the same person's registration, its places (kept, taken, waiting) as the lock's
    # last holder left them and the new registration's key; the registration with
    # its event and the answer (one statement); the commit: as many for the
    # waitlist, its place told without another count
    assert len(sent) == 4, sent
    locking, reading = sent[1].split(";", 1)
    assert "FOR UPDATE" in locking and "person_key" in reading and "json_agg" in reading
    assert "INSERT INTO registrations" in sent[2] and "INSERT INTO outbox" in sent[2], sent
    assert sent[3] == "COMMIT"


def test_the_doors_lookup_is_one_round_trip(events_db):
    occurrence = published(events_db, capacity=5)["occurrences"][0]["id"]
    made = requested(events_db, "register", registrations.register, occurrence, person(1), SYSTEM)
    code = made["items"][0]["code"]
    with round_trips(events_db.engine) as sent:
        found = events_db.read_one("lookup_code", lambda r: checkin.lookup_code(r, code, KMN))
    # Its one SELECT, in no transaction: the BEGIN counted is SQLAlchemy's alone,
    # psycopg2 sends none in autocommit (tests/domain/chassis/test_sessions.py proves
    # the statement is its own transaction).
    statements = [s for s in sent if s != "BEGIN"]
    assert len(statements) == 1 and "FROM registrations JOIN occurrences" in statements[0]
    with events_db.reading() as session:  # what the ORM's objects dump, the same
        held = registrations.by_code(session, code)
        assert found == registrations.dump_registration(*held, True)
    assert found["code"] == code and found["name"] == "Peserta 1"
    with pytest.raises(Forbidden):  # another branch's librarian
        events_db.read_one("lookup_code", lambda r: checkin.lookup_code(r, code, SPN))
