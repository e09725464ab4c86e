"""Endpoints: who may register, see and change them; what URLs and event types are
taken; the secret and its rotation; disabling and enabling. On SQLite and
PostgreSQL; every refusal changes nothing."""

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from chassis.errors import Forbidden, NotFound, ValidationFailed
from services.webhooks import endpoints
from services.webhooks.addresses import Refused, parse, resolve
from services.webhooks.models import Endpoint, outbox_table

from .helpers import ADMIN, ALICE, BOB, BRANCH


def register(db, settings, caller=ALICE, **payload):
    payload = {"url": "http://127.0.0.1:9/hooks", "event_types": ["catalog.*"], **payload}
    with db.transaction() as session:
        return endpoints.register(session, payload, caller, settings)


def count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Endpoint))


def test_an_integrator_registers_and_sees_only_its_own(webhooks_db, settings):
    mine = register(webhooks_db, settings, description="Dasbor kota")
    theirs = register(webhooks_db, settings, BOB, event_types=["*"], ordered=True)
    assert mine["id"] == "WH000001" and mine["owner"] == "k-alice" and mine["enabled"]
    assert mine["secret"].startswith("whsec_") and mine["event_types"] == ["catalog.*"]
    assert theirs["ordered"] is True
    with webhooks_db.reading() as session:
        assert [e["id"] for e in endpoints.list_endpoints(session, ALICE)["items"]] == [mine["id"]]
        assert len(endpoints.list_endpoints(session, ADMIN)["items"]) == 2
        assert "secret" not in endpoints.get(session, mine["id"], ALICE)
        assert endpoints.get(session, theirs["id"], ADMIN)["owner"] == "k-bob"
        with pytest.raises(Forbidden):
            endpoints.get(session, theirs["id"], ALICE)
        with pytest.raises(NotFound):
            endpoints.get(session, "WH000099", ALICE)
        with pytest.raises(NotFound):
            endpoints.get(session, "WH0000001", ALICE)


def test_other_roles_may_not_touch_webhooks(webhooks_db, settings):
    with pytest.raises(Forbidden):
        register(webhooks_db, settings, BRANCH)
    with webhooks_db.reading() as session, pytest.raises(Forbidden):
        endpoints.list_endpoints(session, BRANCH)
    assert count(webhooks_db) == 0


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"url": "ftp://127.0.0.1/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://user:pw@127.0.0.1/x"}, "url"),
        ({"url": "http://no-such-host.invalid/x"}, "url"),
        ({"url": "http://127.0.0.1:99999/x"}, "url"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["catalog"]}, "event_types"),
        ({"event_types": ["*.title_created"]}, "event_types"),
        ({"event_types": "catalog.*"}, "event_types"),
        ({"event_types": ["nonsense.*"]}, "event_types"),
        ({"event_types": ["catalog.nope"]}, "event_types"),
        ({"ordered": "sometimes"}, "ordered"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(webhooks_db, settings, payload, field):
    with pytest.raises(ValidationFailed) as bad:
        register(webhooks_db, settings, **payload)
    assert field in bad.value.details["fields"]
    assert count(webhooks_db) == 0


def test_event_types_are_checked_against_the_event_catalogue(webhooks_db, settings):
    for wrong, says, lists in [
        ("nonsense.*", "'nonsense.*': no service 'nonsense' publishes events", "catalog, "),
        ("catalog.title_create", "'catalog.title_create': catalog publishes no", "title_created"),
    ]:
        with pytest.raises(ValidationFailed) as bad:
            register(webhooks_db, settings, event_types=["catalog.*", wrong])
        (message,) = bad.value.details["fields"]["event_types"]
        assert message.startswith(says) and lists in message  # and what there is
    assert count(webhooks_db) == 0
    wanted = ["*", "events.*", "people.training_completed", "webhooks.endpoint_disabled"]
    assert register(webhooks_db, settings, event_types=wanted)["event_types"] == sorted(wanted)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.1.10/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://0.0.0.0/hooks",
        "http://224.0.0.1/hooks",
    ],
)
def test_private_addresses_are_refused_unless_allowed(webhooks_db, settings, url):
    with pytest.raises(ValidationFailed) as refused:
        register(webhooks_db, replace(settings, allow_private_urls=False), url=url)
    assert "Refused" in refused.value.details["fields"]["url"][0]
    assert count(webhooks_db) == 0
    assert register(webhooks_db, settings, url=url)["url"] == url


def test_a_public_address_resolves_to_itself():
    assert resolve(parse("https://93.184.215.14/x"), allow_private=False) == "93.184.215.14"
    with pytest.raises(Refused):
        resolve(parse("https://100.64.0.1/x"), allow_private=False)  # shared address space


def test_rotation_gives_a_new_secret_and_keeps_the_old_for_the_grace_period(webhooks_db, settings):
    made = register(webhooks_db, settings)
    with webhooks_db.transaction() as session:
        rotated = endpoints.rotate_secret(session, made["id"], ALICE, settings)
    assert rotated["secret"] != made["secret"] and rotated["previous_secret_expires_at"]
    with webhooks_db.reading() as session:
        endpoint = session.get(Endpoint, 1)
        assert endpoints.signing_secrets(endpoint, 0) == [rotated["secret"], made["secret"]]
        later = endpoint.previous_secret_until + 1
        assert endpoints.signing_secrets(endpoint, later) == [rotated["secret"]]
    with webhooks_db.transaction() as session, pytest.raises(Forbidden):
        endpoints.rotate_secret(session, made["id"], BOB, settings)


def test_disable_says_why_publishes_it_and_enable_undoes_it(webhooks_db, settings):
    made = register(webhooks_db, settings)
    with webhooks_db.transaction() as session:
        off = endpoints.disable_by_caller(session, made["id"], {"reason": "maintenance"}, ALICE)
    assert off["enabled"] is False and off["disabled_reason"] == "maintenance"
    with webhooks_db.transaction() as session:  # again: already disabled, no second event
        endpoints.disable_by_caller(session, made["id"], {}, ALICE)
    with webhooks_db.reading() as session:
        (row,) = session.execute(select(outbox_table.c.event_type)).all()
        assert row.event_type == "endpoint_disabled"
    with webhooks_db.transaction() as session:
        on = endpoints.enable(session, made["id"], ALICE, settings)
    assert on["enabled"] is True and on["disabled_reason"] is None
    with webhooks_db.transaction() as session, pytest.raises(ValidationFailed):
        endpoints.disable_by_caller(session, made["id"], {"reason": "x" * 501}, ALICE)
