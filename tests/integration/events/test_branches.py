"""The branches events knows, as the pages list them: its read model of the
catalogue's branches (kept from branch_updated), by code with their names, renamed
when the catalogue renames one; on the domain, then over real RPC."""

import pytest

from pustaka import platform
from services.events import readmodels
from services.events.models import branches
from services.events.service import EventsService
from tests.support import ClusterRpcProxy

from .conftest import INTEGRATOR, read, run

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_the_branches_by_code_with_their_names(events_db):
    found = read(events_db, readmodels.list_branches)["items"]
    assert found == [
        {"code": "KMN", "name": "Cabang KMN"},
        {"code": "PDT", "name": "Cabang PDT"},
        {"code": "SPN", "name": "Cabang SPN"},
    ]
    run(events_db, branches.seen, {"code": "KMN", "name": "Perpustakaan Cabang Kumun Debai"})
    run(events_db, branches.seen, {"code": "HRW", "name": "Perpustakaan Cabang Hamparan Rawang"})
    found = read(events_db, readmodels.list_branches)["items"]
    assert [b["code"] for b in found] == ["HRW", "KMN", "PDT", "SPN"]
    assert found[1]["name"] == "Perpustakaan Cabang Kumun Debai"


def test_the_branches_over_rpc(config, database_url, container_factory):
    config = {**config, "events": {"DATABASE_URL": database_url}}
    list(platform.migrate(config, ["events"]))
    db = platform.database(config, platform.part("events"))
    try:
        run(db, branches.seen, {"code": "KMN", "name": "Perpustakaan Cabang Kumun Debai"})
        container_factory(EventsService, config).start()
        caller = {"caller": INTEGRATOR.as_context()}  # a read anyone's key may make
        with ClusterRpcProxy(config, context_data=caller) as rpc:
            assert rpc.events.list_branches() == {
                "items": [{"code": "KMN", "name": "Perpustakaan Cabang Kumun Debai"}]
            }
    finally:
        db.engine.dispose()
