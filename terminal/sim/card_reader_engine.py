"""The simulated card reader's wire: one engine thread that owns the pty.

It parses host frames on the master side of a PtyLink (resynchronising on garbage,
answering a damaged frame with status 0x05), hands each command to `_process` (the
reader's logic, in terminal.sim.card_reader), applies the faults to the answer and
paces its output at the baud rate like a real UART (10 bits per byte at 8N1),
in order: a slow answer holds back everything after it. Unplugging closes the pty
and recreates it at the same path after a delay.

Other threads reach the engine only through `run_job()`, which runs a function on
the engine thread (the control lines do).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Self

from terminal.devices.cardreader import frames as fr
from terminal.errors import BadInput, EnvironmentFault
from terminal.sim.card_reader_faults import Faults
from terminal.sim.pty_link import PtyLink

log = logging.getLogger(__name__)

# How long the host gets to read an answer before a disconnect-after unplug.
DRAIN_BEFORE_UNPLUG_S = 0.05


class ReaderEngine(ABC):
    """`start()` runs the engine thread; `stop()` ends it."""

    def __init__(
        self,
        link_path: str | os.PathLike[str],
        *,
        faults: Faults | None = None,
        seed: int | None = None,
        baudrate: int = 9600,
        pace: bool = True,
        on_log: Callable[[str], None] | None = None,
    ) -> None:
        self.link = PtyLink(link_path)
        self.faults = faults or Faults()
        self.rng = random.Random(seed)
        self.baudrate = baudrate
        self.pace = pace
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

    @abstractmethod
    def _process(self, frame: fr.Frame) -> bytes:
        """The answer DATA (status byte first) to one host command."""

    # ------------------------------------------------------------ lifecycle

    def start(self) -> Self:
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def run_job(self, job: Callable[[], None]) -> None:
        """Run `job` on the engine thread (at once if the engine is not running)."""
        if self._thread is None:
            job()
        else:
            self._jobs.put(job)
            self._wake()

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
