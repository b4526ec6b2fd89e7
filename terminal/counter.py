"""The sale at the counter: its lines, the person, the quote, and what may happen next.

The counter screen shows this model and sends the cashier's keys to it; the rules
live here, not in widgets: a line merges with the same drug scanned again, a
quote is valid only for the lines it was made for, nothing changes while the
sale is being settled (a second press of Settle, or a scan meanwhile, is refused
with a sentence and never settles twice), a settled sale is done and the next
scan starts a new one, and a sale may be held while another customer is served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from terminal.domain import CatalogItem
from terminal.errors import BadInput
from terminal.fields import MAX_COUNT
from terminal.money import ZERO, round_yuan
from terminal.pharmacy_sale import cash_setlinfo
from terminal.sale_rules import (
    Needed,
    Placed,
    check_resident_id,
    check_rx_no,
    place_code,
    requirement,
    take_pending,
    trim_codes,
)

MAX_LINES = 200
MAX_HELD = 9


class Phase(Enum):
    READY = "ready"  # waiting for a customer: nothing rung up
    RINGING = "ringing"  # lines or a person, no valid quote
    QUOTING = "quoting"  # a quote is on its way
    QUOTED = "quoted"  # the split on screen is the split of these lines
    SETTLING = "settling"  # settle pressed: nothing may change
    IN_DOUBT = "in-doubt"  # the service's answer was lost: the terminal is checking
    DONE = "done"  # settled, or sold offline: the receipt; the next scan starts a new sale


class SaleLocked(BadInput):
    def __init__(self) -> None:
        super().__init__("The sale is being settled: wait for the receipt, then scan again.")


class CannotSettle(BadInput):
    """Settle was pressed when there is nothing to settle yet; the sentence says what is missing."""


@dataclass
class CounterLine:
    item: CatalogItem
    pric: Decimal
    cnt: Decimal
    codes: list[str] = field(default_factory=list)  # the traceability codes of its boxes, as scanned
    rx_no: str | None = None  # the prescription number of a prescription drug

    @property
    def amount(self) -> Decimal:
        return round_yuan(self.pric * self.cnt)


@dataclass
class CounterSale:
    lines: list[CounterLine] = field(default_factory=list)
    person: Any = None  # who is buying, as the checkout identified them (opaque here)
    acct_used: bool = True
    phase: Phase = Phase.READY
    # Bumped by every change: a quote made for an older version of the sale is ignored.
    version: int = 0
    quote: dict[str, Any] | None = None  # the setlinfo on screen (the service's, or an estimate)
    quote_items: list[dict[str, Any]] = field(default_factory=list)
    row_id: str | None = None  # the journal row of this sale, once quoted
    result: Any = None  # the journal row it ended in
    message: str = ""  # the last sentence for the cashier
    # Why this sale can only be sold for cash (a limit reached offline, the insurance refused), once the
    # cashier has been offered it; settling then sells for cash without insurance.
    cash_reason: str | None = None
    # The pharmacy rules (terminal.sale_rules): codes scanned before their box's EAN-13, the buyer's ID
    # when a restricted drug is sold, and the line rung up last (where the next code goes).
    pending_codes: list[str] = field(default_factory=list)
    buyer_id: str | None = None
    last_line: int | None = None

    # ----- ringing up

    def add(self, item: CatalogItem, cnt: Decimal = Decimal(1), pric: Decimal | None = None) -> CounterLine:
        """A drug rung up; the same drug at the same price adds to its line."""
        self._changeable()
        price = pric if pric is not None else item.pric
        if price is None:
            raise BadInput(f"{item.name} has no price in the catalog: enter its price.")
        self._check_restricted(item, cnt)
        for index, line in enumerate(self.lines):
            if line.item.med_list_codg == item.med_list_codg and line.pric == price:
                self._check_count(line.cnt + cnt)
                line.cnt += cnt
                self._rung(index)
                return line
        if len(self.lines) >= MAX_LINES:
            raise BadInput(f"A sale holds at most {MAX_LINES} lines: settle this one and start another.")
        self._check_count(cnt)
        line = CounterLine(item, price, cnt)
        self.lines.append(line)
        self._rung(len(self.lines) - 1)
        return line

    def add_code(self, code: str, chosen: int | None = None) -> Placed:
        """A box's traceability code: to the chosen line, the drug rung up last, the one line short of codes,
        or waiting for its box's EAN-13 (terminal.sale_rules); refused at once when it cannot be used."""
        self._changeable()
        placed = place_code(self.lines, self.pending_codes, code, chosen=chosen, last=self.last_line)
        self._changed()
        return placed

    def set_rx_no(self, index: int, text: str) -> None:
        self._changeable()
        line = self._line(index)
        if not line.item.rx_flag:
            raise BadInput(f"{line.item.name} is not a prescription drug: it needs no prescription number.")
        line.rx_no = check_rx_no(text)
        self._changed()

    def set_prescription(self, text: str) -> list[int]:
        """The prescription number for every prescription line still without one (one prescription usually
        lists all of a sale's prescription drugs; set_rx_no changes one line); their indexes."""
        self._changeable()
        rx_no = check_rx_no(text)
        filled = [n for n, line in enumerate(self.lines) if line.item.rx_flag and not line.rx_no]
        for n in filled:
            self.lines[n].rx_no = rx_no
        self._changed()
        return filled

    def set_buyer_id(self, text: str) -> None:
        self._changeable()
        self.buyer_id = check_resident_id(text)
        self._changed()

    def requirement(self) -> Needed | None:
        """What this sale still lacks before it can be pre-settled (codes, a prescription, the buyer's ID)."""
        return requirement(self.lines, self.pending_codes, self.buyer_id)

    def set_quantity(self, index: int, cnt: Decimal) -> list[str]:
        """The line's new count; the codes of boxes it no longer counts are dropped and returned."""
        self._changeable()
        self._check_count(cnt)
        line = self._line(index)
        self._check_restricted(line.item, cnt - line.cnt)
        line.cnt = cnt
        dropped = trim_codes(line)
        self._changed()
        return dropped

    def void_line(self, index: int) -> CounterLine:
        self._changeable()
        line = self.lines.pop(self._index(index))
        self.last_line = None
        self._changed()
        return line

    def set_person(self, person: Any) -> None:
        self._changeable()
        self.person = person
        self._changed()

    def set_acct_used(self, used: bool) -> None:
        self._changeable()
        self.acct_used = used
        self._changed()

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def basket(self) -> list[dict[str, Any]]:
        """The lines as the checkout prices them (the `settle`/`sale` basket format), codes and rx_no included."""
        out: list[dict[str, Any]] = []
        for line in self.lines:
            entry: dict[str, Any] = {"med_list_codg": line.item.med_list_codg, "cnt": str(line.cnt),
                                     "pric": str(line.pric)}
            if line.codes:
                entry["drug_trac_codg"] = list(line.codes)
            if line.rx_no:
                entry["rx_no"] = line.rx_no
            out.append(entry)
        return out

    # ----- the quote

    def begin_quote(self) -> int:
        """The version a quote is asked for; CannotSettle when there is nothing to quote yet, or what the
        pharmacy rules still want (Needed: codes, a prescription number, the buyer's ID)."""
        self._changeable()
        self._ready_to_quote()
        need = self.requirement()
        if need is not None:
            raise need
        self.phase = Phase.QUOTING
        return self.version

    def quoted(self, version: int, row_id: str, setlinfo: dict[str, Any], items: list[dict[str, Any]]) -> bool:
        """A quote arrived; False (and ignored) when the sale changed since it was asked for."""
        self.row_id = row_id  # the journal row is this sale's whatever the version
        if version != self.version or self.phase is not Phase.QUOTING:
            return False
        self.quote, self.quote_items, self.phase = setlinfo, items, Phase.QUOTED
        return True

    def offer_cash(self, version: int, reason: str) -> bool:
        """Insurance cannot pay for this sale: its quote becomes all cash, and Settle sells it for cash."""
        if version != self.version or self.phase not in (Phase.QUOTING, Phase.RINGING) or not self.lines:
            return False
        drugdetail = [{"det_item_fee_sumamt": str(line.amount)} for line in self.lines]
        self.quote, self.quote_items = cash_setlinfo(drugdetail, ""), []
        self.phase, self.cash_reason, self.message = Phase.QUOTED, reason, reason
        return True

    def quote_failed(self, version: int, message: str) -> None:
        if version == self.version and self.phase is Phase.QUOTING:
            self.phase = Phase.RINGING
        self.message = message

    # ----- settling

    def begin_settle(self) -> None:
        """Settle pressed: only once, only for a quote of these very lines."""
        if self.phase is Phase.SETTLING or self.phase is Phase.IN_DOUBT:
            raise SaleLocked()
        if self.phase is Phase.DONE:
            raise CannotSettle("This sale is already settled: scan the next customer's drugs.")
        self._ready_to_quote()
        if self.phase is not Phase.QUOTED or (self.row_id is None and self.cash_reason is None):
            raise CannotSettle("Pre-settle first (F9), so the customer sees the split before paying.")
        need = self.requirement()
        if need is not None and self.cash_reason is None:  # a sale without insurance needs no codes
            raise need
        self.phase = Phase.SETTLING

    def settled(self, result: Any) -> None:
        self.result, self.phase, self.message = result, Phase.DONE, ""

    def settle_failed(self, message: str, *, in_doubt: bool = False) -> None:
        """Refused (back to ringing, quote again) or in doubt (the terminal checks; nothing may change)."""
        self.message = message
        if in_doubt:
            self.phase = Phase.IN_DOUBT
        else:
            self.phase, self.quote, self.cash_reason = Phase.RINGING, None, None

    # ----- helpers

    def _ready_to_quote(self) -> None:
        if not self.lines:
            raise CannotSettle("Scan or find the drugs first.")
        if self.person is None:
            raise CannotSettle("Read the card (F2) or scan the e-voucher first.")

    def _changeable(self) -> None:
        if self.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            raise SaleLocked()
        if self.phase is Phase.DONE:
            raise CannotSettle("This sale is settled: press Esc for the next customer.")

    def _rung(self, index: int) -> None:
        """The line just rung up: the next code goes to it, and it takes the codes that waited for it."""
        self.last_line = index
        take_pending(self.lines[index], self.pending_codes)
        self._changed()

    def _check_restricted(self, item: CatalogItem, more: Decimal) -> None:
        if item.max_cnt_per_sale is None or more <= 0:
            return
        total = sum((line.cnt for line in self.lines if line.item.med_list_codg == item.med_list_codg), Decimal(0))
        if total + more > item.max_cnt_per_sale:
            raise BadInput(f"{item.name} is a restricted drug: at most {item.max_cnt_per_sale.normalize():f} per "
                           f"person per sale.")

    def _changed(self) -> None:
        self.version += 1
        self.quote, self.quote_items, self.cash_reason = None, [], None
        self.phase = Phase.RINGING if (self.lines or self.person is not None) else Phase.READY

    def _index(self, index: int) -> int:
        if not 0 <= index < len(self.lines):
            raise BadInput("Choose a line first (arrow keys), then change it.")
        return index

    def _line(self, index: int) -> CounterLine:
        return self.lines[self._index(index)]

    @staticmethod
    def _check_count(cnt: Decimal) -> None:
        if not cnt.is_finite() or cnt <= 0 or cnt > MAX_COUNT or cnt != cnt.quantize(Decimal("0.0001")):
            raise BadInput("The quantity must be more than 0, at most 100000, with at most 4 decimals.")


@dataclass
class Counter:
    """The till: the sale in progress and the sales held while another customer is served."""

    sale: CounterSale = field(default_factory=CounterSale)
    held: list[CounterSale] = field(default_factory=list)
    # Sales whose settlement outcome is unknown, set aside so the next customer can be served; the
    # terminal keeps asking the service and finishes them when it answers.
    aside: list[CounterSale] = field(default_factory=list)

    def next_customer(self) -> CounterSale:
        """A new sale; the current one must be finished or empty (it is never dropped silently)."""
        if self.sale.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            raise SaleLocked()
        if self.sale.phase not in (Phase.DONE, Phase.READY):
            raise BadInput("This sale is not settled: settle it, hold it (F6) or void it first.")
        self.sale = CounterSale()
        return self.sale

    def void(self) -> None:
        """The whole sale dropped before settling (the customer changed their mind)."""
        if self.sale.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            raise SaleLocked()
        self.sale = CounterSale()

    def hold(self) -> CounterSale:
        if self.sale.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            raise SaleLocked()
        if not self.sale.lines and self.sale.person is None:
            raise BadInput("There is nothing to hold.")
        if self.sale.phase is Phase.DONE:
            raise BadInput("This sale is settled: there is nothing to hold.")
        if len(self.held) >= MAX_HELD:
            raise BadInput(f"{MAX_HELD} sales are held already: finish one of them first.")
        if self.sale.phase in (Phase.QUOTING, Phase.QUOTED):
            self.sale.phase, self.sale.quote = Phase.RINGING, None  # quoted again on resume
        self.held.append(self.sale)
        self.sale = CounterSale()
        return self.held[-1]

    def resume(self, index: int = -1) -> CounterSale:
        if not self.held:
            raise BadInput("No sale is held.")
        if (self.sale.lines or self.sale.person is not None) and self.sale.phase is not Phase.DONE:
            raise BadInput("Finish or hold the current sale before taking a held one back.")
        try:
            self.sale = self.held.pop(index)
        except IndexError:
            raise BadInput("There is no held sale with that number.") from None
        return self.sale

    def set_aside(self) -> None:
        if self.sale.phase is not Phase.IN_DOUBT:
            raise BadInput("Only a sale whose outcome is unknown can be set aside.")
        self.aside.append(self.sale)
        self.sale = CounterSale()

    def in_doubt(self, row_id: str) -> CounterSale | None:
        """The sale in doubt (in progress or set aside) of this journal row."""
        return next((s for s in (self.sale, *self.aside) if s.phase is Phase.IN_DOUBT and s.row_id == row_id), None)

    def resolved(self, sale: CounterSale, result: Any) -> None:
        sale.settled(result)
        self.aside = [s for s in self.aside if s is not sale]

    def undone(self, sale: CounterSale) -> None:
        """A sale in doubt whose message a supervisor undid (2601): nothing stands, it leaves the till."""
        self.aside = [s for s in self.aside if s is not sale]
        if sale is self.sale:
            self.sale = CounterSale()

    def check_can_sign_out(self) -> None:
        """Signing out leaves no sale half done: held sales stay with the till for the next operator."""
        if self.sale.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            raise SaleLocked()
        if self.sale.phase not in (Phase.DONE, Phase.READY):
            raise BadInput("Finish, hold (F6) or void (F12) the sale before signing out.")
