"""The card reader's side of each exchange: one command at a time on the port.

Used only by the driver's owner thread. A request is written, matched against its
answer (CMD | 0x80) through the answer ledger, retried on timeout, on a damaged
answer and on a "bad frame" status, and resolved through its future. A request
whose command would go out while other answers are still owed is preceded by a
probe (see `ledger`). Card inserted / removed frames are handed to `on_card`, even
in the middle of an exchange.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.errors import (
    CardAuthFailed,
    CardNotPresent,
    CardReadFailed,
    ReaderDisconnected,
    ReaderLinkGarbled,
    ReaderProtocolError,
    ReaderTimeout,
)
from terminal.devices.cardreader.ledger import AnswerLedger
from terminal.errors import TerminalError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    status: int
    payload: bytes


@dataclass(eq=False)
class Request:
    cmd: int
    data: bytes
    expires: float
    future: Future[Answer] = field(default_factory=Future)
    attempts: int = 0
    probes: int = 0  # sync probes sent (see Exchange.start)
    probe_cmd: int = -1
    syncing: bool = False
    attempt_deadline: float = 0.0
    noise_mark: int = -1  # parser's noise counter when the request started
    queued_at: float = field(default_factory=time.monotonic)


_STATUS_ERRORS: dict[int, Callable[[str], TerminalError]] = {
    fr.ST_NO_CARD: lambda d: CardNotPresent(detail=d),
    fr.ST_READ_ERROR: lambda d: CardReadFailed(detail=d),
    fr.ST_AUTH_FAILED: lambda d: CardAuthFailed(detail=d),
    fr.ST_UNKNOWN_COMMAND: lambda d: ReaderProtocolError(detail=d),
    fr.ST_BAD_FRAME: lambda d: ReaderLinkGarbled(detail=d),
}


def raise_for_status(cmd: int, status: int) -> None:
    """The typed error for a non-OK status byte of an answer to `cmd`."""
    if status == fr.ST_OK:
        return
    detail = f"command 0x{cmd:02X} answered status 0x{status:02X}"
    make = _STATUS_ERRORS.get(status)
    if make is None:
        raise ReaderProtocolError(detail=detail)
    raise make(detail)


def fail(req: Request, error: TerminalError) -> None:
    if not req.future.done():
        req.future.set_exception(error)


def _not_open(data: bytes) -> int:
    raise OSError("the card reader port is not open")


class Exchange:
    def __init__(self, *, name: str, port_label: str, answer_timeout_s: float, retries: int,
                 on_card: Callable[[int], None]) -> None:
        self.name = name
        self.port_label = port_label
        self.answer_timeout_s = answer_timeout_s
        self.retries = retries
        self._on_card = on_card
        self.parser = fr.FrameParser(accept_cmds=fr.HOST_ANSWER_CMDS)
        self.ledger = AnswerLedger()
        self.current: Request | None = None
        self._write: Callable[[bytes], object] = _not_open

    def new_port(self, write: Callable[[bytes], object], *, reconnect: bool) -> None:
        self._write = write
        self.parser.reset()
        self.ledger.new_port(reconnect=reconnect)

    def port_lost(self) -> Request | None:
        """The port failed: the current request, to be sent again on the new port if
        attempts and time remain."""
        self._write = _not_open
        req, self.current = self.current, None
        if req is not None:
            # What was half received on the old port is not noise of the new one.
            req.queued_at = time.monotonic()
            req.noise_mark = -1
        return req

    def abandon(self, error: TerminalError) -> None:
        if self.current is not None:
            fail(self.current, error)
            self.current = None

    def start(self, req: Request) -> None:
        if req.attempts > self.retries:
            fail(req, ReaderDisconnected(self.port_label, detail="lost during the command"))
            return
        self.current = req
        if req.noise_mark < 0:
            req.noise_mark = self._noise()
        if self.ledger.owes(req):
            # An earlier command may still be answered: probe first (see ledger).
            req.syncing = True
            self._send_probe(req)
        else:
            req.syncing = False
            self._send(req)

    def feed(self, chunk: bytes) -> None:
        for item in self.parser.feed(chunk):
            self._handle(item)

    def check_deadline(self, now: float) -> None:
        req = self.current
        if req is None or now < req.attempt_deadline:
            return
        noise = self._noise() - req.noise_mark
        if noise > 0:
            # The reader talks but nothing it says is a valid answer: wrong baud
            # rate, a damaged cable or another device on the port.
            error: TerminalError = ReaderLinkGarbled(
                detail=f"{noise} bytes of noise and no valid answer to 0x{req.cmd:02X}"
            )
        else:
            error = ReaderTimeout(
                detail=f"no answer to 0x{req.cmd:02X} after {req.attempts + req.probes} attempt(s)"
            )
        self._resend(req, error)

    # ------------------------------------------------------------------ sending

    def _write_frame(self, req: Request, cmd: int, data: bytes, *, probe: bool) -> None:
        self.ledger.written(cmd, req, probe=probe)
        log.debug("%s: -> 0x%02X%s, ledger %d", self.name, cmd, " (probe)" if probe else "",
                  len(self.ledger))
        req.attempt_deadline = time.monotonic() + self.answer_timeout_s
        self._write(fr.encode_frame(cmd, data))

    def _send(self, req: Request) -> None:
        req.attempts += 1
        self._write_frame(req, req.cmd, req.data, probe=False)

    def _send_probe(self, req: Request) -> None:
        req.probes += 1
        cmd, data = self.ledger.probe_for(req.cmd)
        req.probe_cmd = cmd
        self._write_frame(req, cmd, data, probe=True)

    def _resend(self, req: Request, error: TerminalError) -> None:
        """Send the current step again (probe or command) or give up with `error`."""
        sent = req.probes if req.syncing else req.attempts
        if sent <= self.retries and time.monotonic() < req.expires:
            log.info("%s: retrying 0x%02X: %s", self.name, req.cmd, error.detail)
            if req.syncing:
                self._send_probe(req)
            else:
                self._send(req)
        else:
            self._finish(req, error=error)

    def _finish(self, req: Request, answer: Answer | None = None,
                error: TerminalError | None = None) -> None:
        self.current = None
        if error is not None:
            fail(req, error)
        elif answer is not None and not req.future.done():
            req.future.set_result(answer)

    def _end_sync(self, req: Request) -> None:
        req.syncing = False
        self._send(req)

    # ---------------------------------------------------------------- receiving

    def _handle(self, item: fr.ParsedItem) -> None:
        req = self.current
        if isinstance(item, fr.CorruptFrame):
            log.info("%s: damaged frame 0x%02X dropped", self.name, item.cmd)
            sent = self.ledger.damaged(item.cmd)
            if req is None:
                return
            if sent is not None and sent.owner is not req:
                if req.syncing and not self.ledger.owes(req):
                    self._end_sync(req)
            elif item.cmd == _expected_answer(req):
                self._resend(req, ReaderLinkGarbled(detail="answer failed its BCC check"))
            return
        if item.cmd in fr.EVENTS:
            self._on_card(item.cmd)
            return
        sent = self.ledger.answered(item.cmd)
        log.debug("%s: <- 0x%02X for %s, ledger %d", self.name, item.cmd,
                  "nothing" if sent is None else f"0x{sent.cmd:02X}", len(self.ledger))
        if sent is None:
            log.info("%s: unsolicited answer 0x%02X dropped", self.name, item.cmd)
            return
        if req is None or sent.owner is not req:
            log.info("%s: late answer 0x%02X of an earlier command dropped", self.name, item.cmd)
            if req is not None and req.syncing and not self.ledger.owes(req):
                self._end_sync(req)
            return
        if sent.probe:
            # The answer to our own probe: nothing written before it can come now.
            if req.syncing and not self.ledger.owes(req):
                self._end_sync(req)
            return
        # The answer to the current command (to this attempt or an earlier one).
        if not item.data:
            self._resend(req, ReaderProtocolError(detail="answer without status byte"))
        elif item.data[0] == fr.ST_BAD_FRAME:
            self._resend(req, ReaderLinkGarbled(detail="reader reported a bad frame"))
        else:
            self._finish(req, Answer(item.data[0], item.data[1:]))

    def _noise(self) -> int:
        p = self.parser
        return p.discarded_bytes + p.pending + p.corrupt_frames


def _expected_answer(req: Request) -> int:
    cmd = req.probe_cmd if req.syncing else req.cmd
    return cmd | fr.ANSWER_BIT
