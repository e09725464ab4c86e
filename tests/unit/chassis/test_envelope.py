import uuid
from datetime import datetime

import pytest

from chassis.envelope import BadEnvelope, check_envelope, major_version, make_envelope


def test_envelope_has_every_cloudevents_attribute():
    env = make_envelope("catalog", "title_created", "T000001", {"title": "Laskar Pelangi"})
    assert env["specversion"] == "1.0"
    uuid.UUID(env["id"])
    assert env["source"] == "/services/catalog"
    assert env["type"] == "catalog.title_created"
    assert env["subject"] == "T000001"
    assert env["dataschema"] == "catalog.title_created/v1"
    assert env["time"].endswith("Z")
    datetime.fromisoformat(env["time"].replace("Z", "+00:00"))
    assert check_envelope(env) is env
    assert major_version(env) == 1


def test_each_envelope_gets_its_own_id():
    a = make_envelope("catalog", "title_created", "T1", {})
    b = make_envelope("catalog", "title_created", "T1", {})
    assert a["id"] != b["id"]


@pytest.mark.parametrize("body", [None, [], "x", {"id": "1"}])
def test_incomplete_envelopes_are_refused(body):
    with pytest.raises(BadEnvelope):
        check_envelope(body)
