"""The hospital desks as places (terminal.ui.places): the outpatient desk and the inpatient desk, each a
screen with its control, its key and the action its role needs. With counter.desk set to outpatient or
inpatient, that desk is the clerk's home screen: signed in, Esc, a scan or a card lead there."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from terminal.domain import CatalogItem
from terminal.offline.record import Txn
from terminal.roles import Action
from terminal.ui.desk_control import DeskControl
from terminal.ui.desk_screen import DeskScreen
from terminal.ui.inpatient_screen import InpatientScreen
from terminal.ui.outpatient_screen import OutpatientScreen
from terminal.ui.places import Place

if TYPE_CHECKING:
    from terminal.ui.counter_app import CounterApp

OUTPATIENT, INPATIENT = "outpatient", "inpatient"


class Desks:
    def __init__(self, app: CounterApp, back: Callable[[], None], desk: str) -> None:
        self.app = app
        self.desk = desk  # counter.desk: pharmacy, outpatient or inpatient
        self.controls: dict[str, DeskControl] = {}
        self.screens: dict[str, DeskScreen] = {}
        for kind, screen_type in ((OUTPATIENT, OutpatientScreen), (INPATIENT, InpatientScreen)):
            control = DeskControl(kind, app.station, app.session, app.network, app.main,
                                  app.settings.counter.fee_batch)
            self.controls[kind] = control
            self.screens[kind] = screen_type(control, read_card=app.station.read_card, back=back,
                                             receipt=self._receipt, item_of=self._item)

    def _receipt(self, txn: Txn, tendered: Decimal | None) -> None:
        self.app.receipts.sale_done(txn, tendered)

    def _item(self, code: str) -> CatalogItem | None:
        catalog = self.app.till.catalog
        return catalog.get(code) if catalog is not None else None

    def places(self) -> list[Place]:
        return [
            Place(OUTPATIENT, lambda: QCoreApplication.translate("Desks", "Outpatient desk"), "Ctrl+O",
                  Action.OUTPATIENT_DESK, self.screens[OUTPATIENT]),
            Place(INPATIENT, lambda: QCoreApplication.translate("Desks", "Admission and discharge desk"), "Ctrl+I",
                  Action.INPATIENT_DESK, self.screens[INPATIENT]),
        ]

    def home(self) -> str | None:
        """The desk this counter is (counter.desk), or None for a pharmacy till."""
        return self.desk if self.desk in self.screens else None

    def sink(self, name: str) -> DeskScreen:
        return self.screens[name]


def build_desks(app: CounterApp, back: Callable[[], None], desk: str) -> Desks:
    return Desks(app, back, desk)
