"""A simulated serial card reader on a pty, with scriptable cards and fault injection.

The simulator speaks the reader's protocol at the byte level on the master side
of a PtyLink (the wire: terminal.sim.card_reader_engine): it answers STATUS /
READ_BASIC / BEEP / RESET for the inserted card (terminal.sim.card_reader_cards),
sends unsolicited card inserted / removed frames, and applies the faults of
terminal.sim.card_reader_faults.

Technicians and tests drive it through `CardReaderSim.control(line)` (the same
line protocol the command reads on stdin and on its optional TCP control port;
see CONTROL_HELP).
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Sequence

from terminal.devices.cardreader import frames as fr
from terminal.errors import BadInput, TerminalError
from terminal.sim.card_reader_cards import SimCard
from terminal.sim.card_reader_engine import ReaderEngine
from terminal.sim.card_reader_faults import Faults, parse_count, parse_delay
from terminal.sim.card_reader_help import CONTROL_HELP

# Paced at 9600 baud, 4 KiB of noise already keeps the line busy for 4 s.
MAX_NOISE_BYTES = 4096


class CardReaderSim(ReaderEngine):
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
        self.cards = list(cards)
        self.inserted: int | None = None
        if inserted is not None:
            self.inserted = self._card_index(str(inserted))
        super().__init__(link_path, faults=faults, seed=seed, baudrate=baudrate, pace=pace,
                         on_log=on_log)

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

        self.run_job(job)
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
            count = min(parse_count("noise", args[0]), MAX_NOISE_BYTES)
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

    # --------------------------------------------------------------- reader

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
