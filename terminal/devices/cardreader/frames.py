"""Byte-level framing of the card reader protocol and a resynchronising parser.

    STX 0x02 | LEN (2 bytes big-endian = len(CMD + DATA)) | CMD | DATA | BCC | ETX 0x03

BCC is the XOR of the LEN, CMD and DATA bytes. The same parser serves the host
driver and the simulator: it hunts for STX, rejects absurd lengths at once, checks
ETX and BCC, and survives split and merged reads and noise between frames.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass
from functools import reduce

STX = 0x02
ETX = 0x03

# Host -> reader commands.
CMD_STATUS = 0x01
CMD_READ_BASIC = 0x02
CMD_BEEP = 0x03
CMD_RESET = 0x04
COMMANDS = frozenset({CMD_STATUS, CMD_READ_BASIC, CMD_BEEP, CMD_RESET})
ANSWER_BIT = 0x80

# Reader -> host unsolicited events (no status byte).
EVT_CARD_INSERTED = 0x40
EVT_CARD_REMOVED = 0x41
EVENTS = frozenset({EVT_CARD_INSERTED, EVT_CARD_REMOVED})

# Status byte, first byte of every answer's DATA.
ST_OK = 0x00
ST_NO_CARD = 0x01
ST_READ_ERROR = 0x02
ST_AUTH_FAILED = 0x03
ST_UNKNOWN_COMMAND = 0x04
ST_BAD_FRAME = 0x05

# The longest READ_BASIC answer is a few hundred bytes; anything near 64 KiB is
# noise, and accepting it would make the parser wait for bytes that never come.
MAX_LEN = 1024
OVERHEAD = 5  # STX, LEN(2), BCC, ETX
HOST_ANSWER_CMDS = frozenset({c | ANSWER_BIT for c in COMMANDS}) | EVENTS


def bcc(body: bytes | bytearray) -> int:
    """XOR of the given bytes (LEN, CMD and DATA of a frame)."""
    return reduce(lambda acc, b: acc ^ b, body, 0)


def encode_frame(cmd: int, data: bytes = b"") -> bytes:
    """The bytes of one frame on the wire."""
    if not 0 <= cmd <= 0xFF:
        raise ValueError(f"command {cmd} is not a byte")
    length = 1 + len(data)
    if length > MAX_LEN:
        raise ValueError(f"frame body of {length} bytes exceeds {MAX_LEN}")
    body = length.to_bytes(2, "big") + bytes([cmd]) + data
    return bytes([STX]) + body + bytes([bcc(body), ETX])


@dataclass(frozen=True)
class Frame:
    """A frame whose ETX and BCC checked out."""

    cmd: int
    data: bytes

    def encode(self) -> bytes:
        return encode_frame(self.cmd, self.data)


@dataclass(frozen=True)
class CorruptFrame:
    """Something shaped like a frame (STX, sane LEN, ETX in place) whose BCC is wrong.

    Reported rather than silently dropped so the host can retry at once instead of
    waiting for its answer timeout, and the reader can answer "bad frame".
    """

    cmd: int
    raw: bytes


ParsedItem = Frame | CorruptFrame


class FrameParser:
    """Incremental parser: feed it whatever the port returned, get whole frames back.

    Resynchronisation: a candidate starts at an STX. A LEN of 0 or above MAX_LEN, a
    missing ETX or a wrong BCC discards that STX only, and the hunt resumes at the
    next STX (so a frame hidden behind noise that began with STX is still found).
    While the candidate at the head is incomplete, later STX positions are tried
    too: a stray STX in noise that announces a long frame must not hold back a
    complete frame that follows it.
    """

    def __init__(self, accept_cmds: Collection[int] | None = None) -> None:
        # accept_cmds narrows what counts as a frame (the host knows every code the
        # reader may send), which makes noise even less likely to pass as a frame.
        self._accept = frozenset(accept_cmds) if accept_cmds is not None else None
        self._buf = bytearray()
        self.discarded_bytes = 0
        self.corrupt_frames = 0
        # Lookahead bookkeeping in absolute stream offsets (buf[0] is at _base):
        # STX positions below _scanned have been judged; _due holds (offset the
        # candidate needs the stream to reach, candidate offset) to judge again.
        self._base = 0
        self._scanned = 0
        self._due: list[tuple[int, int]] = []

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buf)

    def reset(self) -> None:
        self._drop(len(self._buf))

    def feed(self, chunk: bytes) -> list[ParsedItem]:
        self._buf.extend(chunk)
        out: list[ParsedItem] = []
        while True:
            item = self._next()
            if item is None:
                return out
            out.append(item)

    def _judge(self, start: int) -> tuple[str, int]:
        """('frame'|'corrupt'|'bad'|'incomplete', end) for a candidate at an STX."""
        buf = self._buf
        if len(buf) - start < 3:
            return "incomplete", 0
        length = (buf[start + 1] << 8) | buf[start + 2]
        if length == 0 or length > MAX_LEN:
            return "bad", 0
        if len(buf) - start >= 4 and self._accept is not None and buf[start + 3] not in self._accept:
            return "bad", 0
        end = start + length + OVERHEAD
        if len(buf) < end:
            return "incomplete", end
        if buf[end - 1] != ETX:
            return "bad", 0
        if bcc(buf[start + 1 : end - 2]) != buf[end - 2]:
            return "corrupt", end
        return "frame", end

    def _next(self) -> ParsedItem | None:
        buf = self._buf
        while True:
            head = buf.find(STX)
            if head < 0:
                self._drop(len(buf))
                return None
            if head:
                self._drop(head)
            verdict, end = self._judge(0)
            if verdict == "bad":
                self._drop(1)
                continue
            if verdict in ("frame", "corrupt"):
                return self._take(end, verdict)
            # Head incomplete: look for a complete, valid frame further on.
            pos = self._lookahead()
            if pos is None:
                return None
            self._drop(pos)
            verdict, end = self._judge(0)
            return self._take(end, verdict)

    def _drop(self, count: int) -> None:
        del self._buf[:count]
        self._base += count
        self.discarded_bytes += count

    def _lookahead(self) -> int | None:
        """Position of the first complete valid frame after the head, if any.

        Verdicts only change when bytes arrive, so each STX position is judged once
        when first seen and again only once enough bytes for it have arrived (a heap
        ordered by the length each candidate needs): a flood of STX bytes costs
        little per read instead of a rescan of the whole buffer.
        """
        buf, base = self._buf, self._base
        ready: list[int] = []
        while self._due and self._due[0][0] <= base + len(buf):
            _, at = heapq.heappop(self._due)
            if at > base:
                ready.append(at - base)
        pos = buf.find(STX, max(1, self._scanned - base))
        while pos > 0:
            ready.append(pos)
            pos = buf.find(STX, pos + 1)
        self._scanned = base + len(buf)
        best: int | None = None
        for pos in sorted(set(ready)):
            verdict, end = self._judge(pos)
            if verdict == "frame" and best is None:
                best = pos
            elif verdict in ("frame", "incomplete"):
                need = end if end else pos + 3  # LEN not seen yet: look again at 3 bytes
                heapq.heappush(self._due, (base + need, base + pos))
        return best

    def _take(self, end: int, verdict: str) -> ParsedItem:
        raw = bytes(self._buf[:end])
        if verdict == "corrupt":
            # Drop only the STX: the "frame" may be noise that swallowed the start of
            # a real frame, which the rescan of the following bytes still finds.
            self.corrupt_frames += 1
            self._drop(1)
            return CorruptFrame(cmd=raw[3], raw=raw)
        del self._buf[:end]
        self._base += end
        return Frame(cmd=raw[3], data=raw[4:-2])
