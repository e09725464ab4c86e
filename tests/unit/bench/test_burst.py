"""The popular opening's client (tests/bench/burst.py) against a real HTTP server on
loopback: every request sent once, each answer read whole, by its length or in
chunks, and told in the requests' order."""

import json
from http.server import BaseHTTPRequestHandler

import pytest

from tests.bench.burst import burst
from tests.support import http_server


class Echo(BaseHTTPRequestHandler):
    """Answers a POST's JSON body back with its path: odd paths in chunks."""

    protocol_version = "HTTP/1.1"  # kept connections, as the gateway's
    seen: list = []

    def do_POST(self):
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append(sent["n"])
        body = json.dumps({"path": self.path, **sent}).encode()
        self.send_response(201)
        if int(self.path.rsplit("/", 1)[1]) % 2:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (body[:5], body[5:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def server():
    Echo.seen = []
    with http_server(Echo) as url:
        yield url


def test_every_request_once_each_answer_whole_in_order(server):
    requests = [("POST", f"/r/{n}", {"n": n}) for n in range(40)]
    answers, seconds = burst(server, requests, connections=7)
    assert sorted(Echo.seen) == list(range(40))
    assert [(status, body) for _, status, body in answers] == [
        (201, {"path": f"/r/{n}", "n": n}) for n in range(40)
    ]
    assert all(took > 0 for took, _, _ in answers) and seconds > 0
