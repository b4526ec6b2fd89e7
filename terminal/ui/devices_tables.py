"""The devices panel's two lists: the scanner test's codes and how each was routed, and each device's history.

They word what the core decided (terminal.app.scan_check, terminal.app.device_history)
in the technician's language; no rule lives here.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from terminal.app.device_history import HistoryEntry
from terminal.app.scan_check import Routed, ScanCheck, ScanSource
from terminal.devices.device import DeviceState
from terminal.ui.language import cashier_text
from terminal.ui.sentences import sentence
from terminal.ui.text_table import TextTable


def clock_time(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


def device_name(name: str) -> str:
    return {"card reader": QCoreApplication.translate("Devices", "Card reader"),
            "serial scanner": QCoreApplication.translate("Devices", "Serial scanner"),
            "camera": QCoreApplication.translate("Devices", "Camera"),
            "receipt printer": QCoreApplication.translate("Devices", "Printer")}.get(name, name)


def state_name(state: DeviceState) -> str:
    return {DeviceState.READY: QCoreApplication.translate("Devices", "connected"),
            DeviceState.CONNECTING: QCoreApplication.translate("Devices", "connecting"),
            DeviceState.LOST: QCoreApplication.translate("Devices", "disconnected"),
            DeviceState.FAILED: QCoreApplication.translate("Devices", "failed"),
            DeviceState.CLOSED: QCoreApplication.translate("Devices", "closed")}[state]


class ScanTable(TextTable):
    def headers(self) -> tuple[str, ...]:
        return (self.tr("Time"), self.tr("Scanner"), self.tr("Code"), self.tr("Routed as"), self.tr("What"))

    def __init__(self) -> None:
        super().__init__()
        self.checks: list[ScanCheck] = []

    def show(self, checks: list[ScanCheck]) -> None:
        self.checks = checks
        self.set_cells([self._row(c) for c in checks])

    def source_name(self, source: ScanSource) -> str:
        return {ScanSource.SERIAL: self.tr("serial scanner"), ScanSource.WEDGE: self.tr("keyboard wedge"),
                ScanSource.CAMERA: self.tr("camera")}[source]

    def routed_name(self, routed: Routed) -> str:
        return {Routed.VOUCHER: self.tr("e-voucher"), Routed.DRUG_BARCODE: self.tr("drug barcode"),
                Routed.TRACEABILITY: self.tr("traceability code"), Routed.REJECTED: self.tr("rejected")}[routed]

    def what(self, check: ScanCheck) -> str:
        if check.problem is not None:
            return sentence(check.problem)
        if check.routed is Routed.VOUCHER:
            signed = self.tr("signature checked") if check.verified else self.tr("signature not checked")
            return self.tr("person %1, %2").replace("%1", check.person or "").replace("%2", signed)
        if check.routed is Routed.TRACEABILITY:
            return self.tr("goes to its box's line")
        if not check.catalog_loaded:
            return self.tr("a drug barcode (the price list is not loaded yet)")
        return check.drug or self.tr("not in the drug catalog")

    def _row(self, check: ScanCheck) -> tuple[str, ...]:
        return (clock_time(check.at), self.source_name(check.source), check.shown,
                self.routed_name(check.routed), self.what(check))


class HistoryTable(TextTable):
    def headers(self) -> tuple[str, ...]:
        return (self.tr("Time"), self.tr("Device"), self.tr("State"), self.tr("Reason"), self.tr("Detail"))

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[HistoryEntry] = []

    def show(self, entries: list[HistoryEntry]) -> None:
        self.entries = entries
        self.set_cells([(clock_time(e.at), device_name(e.device), state_name(e.state),
                         _reason(e.reason), e.detail or "") for e in entries])


def _reason(reason: str | None) -> str:
    return cashier_text(reason) if reason else ""  # the device's English sentence, in the technician's language
