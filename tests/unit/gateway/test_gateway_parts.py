"""The gateway's pieces alone: error table, key handling, cache, rate limit."""

import json

import pytest
from werkzeug.exceptions import HTTPVersionNotSupported, InternalServerError, RequestURITooLarge

from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gateway.edge.cache import RecordCache
from gateway.edge.errors import DeadlineExceeded, ServiceUnavailable, error_response
from gateway.keys import BadKey, create_key, parse_key, revoke_key, verify_key


@pytest.mark.parametrize(
    "exc, status, code",
    [
        (ValidationFailed("bad", {"fields": {"isbn": ["x"]}}), 400, "VALIDATION_FAILED"),
        (Forbidden("no"), 403, "FORBIDDEN"),
        (NotFound("none"), 404, "NOT_FOUND"),
        (Conflict("dup", {"existing_id": "T000001"}), 409, "CONFLICT"),
        (ServiceUnavailable("down"), 503, "SERVICE_UNAVAILABLE"),
        (DeadlineExceeded("slow"), 504, "DEADLINE_EXCEEDED"),
        (RequestURITooLarge(), 414, "REQUEST_URI_TOO_LONG"),
        (HTTPVersionNotSupported(), 505, "HTTP_VERSION_NOT_SUPPORTED"),
        (InternalServerError("boom"), 500, "INTERNAL"),
        (RuntimeError("boom"), 500, "INTERNAL"),
    ],
)
def test_error_table_gives_one_body_shape(exc, status, code):
    response = error_response(exc)
    body = json.loads(response.get_data())
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert body["error"] == code
    assert set(body) == {"error", "message", "details"}
    if status == 500:
        assert "boom" not in body["message"]  # internals are not shown to clients


def test_keys_are_stored_hashed_and_verify(session):
    client, key = create_key(session, "Cabang Kumun", "branch", branch="KMN")
    session.flush()
    assert key.split("_", 2)[2] not in client.secret_hash
    caller, rate = verify_key(session, key)
    assert (caller.role, caller.branch, caller.client_id) == ("branch", "KMN", client.key_id)
    assert rate == 20


def test_wrong_or_revoked_keys_are_refused(session):
    client, key = create_key(session, "Universitas", "partner", partner="UNJA")
    session.flush()
    with pytest.raises(BadKey):
        verify_key(session, key[:-1] + ("A" if key[-1] != "A" else "B"))
    revoke_key(session, client.key_id)
    with pytest.raises(BadKey):
        verify_key(session, key)
    with pytest.raises(BadKey):
        parse_key("not-a-key")


def test_branch_key_needs_a_branch(session):
    with pytest.raises(ValidationFailed):
        create_key(session, "x", "branch")


def test_cache_keeps_the_newest_version():
    cache = RecordCache(ttl=60)
    cache.put("catalog.title", "T1", {"version": 2, "title": "new"})
    cache.put("catalog.title", "T1", {"version": 1, "title": "old"})
    assert cache.get("catalog.title", "T1")["title"] == "new"
    cache.drop("catalog.title", "T1")
    assert cache.get("catalog.title", "T1") is None


def test_cache_keys_are_namespaced_by_kind():
    cache = RecordCache(ttl=60)
    cache.put("catalog.title", "1", {"title": "a title"})
    cache.put("people.staff", "1", {"name": "a librarian"})
    assert cache.get("catalog.title", "1") == {"title": "a title"}
    assert cache.get("people.staff", "1") == {"name": "a librarian"}


def test_requests_for_a_record_being_loaded_wait_for_the_one_load():
    import eventlet

    cache, calls = RecordCache(ttl=60), []

    def load():
        calls.append(1)
        eventlet.sleep(0)  # the owner's answer is on its way: the others ask meanwhile
        return {"items": len(calls)}

    asking = [eventlet.spawn(cache.fetch, "catalog.search", "q=a", load) for _ in range(5)]
    assert [g.wait() for g in asking] == [{"items": 1}] * 5 and len(calls) == 1
    assert cache.fetch("catalog.search", "q=a", load) == {"items": 1}  # kept

    def refused():
        eventlet.sleep(0)
        raise LookupError("the owner is away")

    failing = [eventlet.spawn(cache.fetch, "catalog.search", "q=b", refused) for _ in range(2)]
    for green in failing:
        with pytest.raises(LookupError):
            green.wait()
    assert cache.get("catalog.search", "q=b") is None


def test_freshness_reads_afresh_and_drops_by_the_owners_events():
    from gateway.edge.cache import Freshness

    titles = Freshness("catalog.title", "catalog", ("title_updated",), {"item_added": "title_id"})
    cache = RecordCache(ttl=60)
    cache.put("catalog.title", "T1", {"version": 1})
    updated = {"type": "catalog.title_updated", "subject": "T1", "data": {"version": 2}}
    titles.apply(cache, updated)
    assert cache.get("catalog.title", "T1") is None  # read afresh, not taken from the event
    cache.put("catalog.title", "T1", {"version": 1})  # a read answered before the event
    assert cache.get("catalog.title", "T1") is None
    cache.put("catalog.title", "T1", {"version": 2})
    assert cache.get("catalog.title", "T1") == {"version": 2}
    titles.apply(cache, updated)  # heard after this gateway read it: kept
    assert cache.get("catalog.title", "T1") == {"version": 2}
    titles.apply(cache, {"type": "catalog.item_added", "subject": "B1", "data": {"title_id": "T1"}})
    assert cache.get("catalog.title", "T1") is None


def test_a_forged_version_pins_nothing_and_the_next_real_change_repairs_it():
    from gateway.edge.cache import Freshness

    titles = Freshness("catalog.title", "catalog", ("title_updated",))
    cache = RecordCache(ttl=60)

    def event(version, title):
        data = {"id": "T1", "version": version, "title": title}
        return {"type": "catalog.title_updated", "subject": "T1", "data": data}

    cache.put("catalog.title", "T1", {"version": 3, "title": "Tambo"})
    titles.apply(cache, event(10**9, "Palsu"))
    assert cache.get("catalog.title", "T1") is None  # never served: each read asks
    cache.put("catalog.title", "T1", {"version": 3, "title": "Tambo"})
    assert cache.get("catalog.title", "T1") is None
    # A real edit: its event, whatever version the forgery claimed, lets reads be kept.
    titles.apply(cache, event(4, "Tambo Kerinci"))
    cache.put("catalog.title", "T1", {"version": 4, "title": "Tambo Kerinci"})
    assert cache.get("catalog.title", "T1")["title"] == "Tambo Kerinci"


def test_a_kind_without_versions_is_dropped_by_its_event_and_read_again():
    cache = RecordCache(ttl=60)
    cache.put("people.verification", "C1", {"valid": True})
    cache.changed("people.verification", "C1", None)
    assert cache.get("people.verification", "C1") is None
    cache.put("people.verification", "C1", {"valid": False})
    assert cache.get("people.verification", "C1") == {"valid": False}


def test_a_client_has_the_methods_of_its_contract_only():
    from gateway.edge.calls import client_class
    from services.catalog.contract import CONTRACT

    made = []
    client = client_class(CONTRACT)(lambda *args, **kw: made.append((args, kw)) or "ok")
    assert client.get_title("T000001") == "ok"
    assert client.import_marc("Zm9v") == "ok"
    assert made == [
        (("catalog", "get_title", "T000001"), {"deadline": None, "writes": False}),
        (("catalog", "import_marc", "Zm9v"), {"deadline": 600.0, "writes": True}),
    ]
    with pytest.raises(AttributeError):
        client.drop_all_titles()


def test_cache_entries_expire():
    cache = RecordCache(ttl=-1)
    cache.put("catalog.title", "T1", {"version": 1})
    assert cache.get("catalog.title", "T1") is None


def test_clearing_a_kind_forgets_all_its_records_and_no_other():
    cache = RecordCache(ttl=60)
    cache.put("catalog.search", "q=a", {"total": 1})
    cache.put("catalog.search", "q=b", {"total": 2})
    cache.put("catalog.title", "T1", {"version": 1})
    cache.clear("catalog.search")
    assert cache.get("catalog.search", "q=a") is None
    assert cache.get("catalog.search", "q=b") is None
    assert cache.get("catalog.title", "T1") == {"version": 1}
    cache.put("catalog.search", "q=a", {"total": 3})  # afresh, after the clearing
    assert cache.get("catalog.search", "q=a") == {"total": 3}


def test_an_entry_may_live_shorter_than_the_cache_default():
    cache = RecordCache(ttl=60)
    cache.put("catalog.search", "q=a", {"total": 1}, ttl=-1)
    assert cache.get("catalog.search", "q=a") is None
