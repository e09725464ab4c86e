"""`pustaka events tail`: an operator sees each event as it happens, one line each,
filtered by service and type, and stops it when they like."""

import json
import os
import subprocess
import sys
import uuid

from kombu import Connection

from chassis.config import ROOT
from chassis.nameko.queues import events_exchange
from chassis.nameko.tail import line


def envelope(event_type: str, subject: str, data: dict) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/services/catalog",
        "type": f"catalog.{event_type}",
        "time": "2026-12-05T10:00:00Z",
        "subject": subject,
        "dataschema": f"catalog.{event_type}/v1",
        "data": data,
    }


def test_tail_prints_each_wanted_event_as_it_comes(rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    tail = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pustaka",
            "events",
            "tail",
            "catalog",
            "title_created",
            "--count",
            "2",
        ],
        env={**os.environ, "AMQP_URI": uri},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "tailing catalog: title_created" in tail.stderr.readline()
        sent = [
            envelope("title_created", "T000101", {"title": "Tenggelamnya Kapal Van der Wijck"}),
            envelope("item_added", "KMN-9", {"title_id": "T000101"}),  # another type
            envelope("title_created", "T000102", {"title": "Ronggeng Dukuh Paruk"}),
        ]
        with Connection(uri) as conn:
            producer = conn.Producer(exchange=events_exchange("catalog"))
            for body in sent:
                producer.publish(
                    json.dumps(body),
                    routing_key=body["type"].split(".")[1],
                    content_type="application/json",
                )
        out, _ = tail.communicate(timeout=30)
    finally:
        tail.kill()
    assert tail.returncode == 0
    assert out.splitlines() == [line(sent[0]), line(sent[2])]
    assert out.splitlines()[0].startswith("2026-12-05T10:00:00Z  catalog.title_created  T000101  ")


def test_a_line_is_cut_to_fit():
    long = line(envelope("title_created", "T1", {"title": "panjang " * 100}))
    assert len(long) == 160 and long.endswith("…")


def test_an_unknown_service_is_refused_with_the_list(rabbit_config):
    done = subprocess.run(
        [sys.executable, "-m", "pustaka", "events", "tail", "perpustakaan"],
        env={**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"]},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "the services are: catalog" in done.stderr
