"""An outpatient visit or an inpatient stay as the journal knows it: read from its messages' rows.

A visit is its registration (2201) or admission (2401) row and the rows that refer
to it (refers_to): fee uploads, cancels, discharge, pre-settlements, settlements.
Nothing else is stored: the visit is what the service answered, replayed in
order (only answered rows count; one still in doubt is listed, for the desk to
resolve first). So a crash between two messages, or a resolution made later by
the forwarder, leaves nothing to repair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from terminal.money import ZERO
from terminal.offline.record import Txn
from terminal.offline.states import IN_FLIGHT, Kind, State
from terminal.offline.transactions import Transactions
from terminal.visit_messages import ALL_FEES

OUTPATIENT, INPATIENT = "outpatient", "inpatient"
ROOT_KINDS = {OUTPATIENT: Kind.OUTPATIENT_REGISTRATION, INPATIENT: Kind.ADMISSION}


@dataclass
class Fee:
    entry: dict[str, Any]  # the feedetail entry as uploaded
    batch: str  # the chrg_bchno (outpatient) or the upload row's local id
    setl_id: str | None = None  # the settlement that settled it, while that stands

    @property
    def amount(self) -> Decimal:
        return Decimal(str(self.entry["det_item_fee_sumamt"]))


@dataclass
class Visit:
    root: Txn
    kind: str  # OUTPATIENT or INPATIENT
    mdtrt_id: str = ""
    cancelled: bool = False
    discharged: bool = False
    fees: dict[str, Fee] = field(default_factory=dict)  # by feedetl_sn, uploaded and not cancelled
    settlements: list[Txn] = field(default_factory=list)  # standing
    in_doubt: list[Txn] = field(default_factory=list)  # sent, outcome unknown: resolve before anything else
    rows: list[Txn] = field(default_factory=list)

    @property
    def psn_no(self) -> str:
        return self.root.psn_no or ""

    @property
    def insutype(self) -> str:
        return self.root.insutype or ""

    @property
    def deposit(self) -> Decimal:
        """The deposit taken at admission (the admission row's cash), offset at the settlement."""
        return self.root.cash_collected or ZERO

    @property
    def unsettled(self) -> list[Fee]:
        return [fee for fee in self.fees.values() if fee.setl_id is None]

    @property
    def unsettled_amount(self) -> Decimal:
        return sum((fee.amount for fee in self.unsettled), ZERO)

    @property
    def settled(self) -> bool:
        return bool(self.settlements)

    @property
    def open(self) -> bool:
        """Still in the desk's hands: registered or admitted, not cancelled, not yet settled in full."""
        return bool(self.mdtrt_id) and not self.cancelled and not (self.settled and not self.unsettled)

    @property
    def details(self) -> dict[str, str]:
        """What the registration or admission form said (department, doctor, ward, bed, diagnosis)."""
        data = self.root.request.get("data") or {}
        return {k: str(v) for k, v in data.items() if k in (
            "dept_name", "dr_name", "ipt_otp_no", "adm_dept_name", "wardarea_name", "adm_bed",
            "dscg_maindiag_code", "adm_diag_dscr", "ipt_no", "begntime")}

    def batches(self) -> list[str]:
        """The upload batches with a fee still unsettled (what 2205 cancels by), in upload order."""
        return list(dict.fromkeys(fee.batch for fee in self.unsettled))


def replay(root: Txn, rows: list[Txn]) -> Visit:
    """The visit as its answered messages left it, in the order they were made."""
    kind = OUTPATIENT if root.kind is Kind.OUTPATIENT_REGISTRATION else INPATIENT
    visit = Visit(root, kind, rows=rows)
    if root.state in IN_FLIGHT:
        visit.in_doubt.append(root)
    answered = root.state is State.SETTLED and root.answer is not None
    if answered and root.answer is not None:
        inner = root.answer.get("data") or root.answer.get("result") or {}
        visit.mdtrt_id = str(inner.get("mdtrt_id") or "")
    for row in rows:
        if row.local_id == root.local_id:
            continue
        if row.kind is Kind.REVERSAL and row.refers_to != root.local_id:
            # A settlement's reversal (terminal.offline.reversal): in doubt, it is resolved first; answered,
            # its settlement's row says reversed.
            if row.state in IN_FLIGHT:
                visit.in_doubt.append(row)
            continue
        if row.state in IN_FLIGHT - {State.REVERSAL_PENDING}:
            visit.in_doubt.append(row)
        if row.state in (State.SETTLED, State.REVERSAL_PENDING) or (row.state is State.REVERSED
                                                                    and row.answer is not None):
            _apply(visit, row)
        if row.state is State.REVERSED and row.infno in ("2207", "2304"):
            _unsettle(visit, _setl_id(row))  # reversed (2208 / 2305): its fees are unsettled again
    return visit


def _apply(visit: Visit, row: Txn) -> None:
    infno = row.infno or ""
    data = row.request.get("data") or {}
    if infno in ("2204", "2301"):
        for entry in row.request.get("feedetail") or []:
            visit.fees[str(entry["feedetl_sn"])] = Fee(entry, str(entry.get("chrg_bchno") or row.local_id))
    elif infno in ("2205", "2302"):
        key = "chrg_bchno" if infno == "2205" else "feedetl_sn"
        selector = str(data.get(key) or "")
        for sn, fee in list(visit.fees.items()):
            if fee.setl_id is None and (selector == ALL_FEES or
                                        (fee.batch if infno == "2205" else sn) == selector):
                del visit.fees[sn]
    elif infno in ("2207", "2304"):
        setl_id = str(((row.answer or {}).get("setlinfo") or {}).get("setl_id") or "")
        for item in (row.answer or {}).get("feedetail") or []:
            settled = visit.fees.get(str(item.get("feedetl_sn")))
            if settled is not None:
                settled.setl_id = setl_id
        visit.settlements.append(row)
    elif infno in ("2208", "2305"):
        _unsettle(visit, str(data.get("setl_id") or ""))
    elif infno in ("2202", "2404"):
        visit.cancelled = True
    elif infno == "2402":
        visit.discharged = True
    elif infno == "2405":
        visit.discharged = False


def _unsettle(visit: Visit, setl_id: str) -> None:
    visit.settlements = [s for s in visit.settlements if _setl_id(s) != setl_id]
    for fee in visit.fees.values():
        if fee.setl_id == setl_id:
            fee.setl_id = None  # the service makes them unsettled again


def _setl_id(row: Txn) -> str:
    return str(((row.answer or {}).get("setlinfo") or {}).get("setl_id") or "")


def settlement_of(visit: Visit) -> Txn | None:
    """The visit's standing settlement, the latest."""
    return visit.settlements[-1] if visit.settlements else None


def read_visit(t: Transactions, root_id: str) -> Visit:
    root = t.get(root_id)
    rows = t.where("refers_to = ? ORDER BY created_at, local_id", (root_id,))
    settlements = [r.local_id for r in rows if r.infno in ("2207", "2304")]
    if settlements:
        rows += t.where(f"kind = ? AND refers_to IN ({','.join('?' * len(settlements))}) ORDER BY created_at",
                        (Kind.REVERSAL.value, *settlements))
    return replay(root, rows)


def visits_of(t: Transactions, psn_no: str, kind: str, *, limit: int = 10) -> list[Visit]:
    """The person's latest visits of this kind at this terminal, newest first: open ones, and those whose
    registration is still in doubt."""
    roots = t.where("kind = ? AND psn_no = ? AND state IN ('settled', 'sending', 'needs-attention') "
                    "ORDER BY created_at DESC, local_id DESC LIMIT ?", (ROOT_KINDS[kind].value, psn_no, limit))
    return [read_visit(t, root.local_id) for root in roots]
