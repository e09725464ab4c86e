"""The insight service over the real broker: the catalogue's events, published as its
outbox would (one of them twice), are applied once by the service's handlers; its
RPC methods answer through the chassis' entrypoints with the caller's rights; an
event whose data lacks a field insight relies on is parked, not applied. SQLite,
then PostgreSQL."""

import datetime as dt

import pytest

from chassis.context import Caller
from chassis.errors import Forbidden
from chassis.nameko.deadletters import list_parked
from pustaka import platform
from services.insight.calendar import today
from services.insight.service import InsightService
from tests.support import publish_event, rpc_as, wait_for

ADMIN = Caller("k-hq", "admin")
KMN = Caller("k-kmn", "branch", branch="KMN")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def insight(request, config, tmp_path, container_factory):
    url = (
        f"sqlite:///{tmp_path / 'insight'}.db"
        if request.param == "sqlite"
        else request.getfixturevalue("make_postgres_db")()
    )
    config = {
        **config,
        "insight": {**config["insight"], "DATABASE_URL": url, "REBUILD_ON_START": False},
    }
    list(platform.migrate(config, ["insight"]))
    container_factory(InsightService, config).start()
    return config


def test_events_are_applied_once_and_the_book_answers_by_role(insight):
    publish_event(
        insight,
        "catalog",
        "branch_updated",
        "KMN",
        {"code": "KMN", "name": "Cabang Kumun Debai", "locations": []},
    )
    title = {
        "id": "T000001",
        "material_type": "book",
        "title": "Laskar Pelangi",
        "acquisition_ref": None,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    publish_event(insight, "catalog", "title_created", "T000001", title)
    copy = {"barcode": "KMN-1", "title_id": "T000001", "branch": "KMN", "status": "available"}
    publish_event(insight, "catalog", "item_added", "KMN-1", copy, times=2)  # delivered twice
    publish_event(
        insight, "catalog", "item_added", "KMN-X", {"barcode": "KMN-X"}
    )  # no title: parked
    month = today().strftime("%Y-%m")
    query = {"from": month, "to": month, "branches": "KMN"}

    def copies():
        with rpc_as(insight, ADMIN) as rpc:
            answer = rpc.insight.dashboard(query)
        return answer["items"] and answer["items"][0]["collection"]["copies_by_type"]

    assert wait_for(copies, timeout=15) == {"book": 1}
    with rpc_as(insight, KMN) as rpc:
        visit = rpc.insight.record_visit({"branch": "KMN", "purpose": "internet"})
        assert visit["visits"] == 1
        with pytest.raises(Forbidden):
            rpc.insight.put_members({"branch": "KMN", "month": month, "members": 10})
        with pytest.raises(Forbidden):
            rpc.insight.rebuild()
    assert copies() == {"book": 1}  # the repeat and the broken event changed nothing
    parked = wait_for(lambda: list_parked(insight["AMQP_URI"], "insight"), timeout=15)
    assert [(p.routing_key, "title_id" in p.error) for p in parked] == [("item_added", True)]
