"""A fault-injecting HTTP proxy between the terminal and the settlement service.

It forwards each request to the target and, as the fault SPEC says, fails it the
ways a real network fails a counter: the connection is refused, the request
never arrives (the terminal waits in vain), the service acts but its answer is
lost, the answer is cut off, it comes late, or a gateway answers 502. Tests and
technicians use it to check that every one of these ends in the right journal
state and never in a double settlement.

SPEC: comma-separated items KIND[=VALUE][@INFNO] (see FAULT_HELP). A VALUE is a
probability (0.3), or "Nx" for the next N matching requests; @INFNO applies the
item to messages of that infno only (2102, ec.query...). Dice are seeded.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import random
import socket
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from terminal.errors import BadInput
from terminal.faults import socket_fault

log = logging.getLogger(__name__)

KINDS = ("refuse", "timeout-before", "timeout-after", "cut", "slow", "http-502")
HOLD_S = 120.0  # how long a "timeout" holds a connection: longer than any client waits
MAX_HEAD = 64 * 1024

FAULT_HELP = """\
fault SPEC: comma-separated KIND[=VALUE][@INFNO], e.g. "timeout-after=1x@2102,slow=0.2:500ms"
  refuse             no one listens: new connections are refused while this is set
  timeout-before=V   the request is read but never forwarded; no answer comes
  timeout-after=V    forwarded (the service acts), the answer is lost; no answer comes
  cut=V              forwarded, half the answer is sent, then the connection closes
  slow=V[:DELAY]     forwarded, answered after DELAY (default 2s)
  http-502=V         not forwarded; a gateway error 502 is answered
  V is a probability (0.25, default 1) or Nx for the next N matching requests;
  @INFNO limits an item to one message type (2102, 1101, ec.query...)"""


@dataclass
class Fault:
    kind: str
    probability: float = 1.0
    remaining: int | None = None  # "Nx": the next N matching requests, then never
    infno: str | None = None
    delay_s: float = 2.0


@dataclass
class Faults:
    items: list[Fault] = field(default_factory=list)

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        items = []
        for raw in (spec or "").split(","):
            text = raw.strip()
            if not text:
                continue
            text, _, infno = text.partition("@")
            kind, _, value = text.partition("=")
            kind = kind.strip().lower().replace("_", "-")
            if kind == "502":
                kind = "http-502"
            if kind not in KINDS:
                raise BadInput(f"The proxy fault {kind!r} is not known; choose from {', '.join(KINDS)}.")
            fault = Fault(kind, infno=infno.strip() or None)
            if kind == "slow" and ":" in value:
                value, _, delay = value.partition(":")
                fault.delay_s = _delay(delay)
            elif kind == "slow" and value and not value.endswith("x") and _is_delay(value):
                value, fault.delay_s = "", _delay(value)
            if value.endswith("x") and value[:-1].isdigit():
                fault.remaining = int(value[:-1])
            elif value:
                try:
                    fault.probability = float(value)
                except ValueError:
                    raise BadInput(f"The proxy fault value {value!r} is not a probability or Nx.") from None
                if not 0 <= fault.probability <= 1:
                    raise BadInput(f"The proxy fault probability {value} is not between 0 and 1.")
            items.append(fault)
        return cls(items)

    @property
    def refusing(self) -> bool:
        return any(f.kind == "refuse" for f in self.items)

    def pick(self, infno: str, rng: random.Random) -> Fault | None:
        """The fault this request meets, if any (the first matching item that fires)."""
        for fault in self.items:
            if fault.kind == "refuse" or (fault.infno and fault.infno != infno):
                continue
            if fault.remaining is not None:
                if fault.remaining <= 0:
                    continue
                fault.remaining -= 1
                return fault
            if rng.random() < fault.probability:
                return fault
        return None

    def describe(self) -> str:
        parts = []
        for f in self.items:
            value = f"{f.remaining}x" if f.remaining is not None else f"{f.probability:g}"
            if f.kind == "slow":
                value += f":{f.delay_s:g}s"
            parts.append(f"{f.kind}={value}" + (f"@{f.infno}" if f.infno else ""))
        return ",".join(parts) or "none"


def _is_delay(text: str) -> bool:
    return text.endswith(("ms", "s"))


def _delay(text: str) -> float:
    t = text.strip().lower()
    try:
        return float(t[:-2]) / 1000 if t.endswith("ms") else float(t.removesuffix("s"))
    except ValueError:
        raise BadInput(f"The proxy delay {text!r} is not a number of seconds or milliseconds.") from None


class FaultProxy:
    """The proxy: `start()` listens on host:port, `set_faults()` changes faults live, `stop()` ends it."""

    def __init__(self, target: str, *, host: str = "127.0.0.1", port: int = 0, faults: str | None = None,
                 seed: int | None = None) -> None:
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            raise BadInput(f"The proxy target must be an http:// address, got {target!r}.")
        self.target = (parts.hostname, parts.port or 80)
        self.host, self.port = host, port
        self.faults = Faults.parse(faults)
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FaultProxy:
        if not self.faults.refusing:
            self._listen()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._close_listener()

    def set_faults(self, spec: str) -> None:
        faults = Faults.parse(spec)
        with self._lock:
            self.faults = faults
        if faults.refusing:
            self._close_listener()
        elif self._server is None:
            self._listen()

    def status(self) -> str:
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items())) or "no requests yet"
        return f"faults {self.faults.describe()}; {counts}"

    def _listen(self) -> None:
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                with proxy._lock:
                    proxy._connections.add(self.connection)
                try:
                    proxy._serve(self.connection, self.rfile)
                finally:
                    with proxy._lock:
                        proxy._connections.discard(self.connection)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        try:
            server = socketserver.ThreadingTCPServer((self.host, self.port), Handler)
        except OSError as exc:
            raise socket_fault(exc, f"{self.host}:{self.port}") from None
        server.daemon_threads = True
        self.port = int(server.server_address[1])
        self._server = server
        threading.Thread(target=server.serve_forever, name="proxy", daemon=True).start()

    def _close_listener(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        # Open keep-alive connections go too: a refusing network answers nobody.
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    # ----- one client connection, one request after another (HTTP/1.1 keep-alive)

    def _serve(self, conn: socket.socket, rfile: object) -> None:
        while not self._stopping.is_set():
            request = _read_request(rfile)
            if request is None:
                return
            head, body = request
            infno = _infno(body)
            with self._lock:
                fault = self.faults.pick(infno, self.rng)
                self.counts[fault.kind if fault else "forwarded"] += 1
            kind = fault.kind if fault else None
            log.info("proxy: %s -> %s", infno or "?", kind or "forwarded")
            if kind == "timeout-before":
                return self._hold(conn)
            if kind == "http-502":
                conn.sendall(_response(502, b"bad gateway"))
                continue
            answer = self._forward(head, body)
            if answer is None:
                conn.sendall(_response(502, b"the service did not answer the proxy"))
                continue
            if kind == "timeout-after":
                return self._hold(conn)
            if kind == "cut":
                body_at = answer.find(b"\r\n\r\n") + 4
                conn.sendall(answer[: body_at + (len(answer) - body_at) // 2])
                return
            if kind == "slow" and fault is not None:
                time.sleep(fault.delay_s)
            conn.sendall(answer)

    def _hold(self, conn: socket.socket) -> None:
        # Silence until the client gives up (it closes) or the proxy stops.
        conn.settimeout(0.5)
        deadline = time.monotonic() + HOLD_S
        while not self._stopping.is_set() and time.monotonic() < deadline:
            try:
                if conn.recv(4096) == b"":
                    return
            except TimeoutError:
                continue
            except OSError:
                return

    def _forward(self, head: bytes, body: bytes) -> bytes | None:
        method, path, headers = _parse_head(head)
        upstream = http.client.HTTPConnection(*self.target, timeout=60)
        try:
            upstream.request(method, path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            lines = [f"HTTP/1.1 {response.status} {response.reason}"]
            lines += [f"{k}: {v}" for k, v in response.getheaders()
                      if k.lower() not in ("content-length", "connection", "transfer-encoding")]
            lines += [f"Content-Length: {len(data)}", "Connection: keep-alive"]
            return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data
        except OSError as exc:
            log.info("proxy: the target failed: %s", exc)
            return None
        finally:
            upstream.close()


def _read_request(rfile: object) -> tuple[bytes, bytes] | None:
    read_line = getattr(rfile, "readline")  # noqa: B009 - a socket file, typed loosely by socketserver
    lines: list[bytes] = []
    size = 0
    while True:
        line = read_line(MAX_HEAD)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            if lines:
                break
            continue
        lines.append(line)
        size += len(line)
        if size > MAX_HEAD:
            return None
    head = b"".join(lines)
    length = 0
    for line in lines[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length" and value.strip().isdigit():
            length = int(value.strip())
    body = getattr(rfile, "read")(length) if length else b""  # noqa: B009
    return head, body


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    first, *rest = head.decode("latin-1").split("\r\n")
    method, path, _version = [*first.split(" "), "", ""][:3]
    headers = {}
    for line in rest:
        name, _, value = line.partition(":")
        if name.strip() and name.strip().lower() not in ("host", "connection", "content-length"):
            headers[name.strip()] = value.strip()
    return method, path, headers


def _infno(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict):
        if data.get("transType"):
            return str(data["transType"])
        return str(data.get("infno", ""))
    return ""


def _response(status: int, body: bytes) -> bytes:
    reason = http.client.responses.get(status, "")
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n").encode("latin-1") + body
