"""POSTing a webhook: the standard library's HTTP client, with the platform's rules
for where it may connect (addresses.py) and connections kept alive per endpoint.

Each new connection resolves its host, checks every address and connects to the
checked one; TLS still verifies the certificate for the host the URL names. An
idle connection is kept (up to a bound per endpoint) and used for the next
delivery to the same URL, so a burst is not one TCP (and TLS) handshake per event.
Free of any framework: in a service process the sockets are cooperative because
the process is patched (chassis/nameko/green.py)."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections import defaultdict
from dataclasses import dataclass

from .addresses import Refused, Target, parse, resolve

EXCERPT_BYTES = 200
MAX_ANSWER_BYTES = 65_536  # read to reuse the connection; a longer answer closes it


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None: no answer (the error says why)
    error: str | None
    latency_ms: float
    excerpt: str | None


class _Connection(http.client.HTTPConnection):
    def __init__(self, target: Target, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _TlsConnection(_Connection):
    context = ssl.create_default_context()

    def connect(self):
        super().connect()
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


class Sender:
    """POSTs bodies to URLs; one per process, shared by its green threads."""

    def __init__(self, timeout: float, allow_private: bool, idle_per_url: int = 32):
        self.timeout = timeout
        self.allow_private = allow_private
        self.idle_per_url = idle_per_url
        self._idle: dict[str, list[_Connection]] = defaultdict(list)

    def post(self, url: str, body: bytes, headers: dict) -> Outcome:
        started = time.perf_counter()
        try:
            status, excerpt = self._exchange(url, body, headers)
        except Refused as exc:
            return Outcome(None, f"refused: {exc}", _since(started), None)
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(None, _describe(exc), _since(started), None)
        return Outcome(status, None, _since(started), excerpt)

    def _exchange(self, url: str, body: bytes, headers: dict) -> tuple[int, str]:
        idle = self._idle[url]
        # A kept connection that the receiver closed meanwhile fails at once, with
        # nothing read: then, and only then, the request goes again on a fresh one.
        for reused in (True, False) if idle else (False,):
            conn = idle.pop() if reused and idle else self._connect(url)
            try:
                conn.request("POST", conn.path, body, {**headers, **_FIXED})
                answer = conn.getresponse()
                data = answer.read(MAX_ANSWER_BYTES + 1)
            except _CLOSED:
                conn.close()
                if reused:
                    continue
                raise
            except (OSError, http.client.HTTPException):
                conn.close()
                raise
            if answer.will_close or len(data) > MAX_ANSWER_BYTES or len(idle) >= self.idle_per_url:
                conn.close()
            else:
                idle.append(conn)
            return answer.status, data[:EXCERPT_BYTES].decode("utf-8", "replace")
        raise AssertionError("unreachable")

    def _connect(self, url: str) -> _Connection:
        target = parse(url)
        address = resolve(target, self.allow_private)
        kind = _TlsConnection if target.scheme == "https" else _Connection
        conn = kind(target, address, self.timeout)
        conn.path = target.path
        return conn

    def close(self) -> None:
        for idle in self._idle.values():
            while idle:
                idle.pop().close()


_CLOSED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
_FIXED = {"Content-Type": "application/json", "User-Agent": "Pustaka-Webhooks/1"}


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500] if str(exc) else type(exc).__name__
