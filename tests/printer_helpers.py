"""A network receipt printer on 127.0.0.1 for the printer tests: a real TCP listener.

It records what each connection sends, answers the paper sensor query (DLE EOT 4)
with `status` (None: a printer that never answers status), and can be unplugged:
`drop()` closes the open connection, `stop()` also stops listening (nothing
answers on the port), `start()` listens again on the same port.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

PAPER_QUERY = b"\x10\x04\x04"
PAPER_OK = 0x12
PAPER_LOW = 0x1E
PAPER_OUT = 0x72


class FakeNetworkPrinter:
    def __init__(self) -> None:
        self.status: int | None = PAPER_OK
        self.received = bytearray()  # every byte but the status queries
        self.queries = 0
        self.connections = 0
        self._lock = threading.Condition()
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.port = 0
        self.start()

    # ------------------------------------------------------------------ the test's side

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(4)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._spawn(self._accept, listener)

    def drop(self) -> None:
        """Close the connections (the printer switched off); the port still listens."""
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def stop(self) -> None:
        """Close everything: nothing answers on the port any more."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self.drop()
        for thread in self._threads:
            thread.join(5)
        self._threads = []

    def wait_for(self, data: bytes, timeout_s: float = 20.0) -> bytes:
        """All bytes received once they include `data`."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while data not in self.received:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the printer never received {data!r}; it has {bytes(self.received)!r}")
                self._lock.wait(left)
            return bytes(self.received)

    def wait_connections(self, count: int, timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while self.connections < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.connections} connections, not {count}")
                self._lock.wait(left)

    # ------------------------------------------------------------------ the printer's side

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # stopped
            with self._lock:
                self._conns.append(conn)
                self.connections += 1
                self._lock.notify_all()
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        pending = b""
        while True:
            try:
                chunk = conn.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            pending += chunk
            while PAPER_QUERY in pending:
                before, _, pending = pending.partition(PAPER_QUERY)
                self._record(before)
                with self._lock:
                    self.queries += 1
                if self.status is not None:
                    with contextlib.suppress(OSError):
                        conn.sendall(bytes([self.status]))
            # Keep a possible start of a query for the next chunk.
            keep = next((n for n in (2, 1) if pending.endswith(PAPER_QUERY[:n])), 0)
            self._record(pending[:len(pending) - keep])
            pending = pending[len(pending) - keep:]

    def _record(self, data: bytes) -> None:
        if data:
            with self._lock:
                self.received += data
                self._lock.notify_all()
