"""What one RPC message costs its publisher in CPU (`python tests/bench/publish.py`):
the platform's RpcPublisher (chassis/nameko/rpc_messages.py), a request and a reply
as the gateway and the parts send them, beside kombu's Producer.publish of the same
message (what RpcPublisher did before) and a bare py-amqp basic_publish. To a local
broker (AMQP_URI, default the machine's), to an exchange with no queue bound, so
that only the publisher's side is measured.

  BENCH_PUBLISHES=5000
Figures, not assertions.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from chassis.nameko.green import patch_process  # noqa: E402

patch_process()

import amqp  # noqa: E402
from kombu import Connection  # noqa: E402
from kombu.pools import producers  # noqa: E402
from nameko.constants import DEFAULT_TRANSPORT_OPTIONS  # noqa: E402

from chassis.nameko.rpc_messages import reply_publisher, request_publisher  # noqa: E402
from chassis.trust import uri_user  # noqa: E402

URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
N = int(os.environ.get("BENCH_PUBLISHES", "5000"))
EXCHANGE = "amq.topic"  # a queue bound to nothing here: the message is dropped
BODY = {"args": [{"title": "Sejarah Kota Sungai Penuh", "authors": ["Penulis"]}], "kwargs": {}}
HEADERS = {"nameko.call_id_stack": ["gateway.create_title.1"], "nameko.caller": "k-hq"}
REQUEST = {"reply_to": "rpc.reply-gateway-1", "correlation_id": "c1", "headers": HEADERS}


def per_publish(publish) -> float:
    for _ in range(200):  # connections made, caches warm
        publish()
    start = time.process_time()
    for _ in range(N):
        publish()
    return 1e6 * (time.process_time() - start) / N


def main() -> None:
    user = uri_user(URI)
    request = request_publisher(URI, False, user)
    reply = reply_publisher(URI, user)
    kombu_pool = producers[Connection(URI, transport_options=DEFAULT_TRANSPORT_OPTIONS)]
    bare = Connection(URI)
    channel = bare.default_channel  # py-amqp's own channel, under kombu's name

    def kombu_publish() -> None:
        with kombu_pool.acquire(block=True) as producer:
            producer.publish(
                BODY, exchange=EXCHANGE, routing_key="catalog.create_title", delivery_mode=1,
                serializer="json", retry=True, user_id=user, expiration=30.0, **REQUEST,
            )  # fmt: skip

    def bare_publish() -> None:
        message = amqp.Message(
            '{"args": [], "kwargs": {}}', content_type="application/json",
            application_headers=HEADERS, delivery_mode=1, user_id=user, reply_to="r",
        )  # fmt: skip
        channel.basic_publish(message, exchange=EXCHANGE, routing_key="catalog.create_title")

    rows = [
        ("RpcPublisher, a read's request", lambda: request.publish(
            BODY, exchange=EXCHANGE, routing_key="catalog.get_title", expiration=30.0, **REQUEST)),
        ("RpcPublisher, a reply", lambda: reply.publish(
            '{"result": {"id": "T000001"}, "error": null}', exchange=EXCHANGE,
            routing_key="reply.gateway.1", correlation_id="c1",
            content_type="application/json", content_encoding="utf-8")),
        ("kombu Producer.publish, the same request", kombu_publish),
        ("py-amqp basic_publish, bare", bare_publish),
    ]  # fmt: skip
    print(f"CPU per publish, {N} each, to {EXCHANGE} (no queue bound)")
    for label, publish in rows:
        print(f"   {label:<44} {per_publish(publish):6.0f} µs")
    bare.close()


if __name__ == "__main__":
    main()
