"""A simulator's control channel: lines on stdin and, optionally, on a TCP port of 127.0.0.1.

Shared by `sim card-reader` and `sim proxy`: each line goes to the simulator's own
`answer(line)`, whose reply is printed (stdin) or written back (the port). The end
of stdin (a simulator run in the background, </dev/null) only ends that channel.
"""

from __future__ import annotations

import signal
import socketserver
import sys
import threading
from collections.abc import Callable
from types import FrameType

from terminal.faults import socket_fault


def on_termination(stop: Callable[[], None]) -> None:
    """Ctrl-C, kill and a closed terminal all end the simulator cleanly."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, handler)


class ControlLines:
    def __init__(self, answer: Callable[[str], str], stopped: Callable[[], bool], *, port: int | None,
                 name: str) -> None:
        self.answer = answer
        self.stopped = stopped
        self.port = port
        self.name = name
        self._server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> ControlLines:
        if self.port is not None:
            self._server = self._serve(self.port)
        threading.Thread(target=self._read_stdin, name=f"{self.name} stdin", daemon=True).start()
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _read_stdin(self) -> None:
        for line in sys.stdin:
            reply = self.answer(line)
            if reply:
                print(reply, flush=True)
            if self.stopped():
                return

    def _serve(self, port: int) -> socketserver.ThreadingTCPServer:
        lines = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for raw in self.rfile:
                    self.wfile.write((lines.answer(raw.decode("utf-8", "replace")) + "\n").encode("utf-8"))
                    if lines.stopped():
                        return

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        try:
            server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise socket_fault(exc, f"127.0.0.1:{port}") from None
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name=f"{self.name} control", daemon=True).start()
        print(f"control port 127.0.0.1:{server.server_address[1]}", file=sys.stderr, flush=True)
        return server
