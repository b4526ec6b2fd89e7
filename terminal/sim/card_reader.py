"""A simulated serial card reader on a pty, with scriptable cards and fault injection.

The simulator speaks the reader's protocol at the byte level on the master side
of a PtyLink: it parses host frames (resynchronising on garbage, answering a
damaged frame with status 0x05), answers STATUS / READ_BASIC / BEEP / RESET,
sends unsolicited card inserted / removed frames, and paces its output at the
configured baud rate like a real UART (10 bits per byte at 8N1).

One engine thread owns the pty. Technicians and tests drive it through
`CardReaderSim.control(line)` (the same line protocol the command reads on stdin
and on its optional TCP control port; see CONTROL_HELP).

Fault SPEC: comma-separated KIND[=VALUE] items (see FAULT_HELP); probabilities
are drawn from a seeded random generator so a failing run can be replayed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.record import CardRecord
from terminal.errors import BadInput, EnvironmentFault, TerminalError
from terminal.files import read_json_file
from terminal.sim.card_reader_help import CONTROL_HELP
from terminal.sim.pty_link import PtyLink

log = logging.getLogger(__name__)

# How long the host gets to read an answer before a disconnect-after unplug.
DRAIN_BEFORE_UNPLUG_S = 0.05
# Paced at 9600 baud, 4 KiB of noise already keeps the line busy for 4 s.
MAX_NOISE_BYTES = 4096

# ------------------------------------------------------------------- faults


def parse_delay(text: str) -> float:
    """'300ms', '1.5s' or '2' (seconds) as seconds."""
    t = text.strip().lower()
    try:
        if t.endswith("ms"):
            value = float(t[:-2]) / 1000.0
        elif t.endswith("s"):
            value = float(t[:-1])
        else:
            value = float(t)
    except ValueError:
        raise BadInput(f"The delay {text!r} is not a number of seconds or milliseconds.") from None
    if value < 0:
        raise BadInput(f"The delay {text!r} is negative.")
    return value


def _probability(kind: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadInput(
            f"The fault {kind} needs a probability between 0 and 1, not {text!r}."
        ) from None
    if not 0.0 <= value <= 1.0:
        raise BadInput(f"The fault {kind} needs a probability between 0 and 1, not {text!r}.")
    return value


# Other names technicians reach for; SPEC and "fault" lines accept them too.
_FAULT_ALIASES = {
    "garbage": "noise",
    "bcc": "bad-bcc",
    "badbcc": "bad-bcc",
    "split-write": "split",
    "split-writes": "split",
    "dropped": "drop",
    "dropped-answer": "drop",
    "dropped-answers": "drop",
    "slow-answer": "slow",
    "slow-answers": "slow",
    "delay": "slow",
    "disconnect": "disconnect-after",
}


@dataclass
class Faults:
    noise: float = 0.0
    noise_max: int = 8
    bad_bcc: float = 0.0
    split: float = 0.0
    drop: float = 0.0
    slow: float = 0.0
    slow_s: float = 0.3
    disconnect_after: int = 0
    disconnect_s: float = 1.0

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        faults = cls()
        for item in (spec or "").split(","):
            item = item.strip()
            if item:
                kind, _, value = item.partition("=")
                faults.set(kind.strip(), value.strip())
        return faults

    def set(self, kind: str, value: str) -> None:
        """Apply one SPEC item (KIND, VALUE) to these faults."""
        kind = kind.strip().lower().replace("_", "-")
        kind = _FAULT_ALIASES.get(kind, kind)
        head, _, tail = value.partition(":")
        if kind == "noise":
            self.noise = _probability(kind, head or "1")
            if tail:
                self.noise_max = _count(kind, tail)
        elif kind == "bad-bcc":
            self.bad_bcc = _probability(kind, head or "1")
        elif kind == "split":
            self.split = _probability(kind, head or "1")
        elif kind == "drop":
            self.drop = _probability(kind, head or "1")
        elif kind == "slow":
            self.slow = _probability(kind, head or "1")
            if tail:
                self.slow_s = parse_delay(tail)
        elif kind == "disconnect-after":
            self.disconnect_after = _count(kind, head or "0")
            if tail:
                self.disconnect_s = parse_delay(tail)
        else:
            raise BadInput(f"There is no simulator fault called {kind!r}; see --help for the list.")

    def describe(self) -> str:
        """The faults as a SPEC that --faults accepts ("none" if there are none)."""
        parts = []
        if self.noise:
            parts.append(f"noise={self.noise:g}:{self.noise_max}")
        if self.bad_bcc:
            parts.append(f"bad-bcc={self.bad_bcc:g}")
        if self.split:
            parts.append(f"split={self.split:g}")
        if self.drop:
            parts.append(f"drop={self.drop:g}")
        if self.slow:
            parts.append(f"slow={self.slow:g}:{self.slow_s * 1000:g}ms")
        if self.disconnect_after:
            parts.append(f"disconnect-after={self.disconnect_after}:{self.disconnect_s * 1000:g}ms")
        return ",".join(parts) or "none"


def _count(kind: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadInput(f"The fault {kind} needs a whole number, not {text!r}.") from None
    if value < 0:
        raise BadInput(f"The fault {kind} needs a whole number, not {text!r}.")
    return value


# -------------------------------------------------------------------- cards

CARD_STATUS = {"ok": fr.ST_OK, "read-error": fr.ST_READ_ERROR, "auth-failed": fr.ST_AUTH_FAILED}


@dataclass(frozen=True)
class SimCard:
    """A card the simulator can insert: its answer status and payload bytes."""

    label: str
    ssn: str
    card_no: str
    payload: bytes
    status: int = fr.ST_OK
    note: str = ""  # shown by "list": expired, unreadable, raw bytes

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> SimCard:
        # "status" simulates a card the reader cannot read or authenticate; "raw_hex"
        # sends exact payload bytes (bad GBK, wrong field count) to test the host.
        status_name = obj.get("status", "ok")
        if status_name not in CARD_STATUS:
            raise BadInput(f"Card status {status_name!r} is not one of {sorted(CARD_STATUS)}.")
        if "raw_hex" in obj:
            try:
                payload = bytes.fromhex(str(obj["raw_hex"]))
            except ValueError:
                raise BadInput(f"Card raw_hex {obj['raw_hex']!r} is not hex.") from None
            return cls(
                label=str(obj.get("name", "raw card")),
                ssn=str(obj.get("ssn", "")),
                card_no=str(obj.get("card_no", "")),
                payload=payload,
                status=CARD_STATUS[status_name],
                note="raw bytes",
            )
        record = CardRecord.from_json(obj)
        notes = [status_name] if status_name != "ok" else []
        if record.is_expired():
            notes.append(f"expired {record.expires_on().isoformat()}")
        return cls(record.name, record.ssn, record.card_no, record.to_payload(),
                   CARD_STATUS[status_name], ", ".join(notes))


def load_cards(path: str | os.PathLike[str]) -> list[SimCard]:
    """Cards from a JSON file: a list of card objects (or {"cards": [...]})."""
    data = read_json_file(Path(path), "cards")
    if isinstance(data, dict):
        data = data.get("cards")
    if not isinstance(data, list) or not data:
        raise BadInput(f"The cards file {path} must hold a non-empty list of cards.")
    cards = []
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            raise BadInput(f"Card {number} in {path} is not a JSON object.")
        try:
            cards.append(SimCard.from_json(obj))
        except TerminalError as exc:
            raise BadInput(
                f"Card {number} in {path} is not valid: {exc.cashier_message}", detail=exc.detail
            ) from None
    return cards


# ---------------------------------------------------------------- simulator


class CardReaderSim:
    """The simulated reader. `start()` runs its engine thread; `stop()` ends it."""

    def __init__(
        self,
        link_path: str | os.PathLike[str],
        cards: Sequence[SimCard],
        *,
        faults: Faults | None = None,
        seed: int | None = None,
        baudrate: int = 9600,
        pace: bool = True,
        inserted: int | None = None,
        on_log: Callable[[str], None] | None = None,
    ) -> None:
        if not cards:
            raise BadInput("The card reader simulator needs at least one card.")
        self.link = PtyLink(link_path)
        self.cards = list(cards)
        self.faults = faults or Faults()
        self.rng = random.Random(seed)
        self.baudrate = baudrate
        self.pace = pace
        self.inserted: int | None = None
        if inserted is not None:
            self.inserted = self._card_index(str(inserted))
        self._on_log = on_log
        self._parser = fr.FrameParser()
        self._rx_started = 0.0
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue()
        self._scheduled: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = 0
        self._busy_until = 0.0
        self._queued_out = 0
        self._generation = 0  # bumped by each unplug
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.answers_sent = 0
        self.frames_received = 0
        self.disconnects = 0

    # ------------------------------------------------------------ lifecycle

    def start(self) -> CardReaderSim:
        try:
            self.link.open()
        except FileExistsError as exc:
            raise BadInput(f"Cannot create the simulator link: {exc}.") from None
        except OSError as exc:
            raise EnvironmentFault(
                f"Cannot create the simulator link at {self.link.path}: check the folder exists.",
                detail=str(exc),
            ) from None
        self._say(f"ready {self.link.path} -> {self.link.slave_name}")
        self._thread = threading.Thread(target=self._run, name="card reader sim", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None
        self.link.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def request_stop(self) -> None:
        """Ask the engine to stop (safe from a signal handler); stop() cleans up."""
        self._stop.set()
        self._wake()

    def wait_stopped(self, timeout_s: float) -> bool:
        return self._stop.wait(timeout_s)

    def __enter__(self) -> CardReaderSim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------- control

    def control(self, line: str, timeout_s: float = 5.0) -> str:
        """Run one control line (CONTROL_HELP) on the engine thread; its reply text."""
        words = line.split()
        if not words:
            return ""
        if words[0] == "help":
            return CONTROL_HELP
        if words[0] == "quit":
            self.request_stop()
            return "ok quitting"
        done: queue.Queue[str] = queue.Queue()

        def job() -> None:
            try:
                done.put(self._command(words))
            except TerminalError as exc:
                done.put(f"error: {exc.cashier_message}")

        if self._thread is None:
            job()
        else:
            self._jobs.put(job)
            self._wake()
        try:
            return done.get(timeout=timeout_s)
        except queue.Empty:
            return "error: the simulator is busy; try again"

    def insert(self, which: int | str) -> str:
        return self.control(f"insert {which}")

    def remove(self) -> str:
        return self.control("remove")

    def _command(self, words: list[str]) -> str:
        verb, args = words[0], words[1:]
        if verb == "list":
            return "\n".join(
                f"{'*' if i == self.inserted else ' '}{i + 1:3d}  {c.label}  {c.card_no}  {c.ssn}"
                + (f"  ({c.note})" if c.note else "")
                for i, c in enumerate(self.cards)
            )
        if verb == "insert" and len(args) == 1:
            index = self._card_index(args[0])
            if self.inserted is not None:
                self._send_event(fr.EVT_CARD_REMOVED)
            self.inserted = index
            self._send_event(fr.EVT_CARD_INSERTED)
            return f"ok inserted {index + 1} {self.cards[index].label}"
        if verb == "remove" and not args:
            if self.inserted is None:
                return "ok no card was inserted"
            self.inserted = None
            self._send_event(fr.EVT_CARD_REMOVED)
            return "ok removed"
        if verb == "status" and not args:
            card = "none" if self.inserted is None else f"{self.inserted + 1} " + (
                self.cards[self.inserted].label
            )
            link = self.link.slave_name if self.link.is_open else "unplugged"
            return (
                f"card={card} faults={self.faults.describe()} link={link} "
                f"frames={self.frames_received} answers={self.answers_sent} "
                f"disconnects={self.disconnects}"
            )
        if verb == "faults" and not args:
            return f"faults {self.faults.describe()}"
        if verb == "fault" and args == ["clear"]:
            self.faults = Faults()
            return "ok faults cleared"
        if verb == "fault" and len(args) == 2:
            self.faults.set(args[0], args[1])
            return f"ok faults {self.faults.describe()}"
        if verb == "noise" and len(args) == 1:
            count = min(_count("noise", args[0]), MAX_NOISE_BYTES)
            self._write(self.rng.randbytes(count))
            return f"ok sent {count} noise bytes"
        if verb == "disconnect" and len(args) <= 1:
            delay = parse_delay(args[0]) if args else 1.0
            self._disconnect(delay)
            return f"ok unplugged for {delay:g}s"
        raise BadInput(f"Unknown control line {' '.join(words)!r}; type help.")

    def _card_index(self, key: str) -> int:
        if key.isdigit() and 1 <= int(key) <= len(self.cards) and len(key) <= 4:
            return int(key) - 1
        for i, card in enumerate(self.cards):
            if key in (card.ssn, card.card_no):
                return i
        raise BadInput(f"There is no card {key!r}: give its number (1-{len(self.cards)}), "
                       "ssn or card_no.")

    # --------------------------------------------------------------- engine

    def _say(self, text: str) -> None:
        if self._on_log is not None:
            self._on_log(text)
        log.info("%s", text)

    def _wake(self) -> None:
        if self._wake_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self._wake_w, b"x")

    def _schedule(self, delay_s: float, action: Callable[[], None]) -> None:
        self._schedule_at(time.monotonic() + delay_s, action)

    def _schedule_at(self, when: float, action: Callable[[], None]) -> None:
        # Absolute times: outputs queued for the same instant keep their order (seq).
        self._seq += 1
        self._scheduled.append((when, self._seq, action))
        self._scheduled.sort(key=lambda item: (item[0], item[1]))

    def _run(self) -> None:
        import select

        try:
            while not self._stop.is_set():
                while True:
                    try:
                        self._jobs.get_nowait()()
                    except queue.Empty:
                        break
                now = time.monotonic()
                while self._scheduled and self._scheduled[0][0] <= now:
                    self._scheduled.pop(0)[2]()
                timeout = 0.5
                if self._scheduled:
                    timeout = max(0.0, min(timeout, self._scheduled[0][0] - now))
                watch = [self._wake_r] + ([self.link.master_fd] if self.link.is_open else [])
                ready, _, _ = select.select(watch, [], [], timeout)
                if self._wake_r in ready:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self._wake_r, 1024)
                if self.link.is_open and self.link.master_fd in ready:
                    self._receive(self.link.read(4096))
        except Exception:
            log.exception("card reader simulator engine failed")
            self._say("error: the simulator engine failed; see the log")
            self._stop.set()

    def _receive(self, chunk: bytes) -> None:
        if not chunk:
            return
        if self._parser.pending == 0:
            self._rx_started = time.monotonic()
        generation = self._generation
        for item in self._parser.feed(chunk):
            if generation != self._generation:
                return  # unplugged while answering: a reader without power forgets the rest
            self.frames_received += 1
            # A real reader has the frame only once its last byte crossed the wire.
            if self.pace:
                wire = len(_raw(item)) * 10 / self.baudrate
                _sleep_until(self._rx_started + wire)
            self._rx_started = time.monotonic()
            if item.cmd & fr.ANSWER_BIT or item.cmd in fr.EVENTS:
                # Answer or event codes coming from the host (a loopback, another
                # reader on the line): answering them would look like our own answers.
                self._say(f"ignored a host frame with reader-side code 0x{item.cmd:02X}")
                continue
            if isinstance(item, fr.CorruptFrame):
                self._answer(item.cmd, bytes([fr.ST_BAD_FRAME]))
            else:
                self._answer(item.cmd, self._process(item))

    def _process(self, frame: fr.Frame) -> bytes:
        cmd, data = frame.cmd, frame.data
        card = self.cards[self.inserted] if self.inserted is not None else None
        if cmd == fr.CMD_STATUS:
            return bytes([fr.ST_OK, 1 if card else 0])
        if cmd == fr.CMD_READ_BASIC:
            if card is None:
                return bytes([fr.ST_NO_CARD])
            if card.status != fr.ST_OK:
                return bytes([card.status])
            return bytes([fr.ST_OK]) + card.payload
        if cmd == fr.CMD_BEEP:
            if len(data) != 1:
                return bytes([fr.ST_BAD_FRAME])
            self._say(f"beep {data[0] / 10:.1f}s")
            return bytes([fr.ST_OK])
        if cmd == fr.CMD_RESET:
            return bytes([fr.ST_OK])
        return bytes([fr.ST_UNKNOWN_COMMAND])

    def _answer(self, cmd: int, data: bytes) -> None:
        f, rng = self.faults, self.rng
        if f.drop and rng.random() < f.drop:
            self._say(f"fault: dropped the answer to 0x{cmd:02X}")
            self._count_answer()
            return
        wire = bytearray(fr.encode_frame((cmd | fr.ANSWER_BIT) & 0xFF, data))
        if f.bad_bcc and rng.random() < f.bad_bcc:
            wire[-2] ^= 1 + rng.randrange(255)
            self._say(f"fault: bad BCC on the answer to 0x{cmd:02X}")
        if f.noise and rng.random() < f.noise:
            wire[:0] = rng.randbytes(1 + rng.randrange(max(1, f.noise_max)))
        split = bool(f.split and rng.random() < f.split)
        delay = 0.0
        if f.slow and rng.random() < f.slow:
            self._say(f"fault: answering 0x{cmd:02X} after {f.slow_s:g}s")
            delay = f.slow_s
        self._output(bytes(wire), split=split, delay_s=delay, answer=True)

    def _output(self, wire: bytes, *, split: bool = False, delay_s: float = 0.0,
                answer: bool = False) -> None:
        """Send in order: like a real reader's one UART, a slow answer holds back
        everything after it (later answers and card events), never reorders."""
        now = time.monotonic()
        at = max(now + delay_s, self._busy_until)
        self._busy_until = at
        if at <= now and not self._queued_out:
            self._deliver(wire, split, answer)
            return
        self._queued_out += 1
        generation = self._generation

        def later() -> None:
            if generation != self._generation:
                return  # the cable was pulled meanwhile: this output is lost
            self._queued_out -= 1
            self._deliver(wire, split, answer)

        self._schedule_at(at, later)

    def _deliver(self, wire: bytes, split: bool, answer: bool) -> None:
        if split:
            cuts = sorted(self.rng.sample(range(1, len(wire)), min(len(wire) - 1,
                                                                   1 + self.rng.randrange(3))))
            pieces = [wire[a:b] for a, b in zip([0, *cuts], [*cuts, len(wire)], strict=True)]
            for i, piece in enumerate(pieces):
                if i:
                    time.sleep(0.002 + self.rng.random() * 0.02)
                self._write(piece)
        else:
            self._write(wire)
        if answer:
            self._count_answer()

    def _count_answer(self) -> None:
        self.answers_sent += 1
        every = self.faults.disconnect_after
        if every and self.answers_sent % every == 0:
            # Unplug just after the host had time to take the answer in: closing the
            # pty at once would discard it, and "after N answers" would mean N-1.
            generation, delay_s = self._generation, self.faults.disconnect_s

            def unplug() -> None:
                if generation == self._generation:
                    self._disconnect(delay_s)

            self._schedule(DRAIN_BEFORE_UNPLUG_S, unplug)

    def _send_event(self, cmd: int) -> None:
        self._output(fr.encode_frame(cmd))

    def _write(self, data: bytes) -> None:
        if not self.link.is_open:
            return  # unplugged: bytes go nowhere, as on a real cable
        if not self.pace:
            self.link.write(data)
            return
        # Pace like a UART: each slice goes out when its last bit would have.
        byte_s = 10 / self.baudrate
        start = time.monotonic()
        for pos in range(0, len(data), 8):
            piece = data[pos : pos + 8]
            _sleep_until(start + (pos + len(piece)) * byte_s)
            self.link.write(piece)

    def _disconnect(self, delay_s: float) -> None:
        if not self.link.is_open:
            return
        self.disconnects += 1
        self._say(f"unplugged {self.link.path}; back in {delay_s:g}s")
        self.link.close()
        self._parser.reset()
        self._generation += 1
        self._queued_out = 0
        self._busy_until = 0.0
        self._schedule(delay_s, self._replug)

    def _replug(self) -> None:
        if self._stop.is_set() or self.link.is_open:
            return
        self.link.open()
        self._say(f"replugged {self.link.path} -> {self.link.slave_name}")


def _raw(item: fr.ParsedItem) -> bytes:
    return item.raw if isinstance(item, fr.CorruptFrame) else item.encode()


def _sleep_until(when: float) -> None:
    left = when - time.monotonic()
    if left > 0:
        time.sleep(left)


def default_cards_path() -> Path:
    from terminal.config import config_path

    return config_path("cards.json")
