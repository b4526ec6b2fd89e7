"""The day's shift report and the closing of the day, from the journal.

The shift report is what a supervisor counts the drawer against: per operator, the
sales they made, the cash they took (and gave back on reversals), the reversals, and
the offline sales still waiting for the service. Closing the day records it (table
`day_close`); while sales of the day are still waiting, or a message's outcome is
unknown, closing is refused naming them, unless a supervisor overrides it with a
reason (kept with the close and in the audit trail).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from terminal.errors import BadInput
from terminal.money import ZERO, fmt_amount
from terminal.offline.record import Txn
from terminal.offline.states import PENDING, Kind, State
from terminal.offline.transactions import Transactions
from terminal.receipt import fit, two_columns

# Cash changed hands for these: the sale stood (or stands until the service says otherwise).
_CASH_TAKEN = frozenset({State.SETTLED, State.FORWARDED_SETTLED, State.OFFLINE_QUEUED, State.FORWARDING,
                         State.FORWARD_DECLINED, State.REVERSAL_PENDING, State.REVERSED, State.NEEDS_ATTENTION})
# Not settled by the service (messages in doubt and declined sales included): a day with these is not finished.
OPEN_STATES = PENDING


@dataclass
class OperatorShift:
    opter: str
    sales: int = 0
    medfee: Decimal = ZERO
    cash_taken: Decimal = ZERO
    reversals: int = 0
    cash_returned: Decimal = ZERO  # the cash part of the sales they reversed

    def to_json(self) -> dict[str, Any]:
        return {"opter": self.opter, "sales": self.sales, "medfee": fmt_amount(self.medfee),
                "cash_taken": fmt_amount(self.cash_taken), "reversals": self.reversals,
                "cash_returned": fmt_amount(self.cash_returned),
                "cash_net": fmt_amount(self.cash_taken - self.cash_returned)}


@dataclass
class ShiftReport:
    day: str
    operators: list[OperatorShift] = field(default_factory=list)
    open_rows: list[dict[str, str]] = field(default_factory=list)  # waiting or in doubt: receipt, state
    queued_amount: Decimal = ZERO

    @property
    def sales(self) -> int:
        return sum(o.sales for o in self.operators)

    @property
    def cash_net(self) -> Decimal:
        return sum((o.cash_taken - o.cash_returned for o in self.operators), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day, "operators": [o.to_json() for o in self.operators], "sales": self.sales,
                "cash_net": fmt_amount(self.cash_net), "open": self.open_rows,
                "queued_amount": fmt_amount(self.queued_amount)}


def _day_rows(t: Transactions, day: str) -> list[Txn]:
    return t.where("substr(sale_time, 1, 10) = ? ORDER BY sale_time, local_id", (day,))


def shift_report(t: Transactions, day: str) -> ShiftReport:
    """The report of `day` (yyyy-MM-dd), on the journal's thread."""
    _check_day(day)
    report = ShiftReport(day)
    by_operator: dict[str, OperatorShift] = {}
    for row in _day_rows(t, day):
        shift = by_operator.setdefault(row.operator, OperatorShift(row.operator))
        if row.kind is Kind.REVERSAL:
            if row.state is State.SETTLED and row.refers_to:
                shift.reversals += 1
                original = t.get(row.refers_to)
                shift.cash_returned += original.cash_collected or ZERO
        elif row.state in _CASH_TAKEN:
            shift.sales += 1
            shift.medfee += row.medfee_sumamt
            shift.cash_taken += row.cash_collected or ZERO
        if row.state in OPEN_STATES:
            report.open_rows.append({"local_id": row.local_id, "receipt_no": row.receipt_no or "",
                                     "state": row.state.value, "kind": row.kind.value})
            if row.state in (State.OFFLINE_QUEUED, State.FORWARDING):
                report.queued_amount += row.medfee_sumamt
    report.operators = sorted(by_operator.values(), key=lambda o: o.opter)
    return report


def report_lines(report: ShiftReport, *, institution_name: str, width: int) -> list[str]:
    """The report as receipt lines (the printer and the PDF), `width` columns."""
    def row(left: str, right: str) -> str:
        return two_columns(left, right, width)

    lines = [fit(institution_name, width), fit(f"班结报表 Shift report {report.day}", width), "-" * width]
    for o in report.operators:
        lines += [f"收银员 Operator {o.opter}", row("  笔数 Sales", str(o.sales)),
                  row("  医疗费 Fees", fmt_amount(o.medfee)), row("  收现金 Cash taken", fmt_amount(o.cash_taken)),
                  row("  冲正 Reversals", str(o.reversals)), row("  退现金 Cash returned", fmt_amount(o.cash_returned))]
    lines += ["-" * width, row("合计笔数 Sales", str(report.sales)),
              row("现金净额 Cash, net", fmt_amount(report.cash_net)),
              row("待上传 Waiting", f"{len(report.open_rows)} / {fmt_amount(report.queued_amount)}")]
    for open_row in report.open_rows:
        lines.append(fit(f"  {open_row['receipt_no'] or open_row['local_id']} {open_row['state']}", width))
    return lines


class DayNotClear(BadInput):
    """The day cannot be closed yet: sales still waiting or in doubt, named."""

    def __init__(self, day: str, rows: list[dict[str, str]]) -> None:
        names = ", ".join(f"{r['receipt_no'] or r['local_id']} ({r['state']})" for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        super().__init__(f"The day {day} cannot be closed: {len(rows)} transaction(s) still wait for the service: "
                         f"{names}{more}. Forward them first, or a supervisor overrides with a reason.")
        self.rows = rows


class DayClosed(BadInput):
    def __init__(self, day: str) -> None:
        super().__init__(f"The day {day} is already closed.")


def close_day(t: Transactions, day: str, *, operator: str, approved_by: str | None = None,
              override_reason: str | None = None) -> ShiftReport:
    """Close `day` with its shift report, in one write; DayNotClear while transactions are open (unless
    overridden by a supervisor with a reason), DayClosed the second time."""
    report = shift_report(t, day)
    if report.open_rows and not (approved_by and override_reason):
        raise DayNotClear(day, report.open_rows)
    with t.file.write():
        if t.file.conn.execute("SELECT 1 FROM day_close WHERE day = ?", (day,)).fetchone():
            raise DayClosed(day)
        t.file.conn.execute("INSERT INTO day_close(day, closed_at, operator, approved_by, override_reason, report) "
                            "VALUES (?,?,?,?,?,?)", (day, t.file.clock(), operator, approved_by, override_reason,
                                                     json.dumps(report.to_json(), ensure_ascii=False)))
    return report


def closed(t: Transactions, day: str) -> dict[str, Any] | None:
    rows = t.file.read("SELECT * FROM day_close WHERE day = ?", (day,))
    return dict(rows[0]) if rows else None


def _check_day(day: str) -> None:
    try:
        date.fromisoformat(day)
    except ValueError:
        raise BadInput(f"{day[:20]!r} is not a day: yyyy-MM-dd.") from None
