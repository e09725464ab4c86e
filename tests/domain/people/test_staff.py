"""Staff: registration with a checked NIP, the branch read model, the position
history, and who may see whom (SQLite, then PostgreSQL)."""

import datetime as dt

import pytest

from chassis.context import SYSTEM
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.people import staff
from services.people.nip import parse_nip
from tests.support import id_aliases

from .helpers import INTEGRATOR, KMN, NIP, PARTNER, SPN, carries_no_nip, emitted, read, run

TODAY = dt.date(2026, 12, 5)


def register(db, caller=SYSTEM, **fields):
    payload = {"name": "Rina Marlina", "branch": "KMN", "position": "mahir", **fields}
    return run(db, staff.register_staff, payload, caller, TODAY)


def test_a_civil_servant_is_registered_with_an_id_of_one_spelling(people_db):
    s = register(people_db, nip="19850312 201001 2 003")
    assert s["id"] == "S000001" and s["nip"] == NIP and s["active"] is True
    assert s["positions"] == [
        {"position": "mahir", "previous": None, "effective": "2026-12-05", "note": None}
    ]
    assert read(people_db, staff.get_staff, "S000001", SYSTEM) == s
    for alias in id_aliases("S000001"):
        with pytest.raises(NotFound):
            read(people_db, staff.get_staff, alias, SYSTEM)


def test_staff_who_are_not_civil_servants_have_no_nip(people_db):
    assert register(people_db, nip=None)["nip"] is None
    assert register(people_db, nip="")["nip"] is None


@pytest.mark.parametrize(
    "nip,reason",
    [
        ("19850312201001200", "18 digits"),
        ("1985031220100120O3", "18 digits"),
        ("198502302010012003", "no birth date"),
        ("198503122010132003", "no month of appointment"),
        ("198503122030012003", "in the future"),
        ("198503122002012003", "before the age of 18"),
        ("198503122010013003", "Digit 15 (3) is the sex"),
        ("198503122010012000", "sequence number"),
    ],
)
def test_a_bad_nip_is_refused_with_the_part_that_is_wrong(people_db, nip, reason):
    with pytest.raises(ValidationFailed) as err:
        register(people_db, nip=nip)
    assert reason in err.value.details["fields"]["nip"][0]
    assert emitted(people_db) == []


def test_the_nip_tells_birth_appointment_and_sex():
    nip = parse_nip(NIP, TODAY)
    assert (nip.born, nip.appointed, nip.sex) == (dt.date(1985, 3, 12), (2010, 1), 2)


def test_one_nip_is_one_person(people_db):
    first = register(people_db, nip=NIP)
    with pytest.raises(Conflict) as err:
        register(people_db, nip=NIP, name="Orang Lain")
    assert err.value.details == {"field": "nip", "existing_id": first["id"]}


def test_the_branch_must_be_one_the_catalogue_told_of(people_db):
    with pytest.raises(ValidationFailed) as err:
        register(people_db, branch="XYZ")
    assert err.value.details["fields"] == {"branch": ["No branch 'XYZ'."]}
    with pytest.raises(ValidationFailed) as err:
        register(people_db, position="kepala")
    assert "position" in err.value.details["fields"]


def test_no_event_carries_the_nip_or_the_birth_date(people_db):
    s = register(people_db, nip=NIP)
    run(people_db, staff.change_staff, s["id"], {"position": "penyelia"}, SYSTEM, TODAY)
    envelopes = emitted(people_db)
    assert [e["type"] for e in envelopes] == ["people.staff_registered", "people.staff_changed"]
    for envelope in envelopes:
        assert set(envelope["data"]) == {"id", "name", "branch", "position", "active"}
        assert carries_no_nip(envelope)


def test_a_change_of_position_is_kept_in_the_history(people_db):
    s = register(people_db)
    change = {"position": "penyelia", "effective": "2026-10-01", "note": "SK 12/2026"}
    changed = run(people_db, staff.change_staff, s["id"], change, SYSTEM, TODAY)
    assert changed["position"] == "penyelia" and changed["version"] == 2
    assert changed["positions"][-1] == {
        "position": "penyelia",
        "previous": "mahir",
        "effective": "2026-10-01",
        "note": "SK 12/2026",
    }
    unchanged = run(people_db, staff.change_staff, s["id"], {"active": False}, SYSTEM, TODAY)
    assert len(unchanged["positions"]) == 2 and unchanged["active"] is False


def test_a_branch_key_sees_and_manages_its_own_branch_only(people_db):
    own = register(people_db, KMN)
    other = register(people_db, SPN, branch="SPN")
    assert read(people_db, staff.get_staff, own["id"], KMN)["id"] == own["id"]
    with pytest.raises(Forbidden):
        read(people_db, staff.get_staff, other["id"], KMN)
    with pytest.raises(Forbidden):
        register(people_db, KMN, branch="SPN")
    with pytest.raises(Forbidden):
        run(people_db, staff.change_staff, own["id"], {"branch": "SPN"}, KMN, TODAY)
    with pytest.raises(Forbidden):
        run(people_db, staff.change_staff, other["id"], {"name": "X"}, KMN, TODAY)
    listed = read(people_db, staff.list_staff, {}, KMN)
    assert [s["id"] for s in listed["items"]] == [own["id"]]
    with pytest.raises(Forbidden):
        read(people_db, staff.list_staff, {"branch": "SPN"}, KMN)


@pytest.mark.parametrize("caller", [PARTNER, INTEGRATOR])
def test_partners_and_integrators_read_no_one(people_db, caller):
    s = register(people_db)
    with pytest.raises(Forbidden):
        read(people_db, staff.get_staff, s["id"], caller)
    with pytest.raises(Forbidden):
        read(people_db, staff.list_staff, {}, caller)


def test_staff_are_listed_a_page_at_a_time(people_db):
    made = [register(people_db, name=f"Staf {i}")["id"] for i in range(5)]
    first = read(people_db, staff.list_staff, {"limit": 2}, SYSTEM)
    second = read(people_db, staff.list_staff, {"limit": 2, "cursor": first["next_cursor"]}, SYSTEM)
    third = read(people_db, staff.list_staff, {"limit": 2, "cursor": second["next_cursor"]}, SYSTEM)
    pages = [first, second, third]
    assert [s["id"] for p in pages for s in p["items"]] == made
    assert third["next_cursor"] is None
    with pytest.raises(ValidationFailed):
        read(people_db, staff.list_staff, {"cursor": "nonsense"}, SYSTEM)
