"""The hospital desks' steps: outpatient registration to settlement, admission to discharge settlement.

Each step is one or more journaled messages (terminal.offline.visit_journal); the
visit is read back from the journal after every step (terminal.offline.visits),
so what the desk shows is what the journal holds. Before any step, a message of
the visit whose outcome is unknown is resolved (the same msgid again): nothing is
sent for a visit while the service may still be acting on an earlier message.

Runs on a worker thread (the app's network worker, a command's main thread).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from terminal.client import OutcomeUnknown, SettlementClient
from terminal.domain import MedType
from terminal.errors import BadInput
from terminal.fee_list import FeeLine, batches, total
from terminal.money import ZERO, fmt_amount
from terminal.offline import reversal
from terminal.offline.checkout import Checkout
from terminal.offline.identity import Identity
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import IN_FLIGHT, Kind, State
from terminal.offline.visit_journal import BeingChecked, VisitJournal
from terminal.offline.visits import INPATIENT, OUTPATIENT, Visit, read_visit, settlement_of, visits_of
from terminal.pharmacy_sale import Buyer
from terminal.protocol import fmt_time
from terminal.visit_messages import (
    ALL_FEES,
    Admission,
    Registration,
    admit_input,
    discharge_input,
    fees_input,
    register_input,
    settle_input,
    visit_key,
)

Progress = Callable[[int, int], None]  # (fees uploaded, fees to upload)


class DeskRefused(BadInput):
    """A step the visit's state does not allow (said before anything is sent)."""


class NeedsTheService(BadInput):
    def __init__(self) -> None:
        super().__init__("The settlement service cannot be reached: hospital visits are settled online only. "
                         "Check the network and try again.")


class HospitalDesk:
    def __init__(self, checkout: Checkout, journal: Journal, client: SettlementClient, *,
                 operator: str, clock: Callable[[], float] = time.time, batch_size: int = 100) -> None:
        self.checkout, self.journal, self.client, self.clock = checkout, journal, client, clock
        self.messages = VisitJournal(journal, client, operator=operator, clock=clock)
        self.batch_size = batch_size

    def _now(self) -> str:
        return fmt_time(datetime.fromtimestamp(self.clock()))

    # ----- the patient

    def identify(self, buyer: Buyer, kind: str) -> tuple[Identity, list[Visit]]:
        """The person (online only) and their visits of this kind at this terminal, newest first."""
        identity = self.checkout.identify(buyer)
        if not identity.online:
            raise NeedsTheService()
        if identity.suspended:
            raise DeskRefused("This person's insurance is suspended: the visit is paid in cash, outside insurance.")
        psn_no = identity.psn_no or ""
        return identity, self.journal.run(lambda t: visits_of(t, psn_no, kind))

    def reload(self, visit: Visit) -> Visit:
        return self.journal.run(lambda t: read_visit(t, visit.root.local_id))

    def resolve(self, visit: Visit) -> Visit:
        """Every message of the visit whose outcome is unknown, sent again with its msgid (OutcomeUnknown while
        the service still does not answer)."""
        for row in visit.in_doubt:
            if row.kind is Kind.REVERSAL and row.infno in ("2208", "2305"):
                self._resolve_reversal(row)
                continue
            self.messages.resolve(row, cash=self._cash(visit))
        return self.reload(visit)

    def _resolve_reversal(self, row: Txn) -> None:
        """A settlement's reversal in doubt: its msgid again (terminal.offline.reversal), as the forwarder would."""
        held = self.journal.run(lambda t: t.claim(row.local_id, self.messages.owner, 60.0, IN_FLIGHT))
        if held is None:
            current = self.journal.run(lambda t: t.get(row.local_id))
            if current.state in IN_FLIGHT:
                raise BeingChecked(current)
            return  # resolved meanwhile (the forwarder)
        steps, kind = reversal.resend(self.journal, self.client, held)
        self.journal.run(lambda t: t.apply(steps))  # the steps hold nothing: the claim is released
        if kind == "unresolved":
            raise OutcomeUnknown(held.infno or "", held.msgid or "", str(steps[0].fields.get("last_error")))

    def _ready(self, visit: Visit) -> Visit:
        visit = self.resolve(self.reload(visit)) if visit.in_doubt else self.reload(visit)
        if visit.cancelled:
            raise DeskRefused(f"Visit {visit.mdtrt_id} was cancelled.")
        if not visit.mdtrt_id:
            raise DeskRefused("The registration was not answered by the service; register again.")
        return visit

    # ----- opening and closing a visit

    def register(self, identity: Identity, form: Registration) -> Visit:
        request = register_input(identity.cert, identity.psn_no or "", identity.insutype or "", form, self._now())
        return self._open(identity, Kind.OUTPATIENT_REGISTRATION, "2201", request)

    def admit(self, identity: Identity, form: Admission) -> Visit:
        request = admit_input(identity.cert, identity.psn_no or "", identity.insutype or "", form, self._now())
        row = self.messages.create(Kind.ADMISSION, "2401", request, psn_no=identity.psn_no or "",
                                   insutype=identity.insutype, refers_to=None, sale_time=self._now())
        # The deposit is the hospital's cash, taken when the admission is answered; kept on the admission row.
        deposit = form.deposit
        row = self.journal.run(lambda t: t.step(row.local_id, State.DRAFT, cash_collected=deposit))
        self.messages.send(row)
        return self.journal.run(lambda t: read_visit(t, row.local_id))

    def _open(self, identity: Identity, kind: Kind, infno: str, request: dict[str, Any]) -> Visit:
        row = self.messages.create(kind, infno, request, psn_no=identity.psn_no or "", insutype=identity.insutype,
                                   refers_to=None, sale_time=self._now())
        self.messages.send(row)
        return self.journal.run(lambda t: read_visit(t, row.local_id))

    def cancel_visit(self, visit: Visit) -> Visit:
        """2202 (registration) or 2404 (admission): refused while a settlement stands (cancel it first)."""
        visit = self._ready(visit)
        if visit.settlements:
            raise DeskRefused(f"Visit {visit.mdtrt_id} has a settlement: cancel the settlement first.")
        if visit.kind == INPATIENT and visit.unsettled:
            raise DeskRefused(f"Stay {visit.mdtrt_id} still has {len(visit.unsettled)} fee(s): cancel them first.")
        infno = "2202" if visit.kind == OUTPATIENT else "2404"
        return self._step(visit, Kind.VISIT_STEP, infno, visit_key(visit.mdtrt_id, visit.psn_no))

    def discharge(self, visit: Visit, *, dscg_way: str = "1") -> Visit:
        visit = self._ready(visit)
        if visit.discharged:
            raise DeskRefused(f"Stay {visit.mdtrt_id} is already discharged.")
        request = discharge_input(visit.mdtrt_id, visit.psn_no, self._now(), dscg_way)
        return self._step(visit, Kind.VISIT_STEP, "2402", request)

    def cancel_discharge(self, visit: Visit) -> Visit:
        visit = self._ready(visit)
        if not visit.discharged or visit.settlements:
            raise DeskRefused(f"Stay {visit.mdtrt_id} is not discharged and unsettled: nothing to cancel.")
        return self._step(visit, Kind.VISIT_STEP, "2405", visit_key(visit.mdtrt_id, visit.psn_no))

    # ----- fees

    def upload(self, visit: Visit, lines: list[FeeLine], *, progress: Progress | None = None) -> tuple[Visit, int]:
        """Upload the lines not yet on the visit, in batches (2204 / 2301), each journaled; the visit and how
        many lines were skipped as already uploaded (a file imported again after an interruption)."""
        visit = self._ready(visit)
        if visit.kind == INPATIENT and visit.settled:
            raise DeskRefused(f"Stay {visit.mdtrt_id} is settled: cancel the settlement to add fees.")
        new = [line for line in lines if line.feedetl_sn not in visit.fees]
        skipped = len(lines) - len(new)
        if not new:
            return visit, skipped
        infno = "2204" if visit.kind == OUTPATIENT else "2301"
        fee_time, done = self._now(), 0
        uploads = sum(1 for row in visit.rows if row.kind is Kind.FEE_UPLOAD)
        for n, part in enumerate(batches(new, self.batch_size), start=uploads + 1):
            # Outpatient fees are cancelled by batch (chrg_bchno, unique within the visit); a stay's by serial.
            chrg_bchno = f"B{n:04d}" if visit.kind == OUTPATIENT else None
            entries = [line.entry(mdtrt_id=visit.mdtrt_id, psn_no=visit.psn_no, fee_time=fee_time,
                                  chrg_bchno=chrg_bchno) for line in part]
            row = self.messages.create(Kind.FEE_UPLOAD, infno, fees_input(entries), psn_no=visit.psn_no,
                                       insutype=visit.insutype, refers_to=visit.root.local_id,
                                       sale_time=self._now(), medfee=total(part))
            self.messages.send(row)
            done += len(part)
            if progress is not None:
                progress(done, len(new))
        return self.reload(visit), skipped

    def cancel_fees(self, visit: Visit, selector: str = ALL_FEES) -> Visit:
        """2205 by batch (outpatient) or 2302 by serial (a stay); ALL_FEES for every unsettled fee."""
        visit = self._ready(visit)
        if not visit.unsettled:
            raise DeskRefused(f"Visit {visit.mdtrt_id} has no unsettled fees to cancel.")
        if visit.kind == OUTPATIENT and selector != ALL_FEES and selector not in visit.batches():
            fee = visit.fees.get(selector)
            if fee is not None:
                raise DeskRefused(f"Outpatient fees are cancelled by batch: fee {selector} is in batch {fee.batch}; "
                                  f"type {fee.batch} to cancel that batch.")
            raise DeskRefused(f"Visit {visit.mdtrt_id} has no unsettled batch {selector}.")
        if visit.kind == INPATIENT and selector != ALL_FEES and (
                selector not in visit.fees or visit.fees[selector].setl_id is not None):
            raise DeskRefused(f"Stay {visit.mdtrt_id} has no unsettled fee {selector}.")
        if visit.kind == OUTPATIENT:
            return self._step(visit, Kind.VISIT_STEP, "2205", visit_key(visit.mdtrt_id, visit.psn_no,
                                                                        chrg_bchno=selector))
        return self._step(visit, Kind.VISIT_STEP, "2302", visit_key(visit.mdtrt_id, visit.psn_no,
                                                                    feedetl_sn=selector))

    # ----- settling

    def presettle(self, visit: Visit, identity: Identity, *, acct_used: bool = True) -> Txn:
        """2206 / 2303: the split of the visit's unsettled fees, journaled as the settlement's row (pre-settled)."""
        visit = self._ready(visit)
        if not visit.unsettled:
            raise DeskRefused(f"Visit {visit.mdtrt_id} has no unsettled fees: upload the fees first.")
        if visit.kind == INPATIENT and not visit.discharged:
            raise DeskRefused(f"Stay {visit.mdtrt_id} is not discharged: discharge the patient first.")
        med_type = MedType.OUTPATIENT if visit.kind == OUTPATIENT else MedType.INPATIENT
        request = settle_input(identity.cert, visit.psn_no, visit.insutype, visit.mdtrt_id, med_type,
                               visit.unsettled_amount, acct_used=acct_used)
        kind = Kind.OUTPATIENT_SETTLEMENT if visit.kind == OUTPATIENT else Kind.DISCHARGE_SETTLEMENT
        infno, query = ("2207", "2206") if visit.kind == OUTPATIENT else ("2304", "2303")
        medfee = visit.unsettled_amount
        unsent = [r for r in visit.rows if r.kind is kind and r.state in (State.DRAFT, State.PRE_SETTLED)]
        if unsent:
            # Pre-settled again (the account switched, a fee added): the same row, as a pharmacy sale's quote.
            again = unsent[-1]
            row = self.journal.run(lambda t: t.step(again.local_id, State.DRAFT, request=request, estimate=None,
                                                    medfee=medfee, last_error=None))
        else:
            row = self.messages.create(kind, infno, request, psn_no=visit.psn_no, insutype=visit.insutype,
                                       refers_to=visit.root.local_id, sale_time=self._now(), medfee=medfee)
        try:
            _answer, pre = self.client.settlement(query, request, "feedetail")
        except BadInput as exc:
            text = exc.cashier_message
            self.journal.run(lambda t: t.step(row.local_id, State.DRAFT, last_error=text))
            raise
        estimate = {**pre.setlinfo, **self._deposit_terms(visit, pre.setlinfo)}
        return self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, estimate=estimate,
                                                 last_error=None))

    def settle(self, visit: Visit, row: Txn) -> Txn:
        """2207 / 2304 for the pre-settled row: refused when the fees changed since the pre-settlement."""
        visit = self._ready(visit)
        if row.state is not State.PRE_SETTLED:
            raise DeskRefused(f"Settlement {row.local_id} is {row.state.value}: pre-settle again.")
        if fmt_amount(visit.unsettled_amount) != row.request["data"]["medfee_sumamt"]:
            raise DeskRefused("The fees changed since the pre-settlement: pre-settle again.")
        return self.messages.send(row, cash=self._cash(visit))

    def standing_settlement(self, visit: Visit) -> Txn:
        """The settlement a cancel (2208 / 2305) would take back, the visit's messages in doubt resolved first."""
        visit = self._ready(visit)
        settlement = settlement_of(visit)
        if settlement is None:
            raise DeskRefused(f"Visit {visit.mdtrt_id} has no settlement to cancel.")
        return settlement

    def cancel_settlement(self, visit: Visit, *, approved_by: str, reason: str) -> Visit:
        """2208 / 2305 of the visit's standing settlement, approved by a supervisor (their number and the
        reason, checked by the caller: terminal.app.supervision); journaled as every reversal is
        (terminal.offline.reversal), the settlement's row reversed with it."""
        settlement = self.standing_settlement(visit)
        done = reversal.reverse(self.journal, self.client, settlement.local_id, operator=self.messages.operator,
                                approved_by=approved_by, reason=reason, hold=self.messages.owner)
        if done.state is State.DRAFT:
            raise DeskRefused(done.last_error or "The service refused the cancel.")
        if done.state is State.SENDING:
            raise OutcomeUnknown(done.infno or "", done.msgid or "", done.last_error or "no answer")
        return self.reload(visit)

    # ----- inside

    def _step(self, visit: Visit, kind: Kind, infno: str, request: dict[str, Any]) -> Visit:
        row = self.messages.create(kind, infno, request, psn_no=visit.psn_no, insutype=visit.insutype,
                                   refers_to=visit.root.local_id, sale_time=self._now())
        self.messages.send(row)
        return self.reload(visit)

    def _deposit_terms(self, visit: Visit, setlinfo: dict[str, Any]) -> dict[str, str]:
        """The deposit offset against the cash part: what the patient pays more, or gets back."""
        cash = Decimal(str(setlinfo.get("psn_cash_pay", "0")))
        due = cash - visit.deposit
        return {"deposit": fmt_amount(visit.deposit), "cash_due": fmt_amount(max(due, ZERO)),
                "refund": fmt_amount(max(-due, ZERO))}

    def _cash(self, visit: Visit) -> Callable[[dict[str, Any]], Decimal | None]:
        def cash(output: dict[str, Any]) -> Decimal | None:
            info = output.get("setlinfo") or {}
            return Decimal(str(info.get("psn_cash_pay", "0"))) - visit.deposit

        return cash
