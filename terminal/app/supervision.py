"""What needs a supervisor at the counter: their number and PIN approve it, and the audit trail keeps it.

`approve` checks the supervisor's PIN (with the wrong-PIN counts and lock of any
sign-in) and that their role may do the action; a wrong PIN or a role that may not
changes nothing but an "approval-refused" audit row. `reverse` is a reversal asked
at the counter: approved, journaled (terminal.offline.reversal) and sent with its
msgid; an answer that does not come leaves it "sending", resolved later like any
message in doubt. Everything here blocks (scrypt, the journal, the network): run
it on a worker, never the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.client import SettlementClient
from terminal.errors import BadInput, TerminalError
from terminal.offline import audit, reversal
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.operators import NotAllowed, Operator, OperatorBook
from terminal.roles import Action

MAX_REASON = 200


@dataclass(frozen=True)
class Approval:
    supervisor: Operator
    reason: str


def check_reason(text: str) -> str:
    reason = " ".join(text.split())
    if len(reason) < 2 or len(reason) > MAX_REASON:
        raise BadInput(f"Type the reason (2 to {MAX_REASON} characters): it is kept with the approval.")
    return reason


def approve(book: OperatorBook, journal: Journal, *, asked_by: str, opter: str, pin: str, action: Action,
            subject: str | None, reason: str) -> Approval:
    """The supervisor's approval of `action` on `subject`, audited; or the typed refusal, audited too."""
    why = check_reason(reason)
    try:
        supervisor = book.verify(opter.strip(), pin)
        if not supervisor.can(action):
            raise NotAllowed(supervisor, action)
    except TerminalError as exc:
        detail = {"action": action.value, "by": opter[:20], "why": exc.cashier_message}
        journal.run(lambda t: audit.record(t, audit.Event.APPROVAL_REFUSED, asked_by, subject=subject,
                                           detail=detail))
        raise
    journal.run(lambda t: audit.record(t, audit.Event.APPROVAL, asked_by, subject=subject,
                                       approved_by=supervisor.opter, detail={"action": action.value, "reason": why}))
    return Approval(supervisor, why)


def reverse(book: OperatorBook, journal: Journal, client: SettlementClient, *, original_id: str, asked_by: str,
            opter: str, pin: str, reason: str, owner: str | None = None) -> Txn:
    """Reverse `original_id` with a supervisor's approval: the reversal's journal row as it ended (settled,
    refused back to a draft with the sentence, or still sending when the answer did not come)."""
    original = journal.run(lambda t: t.get(original_id))
    reversal.reversal_message(original)  # CannotReverse before a PIN is asked for nothing
    ok = approve(book, journal, asked_by=asked_by, opter=opter, pin=pin, action=Action.REVERSE,
                 subject=original_id, reason=reason)
    done = reversal.reverse(journal, client, original_id, operator=asked_by, approved_by=ok.supervisor.opter,
                            reason=ok.reason, hold=owner)
    journal.run(lambda t: audit.record(t, audit.Event.REVERSAL, asked_by, subject=done.local_id,
                                       approved_by=ok.supervisor.opter,
                                       detail={"of": original.receipt_no or original_id, "infno": done.infno,
                                               "reason": ok.reason, "state": done.state.value}))
    return done
