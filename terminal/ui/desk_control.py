"""A hospital desk's glue: the clerk's keys to the core desk (terminal.offline.hospital_desk) on the network
worker, its answers back as signals. Holds what the screen shows (the patient, the visit, the fees typed
but not yet uploaded, the pre-settlement) and no rule: the core says what may be done.

Every call goes to the `network` worker in the clerk's order; the GUI thread never waits. A fee upload
reports its progress batch by batch through MainThread.call, so a 1,000-line stay moves a bar while the
service answers, and the window stays responsive (bench/ui_stall.py measures it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from terminal.app import supervision
from terminal.app.session import Session
from terminal.app.station import Station
from terminal.client import OutcomeUnknown
from terminal.config import config_path
from terminal.errors import BadInput
from terminal.fee_list import FeeLine, check_rows, read_fee_file
from terminal.offline.hospital_desk import HospitalDesk
from terminal.offline.identity import Identity
from terminal.offline.record import Txn
from terminal.offline.states import IN_FLIGHT
from terminal.offline.visits import Visit
from terminal.pharmacy_sale import Buyer
from terminal.roles import Action
from terminal.ui.sentences import ERROR, INFO, WARN, NotStarted, sentence
from terminal.ui.tasks import MainThread, Worker

T = TypeVar("T")
log = logging.getLogger(__name__)


class NoVisit(BadInput):
    def __init__(self) -> None:
        super().__init__("No visit is open: identify the patient (card or e-voucher) first.")


class DeskControl(QObject):
    changed = Signal()  # the patient, the visit, the pending fees or the split changed: redraw
    message = Signal(str, str)  # a sentence for the clerk and its level
    progress = Signal(int, int)  # fees uploaded, fees to upload
    settled = Signal(object)  # the settlement's journal row: its receipt

    def __init__(self, kind: str, station: Station, session: Session, network: Worker, main: MainThread,
                 batch_size: int) -> None:
        super().__init__()
        self.kind, self.station, self.session, self.network, self.main = kind, station, session, network, main
        self.batch_size = batch_size
        self.identity: Identity | None = None
        self.visits: list[Visit] = []  # the patient's visits of this kind, newest first
        self.visit: Visit | None = None
        self.pending: list[FeeLine] = []  # typed or imported, not uploaded yet
        self.quote: Txn | None = None  # the pre-settled settlement row
        self.result: Txn | None = None  # the settlement just made
        self.busy = False
        self.acct_used = True
        self.last_message = ""

    # ----- plumbing

    def desk(self) -> HospitalDesk:
        """The core desk for the operator signed in (on the network worker, once the journal is open)."""
        checkout = self.station.checkout
        if checkout is None:
            raise NotStarted()
        operator = self.session.operator
        return HospitalDesk(checkout, self.station.journal, self.station.client, batch_size=self.batch_size,
                            operator=operator.opter if operator else self.station.settings.terminal.opter)

    def run(self, what: str, job: Callable[[HospitalDesk], T], done: Callable[[T], None]) -> None:
        """`job` on the network worker (after the service sign-in the session still owes)."""
        operator = self.session.operator
        action = Action.OUTPATIENT_DESK if self.kind == "outpatient" else Action.INPATIENT_DESK
        if operator is not None and not operator.can(action):
            return
        if self.busy:
            self.say(self.tr("Wait: the service is still answering the last step."), WARN)
            return
        self.busy = True
        self.say(what, INFO)
        self.changed.emit()

        def work() -> T:
            self.session.ensure_service_sign_in()
            return job(self.desk())

        def finished(result: T) -> None:
            self.busy = False
            done(result)
            self.changed.emit()

        self.network.run(work, finished, self.failed)

    def cancel_settlement(self, opter: str, pin: str, reason: str, done: Callable[[Txn], None],
                          refused: Callable[[BaseException], None]) -> None:
        """2208 / 2305 of the visit's settlement, approved by a supervisor's number, PIN and reason (checked,
        journaled and audited as every reversal: terminal.app.supervision)."""
        visit = self.visit
        operator = self.session.operator
        if visit is None or operator is None:
            refused(NoVisit())
            return
        station = self.station

        def work() -> tuple[Txn, Visit | None]:
            self.session.ensure_service_sign_in()
            desk = self.desk()
            settlement = desk.standing_settlement(visit)
            owner = station.checkout.owner if station.checkout is not None else None
            row = supervision.reverse(self.session.book, station.journal, station.client,
                                      original_id=settlement.local_id, asked_by=operator.opter, opter=opter,
                                      pin=pin, reason=reason, owner=owner)
            return row, self._read_back(desk, visit)

        def answered(found: tuple[Txn, Visit | None]) -> None:
            # The visit is read back on the same worker call, so no key pressed after the answer sees the
            # visit as it was before it.
            row, after = found
            self._show_or_refresh(after)
            done(row)
            self.changed.emit()

        self.network.run(work, answered, refused)

    def failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, OutcomeUnknown):
            self.say(self.tr("%1 F12 asks the service again.").replace("%1", sentence(exc)), ERROR)
            self.refresh()
        else:
            self.say(sentence(exc), ERROR if not isinstance(exc, BadInput) else WARN)
        self.changed.emit()

    def say(self, text: str, level: str = INFO) -> None:
        self.last_message = text
        self.message.emit(text, level)

    def _need_visit(self) -> Visit | None:
        if self.visit is None:
            self.say(sentence(NoVisit()), WARN)
        return self.visit

    @staticmethod
    def _read_back(desk: HospitalDesk, visit: Visit) -> Visit | None:
        """The visit after a step that moved money, on the worker: None when the journal cannot be read, so
        the settlement or cancel the service made is still reported (and its receipt printed)."""
        try:
            return desk.reload(visit)
        except Exception:
            log.exception("reading visit %s back failed", visit.mdtrt_id)
            return None

    def _show_or_refresh(self, visit: Visit | None) -> None:
        if visit is not None:
            self._show(visit)
        else:
            self.refresh()  # says why when the journal still cannot be read

    def _show(self, visit: Visit) -> None:
        self.visit = visit
        self.visits = [visit if v.root.local_id == visit.root.local_id else v for v in self.visits]
        if visit.root.local_id not in {v.root.local_id for v in self.visits}:
            self.visits.insert(0, visit)
        if self.quote is not None and self.quote.refers_to == visit.root.local_id and visit.in_doubt:
            self.quote = None

    # ----- the patient

    def identify(self, buyer: Buyer) -> None:
        def identified(found: tuple[Identity, list[Visit]]) -> None:
            self.identity, visits = found
            self.visits = visits
            self.visit = next((v for v in visits if v.open or v.in_doubt), None)
            self.pending, self.quote, self.result = [], None, None
            if self.visit is not None and self.visit.in_doubt:
                self.say(self.tr("A message of this visit has an unknown outcome: F12 asks the service."), ERROR)
            elif self.visit is not None:
                self.say(self.tr("Patient identified; the open visit %1 is shown.").replace(
                    "%1", self.visit.mdtrt_id), INFO)
            else:
                self.say(self.tr("Patient identified: fill in the form, then F4."), INFO)

        self.run(self.tr("Identifying the patient…"), lambda d: d.identify(buyer, self.kind), identified)

    def refresh(self) -> None:
        visit = self.visit
        if visit is None:
            return
        def shown(v: Visit) -> None:
            self._show(v)
            self.changed.emit()

        self.network.run(lambda: self.desk().reload(visit), shown, lambda exc: self.say(sentence(exc), WARN))

    def clear(self) -> None:
        """Esc with nothing in flight: the next patient."""
        if self.busy:
            self.say(self.tr("Wait: the service is still answering the last step."), WARN)
            return
        self.identity, self.visits, self.visit, self.pending = None, [], None, []
        self.quote = self.result = None
        self.say(self.tr("Next patient: read the card or scan the e-voucher."), INFO)
        self.changed.emit()

    def check_again(self) -> None:
        visit = self._need_visit()
        if visit is None:
            return
        if not visit.in_doubt:
            self.say(self.tr("Nothing of this visit is in doubt."), INFO)
            return

        def resolved(v: Visit) -> None:
            self._resolved(visit, v)
            self.say(self.tr("The service answered: the visit is up to date."), INFO)

        self.run(self.tr("Asking the service again…"), lambda d: d.resolve(visit), resolved)

    def _resolved(self, before: Visit, after: Visit) -> None:
        """The visit once its messages in doubt were answered: a settlement among them prints its receipt."""
        self._show(after)
        doubted = {row.local_id for row in before.in_doubt}
        for row in after.settlements:
            if row.local_id in doubted:
                self.result, self.quote = row, None
                self.settled.emit(row)

    def journal_changed(self, txn: Txn) -> None:
        """A step committed elsewhere: the forwarder answered a message of this visit that was in doubt."""
        visit = self.visit
        if visit is None or txn.state in IN_FLIGHT or self.busy:
            return
        if txn.local_id not in {row.local_id for row in visit.in_doubt}:
            return

        def shown(after: Visit) -> None:
            self._resolved(visit, after)
            self.say(self.tr("The service answered: the visit is up to date."), INFO)
            self.changed.emit()

        self.network.run(lambda: self.desk().reload(visit), shown, lambda exc: self.say(sentence(exc), WARN))

    # ----- steps of the visit

    def open_visit(self, form: Any) -> None:
        identity = self.identity
        if identity is None:
            self.say(self.tr("Identify the patient first: read the card (F2) or scan the e-voucher."), WARN)
            return
        if self.visit is not None and self.visit.open:
            self.say(self.tr("This patient already has an open visit (%1).").replace("%1", self.visit.mdtrt_id),
                     WARN)
            return

        def opened(visit: Visit) -> None:
            self._show(visit)
            self.say(self.tr("Done: visit %1. Enter or import the fees, then F7 uploads them.")
                     .replace("%1", visit.mdtrt_id), INFO)

        if self.kind == "outpatient":
            self.run(self.tr("Registering…"), lambda d: d.register(identity, form), opened)
        else:
            self.run(self.tr("Admitting…"), lambda d: d.admit(identity, form), opened)

    def add_fee(self, code: str, cnt_text: str) -> None:
        visit = self._need_visit()
        if visit is None:
            return
        try:
            cnt = Decimal(cnt_text.strip() or "1")
        except ArithmeticError:
            self.say(self.tr("The quantity must be a number, such as 2 or 0.5."), WARN)
            return
        taken = set(visit.fees) | {line.feedetl_sn for line in self.pending}
        n = len(taken) + 1
        while f"E{n:04d}" in taken:
            n += 1
        serial = f"E{n:04d}"

        def priced(line: FeeLine) -> None:
            self.pending.append(line)
            self.say(self.tr("Fee added; F7 uploads the %n fee(s) waiting.", "", len(self.pending)), INFO)

        def price(d: HospitalDesk) -> FeeLine:
            return check_rows([{"feedetl_sn": serial, "med_list_codg": code.strip(), "cnt": str(cnt)}],
                              d.checkout.prices()[0], source=self.tr("entry"))[0]

        self.run(self.tr("Looking up the price…"), price, priced)

    def import_file(self, path: str) -> None:
        if self._need_visit() is None:
            return

        def read(lines: list[FeeLine]) -> None:
            self.pending = lines
            self.say(self.tr("%n fee(s) read from the file; F7 uploads them.", "", len(lines)), INFO)

        def parse(d: HospitalDesk) -> list[FeeLine]:
            file = Path(path).expanduser()
            if not file.is_absolute() and not file.exists() and config_path(file.name).exists():
                file = config_path(file.name)  # a shipped list named as in the docs (config/sample-stay.csv)
            return read_fee_file(file, d.checkout.prices()[0])

        self.run(self.tr("Reading the fee list…"), parse, read)

    def upload(self) -> None:
        visit = self._need_visit()
        if visit is None:
            return
        if not self.pending:
            self.say(self.tr("No fees are waiting: enter a fee (F5) or import a fee list (F6)."), WARN)
            return
        lines = list(self.pending)
        self.progress.emit(0, len(lines))

        def report(done: int, total: int) -> None:
            self.main.call(lambda: self.progress.emit(done, total))

        def uploaded(result: tuple[Visit, int]) -> None:
            visit, skipped = result
            self._show(visit)
            self.pending, self.quote = [], None
            self.progress.emit(len(lines), len(lines))
            text = self.tr("%n fee(s) on the visit, all uploaded.", "", len(visit.fees))
            if skipped:
                text += " " + self.tr("%n were uploaded before and were skipped.", "", skipped)
            self.say(text, INFO)

        self.run(self.tr("Uploading the fees…"), lambda d: d.upload(visit, lines, progress=report), uploaded)

    def presettle(self) -> None:
        visit, identity = self._need_visit(), self.identity
        if visit is None or identity is None:
            return

        def quoted(row: Txn) -> None:
            self.quote = row
            self.say(self.tr("Pre-settled: the split is shown. Type the cash received, then F10."), INFO)

        acct_used = self.acct_used
        self.run(self.tr("Pre-settling…"), lambda d: d.presettle(visit, identity, acct_used=acct_used), quoted)

    def settle(self) -> None:
        visit, quote = self._need_visit(), self.quote
        if visit is None:
            return
        if quote is None:
            self.say(self.tr("Pre-settle first (F9): the split must be seen before settling."), WARN)
            return

        def settled(d: HospitalDesk) -> tuple[Txn, Visit | None]:
            row = d.settle(visit, quote)
            return row, self._read_back(d, visit)

        def done(found: tuple[Txn, Visit | None]) -> None:
            # The visit with its settlement is shown before the receipt starts, so Ctrl+F10 pressed as soon as
            # the receipt is out finds the settlement it cancels (it used to arrive with a later reload).
            row, after = found
            self._show_or_refresh(after)
            self.result, self.quote = row, None
            self.say(self.tr("Settled: the receipt is printing."), INFO)
            self.settled.emit(row)

        self.run(self.tr("Settling…"), settled, done)

    def step(self, what: str, job: Callable[[HospitalDesk, Visit], Visit], said: str) -> None:
        """A step of the visit that moves no money (discharge, a cancel): the visit as it is after it."""
        visit = self._need_visit()
        if visit is None:
            return

        def done(v: Visit) -> None:
            self._show(v)
            self.quote = None
            self.say(said, INFO)

        self.run(what, lambda d: job(d, visit), done)

    def toggle_account(self) -> None:
        self.acct_used = not self.acct_used
        self.quote = None  # the split no longer holds
        self.changed.emit()
