"""A burst of requests, each sent once, over a number of kept connections at once: a
client that costs the machine little beside what it measures. One asyncio loop
writes each request whole and reads its answer by Content-Length (or chunks); a
thread and a `requests` session per connection cost about 1 ms of CPU a request,
a third of a core while 50 connections registered for a popular programme.

    answers, seconds = burst(base, [("POST", path, body), ...], connections=50)

`answers` in the requests' order: (milliseconds, status, parsed JSON body or None).
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlsplit

Request = tuple[str, str, object]  # method, path, a body to send as JSON (None: none)
Answer = tuple[float, int, object]


def burst(
    base: str, requests: list[Request], connections: int, headers: dict | None = None
) -> tuple[list[Answer], float]:
    """Every request once, `connections` at a time; the answers and the seconds all took."""
    return asyncio.run(_burst(base, requests, connections, headers or {}))


async def _burst(base: str, requests: list[Request], connections: int, headers: dict):
    where = urlsplit(base)
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head = f"Host: {where.netloc}\r\n{extra}Content-Type: application/json\r\n"
    queue: asyncio.Queue = asyncio.Queue()
    for i, request in enumerate(requests):
        queue.put_nowait((i, request))
    answers: list = [None] * len(requests)
    began = time.perf_counter()
    await asyncio.gather(
        *(_connection(where.hostname, where.port, head, queue, answers) for _ in range(connections))
    )
    return answers, time.perf_counter() - began


async def _connection(host: str, port: int, head: str, queue, answers: list) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while not queue.empty():
            i, (method, path, body) = queue.get_nowait()
            data = b"" if body is None else json.dumps(body).encode()
            sent = f"{method} {path} HTTP/1.1\r\n{head}Content-Length: {len(data)}\r\n\r\n"
            began = time.perf_counter()
            writer.write(sent.encode("latin-1") + data)
            status, answer = await _answer(reader)
            took = (time.perf_counter() - began) * 1000
            answers[i] = (took, status, json.loads(answer) if answer else None)
    finally:
        writer.close()


async def _answer(reader) -> tuple[int, bytes]:
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = value == "chunked"
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while size := int((await reader.readline()).strip(), 16):
        body += await reader.readexactly(size)
        await reader.readline()  # the chunk's CRLF
    await reader.readline()  # the last chunk's
    return status, body
