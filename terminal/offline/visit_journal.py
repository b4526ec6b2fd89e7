"""A hospital message through the journal, exactly as a pharmacy sale's 2102 goes (offline/checkout.py).

Each message is a journal row, written before anything is sent: "sending" with
its msgid is committed, and only then does the message leave. The answer settles
the row (its output kept as the row's answer, from which terminal.offline.visits
reads the visit). A definite no (refused, or the service never reached) puts it
back to "pre-settled" without a msgid: nothing happened, a new attempt takes a
new msgid. An unknown outcome (a timeout after sending) is resent at once with
the same msgid; if still unknown the row stays "sending" and the forwarder (or
the desk's "check again") resends the same msgid until the service answers:
the msgid is the idempotency key, so nothing is ever done twice.

Hospital messages are online only: there is no offline estimate of a visit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from terminal.client import MalformedAnswer, NetworkUnreachable, OutcomeUnknown, ServiceRefused, SettlementClient
from terminal.errors import BadInput
from terminal.money import ZERO
from terminal.offline.checkout import process_owner
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import IN_FLIGHT, Kind, State
from terminal.offline.transactions import Transactions

# The settling messages and the key of their per-item answers; the rest answer what they answer.
SETTLING = {"2102": "drugdetail", "2207": "feedetail", "2304": "feedetail"}


def resend(client: SettlementClient, infno: str, request: dict[str, Any], msgid: str
           ) -> tuple[dict[str, Any], str | None]:
    """Send (or send again) a journaled message with its msgid: the output to keep, and the settlement's
    time when it settled something (for the day-end)."""
    item_key = SETTLING.get(infno)
    if item_key is not None:
        answer, settlement = client.settlement(infno, request, item_key, msgid=msgid)
        return answer.output.data, settlement.setlinfo.get("setl_time")
    plain = client.call(infno, request, msgid=msgid)
    return plain.output.data, None


class BeingChecked(BadInput):
    def __init__(self, row: Txn) -> None:
        super().__init__(f"Message {row.msgid} is being checked with the service right now; wait a moment.")


class VisitJournal:
    """Journaled sending of the desks' messages. Runs on a worker thread (it waits for the network)."""

    def __init__(self, journal: Journal, client: SettlementClient, *, operator: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.journal, self.client, self.operator, self.clock = journal, client, operator, clock
        self.owner = process_owner()

    def create(self, kind: Kind, infno: str, request: dict[str, Any], *, psn_no: str, insutype: str | None,
               refers_to: str | None, sale_time: str, medfee: Decimal = ZERO, note: str | None = None) -> Txn:
        return self.journal.run(lambda t: t.create(kind, sale_time=sale_time, operator=self.operator,
                                                   request=request, medfee=medfee, psn_no=psn_no, insutype=insutype,
                                                   refers_to=refers_to, infno=infno, note=note))

    def send(self, row: Txn, *, cash: Callable[[dict[str, Any]], Decimal | None] | None = None) -> Txn:
        """Journal the row as sending (a new msgid), send it, and record the answer. `cash` says what the
        desk collects (or pays back, negative) from a settlement's output."""
        assert row.infno is not None
        msgid = self.client.next_msgid()
        row = self.journal.run(lambda t: t.step(row.local_id, State.SENDING, msgid=msgid, attempted=True,
                                                hold=self.owner, hold_s=self._hold_s()))
        try:
            output, setl_time = resend(self.client, row.infno or "", row.request, msgid)
        except (NetworkUnreachable, ServiceRefused) as exc:
            self._not_sent(row, exc)
            raise
        except (OutcomeUnknown, MalformedAnswer) as exc:
            return self._resolve_now(row, exc, cash)
        return self._answered(row, output, setl_time, cash)

    def resolve(self, row: Txn, *, cash: Callable[[dict[str, Any]], Decimal | None] | None = None) -> Txn:
        """The same msgid again for a row whose outcome is unknown (the desk's "check again"); the row as
        it ends. OutcomeUnknown while the service still does not say."""
        held = self.journal.run(lambda t: t.claim(row.local_id, self.owner, self._hold_s(), IN_FLIGHT))
        if held is None:
            current = self.journal.run(lambda t: t.get(row.local_id))
            if current.state in IN_FLIGHT:
                raise BeingChecked(current)
            return current  # resolved meanwhile (the forwarder)
        assert held.msgid is not None and held.infno is not None
        try:
            output, setl_time = resend(self.client, held.infno, held.request, held.msgid)
        except ServiceRefused as exc:
            # It never happened, says the service: a person decides what the patient is told.
            text = exc.cashier_message
            self.journal.run(lambda t: t.step(held.local_id, State.NEEDS_ATTENTION, last_error=text))
            raise
        except (OutcomeUnknown, MalformedAnswer, NetworkUnreachable) as exc:
            self._still_unknown(held, exc)
            if isinstance(exc, OutcomeUnknown):
                raise
            raise OutcomeUnknown(held.infno, held.msgid, str(exc)) from None
        return self._answered(held, output, setl_time, cash)

    def step(self, work: Callable[[Transactions], Txn]) -> Txn:
        return self.journal.run(work)

    # ----- inside

    def _resolve_now(self, row: Txn, cause: Exception, cash: Callable[[dict[str, Any]], Decimal | None] | None
                     ) -> Txn:
        assert row.msgid is not None and row.infno is not None
        first = str(cause)
        self.journal.run(lambda t: t.step(row.local_id, State.SENDING, last_error=first, hold=self.owner,
                                          hold_s=self._hold_s()))
        try:
            output, setl_time = resend(self.client, row.infno, row.request, row.msgid)
        except ServiceRefused as exc:
            self._not_sent(row, exc)  # the first attempt never arrived: nothing happened
            raise
        except (OutcomeUnknown, MalformedAnswer, NetworkUnreachable) as exc:
            self._still_unknown(row, exc)
            if isinstance(exc, OutcomeUnknown):
                raise
            raise OutcomeUnknown(row.infno, row.msgid, str(exc)) from None
        return self._answered(row, output, setl_time, cash)

    def _answered(self, row: Txn, output: dict[str, Any], setl_time: str | None,
                  cash: Callable[[dict[str, Any]], Decimal | None] | None) -> Txn:
        settles = (row.infno or "") in SETTLING
        collected = cash(output) if cash is not None and settles else None
        if settles:
            return self.journal.run(lambda t: t.step(row.local_id, State.SETTLED, answer=output, setl_time=setl_time,
                                                     cash_collected=collected, receipt=True, last_error=None))
        return self.journal.run(lambda t: t.step(row.local_id, State.SETTLED, answer=output, last_error=None))

    def _not_sent(self, row: Txn, exc: BaseException) -> None:
        text = exc.cashier_message if isinstance(exc, BadInput | NetworkUnreachable) else str(exc)
        if row.kind is Kind.ADMISSION:
            # Not admitted: the deposit the row was to record was never taken.
            self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, msgid=None, last_error=text,
                                              cash_collected=None))
            return
        self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, msgid=None, last_error=text))

    def _still_unknown(self, row: Txn, exc: BaseException) -> None:
        # Still unknown: the row stays in doubt, for the forwarder (or the desk) to resolve; never sent anew.
        text = str(exc)
        self.journal.run(lambda t: t.step(row.local_id, State.SENDING, last_error=text, attempted=True,
                                          next_attempt_at=self.clock()))

    def _hold_s(self) -> float:
        # Long enough for every attempt of one message, so no other process resolves it meanwhile.
        connect, read = self.client.timeouts
        return (connect + read) * (self.client.connect_retries + 1) + 30.0
