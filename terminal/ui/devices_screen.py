"""The technician's devices panel (Ctrl+D): see and test each device of this counter.

- Camera: the newest picture with each code outlined, frames per second, decode time
  (terminal.ui.camera_preview).
- Card reader: its state, a test read (F2) and a beep (F4), both answered by the
  reader's own thread through a future, never waited for here.
- Scanners: every code read while the panel is on show, from the serial scanner,
  the keyboard wedge or the camera, and where the counter would have sent it
  (terminal.app.scan_check); nothing is sold.
- Setup: the ports and the camera, listed and saved on the `setup` worker into the
  terminal's configuration file (terminal.app.device_setup); they apply after a restart.
- History: each device's connects and disconnects since start (the station's
  terminal.app.device_history).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.device_history import HistoryEntry
from terminal.app.device_setup import DeviceChoice, PortInfo, cameras, save_device_choice, serial_ports
from terminal.app.scan_check import ScanLog, ScanSource
from terminal.app.station import Station
from terminal.app.status import device_level
from terminal.catalog import Catalog
from terminal.devices.cardreader.driver import CardInserted, CardRemoved
from terminal.devices.cardreader.record import CardRecord
from terminal.devices.device import StateChanged
from terminal.errors import BadInput, TerminalError
from terminal.privacy import mask_id, mask_name
from terminal.settings import Settings
from terminal.ui.camera_preview import CameraPreview
from terminal.ui.devices_setup_form import DeviceSetupForm
from terminal.ui.devices_tables import HistoryTable, ScanTable, clock_time, device_name, state_name
from terminal.ui.language import cashier_text
from terminal.ui.places import screen_key
from terminal.ui.sentences import ERROR, INFO, WARN, sentence
from terminal.ui.style import state_colour
from terminal.ui.tasks import MainThread, Worker

BEEP_TENTHS = 2


class DevicesScreen(QWidget):
    def __init__(self, *, station: Station, settings: Settings, config_file: Path | None, main: MainThread,
                 setup: Worker, catalog: Callable[[], Catalog | None], back: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.station, self.main, self.setup = station, main, setup
        # Told of each choice saved (the audit trail's configuration change).
        self.on_saved: Callable[[Path | None, DeviceChoice], None] | None = None
        self.config_file = config_file
        self._catalog = catalog
        self.scans = ScanLog(station.router)
        self.scan_model = ScanTable()
        self.history_model = HistoryTable()
        self.camera = CameraPreview(station.camera)
        self.form = DeviceSetupForm(DeviceChoice.of(settings), refresh=self.list_ports, save=self.save)
        self.reader_state = QLabel()
        self.reader_state.setWordWrap(True)
        self.card = QLabel(self.tr("No card read yet: insert one, or press F2."))
        self.card.setWordWrap(True)
        self.states = QLabel()
        self.states.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        title = QLabel(self.tr("Devices: see and test this counter's devices"))
        title.setObjectName("headline")
        keys = QHBoxLayout()
        for key, label, action in (("F2", self.tr("Test read"), self.test_read),
                                   ("F4", self.tr("Beep"), self.beep),
                                   ("Esc", self.tr("Back"), back)):
            button = QPushButton(f"{key} {label}")
            button.clicked.connect(action)
            keys.addWidget(button)
            screen_key(self, key, action)
            self.buttons[key] = button
        if station.card_reader is None:
            for key in ("F2", "F4"):
                self.buttons[key].setEnabled(False)
        reader = QVBoxLayout()
        reader.addWidget(self.reader_state)
        reader.addWidget(self.card)
        reader.addLayout(keys)
        scanner_hint = QLabel(self.tr("Scan codes with any scanner: each is listed with where the counter would "
                                      "send it. Nothing is sold here."))
        scanner_hint.setWordWrap(True)
        scanner_hint.setObjectName("small")
        scanners = QVBoxLayout()
        scanners.addWidget(scanner_hint)
        scanners.addWidget(self._table(self.scan_model, stretch=4), 1)
        history = QVBoxLayout()
        history.addWidget(self.states)
        history.addWidget(self._table(self.history_model, stretch=3), 1)
        # Two columns that fit 1024x768: the picture and the setup; the tests and the history.
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._group(self.tr("Camera"), self._only(self.camera)), 1)
        left.addWidget(self._group(self.tr("Ports and camera"), self._only(self.form)))
        right.addWidget(self._group(self.tr("Card reader"), reader))
        right.addWidget(self._group(self.tr("Scanner test"), scanners), 1)
        right.addWidget(self._group(self.tr("Connections"), history), 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(columns, 1)
        self.show_devices()

    @staticmethod
    def _only(widget: QWidget) -> QVBoxLayout:
        box = QVBoxLayout()
        box.addWidget(widget)
        return box

    @staticmethod
    def _group(title: str, inner: QVBoxLayout) -> QGroupBox:
        group = QGroupBox(title)
        group.setLayout(inner)
        group.setMinimumHeight(group.minimumSizeHint().height())  # see DeviceSetupForm: no squeezing
        return group

    @staticmethod
    def _table(model: ScanTable | HistoryTable, *, stretch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().hide()
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the panel, scans to the test
        table.setMinimumHeight(70)  # at 1024x768 the forms above come first; the list scrolls
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    # ----- Opened, ScanSink, ScanTestSink (terminal.ui.places)

    def opened(self) -> None:
        self.setFocus()  # the panel's keys (F2, F4, Esc) work at once, before any click
        self.show_devices()
        self.list_ports()

    def take_scan(self, text: str) -> bool:
        # The app calls take_scan_from, naming the scanner; a caller that cannot name it has only the
        # keyboard wedge's text.
        return self.take_scan_from(text, ScanSource.WEDGE)

    def take_scan_from(self, text: str, source: ScanSource) -> bool:
        self.scans.check(text, source, self._catalog())
        self.scan_model.show(self.scans.checks())
        return True

    def take_refused(self, error: TerminalError, source: ScanSource | None) -> bool:
        if source is None:
            self.show_card(None, error)
        else:
            self.scans.reject(error, source)
            self.scan_model.show(self.scans.checks())
        return True

    def take_card(self, card_no: str, card_sn: str) -> bool:
        self.card.setText(self.tr("A card was inserted and read: card no. %1, serial %2")
                          .replace("%1", mask_id(card_no)).replace("%2", card_sn))
        self.card.setStyleSheet(f"color: {state_colour(INFO)};")
        self._show_reader()
        return True

    # ----- the devices' states and history

    def device_changed(self, event: StateChanged | CardInserted | CardRemoved) -> None:
        if isinstance(event, StateChanged):
            self.show_devices()
        else:
            self._show_reader()  # a card in or out

    def show_devices(self) -> None:
        lines = []
        for device in self.station.devices:
            status = device.status
            colour = state_colour(device_level(status).value)
            reason = f" · {cashier_text(status.reason)}" if status.reason else ""
            count = self.station.device_history.disconnections(device.name)
            lost = self.tr(" · disconnected %n time(s)", "", count) if count else ""
            lines.append(f"<span style='color:{colour}'>●</span> {device_name(device.name)}: "
                         f"{state_name(status.state)}{lost}{reason}")
        self.states.setText(" &nbsp; ".join(lines) if lines else self.tr("No device is configured at this counter."))
        self.history_model.show(self.station.device_history.entries())
        self._show_reader()

    def history(self) -> list[HistoryEntry]:
        return self.history_model.entries

    def _show_reader(self) -> None:
        reader = self.station.card_reader
        if reader is None:
            self.reader_state.setText(self.tr("No card reader is configured at this counter."))
            return
        status = reader.status
        present = {True: self.tr("a card is in the reader"), False: self.tr("no card in the reader"),
                   None: self.tr("card presence not known yet")}[reader.card_present]
        colour = state_colour(device_level(status).value)
        self.reader_state.setText(f"<span style='color:{colour}'>●</span> "
                                  + self.tr("Card reader: %1 · %2").replace("%1", state_name(status.state))
                                  .replace("%2", present))
        self.reader_state.setToolTip(reader.port_label)

    # ----- the card reader: its own thread answers through a future

    def test_read(self) -> None:
        reader = self.station.card_reader
        if reader is None:
            return
        self.card.setText(self.tr("Reading the card…"))
        self.card.setStyleSheet("")
        try:
            future = reader.read_card_async(allow_expired=True)  # a technician may look at an expired card
        except TerminalError as exc:
            self.show_card(None, exc)
            return
        self.main.when_done(future, lambda record: self.show_card(record, None),
                            lambda exc: self.show_card(None, exc))

    def show_card(self, record: CardRecord | None, error: BaseException | None) -> None:
        if record is not None:
            expired = self.tr(" (expired)") if record.is_expired() else ""
            self.card.setText(self.tr("Test read: %1, card no. %2, valid until %3%4")
                              .replace("%1", mask_name(record.name)).replace("%2", mask_id(record.card_no))
                              .replace("%3", record.expiry_date).replace("%4", expired))
            self.card.setStyleSheet(f"color: {state_colour(WARN if expired else INFO)};")
        elif error is not None:
            self.card.setText(sentence(error))
            self.card.setStyleSheet(f"color: {state_colour(WARN)};")
        self._show_reader()

    def beep(self) -> None:
        reader = self.station.card_reader
        if reader is None:
            return
        try:
            future = reader.beep_async(BEEP_TENTHS)
        except TerminalError as exc:
            self.show_beep(exc)
            return
        self.main.when_done(future, lambda _none: self.show_beep(None), self.show_beep)

    def show_beep(self, error: BaseException | None) -> None:
        if error is None:
            self.card.setText(self.tr("The reader beeped at %1.").replace("%1", clock_time(time.time())))
            self.card.setStyleSheet(f"color: {state_colour(INFO)};")
        else:
            self.card.setText(sentence(error))
            self.card.setStyleSheet(f"color: {state_colour(WARN)};")

    # ----- ports and camera: listed and saved on the setup worker

    def list_ports(self) -> None:
        self.setup.run(lambda: (serial_ports(), cameras()), self._found,
                       lambda exc: self.form.say(sentence(exc), WARN))

    def _found(self, found: tuple[list[PortInfo], list[PortInfo]]) -> None:
        self.form.show_found(*found)

    def save(self) -> None:
        try:
            choice = self.form.choice()
        except BadInput as exc:
            self.form.say(sentence(exc), ERROR)
            return
        path = self.config_file
        self.setup.run(lambda: save_device_choice(path, choice), lambda _settings: self._saved(path, choice),
                       lambda exc: self.form.say(sentence(exc), ERROR))

    def _saved(self, path: Path | None, choice: DeviceChoice) -> None:
        if self.on_saved is not None:
            self.on_saved(path, choice)
        self.form.say(self.tr("Saved to %1. The devices use it after the counter is restarted.")
                      .replace("%1", str(path)), INFO)
