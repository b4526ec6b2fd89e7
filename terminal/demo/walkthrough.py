"""The headless demo: the whole counter chain on simulated devices and service.

Starts the simulated settlement service and card reader on loopback and a pty,
then rings up three sales the way a pharmacy counter would: a social security
card read through the serial reader, an e-voucher a family holder shows for a
bound child (family mutual aid), and a suspended person's e-voucher (refused,
with the sentence the cashier sees). Each boxed drug's line carries its boxes'
traceability codes (fresh ones, as `sim box` prints) and each prescription
drug's line its prescription number; a box whose code was already sold is
refused. Ends with the day's reconciliation.
Nothing leaves 127.0.0.1; everything it starts is stopped at the end.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from terminal.answers import Settlement
from terminal.catalog import Catalog
from terminal.client import Institution, SettlementClient, client_from_settings
from terminal.config import config_path
from terminal.devices.cardreader.driver import card_reader_from_settings
from terminal.devices.scan_codes import VoucherScan, route_scan
from terminal.domain import CertType
from terminal.errors import TerminalError
from terminal.money import fmt_amount
from terminal.pharmacy_sale import drugdetail_entry, pharmacy_sale_input
from terminal.protocol import fmt_time
from terminal.receipt import Tender, render_receipt
from terminal.reconciliation import Entry, detail_input, statement_input, totals_by_key
from terminal.settings import CardReaderSettings, load_settings
from terminal.sim.boxes import fresh_codes
from terminal.sim.processes import REPO, start_settlement_service
from terminal.traceability import codes_needed
from terminal.voucher import issue_voucher, load_private_key, load_public_key

CARD_INDEX = "5"  # 刘洋, employee with an empty personal account: pays cash
HOLDER = "12000000000000000001"  # 张伟, employee, holds the family of 张小明
CHILD = "12000000000000000003"
SUSPENDED = "12000000000000000007"
CARD_BASKET = [("6901070202353", "2"), ("6902401589532", "1"), ("6932119669714", "1")]
VOUCHER_BASKET = [("6901070202353", "1")]


def drugdetail(catalog: Catalog, basket: list[tuple[str, str]], fee_time: str, *,
               boxes: list[str] | None = None, rx_no: str = "RX-DEMO") -> list[dict[str, Any]]:
    """The basket's lines, each boxed drug with its boxes' codes (fresh ones, or `boxes` when given, as when a
    box already sold is scanned) and each prescription drug with the sale's prescription number."""
    lines = []
    for n, (barcode, cnt) in enumerate(basket, start=1):
        item = catalog.by_barcode(barcode)
        assert item is not None and item.pric is not None, barcode
        count = Decimal(cnt)
        codes = boxes if boxes is not None else fresh_codes(item, codes_needed(item, count))
        lines.append(drugdetail_entry(n, item, item.pric, count, fee_time, trac_codes=codes,
                                      rx_no=rx_no if item.rx_flag else None))
    return lines


class Demo:
    def __init__(self, workdir: Path, say: Callable[[str], None]) -> None:
        self.workdir = workdir
        self.say = say
        self.settings = load_settings()
        self.institution = Institution.from_settings(self.settings.terminal)
        self.sold: list[str] = []  # the traceability codes of the boxes sold so far
        self.prescriptions = 0  # numbers this walkthrough's prescriptions

    def run(self) -> int:
        service = start_settlement_service(self.workdir / "service.db")
        link = self.workdir / "card-reader"
        reader_sim = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sim", "card-reader", "--link", str(link), "--insert", CARD_INDEX],
            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = client_from_settings(self.settings, url=service.url)
        try:
            self.say(f"settlement service (simulated) on {service.url}")
            client.sign_in()
            catalog, policy, ver = client.download_catalog()
            self.say(f"catalog {ver}: {len(catalog)} entries; policy '{policy.name}'")
            self.card_sale(client, catalog, link)
            self.voucher_sale(client, catalog, HOLDER, CHILD, VOUCHER_BASKET)
            self.voucher_sale(client, catalog, None, SUSPENDED, VOUCHER_BASKET)
            self.voucher_sale(client, catalog, None, HOLDER, VOUCHER_BASKET, boxes=self.sold[:1])
            self.reconcile(client)
            client.sign_out()
        finally:
            client.close()
            if reader_sim.poll() is None:
                reader_sim.terminate()
                reader_sim.wait(timeout=10)
            service.stop()
        return 0

    def card_sale(self, client: SettlementClient, catalog: Catalog, link: Path) -> None:
        self.say("\n== sale 1: social security card in the serial reader (simulated, pty at 9600 baud)")
        deadline = time.monotonic() + 10
        while not link.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        with card_reader_from_settings(CardReaderSettings(), port=str(link)) as reader:
            reader.wait_connected(5.0)
            card = reader.read_card(wait_s=5.0)
        self.say(f"card read: {card.card_no}, issued {card.issue_date}, expires {card.expiry_date}")
        cert = {"mdtrt_cert_type": CertType.SOCIAL_SECURITY_CARD.value, "mdtrt_cert_no": card.card_no,
                "card_sn": card.card_sn}
        self.sell(client, catalog, cert, CARD_BASKET, cash_received=Decimal("50.00"))

    def voucher_sale(self, client: SettlementClient, catalog: Catalog, holder: str | None, psn_no: str,
                     basket: list[tuple[str, str]], boxes: list[str] | None = None) -> None:
        shown_by = f" shown by holder {holder}" if holder else ""
        resold = f", with a box whose code {boxes[0]} was sold in sale 1" if boxes else ""
        self.say(f"\n== e-voucher of {psn_no}{shown_by}, scanned{resold}")
        key = load_private_key(config_path("demo-issuer-key.pem"))
        qr = issue_voucher(key, psn_no, now=int(time.time()), holder=holder)
        scan = route_scan(qr, public_key=load_public_key(config_path("demo-issuer-key.pub.pem")))
        assert isinstance(scan, VoucherScan)
        self.say(f"scan: e-voucher verified offline (signature ok, expires in {scan.claims.exp - int(time.time())} s)")
        try:
            identity = client.ec_query(qr)
            cert = {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": identity.ec_token, "card_sn": ""}
            self.sell(client, catalog, cert, basket, cash_received=None, boxes=boxes)
        except TerminalError as exc:
            self.say(f"cashier sees: {exc.cashier_message}")

    def sell(self, client: SettlementClient, catalog: Catalog, cert: dict[str, str],
             basket: list[tuple[str, str]], cash_received: Decimal | None, boxes: list[str] | None = None
             ) -> Settlement:
        info = client.person_info(cert)
        fee_time = fmt_time(datetime.now())
        self.prescriptions += 1
        lines = drugdetail(catalog, basket, fee_time, boxes=boxes,
                           rx_no=f"RX{fee_time[:10].replace('-', '')}{self.prescriptions:04d}")
        for entry in lines:
            boxed = entry.get("drug_trac_codg")
            codes = f"box codes {boxed.replace(',', ' ')}" if boxed else "no codes"
            rx = f", prescription {entry['rx_no']}" if "rx_no" in entry else ""
            name = catalog[entry["med_list_codg"]].name
            self.say(f"line {int(entry['feedetl_sn'])} {name} x{entry['cnt']}: {codes}{rx}")
        sale = pharmacy_sale_input(
            cert, psn_no=info.output.obj("baseinfo").text("psn_no"),
            insutype=info.output.items("insuinfo")[0].text("insutype"), acct_used=True,
            drugdetail=lines, fee_time=fee_time)
        _pre_answer, estimate = client.settlement("2101", sale, "drugdetail")
        self.say(f"pre-settlement: cash part {fmt_amount(estimate.totals.psn_cash_pay)} "
                 f"of {fmt_amount(estimate.totals.medfee_sumamt)}")
        _answer, settlement = client.settlement("2102", sale, "drugdetail")
        self.sold += [code for entry in lines for code in entry.get("drug_trac_codg", "").split(",") if code]
        tender = Tender(cash_received) if cash_received is not None else None
        for line in render_receipt(settlement, institution_name=self.institution.fixmedins_name, catalog=catalog,
                                   tender=tender):
            self.say("  " + line)
        return settlement

    def reconcile(self, client: SettlementClient) -> None:
        self.say("\n== day-end reconciliation (3201)")
        today = datetime.now().strftime("%Y-%m-%d")
        detail = client.call("3202", detail_input(today, today))
        entries = [Entry.from_detail(row) for row in detail.output.raw("detail")]
        for key, totals in totals_by_key(entries).items():
            answer = client.call("3201", statement_input(key, totals, today, today))
            self.say(f"insutype {key.insutype}, clr_type {key.clr_type}: {totals.count} settlement(s), "
                     f"stmt_rslt {answer.output.text('stmt_rslt')} ({answer.output.text('stmt_rslt_dscr')})")


def run_demo(say: Callable[[str], None] = print) -> int:
    with tempfile.TemporaryDirectory(prefix="counter-demo-") as tmp:
        return Demo(Path(tmp), say).run()
