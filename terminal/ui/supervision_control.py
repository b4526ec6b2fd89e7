"""The supervisor's screens' work, off the GUI thread: history reads, reversals, the day-end and the audit trail.

Journal reads go to the journal's thread (`journal.submit`), anything that talks
to the service or checks a PIN to the `network` worker (in order with the cashier's
calls), PDFs to the `output` worker; every answer comes back on the GUI thread
through `MainThread.when_done`. The rules are the core's (terminal.app.supervision,
terminal.offline.history, .shift, .dayend, .audit): here is only who runs what.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from terminal.app import supervision
from terminal.errors import BadInput
from terminal.offline import audit
from terminal.offline.dayend import reconcile_day
from terminal.offline.history import Detail, Query, detail, search
from terminal.offline.record import Txn
from terminal.offline.shift import ShiftReport, close_day, report_lines, shift_report
from terminal.receipt import WIDTH_80MM
from terminal.roles import Action
from terminal.settings import state_dir
from terminal.ui.receipt_pdf import write_pdf

if TYPE_CHECKING:
    from terminal.ui.counter_app import CounterApp

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass(frozen=True)
class Paper:
    """A page for the roll and the PDF folder: the shift report."""

    name: str
    lines: tuple[str, ...]


class SupervisionControl(QObject):
    def __init__(self, app: CounterApp) -> None:
        super().__init__()
        self.app = app

    @property
    def _journal(self) -> Any:
        return self.app.station.journal

    def _operator(self) -> str:
        operator = self.app.session.operator
        if operator is None:
            raise BadInput("Sign in first: type your operator number and PIN.")
        return operator.opter

    def _read(self, work: Callable[[Any], Any], done: Done, failed: Failed) -> None:
        self.app.main.when_done(self._journal.submit(work), done, failed)

    # ----- history

    def search(self, query: Query, done: Callable[[list[Txn]], None], failed: Failed) -> None:
        self._read(lambda t: search(t, query), done, failed)

    def detail(self, local_id: str, done: Callable[[Detail], None], failed: Failed) -> None:
        self._read(lambda t: detail(t, local_id), done, failed)

    def reprint(self, txn: Txn) -> None:
        self.app.receipts.issue(txn, reprint=True)

    def reverse(self, txn: Txn, opter: str, pin: str, reason: str, done: Callable[[Txn], None],
                failed: Failed) -> None:
        station = self.app.station
        asked_by = self._operator()
        owner = station.checkout.owner if station.checkout is not None else None
        self.app.network.run(lambda: supervision.reverse(
            self.app.session.book, station.journal, station.client, original_id=txn.local_id, asked_by=asked_by,
            opter=opter, pin=pin, reason=reason, owner=owner), done, failed)
        station.forwarder.wake()  # a reversal left in doubt is resolved by the forwarder

    # ----- day-end

    def reconcile(self, day: str, done: Callable[[dict[str, Any]], None], failed: Failed) -> None:
        station = self.app.station
        asked_by = self._operator()

        def run() -> dict[str, Any]:
            report = reconcile_day(station.journal, station.client, day)
            station.audit(audit.Event.DAY_END, asked_by, subject=day,
                          detail={"agree": report["agree"], "settlements": report["settlements"],
                                  "mismatches": len(report["mismatches"]), "unresolved": len(report["unresolved"])})
            return report

        self.app.network.run(run, done, failed)

    def shift(self, day: str, done: Callable[[ShiftReport], None], failed: Failed) -> None:
        self._read(lambda t: shift_report(t, day), done, failed)

    def print_shift(self, report: ShiftReport, done: Callable[[Path], None], failed: Failed) -> None:
        """The shift report to a PDF (in the receipts' folder) and to the printer when there is one."""
        settings = self.app.settings
        printer = self.app.station.printer
        width = printer.width if printer is not None else WIDTH_80MM
        lines = tuple(report_lines(report, institution_name=settings.terminal.fixmedins_name, width=width))
        paper = Paper(f"shift-{report.day}-{time.strftime('%H%M%S')}", lines)
        folder = settings.counter.receipt_folder(state_dir(settings))
        self.app.output.run(lambda: write_pdf(paper, folder), done, failed)
        if printer is not None:
            self.app.main.when_done(printer.print_receipt(lines), lambda _printed: None, failed)

    def close_day(self, day: str, approval: tuple[str, str, str] | None, done: Callable[[ShiftReport], None],
                  failed: Failed) -> None:
        """Close the day; with `approval` (a supervisor's number, PIN and reason) over what still waits."""
        station = self.app.station
        book = self.app.session.book
        asked_by = self._operator()

        def run() -> ShiftReport:
            approved_by, reason = None, None
            if approval is not None:
                opter, pin, why = approval
                ok = supervision.approve(book, station.journal, asked_by=asked_by, opter=opter, pin=pin,
                                         action=Action.DAY_END, subject=day, reason=why)
                approved_by, reason = ok.supervisor.opter, ok.reason
            report: ShiftReport = station.journal.run(lambda t: close_day(
                t, day, operator=asked_by, approved_by=approved_by, override_reason=reason))
            station.audit(audit.Event.DAY_CLOSE, asked_by, subject=day, approved_by=approved_by,
                          detail={"override": reason or "", "sales": report.sales,
                                  "open": len(report.open_rows)})
            return report

        self.app.network.run(run, done, failed)

    # ----- the audit trail

    def audit_rows(self, done: Callable[[list[audit.AuditRow]], None], failed: Failed, **filters: Any) -> None:
        self._read(lambda t: audit.rows(t, **filters), done, failed)

    def export_audit(self, done: Callable[[tuple[int, Path]], None], failed: Failed, **filters: Any) -> None:
        folder = state_dir(self.app.settings) / "exports"
        path = folder / time.strftime("audit-%Y%m%d-%H%M%S.csv")
        station = self.app.station
        asked_by = self._operator()

        def write(t: Any) -> tuple[int, Path]:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            count = audit.export_rows(t, path, **filters)
            audit.record(t, audit.Event.EXPORT, asked_by, subject=path.name, detail={"rows": count})
            return count, path

        self.app.main.when_done(station.journal.submit(write), done, failed)
