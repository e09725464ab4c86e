"""The people service over real RPC and events: typed errors and the caller across
the hop, the branch read model kept from the catalogue's events, and feedback's
evaluation applied once however often it arrives (SQLite, then PostgreSQL)."""

import pytest

from chassis.context import Caller
from chassis.errors import Forbidden, NotFound, ValidationFailed
from pustaka import platform
from services.people.service import PeopleService
from tests.domain.people.helpers import KMN, PARTNER
from tests.support import publish_event, rpc_as, wait_for

ADMIN = Caller("k-hq", "admin")


@pytest.fixture
def people(config, migrated_url, container_factory):
    config = {**config, "people": {"DATABASE_URL": migrated_url("people")}}
    container_factory(PeopleService, config).start()
    return config


def test_branches_come_from_the_catalogues_events_and_staff_name_them(people):
    staff = {"name": "Rina Marlina", "branch": "KMN", "position": "mahir"}
    with rpc_as(people, ADMIN) as rpc:
        with pytest.raises(ValidationFailed) as err:
            rpc.people.register_staff(staff)
        assert err.value.details["fields"] == {"branch": ["No branch 'KMN'."]}
    branch = {"code": "KMN", "name": "Perpustakaan Cabang Kumun Debai", "locations": []}
    publish_event(people, "catalog", "branch_updated", "KMN", branch)

    def registered():
        with rpc_as(people, KMN) as rpc:
            try:
                return rpc.people.register_staff(staff)
            except ValidationFailed:
                return None

    made = wait_for(registered, timeout=10)
    with rpc_as(people, PARTNER) as rpc, pytest.raises(Forbidden):
        rpc.people.get_staff(made["id"])
    with rpc_as(people, KMN) as rpc:
        assert rpc.people.get_staff(made["id"])["name"] == "Rina Marlina"
        with pytest.raises(NotFound):
            rpc.people.get_staff("S999999")
        assert rpc.people.health() == {"service": "people", "ok": True}


def test_an_evaluation_is_applied_once_however_often_it_arrives(people):
    publish_event(people, "catalog", "branch_updated", "SPN", {"code": "SPN", "name": "Pusat"})
    programme = {
        "kind": "seminar",
        "topic": "Seminar literasi informasi di era digital",
        "competencies": [{"competency": "LI-EVALUASI", "level": 2}],
        "hours": 4,
        "trainer": {"name": "Dr. Yuni Astuti"},
        "capacity": 50,
        "sessions": [],
    }
    with rpc_as(people, ADMIN) as rpc:
        pid = rpc.people.create_programme(programme)["id"]
    summary = {
        "campaign_id": "C000001",
        "subject_type": "programme",
        "subject_id": pid,
        "responses": 31,
        "average": 4.6,
        "summary": "Narasumber menarik.",
    }
    publish_event(people, "feedback", "evaluation_summarized", pid, summary, times=3)

    def evaluated():
        with rpc_as(people, ADMIN) as rpc:
            return rpc.people.get_programme(pid)["evaluation"]

    assert wait_for(evaluated, timeout=10)["responses"] == 31
    from services.people.models import applied_events_table

    db = platform.database(people, platform.part("people"))
    try:
        with db.reading() as session:
            applied = session.execute(applied_events_table.select()).all()
    finally:
        db.engine.dispose()
    consumers = sorted(row.consumer for row in applied)
    assert consumers.count("people.on_evaluation_summarized") == 1
