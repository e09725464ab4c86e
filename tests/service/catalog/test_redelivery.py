"""A write delivered twice is done once. A catalogue replica commits a title, sends
its reply and is killed before it acknowledges the request; the broker delivers the
request again to the other replica, which answers it from the record of the first
instead of creating the title again. On SQLite and PostgreSQL."""

import os
import subprocess
import sys
import textwrap

import pytest
from kombu import Connection
from sqlalchemy import func, select

from chassis.config import ROOT, database_url
from chassis.context import Caller
from chassis.db import DatabaseSession, open_database
from chassis.errors import Unprocessable
from services.catalog.models import Base, Title, outbox_table
from services.catalog.service import CatalogService
from tests.support import ClusterRpcProxy, wait_for

BRANCH = Caller("k-kmn", "branch", branch="KMN")

# A replica that replies, then dies before acknowledging (os._exit: no clean-up).
DYING_REPLICA = textwrap.dedent("""
    from chassis.nameko.green import patch_process
    patch_process()
    import os
    from nameko.rpc import Responder, get_rpc_exchange
    from chassis.nameko.service import ServiceRpc
    from chassis.nameko.run import run
    from services.catalog.service import CatalogService
    from pustaka.platform import load_config

    def reply_then_die(self, message, worker_ctx, result, exc_info):
        config = self.container.config
        responder = Responder(config["AMQP_URI"], get_rpc_exchange(config), "json", message)
        responder.send_response(result, exc_info)
        os._exit(9)

    ServiceRpc.handle_result = reply_then_die
    run(CatalogService, load_config())
""")


def consumers(config) -> int:
    with Connection(config["AMQP_URI"]) as conn:
        try:
            return conn.default_channel.queue_declare("rpc-catalog", passive=True)[2]
        except Exception:
            return 0


def test_a_request_delivered_again_after_its_commit_is_answered_not_done_again(
    catalog_config, container_factory, monkeypatch
):
    env = {
        **os.environ,
        "AMQP_URI": catalog_config["AMQP_URI"],
        "CATALOG__DATABASE_URL": database_url(catalog_config, "catalog"),
        "DATA_DIR": catalog_config["DATA_DIR"],
    }
    dying = subprocess.Popen([sys.executable, "-c", DYING_REPLICA], cwd=ROOT, env=env)
    try:
        assert wait_for(lambda: consumers(catalog_config) == 1, timeout=30)
        context = {"caller": BRANCH.as_context(), "request_id": "k-kmn:retry-1"}
        with ClusterRpcProxy(catalog_config, context_data=context, timeout=20) as rpc:
            made = rpc.catalog.create_title({"title": "Sang Pemimpi"})
        assert dying.wait(timeout=20) == 9  # it replied, then died unacknowledged
    finally:
        if dying.poll() is None:
            dying.kill()

    answered = []  # what the second replica's writes answer, seen from this process
    original = DatabaseSession.write_once

    def watched(self, method, arguments, effect):
        result = original(self, method, arguments, effect)
        answered.append((method, self.request_id, result))
        return result

    monkeypatch.setattr(DatabaseSession, "write_once", watched)
    container_factory(CatalogService, catalog_config).start()
    assert wait_for(lambda: answered, timeout=20)
    assert answered == [("create_title", "k-kmn:retry-1", made)]

    db = open_database(database_url(catalog_config, "catalog"), Base.metadata)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Title)) == 1
        created = select(func.count()).where(outbox_table.c.event_type == "title_created")
        assert session.scalar(created.select_from(outbox_table)) == 1
    db.engine.dispose()


def test_the_same_request_id_for_another_request_is_refused(catalog_config, container_factory):
    container_factory(CatalogService, catalog_config).start()
    context = {"caller": BRANCH.as_context(), "request_id": "k-kmn:retry-2"}
    with ClusterRpcProxy(catalog_config, context_data=context, timeout=20) as rpc:
        first = rpc.catalog.create_title({"title": "Edensor"})
        assert rpc.catalog.create_title({"title": "Edensor"}) == first  # a retry
        with pytest.raises(Unprocessable) as refused:
            rpc.catalog.create_title({"title": "Maryamah Karpov"})
    assert refused.value.details == {"request_id": "retry-2", "method": "create_title"}
