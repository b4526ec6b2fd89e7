"""Day-end reconciliation from the journal: the terminal's totals against the service's, for one day.

The totals are the core's (terminal.reconciliation), computed from the answers
the journal kept; the service is asked 3201 per insutype, clearing type and
clearing region, and 3202 for its own list, which the core compares with the
terminal's: every settlement one side has and the other does not. Sales made offline add what
the day-end also settles at the counter: refunds due and amounts owed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from terminal.client import SettlementClient
from terminal.money import ZERO, fmt_amount
from terminal.offline.journal import Journal
from terminal.reconciliation import (
    Entry,
    detail_input,
    detail_mismatches,
    entries_from_answers,
    statement_input,
    totals_by_key,
)


def reconcile_day(journal: Journal, client: SettlementClient, day: str) -> dict[str, Any]:
    """The day's reconciliation report (day as yyyy-MM-dd)."""
    rows = journal.run(lambda t: t.where("substr(setl_time, 1, 10) = ? AND answer IS NOT NULL "
                                         "AND state IN ('settled', 'forwarded-settled', 'reversal-pending', "
                                         "'reversed') AND kind != 'cash-sale' ORDER BY setl_time", (day,)))
    entries = entries_from_answers(row.actual for row in rows if row.actual)
    groups = []
    agree = True
    for key, totals in totals_by_key(entries).items():
        answer = client.call("3201", statement_input(key, totals, day, day))
        result = answer.output.text("stmt_rslt", max_len=2)
        agree = agree and result == "0"
        groups.append({
            "insutype": key.insutype, "clr_type": key.clr_type, "setl_optins": key.setl_optins,
            "terminal": {"medfee_sumamt": fmt_amount(totals.medfee_sumamt),
                         "fund_pay_sumamt": fmt_amount(totals.fund_pay_sumamt),
                         "acct_pay": fmt_amount(totals.acct_pay), "fixmedins_setl_cnt": totals.count},
            "service": answer.output.data})
    service_rows = client.call("3202", detail_input(day, day)).output.raw("detail") or []
    mismatches = detail_mismatches(entries, [Entry.from_detail(row) for row in service_rows])
    agree = agree and not mismatches
    # Offline sales that came back today: settled by forwarding, or declined, with money to hand back
    # or to collect.
    start = datetime.strptime(day, "%Y-%m-%d").timestamp()
    offline = journal.run(lambda t: t.where(
        "(state = 'forwarded-settled' AND substr(setl_time, 1, 10) = ?) OR "
        "(state = 'forward-declined' AND updated_at >= ? AND updated_at < ?) ORDER BY sale_time",
        (day, start, start + 86400)))
    dues = [(row.local_id, row.amount_due) for row in offline if row.amount_due != ZERO]
    # What the day cannot be reconciled without: messages whose outcome is still unknown, sales a person must
    # look at, and sales still waiting to be forwarded (each named, so the supervisor can find it).
    unresolved = journal.run(lambda t: t.where(
        "substr(sale_time, 1, 10) = ? AND state IN ('sending', 'reversal-pending', 'needs-attention', "
        "'offline-queued', 'forwarding') ORDER BY sale_time", (day,)))
    agree = agree and not unresolved
    return {
        "date": day,
        "agree": agree,
        "groups": groups,
        "mismatches": mismatches,
        "settlements": len(entries),
        "refunds_due": [{"local_id": local_id, "amount": fmt_amount(-due)} for local_id, due in dues if due < 0],
        "amounts_owed": [{"local_id": local_id, "amount": fmt_amount(due)} for local_id, due in dues if due > 0],
        "unresolved": [{"local_id": row.local_id, "receipt_no": row.receipt_no, "state": row.state.value,
                        "kind": row.kind.value} for row in unresolved],
    }
