"""Reversals: a settlement taken back (2103, 2208, 2305), or a message undone by its msgid (2601).

A reversal is its own journal row (kind "reversal", `refers_to` the transaction it
takes back, `approved_by` the supervisor whose PIN allowed it) with its own msgid,
written before anything is sent, exactly as a sale is:

- `begin`: the reversal row is created and, in one write, set "sending" with its
  msgid while the original goes "reversal-pending" (a settlement) or stays as it is
  (a message in doubt, 2601).
- `send` sends it with that msgid and returns the steps that record the outcome, for
  both rows at once: the reversal "settled" and the original "reversed" (a 2601 that
  found nothing to undo leaves the original "pre-settled": nothing stands, a new
  msgid next time); a refusal takes the reversal back to "draft" with the sentence
  and the original back to where it was; an unknown outcome keeps both as they are,
  resolved later like any message in doubt (the forwarder sends it again, same msgid).

A 2601 that undid a settlement the journal never heard of (the answer to the
original was lost) records that settlement on the original row from the reversal's
figures, negated, so the day's reconciliation sees both sides as the service does.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from terminal.client import MalformedAnswer, NetworkUnreachable, OutcomeUnknown, ServiceRefused, SettlementClient
from terminal.errors import BadInput
from terminal.money import fmt_amount
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import Kind, State
from terminal.offline.transactions import Step, Transactions
from terminal.protocol import fmt_time

# The reversal message of each kind of settlement (DESIGN.md).
REVERSAL_INFNO = {Kind.PHARMACY_SALE: "2103", Kind.OUTPATIENT_SETTLEMENT: "2208",
                  Kind.DISCHARGE_SETTLEMENT: "2305"}
# A settlement that stands and may be reversed.
REVERSIBLE = frozenset({State.SETTLED, State.FORWARDED_SETTLED})
# A message whose outcome is unknown (or that a person is looking at): undone by its msgid.
UNDO_BY_MSGID = frozenset({State.SENDING, State.NEEDS_ATTENTION})
_AMOUNTS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "acct_mulaid_pay", "psn_cash_pay")


class CannotReverse(BadInput):
    pass


def reversal_message(original: Txn) -> tuple[str, dict[str, Any]]:
    """The infno and input that take `original` back, or CannotReverse saying why not."""
    data = original.request.get("data", {}) if isinstance(original.request, dict) else {}
    psn_no = original.psn_no or data.get("psn_no") or ""
    if original.kind is Kind.CASH_SALE:
        raise CannotReverse("A cash sale never reached the settlement service: refund it at the counter.")
    if original.state in REVERSIBLE and original.actual:
        infno = REVERSAL_INFNO.get(original.kind)
        if infno is None:
            raise CannotReverse(f"A {original.kind.value} cannot be reversed at the counter.")
        setlinfo = original.actual
        out = {"setl_id": setlinfo.get("setl_id"), "psn_no": psn_no}
        if infno != "2103":
            out["mdtrt_id"] = setlinfo.get("mdtrt_id")
        return infno, {"data": out}
    if original.state in UNDO_BY_MSGID and original.msgid and original.infno:
        return "2601", {"data": {"psn_no": psn_no, "omsgid": original.msgid, "oinfno": original.infno}}
    raise CannotReverse(f"Transaction {original.local_id} is {original.state.value}: only a settlement that "
                        "stands, or a message whose outcome is unknown, can be reversed.")


def begin(t: Transactions, original_id: str, *, operator: str, approved_by: str, reason: str, msgid: str,
          hold: str | None = None, hold_s: float = 0.0) -> tuple[Txn, Txn]:
    """The reversal row, "sending" with `msgid` (held by `hold` while its message is out), and the original
    as it now is (on the journal's thread)."""
    original = t.get(original_id)
    if t.where("kind = ? AND refers_to = ? AND state = ?", (Kind.REVERSAL.value, original_id,
                                                             State.SENDING.value)):
        raise CannotReverse(f"A reversal of {original.receipt_no or original_id} is already on its way: wait "
                            "for its answer.")
    infno, request = reversal_message(original)
    row = t.create(Kind.REVERSAL, sale_time=fmt_time(datetime.fromtimestamp(t.file.clock())), operator=operator,
                   request=request, medfee=-original.medfee_sumamt, psn_no=original.psn_no,
                   insutype=original.insutype, refers_to=original_id, infno=infno, note=reason)
    steps = [Step(row.local_id, State.SENDING, {"msgid": msgid, "approved_by": approved_by}, note=reason,
                  hold=hold, hold_s=hold_s)]
    if original.state in REVERSIBLE:
        steps.append(Step(original_id, State.REVERSAL_PENDING, note=f"reversal {row.local_id}"))
    elif original.state is State.SENDING:
        # Out of the forwarder's hands: its message is being undone, not sent again.
        steps.append(Step(original_id, State.NEEDS_ATTENTION, note=f"undone by msgid: {row.local_id}"))
    done = t.apply(steps)
    return done[0], done[-1] if len(done) > 1 else original


def send(client: SettlementClient, row: Txn, original: Txn) -> tuple[list[Step], str]:
    """Send the reversal row's message with its msgid: the steps recording the outcome and its kind
    ("settled", "declined" or "unresolved")."""
    assert row.msgid is not None and row.infno is not None
    sending = frozenset({State.SENDING})
    try:
        answer = client.call(row.infno, row.request, msgid=row.msgid)
    except ServiceRefused as exc:
        back = [Step(original.local_id, _before(original), note="reversal refused",
                     expect=frozenset({State.REVERSAL_PENDING}))] if original.state is State.REVERSAL_PENDING else []
        return [Step(row.local_id, State.DRAFT, {"last_error": exc.cashier_message}, expect=sending), *back], \
            "declined"
    except (NetworkUnreachable, OutcomeUnknown, MalformedAnswer) as exc:
        return [Step(row.local_id, State.SENDING, {"last_error": str(exc)}, attempted=True, expect=sending)], \
            "unresolved"
    output = answer.output.data
    setlinfo = output.get("setlinfo") if isinstance(output.get("setlinfo"), dict) else None
    done = Step(row.local_id, State.SETTLED, {"answer": output, "last_error": None,
                                              "setl_time": setlinfo.get("setl_time") if setlinfo else None},
                expect=sending)
    return [done, *_original_steps(original, row, output, setlinfo)], "settled"


def _original_steps(original: Txn, row: Txn, output: dict[str, Any], setlinfo: dict[str, Any] | None
                    ) -> list[Step]:
    note = f"reversed by {row.local_id}"
    if original.state is State.REVERSAL_PENDING:
        return [Step(original.local_id, State.REVERSED, note=note, expect=frozenset({State.REVERSAL_PENDING}))]
    data = output.get("data")
    undid = isinstance(data, dict) and str(data.get("reversed", "0")) == "1"
    attention = frozenset({State.NEEDS_ATTENTION})
    if undid and setlinfo:
        # The settlement the lost answer would have told: the reversal's figures, negated.
        settled = {k: v for k, v in setlinfo.items() if k != "orig_setl_id"}
        settled.update({"setl_id": setlinfo.get("orig_setl_id"),
                        **{k: fmt_amount(-Decimal(str(setlinfo[k]))) for k in _AMOUNTS if k in setlinfo}})
        return [Step(original.local_id, State.REVERSED, {"answer": {"setlinfo": settled},
                                                         "setl_time": setlinfo.get("setl_time")},
                     note=note, expect=attention)]
    return [Step(original.local_id, State.PRE_SETTLED, {"last_error": f"never settled: undone by {row.local_id} "
                                                                      "(2601)"}, note=note, expect=attention)]


def _before(original: Txn) -> State:
    """Where a settlement goes back when its reversal is refused: as it was before (forwarded or not)."""
    return State.FORWARDED_SETTLED if original.estimate and original.estimate.get("estimate") else State.SETTLED


def reverse(journal: Journal, client: SettlementClient, original_id: str, *, operator: str, approved_by: str,
            reason: str, hold: str | None = None) -> Txn:
    """Begin, send and record a reversal (on a worker: it waits for the journal and the network); the reversal
    row as it ended: settled, refused back to a draft with the sentence, or still sending when the answer did
    not come (the forwarder resolves it then, with the same msgid)."""
    connect, read = client.timeouts
    hold_s = (connect + read) * (client.connect_retries + 1) + 30.0
    msgid = client.next_msgid()
    row, original = journal.run(lambda t: begin(t, original_id, operator=operator, approved_by=approved_by,
                                                reason=reason, msgid=msgid, hold=hold,
                                                hold_s=hold_s if hold else 0.0))
    # The steps hold nothing: the hold is released either way, and a reversal still in doubt is the
    # forwarder's to resolve from now on.
    steps, _kind = send(client, row, original)
    return journal.run(lambda t: t.apply(steps))[0]


def resend(journal: Journal, client: SettlementClient, row: Txn) -> tuple[list[Step], str]:
    """A reversal in doubt (held by the caller): its msgid again, the steps recording the outcome for it and
    for what it takes back, and their kind (as `send`)."""
    assert row.refers_to is not None
    refers_to = row.refers_to
    original = journal.run(lambda t: t.get(refers_to))
    return send(client, row, original)
