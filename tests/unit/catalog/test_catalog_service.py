"""The nameko class alone: its entrypoints hand the caller and the session to the
logic. Dependencies replaced by nameko's worker_factory."""

from unittest import mock

from nameko.testing.services import worker_factory

from chassis.context import Caller
from services.catalog import titles
from services.catalog.service import CatalogService


def test_a_write_runs_once_per_request_as_the_caller():
    caller = Caller("k1", "branch", branch="KMN")
    session = object()
    service = worker_factory(CatalogService, caller=caller)
    service.db.write_once.side_effect = lambda method, args, effect: effect(session)
    with mock.patch.object(titles, "create_title", return_value={"id": "T000001"}) as create:
        assert service.create_title({"title": "x"}) == {"id": "T000001"}
    create.assert_called_once_with(session, {"title": "x"}, caller)
    method, arguments, _ = service.db.write_once.call_args.args
    assert (method, arguments) == ("create_title", [({"title": "x"},), {}])


def test_a_read_runs_in_a_reading_session():
    session = object()
    service = worker_factory(CatalogService)
    service.db.read.side_effect = lambda method, work: work(session)
    with mock.patch.object(titles, "search_titles", return_value={"items": []}) as search:
        assert service.search_titles({"q": "x"}) == {"items": []}
    search.assert_called_once_with(session, {"q": "x"})
    service.db.transaction.assert_not_called()


def test_a_title_is_read_as_its_one_statement():
    reader = object()
    service = worker_factory(CatalogService)
    service.db.read_one.side_effect = lambda method, work: work(reader)
    with mock.patch.object(titles, "get_title", return_value={"id": "T000001"}) as get:
        assert service.get_title("T000001") == {"id": "T000001"}
    get.assert_called_once_with(reader, "T000001")
    assert service.db.read_one.call_args.args[0] == "get_title"
    service.db.read.assert_not_called()
