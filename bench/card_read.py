"""Card reading over a pty at 9600 baud against the time the bytes need on the wire.

    .venv/bin/python bench/card_read.py [--reads N] [--baudrate B] [--subprocess] [--json]
    .venv/bin/python bench/card_read.py --faults SPEC [--seed N] [--reads N]   (soak)

The simulated reader paces its output at the baud rate like a UART and waits for a
request's bytes to cross the wire before answering. Each READ_BASIC is timed from
the call of `CardReader.read_card()` to its return. Wire time = (request frame +
answer frame bytes) x 10 bits / baud (8N1). The acceptance bar is a median and a
p95 ratio of at most 1.3. Cards rotate through config/cards.json (minus the expired
one) so answer lengths vary; each card is inserted, and its insert event awaited,
before the timed read.

Soak mode (--faults) reads under simulator faults with a different card before every
read and counts outcomes: the right card or a typed error, never a wrong card.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.devices.cardreader import frames as fr  # noqa: E402
from terminal.devices.cardreader.driver import CardInserted, CardReader, CardReaderEvent  # noqa: E402
from terminal.devices.cardreader.record import CardRecord  # noqa: E402
from terminal.devices.device import EventLog  # noqa: E402
from terminal.devices.serial_link import serial_port_factory  # noqa: E402
from terminal.sim.card_reader import CardReaderSim  # noqa: E402
from terminal.sim.card_reader_cards import SimCard, default_cards_path, load_cards  # noqa: E402
from terminal.sim.pty_link import wait_for_path  # noqa: E402

LIMIT = 1.3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wire_bytes(card: SimCard) -> int:
    request = fr.encode_frame(fr.CMD_READ_BASIC)
    answer = fr.encode_frame(fr.CMD_READ_BASIC | fr.ANSWER_BIT, bytes([fr.ST_OK]) + card.payload)
    return len(request) + len(answer)


class SimControl:
    """The simulator in this process (its own thread) or as `python -m terminal sim`."""

    def __init__(self, link: Path, baudrate: int, as_process: bool) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.sim: CardReaderSim | None = None
        if as_process:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "terminal", "sim", "card-reader", "--link", str(link),
                 "--baudrate", str(baudrate)],
                cwd=REPO, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            if not wait_for_path(link, 20):
                raise SystemExit("the simulator did not start")
        else:
            self.sim = CardReaderSim(link, load_cards(default_cards_path()),
                                     baudrate=baudrate, pace=True).start()

    def control(self, line: str) -> str:
        if self.sim is not None:
            return self.sim.control(line)
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        if self.sim is not None:
            self.sim.stop()
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()


def run(reads: int, baudrate: int, as_process: bool) -> dict[str, Any]:
    cards = load_cards(default_cards_path())
    usable = [i for i, c in enumerate(cards) if not CardRecord.from_payload(c.payload).is_expired()]
    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / "reader"
        sim = SimControl(link, baudrate, as_process)
        events: EventLog[CardReaderEvent] = EventLog()
        reader = CardReader(serial_port_factory(str(link), baudrate=baudrate),
                            answer_timeout_s=2.0, retries=0, on_event=events)
        rows = []
        try:
            reader.start()
            reader.wait_connected(10)
            for n in range(reads):
                index = usable[n % len(usable)]
                sim.control(f"insert {index + 1}")
                events.next(5, CardInserted)
                start = time.perf_counter()
                card = reader.read_card()
                elapsed = time.perf_counter() - start
                assert card.card_no == cards[index].card_no, "wrong card"
                wire = wire_bytes(cards[index]) * 10 / baudrate
                rows.append((elapsed, wire, wire_bytes(cards[index])))
        finally:
            reader.close()
            sim.close()
    ratios = [e / w for e, w, _ in rows]
    return {
        "reads": reads,
        "baudrate": baudrate,
        "simulator": "subprocess" if as_process else "thread",
        "bytes_min": min(b for _, _, b in rows),
        "bytes_max": max(b for _, _, b in rows),
        "wire_ms_median": statistics.median(w for _, w, _ in rows) * 1000,
        "read_ms_median": statistics.median(e for e, _, _ in rows) * 1000,
        "read_ms_p95": percentile([e for e, _, _ in rows], 0.95) * 1000,
        "ratio_median": statistics.median(ratios),
        "ratio_p95": percentile(ratios, 0.95),
        "ratio_max": max(ratios),
        "limit": LIMIT,
    }


def soak(reads: int, spec: str, seed: int, answer_timeout_s: float) -> dict[str, Any]:
    """Reads under faults, a different card before every read: every outcome must be
    the inserted card or a typed error; a wrong card is the one failure."""
    from terminal.errors import TerminalError
    from terminal.sim.card_reader_faults import Faults

    cards = load_cards(default_cards_path())
    records = [CardRecord.from_payload(c.payload) for c in cards]
    usable = [i for i, r in enumerate(records) if not r.is_expired()]
    outcomes: dict[str, int] = {}
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / "reader"
        sim = CardReaderSim(link, cards, faults=Faults.parse(spec), seed=seed, pace=True).start()
        reader = CardReader(serial_port_factory(str(link)), answer_timeout_s=answer_timeout_s,
                            reconnect_interval_s=0.1)
        try:
            reader.start()
            reader.wait_connected(10)
            for n in range(reads):
                index = usable[(n * 7) % len(usable)]
                sim.control(f"insert {index + 1}")
                start = time.perf_counter()
                try:
                    card = reader.read_card()
                    kind = "card" if card == records[index] else "WRONG CARD"
                except TerminalError as exc:
                    kind = type(exc).__name__
                slowest = max(slowest, time.perf_counter() - start)
                outcomes[kind] = outcomes.get(kind, 0) + 1
        finally:
            reader.close()
            sim.stop()
    return {"reads": reads, "faults": spec, "seed": seed, "answer_timeout_s": answer_timeout_s,
            "outcomes": outcomes, "slowest_s": slowest, "budget_s": reader.budget_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--baudrate", type=int, default=9600)
    parser.add_argument("--subprocess", action="store_true",
                        help="run the simulator as `python -m terminal sim card-reader`")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--faults", metavar="SPEC",
                        help="soak mode: reads under these simulator faults, swapping cards "
                        "before every read; fails if any read returns a wrong card")
    parser.add_argument("--seed", type=int, default=1, help="fault dice seed (soak mode)")
    parser.add_argument("--answer-timeout", type=float, default=0.3,
                        help="driver answer timeout in soak mode (default %(default)s s)")
    args = parser.parse_args()
    # The driver logs every lost port and retry; the soak table says it better.
    logging.basicConfig(level=logging.ERROR)
    if args.faults:
        result = soak(args.reads, args.faults, args.seed, args.answer_timeout)
        if args.json:
            print(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            print(f"soak: {result['reads']} reads, faults {result['faults']}, seed {result['seed']}")
            for kind, count in sorted(result["outcomes"].items()):
                print(f"  {kind:24s} {count:5d}")
            print(f"  slowest read {result['slowest_s']:.2f} s "
                  f"(driver budget per command {result['budget_s']:.2f} s)")
        wrong = result["outcomes"].get("WRONG CARD", 0)
        print("PASS" if not wrong else f"FAIL: {wrong} wrong card(s)")
        return 0 if not wrong else 1
    result = run(args.reads, args.baudrate, args.subprocess)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"card read over a pty at {result['baudrate']} baud, {result['reads']} reads, "
              f"simulator in a {result['simulator']}")
        print(f"  frame bytes (request + answer)   {result['bytes_min']}-{result['bytes_max']}")
        print(f"  wire time, median                {result['wire_ms_median']:8.1f} ms")
        print(f"  read time, median / p95          {result['read_ms_median']:8.1f} ms"
              f" / {result['read_ms_p95']:.1f} ms")
        print(f"  read / wire, median / p95 / max  {result['ratio_median']:8.3f}"
              f" / {result['ratio_p95']:.3f} / {result['ratio_max']:.3f}   (limit {LIMIT})")
    ok = result["ratio_median"] <= LIMIT and result["ratio_p95"] <= LIMIT
    print("PASS" if ok else "FAIL: card reading is slower than 1.3x the wire time")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
