"""`BrokerLink`: a TCP link to the broker that a test can cut. While it is cut, every
connection through it is closed and new ones are refused: the broker going away, as
the platform behind the link sees it, without stopping the broker that every other
test (and whoever else is on this machine) uses.

The link runs in a process of its own (`python -m tests.broker_link HOST PORT`, told
`cut` and `restore` on its standard input): sockets closed under the test process's
green threads would leave its hub watching file numbers the next test reuses."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from contextlib import suppress

from chassis.config import ROOT


class BrokerLink:
    def __init__(self, target: tuple[str, int]):
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.broker_link", target[0], str(target[1])],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self._proc.stdout.readline())

    def cut(self) -> None:
        self._tell("cut")

    def restore(self) -> None:
        self._tell("restore")

    def close(self) -> None:
        self._proc.kill()
        self._proc.wait(timeout=10)

    def _tell(self, what: str) -> None:
        self._proc.stdin.write(what + "\n")
        self._proc.stdin.flush()
        assert self._proc.stdout.readline().strip() == what


class _Link:
    """The link itself, in its own process: plain threads, one pair per connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.up = True
        self._open: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.up = False
        with self._lock:
            pairs = list(self._open)
        for pair in pairs:
            self._close(pair)

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            try:
                if not self.up:
                    raise ConnectionRefusedError
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            pair = (client, upstream)
            with self._lock:
                self._open.add(pair)
            for source, sink in (pair, pair[::-1]):
                threading.Thread(target=self._pump, args=(source, sink, pair), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, pair) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(pair)

    def _close(self, pair) -> None:
        with self._lock:
            self._open.discard(pair)
        for sock in pair:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                sock.close()


if __name__ == "__main__":
    link = _Link((sys.argv[1], int(sys.argv[2])))
    print(link.listener.getsockname()[1], flush=True)
    for command in map(str.strip, sys.stdin):
        if command == "cut":
            link.cut()
        elif command == "restore":
            link.up = True
        print(command, flush=True)
