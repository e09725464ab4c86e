"""The catalogue service over real RPC: results, typed errors that survive the hop,
and the caller context carried in nameko context data."""

import pytest

from chassis.context import SYSTEM, Caller
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.catalog.service import CatalogService
from tests.support import ClusterRpcProxy, rpc_as

BRANCH = Caller("k-kmn", "branch", branch="KMN")
PARTNER = Caller("k-unja", "partner", partner="UNJA")


@pytest.fixture
def catalog(catalog_config, container_factory):
    container = container_factory(CatalogService, catalog_config)
    container.start()
    return catalog_config


def test_create_get_and_search_over_rpc(catalog):
    with rpc_as(catalog, BRANCH) as rpc:
        made = rpc.catalog.create_title({"title": "Laskar Pelangi", "isbn": "9789793062792"})
        assert rpc.catalog.get_title(made["id"]) == made
        page = rpc.catalog.search_titles({"q": "laskar"})
        assert page["items"] == [made] and page["total"] == 1
        assert rpc.catalog.health() == {"service": "catalog", "ok": True}


def test_domain_errors_keep_their_type_and_details_across_rpc(catalog):
    with rpc_as(catalog, BRANCH) as rpc:
        with pytest.raises(ValidationFailed) as bad:
            rpc.catalog.create_title({"title": "x", "isbn": "9789793062793"})
        assert "isbn" in bad.value.details["fields"]
        made = rpc.catalog.create_title({"title": "x", "isbn": "9789793062792"})
        with pytest.raises(Conflict) as dup:
            rpc.catalog.create_title({"title": "y", "isbn": "979-3062-79-7"})
        assert dup.value.details["existing_id"] == made["id"]
        with pytest.raises(NotFound):
            rpc.catalog.get_title("T999999")


def test_the_caller_travels_in_context_data(catalog):
    with rpc_as(catalog, PARTNER) as rpc, pytest.raises(Forbidden):
        rpc.catalog.create_title({"title": "Partners only read"})


def test_a_call_that_names_no_caller_is_refused_not_taken_as_the_system(catalog):
    with ClusterRpcProxy(catalog, timeout=10) as rpc:
        with pytest.raises(Forbidden) as refused:
            rpc.catalog.create_title({"title": "Made by nobody"})
        assert "names no caller" in refused.value.message
        with pytest.raises(Forbidden):
            rpc.catalog.search_titles({"q": "nobody"})
    with rpc_as(catalog, SYSTEM) as rpc:
        assert rpc.catalog.search_titles({"q": "Made by nobody"})["total"] == 0


def test_a_suggested_title_is_ordered_once_however_often_it_arrives_an_idea_never(
    catalog, subscriber
):
    import json

    from chassis.envelope import make_envelope
    from chassis.nameko.publisher import BatchPublisher
    from tests.support import bodies

    ordered = subscriber.bind("catalog", "acquisition_ordered")
    event = make_envelope(
        "feedback",
        "suggestion_approved",
        "S-1",
        {"suggestion_id": "S-1", "title": "Negeri 5 Menara", "authors": ["Ahmad Fuadi"]},
    )
    idea = make_envelope(
        "feedback",
        "suggestion_approved",
        "S-2",
        {"suggestion_id": "S-2", "kind": "programme", "title": "Bedah buku", "authors": []},
    )
    publisher = BatchPublisher(catalog["AMQP_URI"], "feedback.events")
    # A programme idea first: it is the events service's, and orders nothing here.
    publisher.publish_batch(
        [("suggestion_approved", idea["id"], json.dumps(idea), None)]
        + [("suggestion_approved", event["id"], json.dumps(event), None)] * 3
    )
    publisher.close()
    (acquisition,) = bodies(subscriber.drain(ordered, expect=1))
    assert acquisition["data"]["title"] == "Negeri 5 Menara"
    assert acquisition["data"]["status"] == "on_order"
