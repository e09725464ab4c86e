"""The nameko class alone: its entrypoints hand the caller and the session to the
logic. Dependencies replaced by nameko's worker_factory."""

from contextlib import contextmanager
from unittest import mock

from nameko.testing.services import worker_factory

from services.catalog import titles
from services.catalog.service import CatalogService
from services.chassis.context import Caller


def test_create_title_runs_in_a_transaction_as_the_caller():
    caller = Caller("k1", "branch", branch="KMN")
    session = object()

    @contextmanager
    def transaction():
        yield session

    service = worker_factory(CatalogService, caller=caller)
    service.db.transaction.side_effect = transaction
    with mock.patch.object(titles, "create_title", return_value={"id": "T000001"}) as create:
        assert service.create_title({"title": "x"}) == {"id": "T000001"}
    create.assert_called_once_with(session, {"title": "x"}, caller)
