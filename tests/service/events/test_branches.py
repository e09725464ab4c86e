"""The branches events knows, over real RPC: a read any key may make, answered
from its read model (the domain: tests/domain/events/test_branches.py)."""

import pytest

from pustaka import platform
from services.events.models import branches
from services.events.service import EventsService
from tests.domain.events.helpers import INTEGRATOR, run
from tests.support import ClusterRpcProxy

pytestmark = pytest.mark.parametrize("database_kind", ["sqlite"])


def test_the_branches_over_rpc(config, migrated_url, container_factory):
    config = {**config, "events": {"DATABASE_URL": migrated_url("events")}}
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
