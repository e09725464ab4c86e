"""The gateway's HTTP layer over real sockets: nameko's eventlet server with the
gateway's routes (gateway/http.py), serving a small service of its own."""

import json
import socket

import pytest
import requests

from gateway.edge.errors import json_response
from gateway.edge.http import (
    MAX_BODY_BYTES,
    MAX_FORM_BYTES,
    PUBLIC,
    file_body,
    form_body,
    json_body,
    route,
)
from tests.support import free_port

FILE_LIMIT = 100_000


class Echo:
    """Gives back what the body functions read."""

    name = "echo"

    @route("POST", "/json", roles=PUBLIC)
    def json(self, request):
        return json_response(json_body(request))

    @route("POST", "/form", roles=PUBLIC)
    def form(self, request):
        return json_response(form_body(request).to_dict(flat=False))

    @route("POST", "/file", roles=PUBLIC)
    def file(self, request):
        return json_response({"bytes": len(file_body(request, FILE_LIMIT))})


@pytest.fixture
def url(config, container_factory):
    port = free_port()
    container_factory(Echo, {**config, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}"}).start()
    return f"http://127.0.0.1:{port}"


def chunks(data: bytes, size: int = 4096):
    """A body requests sends chunked: no Content-Length, Transfer-Encoding: chunked."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "details"} and body["error"] == code
    return body


def test_json_nested_ten_thousand_deep_is_a_400_that_says_so(url):
    deep = b"[" * 10_000 + b"]" * 10_000
    body = refused(requests.post(url + "/json", data=deep), 400, "BAD_REQUEST")
    assert "deep" in body["message"]


def test_a_chunked_body_is_read_whole(url):
    title = {"title": "Kerinci " * 2_000}
    sent = requests.post(url + "/json", data=chunks(json.dumps(title).encode()))
    assert sent.request.headers["Transfer-Encoding"] == "chunked"
    assert sent.status_code == 200 and sent.json() == title
    upload = requests.post(url + "/file", data=chunks(b"x" * FILE_LIMIT))
    assert upload.json() == {"bytes": FILE_LIMIT}


@pytest.mark.parametrize(
    "path, limit", [("/json", MAX_BODY_BYTES), ("/form", MAX_FORM_BYTES), ("/file", FILE_LIMIT)]
)
def test_a_body_over_the_limit_is_a_413_declared_or_chunked(url, path, limit):
    over = b"a=" + b"x" * limit
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    for data in (over, chunks(over)):
        answer = requests.post(url + path, data=data, headers=headers)
        assert refused(answer, 413, "PAYLOAD_TOO_LARGE")["details"] == {"limit": limit}


def test_a_form_is_read_urlencoded_or_multipart(url):
    fields = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    as_lists = {name: [value] for name, value in fields.items()}
    assert requests.post(url + "/form", data=fields).json() == as_lists
    multipart = {name: (None, value) for name, value in fields.items()}
    assert requests.post(url + "/form", files=multipart).json() == as_lists


def test_a_file_is_the_form_field_or_the_body_whatever_its_type(url):
    data = b"\x00\x01marc" * 1_000
    assert requests.post(url + "/file", files={"file": ("k.mrc", data)}).json() == {
        "bytes": len(data)
    }
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}  # curl --data-binary
    assert requests.post(url + "/file", data=data, headers=form_type).json() == {"bytes": len(data)}
    refused(requests.post(url + "/file", files={"other": ("k.mrc", data)}), 400, "BAD_REQUEST")


def exchange(url: str, request: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes, read the answer to its end: (status, headers, body)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


def get(target: str = "/json", headers: str = "", version: str = "HTTP/1.1") -> bytes:
    return f"GET {target} {version}\r\nHost: test\r\n{headers}\r\n".encode("latin-1")


@pytest.mark.parametrize(
    "request_bytes, status, code",
    [
        (get("/json?q=" + "x" * 9_000), 414, "REQUEST_URI_TOO_LONG"),
        (get(headers=f"X-Long: {'x' * 9_000}\r\n"), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"),
        (get(headers=f"X-Many: {'x' * 8_000}\r\n" * 9), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"),
        (get(headers="X-Few: 1\r\n" * 101), 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"),
        (get(headers="Content-Length: -1\r\n"), 400, "BAD_REQUEST"),
        (get(headers="Content-Length: +0\r\n"), 400, "BAD_REQUEST"),
        (
            get(headers="Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"),
            400,
            "BAD_REQUEST",
        ),
        (get(headers="Transfer-Encoding: gzip\r\n"), 501, "NOT_IMPLEMENTED"),
        (get(version="HTTP/9.9"), 505, "HTTP_VERSION_NOT_SUPPORTED"),
        (get(version="HTTQ/1.1"), 400, "BAD_REQUEST"),
        (b"NONSENSE\r\n\r\n", 400, "BAD_REQUEST"),
    ],
)
def test_what_the_server_refuses_before_the_app_is_in_the_one_error_shape(
    url, request_bytes, status, code
):
    got, headers, body = exchange(url, request_bytes)
    assert got == status, body
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    answer = json.loads(body)
    assert set(answer) == {"error", "message", "details"} and answer["error"] == code


def test_a_request_within_the_limits_is_the_apps(url):
    request = get("/json?q=" + "x" * 8_000, "X-Long: y\r\nConnection: close\r\n")
    status, headers, body = exchange(url, request)
    assert (status, json.loads(body)["error"]) == (405, "METHOD_NOT_ALLOWED")
