"""One simulated counter of bench/fleet.py: the real Station (journal, checkout, forwarder, right of way), a cashier.

Each counter is its own institution (fixmedins_code FLEET0000042, dev_no FL-0042)
with its own msgid block, so 3201 and 3202 at the end cover exactly this
counter's sales. The cashier sells through the real checkout (card or e-voucher
signed by the demo issuer, cheap class-A drugs, no personal account so hundreds
of sales never run an account dry), with an exponential think time between
sales; a counter may lose its own network for a short period (its clients point
at a closed port), besides the chain-wide outage the fleet's driver makes.
Every call's infno, latency and outcome comes from the client's timing hook.
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from terminal.app.station import Station
from terminal.client import Institution, SettlementClient
from terminal.offline.checkout import Buyer
from terminal.offline.record import Txn
from terminal.offline.states import State
from terminal.protocol import MemorySequence, MsgIdFactory
from terminal.right_of_way import RightOfWay
from terminal.settings import Settings
from terminal.sim.processes import REPO
from terminal.voucher import issue_voucher, load_private_key

ISSUER_KEY = load_private_key(REPO / "config" / "demo-issuer-key.pem")
# Demo persons with cards (insured, not suspended), and others who show e-vouchers (no family holder).
CARD_PERSONS = ["12000000000000000001", "12000000000000000002", "12000000000000000011", "12000000000000000013"]
VOUCHER_PERSONS = ["12000000000000000005", "12000000000000000006", "12000000000000000008",
                   "12000000000000000012"]
# Class-A drugs of the plain catalog (no box codes, no prescription): paracetamol, aspirin, metformin.
def demo_persons() -> dict[str, dict[str, Any]]:
    """The demo population by person number: whom the counters' cards and e-vouchers name."""
    entries: list[dict[str, Any]] = json.loads((REPO / "config" / "persons.json").read_text(encoding="utf-8"))
    return {p["psn_no"]: p for p in entries}


DRUGS = ["XN02BED019A001010102184", "XB01ACA056A012010101888", "XA10BAE015A001010101074"]
LEFT = frozenset({State.OFFLINE_QUEUED, State.FORWARDING})


@dataclass
class Sale:
    started: float  # wall clock (the phases are in wall-clock time)
    seconds: float
    kind: str  # "card" or "voucher"
    outcome: str  # the row's state, or the error's class name
    local_id: str | None = None


@dataclass
class Record:
    """What a counter saw, for the driver's figures (plain data: it goes back as JSON)."""

    sales: list[Sale] = field(default_factory=list)
    calls: list[tuple[str, str, float, float, str]] = field(default_factory=list)  # who, infno, at, s, outcome


class FleetCounter:
    def __init__(self, n: int, folder: Path, url: str, down_url: str, persons: dict[str, dict[str, Any]],
                 *, think_s: float, voucher_share: float, seed: int, give_way: bool,
                 probe_s: float | None = None) -> None:
        self.n = n
        self.url, self.down_url = url, down_url
        self.persons = persons
        self.think_s, self.voucher_share = think_s, voucher_share
        self.rng = random.Random(seed * 100_003 + n)
        folder.mkdir(parents=True, exist_ok=True)
        base = Settings()
        terminal = dataclasses.replace(base.terminal, fixmedins_code=f"FLEET{n:07d}", dev_no=f"FL-{n:04d}",
                                       msgid_block=n % 100, state_dir=str(folder))
        service = dataclasses.replace(base.service, url=url)
        offline = dataclasses.replace(base.offline, journal=str(folder / "journal.db"),
                                      probe_interval_s=probe_s or base.offline.probe_interval_s)
        # The screens' settings matter only to the one counter that runs the Qt app.
        counter = dataclasses.replace(base.counter, language="en", customer_display="off",
                                      receipt_pdf_dir=str(folder / "receipts"))
        self.settings = dataclasses.replace(base, terminal=terminal, service=service, offline=offline,
                                            counter=counter)
        # One msgid sequence for the counter's two clients (in memory: the bench's hundred counters share one
        # disk, and the product's per-message fsync of the sequence file would measure that disk, not them).
        sequence = MemorySequence()
        institution = Institution.from_settings(terminal)

        def client() -> SettlementClient:
            return SettlementClient(service, institution,
                                    msgids=MsgIdFactory(terminal.fixmedins_code, terminal.msgid_block,
                                                        sequence=sequence))

        self.cashier_client, self.forward_client = client(), client()
        self.record = Record()
        self.cashier_client.timing = self._timed("cashier")
        self.forward_client.timing = self._timed("forwarder")
        self.station = Station(self.settings, str(folder / "journal.db"), self.cashier_client, self.forward_client)
        if not give_way:  # the comparison run: the forwarder as it was, neither giving way nor pacing itself
            self.cashier_client.right_of_way = None
            self.station.forwarder.right_of_way = None
            self.station.forwarder.pace = 0.0
        self.right_of_way: RightOfWay = self.station.right_of_way
        self._left: set[str] = set()
        self._lock = threading.Lock()
        self.station.listen(self)
        card = persons[CARD_PERSONS[n % len(CARD_PERSONS)]]
        self.card = Buyer(card_no=str(card["card_no"]), card_sn=str(card["card_sn"]))
        self.voucher_person = VOUCHER_PERSONS[n % len(VOUCHER_PERSONS)]

    # ----- the station's listener (the journal's and the forwarder's threads)

    def on_journal_change(self, txn: object) -> None:
        assert isinstance(txn, Txn)
        with self._lock:
            if txn.state in LEFT:
                self._left.add(txn.local_id)
            else:
                self._left.discard(txn.local_id)

    def on_device_event(self, event: object) -> None:
        pass

    def on_forwarder_progress(self, progress: object) -> None:
        pass

    def on_service_health(self, health: object) -> None:
        pass

    @property
    def backlog(self) -> int:
        with self._lock:
            return len(self._left)

    def _timed(self, who: str) -> Any:
        calls = self.record.calls

        def timed(infno: str, seconds: float, outcome: str) -> None:
            calls.append((who, infno, time.time() - seconds, seconds, outcome))
        return timed

    # ----- life

    def open(self) -> None:
        """The journal, the forwarder, and what an online counter knows before it can sell offline: the price
        list and its regular customers (a card and a voucher)."""
        self.station.open_journal()
        self.station.start()
        self.learn()

    def learn(self) -> None:
        checkout = self.station.checkout
        assert checkout is not None
        checkout.prices()
        checkout.identify(self.card)
        checkout.identify(self.voucher())

    def voucher(self) -> Buyer:
        return Buyer(voucher=issue_voucher(ISSUER_KEY, self.voucher_person, now=int(time.time()), ttl_s=3600))

    def basket(self) -> list[dict[str, str]]:
        return [{"med_list_codg": code, "cnt": str(self.rng.randint(1, 2))}
                for code in self.rng.sample(DRUGS, self.rng.randint(1, 2))]

    def sell_until(self, end: float, offline: tuple[float, float] | None) -> None:
        """The cashier: a sale after each think time until `end` (wall clock); its own network lost during
        `offline`."""
        checkout = self.station.checkout
        assert checkout is not None
        cut = False
        while True:
            pause = min(self.rng.expovariate(1.0 / self.think_s), 5 * self.think_s)
            if time.time() + pause >= end:
                break
            time.sleep(pause)
            if offline is not None:
                inside = offline[0] <= time.time() < offline[1]
                if inside != cut:
                    self._network(up=not inside)
                    cut = inside
            kind = "voucher" if self.rng.random() < self.voucher_share else "card"
            buyer = self.voucher() if kind == "voucher" else self.card
            started, t0 = time.time(), time.monotonic()
            try:
                row = checkout.sell(buyer, self.basket(), acct_used=False)
                outcome, local_id = row.state.value, row.local_id
            except Exception as exc:  # counted by kind in the figures; the run goes on
                outcome, local_id = type(exc).__name__, None
            self.record.sales.append(Sale(started, time.monotonic() - t0, kind, outcome, local_id))
        if cut:
            self._network(up=True)

    def queue_offline(self, sales: int) -> None:
        """A backlog for a drain: `sales` sales sold while this counter's link is down (it stays down)."""
        checkout = self.station.checkout
        assert checkout is not None
        self._network(up=False)
        for _ in range(sales):
            checkout.sell(self.card, self.basket(), acct_used=False)

    def _network(self, *, up: bool) -> None:
        """This counter's link: both clients to the service, or both to a port where nothing listens."""
        url = self.url if up else self.down_url
        self.cashier_client.base_url = self.forward_client.base_url = url
        if up:
            self.station.forwarder.wake()

    def close(self) -> None:
        self.station.close()
