"""The gateway's connections send without Nagle's algorithm (gateway/edge/http.py
_Protocol.setup): a page's answer goes out in more than one write, and the last one
otherwise waits for the client's delayed ACK (40 ms on Linux)."""

import socket

from gateway.edge.http import _Protocol


def test_an_accepted_connection_sends_at_once():
    with socket.create_server(("127.0.0.1", 0)) as listening:
        client = socket.create_connection(listening.getsockname())
        accepted, _ = listening.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            protocol = object.__new__(_Protocol)  # eventlet's handles at once when made
            protocol.request, protocol.rbufsize, protocol.wbufsize = accepted, -1, 0
            protocol.setup()
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
