"""The demo's world: a simulated settlement service, card reader and scanner, and a switch for the network.

Everything runs on loopback and ptys in a fresh folder: the settlement service as
a child process (its own database), a fault proxy in front of it (the demo's
"network": cut it and the counter sells offline), the card reader simulator on a
pty (cards inserted and removed as a patient would), and a serial scanner pty
that "shows" e-vouchers, box barcodes and the boxes' traceability codes (fresh
ones, as `sim box` prints: each sells once). The counter reads all of them through
its real drivers, exactly as it would real devices. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.catalog import Catalog, load_catalog
from terminal.config import config_path
from terminal.devices.printer_links import DummyPrinterLink, Paper
from terminal.errors import BadInput
from terminal.files import read_json_file
from terminal.settings import Settings, load_settings
from terminal.sim.boxes import boxed_item, fresh_codes
from terminal.sim.card_reader import CardReaderSim
from terminal.sim.card_reader_cards import load_cards
from terminal.sim.processes import ServiceProcess, plain_catalog_file, start_settlement_service
from terminal.sim.proxy import FaultProxy
from terminal.sim.scanner import ScannerPty
from terminal.voucher import issue_voucher, load_private_key

# The slow network the demo can switch to: every answer two seconds late.
SLOW_FAULTS = "slow=1:2s"


@dataclass(frozen=True)
class DemoPerson:
    psn_no: str
    name: str
    insutype: str
    holder: str | None  # the family holder of a bound member
    card: int | None  # the card reader simulator's card number (1-based), if they have a card
    suspended: bool


def demo_people() -> list[DemoPerson]:
    """The demo persons (config/persons.json) with their cards (config/cards.json)."""
    persons = read_json_file(config_path("persons.json"), "demo persons")
    cards = load_cards(config_path("cards.json"))
    card_of = {c.card_no: n for n, c in reversed(list(enumerate(cards, start=1)))}
    out = []
    for p in persons:
        out.append(DemoPerson(p["psn_no"], p["psn_name"], p["insutype"], p.get("holder"),
                              card_of.get(p.get("card_no") or ""), p.get("psn_insu_stas") != "1"))
    return out


class DemoEnvironment:
    """Start with `start()`, stop with `stop()`; the controls are safe from any one worker thread."""

    def __init__(self, workdir: Path | None = None, *, plain_catalog: bool = False) -> None:
        """`plain_catalog`: the service sells from the demo catalog without the pharmacy rules (no codes,
        prescriptions or limits), as a catalog made before them would."""
        self._own_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="counter-demo-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        # The service's catalog, which the counter downloads (1301): what the boxes' codes are made for.
        self.catalog_file = plain_catalog_file(self.workdir) if plain_catalog else config_path("catalog.json")
        self.catalog: Catalog = load_catalog(self.catalog_file)
        self.service: ServiceProcess | None = None
        self.proxy: FaultProxy | None = None
        self.reader: CardReaderSim | None = None
        self.scanner = ScannerPty(self.workdir / "scanner")
        # The receipt printer is kept in memory; the panel can take its paper away or unplug it.
        self.printer_link = DummyPrinterLink("demo printer")
        self._stop = threading.Event()
        self._key = load_private_key(config_path("demo-issuer-key.pem"))
        self.people = demo_people()
        self.network = "online"

    def start(self) -> DemoEnvironment:
        try:
            self.service = start_settlement_service(self.workdir / "service.db", "--catalog",
                                                    str(self.catalog_file))
            self.proxy = FaultProxy(self.service.url).start()
            self.reader = CardReaderSim(self.workdir / "card-reader", load_cards(config_path("cards.json")))
            self.reader.start()
            self.scanner.open()
        except BaseException:
            self.stop()
            raise
        return self

    def settings(self, base: Settings | None = None) -> Settings:
        """The counter's settings on this world: the proxy's address, the ptys, a state folder of its own."""
        s = base or load_settings()
        assert self.proxy is not None, "start() first"
        devices = dataclasses.replace(
            s.devices,
            card_reader=dataclasses.replace(s.devices.card_reader, port=str(self.workdir / "card-reader")),
            serial_scanner=dataclasses.replace(s.devices.serial_scanner, port=str(self.workdir / "scanner")),
            camera=dataclasses.replace(s.devices.camera, enabled=False),
            printer=dataclasses.replace(s.devices.printer, kind="dummy"))
        terminal = dataclasses.replace(s.terminal, state_dir=str(self.workdir / "state"))
        # A short connect timeout: offline is noticed in a moment, as a counter on a LAN would.
        service = dataclasses.replace(s.service, url=self.proxy.url, connect_timeout_s=1.0, read_timeout_s=8.0,
                                      connect_retries=0)
        offline = dataclasses.replace(s.offline, journal=str(self.workdir / "state" / "journal.db"),
                                      probe_interval_s=2.0, retry_min_s=0.5, retry_max_s=5.0)
        return dataclasses.replace(s, devices=devices, terminal=terminal, service=service, offline=offline)

    def stop(self) -> None:
        self._stop.set()
        self.scanner.close()
        reader, proxy, service = self.reader, self.proxy, self.service
        # One simulator's trouble must not leave the others running.
        if reader is not None:
            with contextlib.suppress(Exception):
                reader.stop()
        if proxy is not None:
            with contextlib.suppress(Exception):
                proxy.stop()
        if service is not None:
            service.stop()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # ----- the controls (the demo panel and the demo script)

    def person(self, psn_no: str) -> DemoPerson:
        found = next((p for p in self.people if p.psn_no == psn_no), None)
        if found is None:
            raise BadInput(f"There is no demo person {psn_no}.")
        return found

    def show_voucher(self, psn_no: str, holder: str | None = None) -> None:
        """A fresh e-voucher for `psn_no` (shown by `holder` for a bound member), through the scanner."""
        self.scan(self.voucher_text(psn_no, holder))

    def voucher_text(self, psn_no: str, holder: str | None = None) -> str:
        """A fresh e-voucher's QR text, signed with the demo issuer key."""
        return issue_voucher(self._key, psn_no, now=int(time.time()), holder=holder)

    def scan(self, text: str) -> None:
        """`text` as the serial scanner sends it (CR-terminated)."""
        data = text.encode("utf-8") + b"\r"
        if self.scanner.write_all(data, self._stop) != len(data):
            raise BadInput("The simulated scanner could not send the code: the counter is not reading it.")

    def box_codes(self, barcode: str, count: int = 1) -> list[str]:
        """Fresh traceability codes for `count` boxes of the drug with this barcode (EAN-13)."""
        item = self.catalog.by_barcode(barcode)
        if item is None:
            raise BadInput(f"No drug of the demo catalog has the barcode {barcode[:20]}.")
        return fresh_codes(boxed_item(self.catalog, item.med_list_codg), count)

    def scan_box_codes(self, barcode: str, count: int = 1) -> list[str]:
        """The codes of `count` fresh boxes of the drug with this barcode, through the scanner; the codes."""
        codes = self.box_codes(barcode, count)
        for code in codes:
            self.scan(code)
        return codes

    def insert_card(self, card: int) -> None:
        self._reader_reply(f"insert {card}")

    def remove_card(self) -> None:
        self._reader_reply("remove")

    def set_network(self, state: str) -> None:
        """"online", "offline" (connections refused) or "slow" (answers 2 s late)."""
        assert self.proxy is not None
        spec = {"online": "", "offline": "refuse", "slow": SLOW_FAULTS}.get(state)
        if spec is None:
            raise BadInput(f"The demo network is online, offline or slow, not {state!r}.")
        self.proxy.set_faults(spec)
        self.network = state

    def set_printer(self, state: str) -> None:
        """"ok", "out" (of paper) or "unplugged"."""
        if state not in ("ok", "out", "unplugged"):
            raise BadInput(f"The demo printer is ok, out or unplugged, not {state!r}.")
        self.printer_link.paper_state = Paper.OUT if state == "out" else Paper.OK
        if state == "unplugged":
            self.printer_link.unplug()
        else:
            self.printer_link.plug_in()

    def status(self) -> dict[str, Any]:
        return {"network": self.network, "service": self.service.url if self.service else None,
                "proxy": self.proxy.url if self.proxy else None, "workdir": str(self.workdir)}

    def _reader_reply(self, line: str) -> None:
        assert self.reader is not None
        reply = self.reader.control(line)
        if reply.startswith("error"):
            raise BadInput(f"The simulated card reader refused {line!r}: {reply}")
