"""The counter's windows, built once (and again when the language changes at sign-in).

The main window with its screens (sign-in, checkout, queue, and the places of
terminal.ui.places, each registered here with its key and the action its role
needs) and status bar, the customer display on a second screen, and the demo panel
when the demo runs. Switching screens is a switch of the stacked widget, so no
screen takes longer to open than to paint.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from terminal import __version__
from terminal.app.device_setup import DeviceChoice
from terminal.app.status import QueueStatus
from terminal.devices.cardreader.driver import CardInserted, CardRemoved
from terminal.devices.device import StateChanged
from terminal.offline import audit
from terminal.offline.record import Txn
from terminal.operators import NotAllowed
from terminal.roles import Action
from terminal.ui.audit_screen import AuditScreen
from terminal.ui.checkout_screen import CheckoutScreen
from terminal.ui.customer_display import CustomerDisplay
from terminal.ui.dayend_screen import DayEndScreen
from terminal.ui.desks import build_desks
from terminal.ui.devices_screen import DevicesScreen
from terminal.ui.history_screen import HistoryScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.places import Opened, Place, ScanSink
from terminal.ui.queue_screen import QueueScreen
from terminal.ui.sentences import sentence
from terminal.ui.signin_screen import SignInScreen
from terminal.ui.status_bar import StatusBar

if TYPE_CHECKING:
    from terminal.ui.counter_app import CounterApp

DEVICES_PLACE = "devices"


class Screens:
    def __init__(self, app: CounterApp, demo_panel: QWidget | None) -> None:
        self.app = app
        self.demo_panel = demo_panel
        self.customer: CustomerDisplay | None = None
        self._operator = ""
        self._desk = app.settings.counter.desk  # counter.desk, or what the demo script chose since
        self.places: dict[str, Place] = {}
        self.devices: DevicesScreen | None = None
        self._build()

    def _build(self) -> None:
        app, till = self.app, self.app.till
        from terminal.ui import language

        self.signin = SignInScreen(sign_in=app.sign_in, set_language=app.set_language, language=language.current(),
                                   institution=f"{app.settings.terminal.fixmedins_name} · "
                                               f"{app.settings.terminal.dev_no} · v{__version__}")
        self.checkout = CheckoutScreen(till, read_card=app.station.read_card, open_queue=self.open_queue,
                                       search=app.search, reprint=app.reprint)
        self.queue = QueueScreen(retry=app.queue.retry, export=app.queue.export, back=self.open_checkout)
        self.status = StatusBar([d.name for d in app.station.devices])
        for device in app.station.devices:
            self.status.show_device(device.status)
        self.status.show_health(app.station.health.health)
        self.status.show_progress(app.station.forwarder.progress)
        self.window = MainWindow(self.signin, self.checkout, self.queue, self.status, lock=app.lock,
                                 sign_out=app.sign_out, reprint=app.reprint, closing=app.close)
        self.places = {}
        self.window.menu.aboutToShow.connect(self._fill_menu)
        self._build_places()
        self.show_operator(self._operator)
        if self.demo_panel is not None:
            self.window.add_demo_panel(self.demo_panel)
        mode = app.settings.counter.customer_display
        if mode == "on" or (mode == "auto" and len(QGuiApplication.screens()) > 1):
            self.customer = CustomerDisplay(till)
        app.refresh_queue()

    def _build_places(self) -> None:
        """The screens beyond checkout and queue, each with its key (see terminal.ui.places)."""
        app = self.app

        self.history = HistoryScreen(app.supervision, back=self.back,
                                     say=lambda text: self.status.showMessage(text, 15_000))
        self.register(Place("history", lambda: QCoreApplication.translate("Screens", "History"), "Ctrl+H",
                            Action.HISTORY, self.history))
        self.dayend = DayEndScreen(app.supervision, institution=app.settings.terminal.fixmedins_name,
                                   back=self.back)
        self.register(Place("day-end", lambda: QCoreApplication.translate("Screens", "Day-end"), "Ctrl+E",
                            Action.DAY_END, self.dayend))
        self.audit = AuditScreen(app.supervision, back=self.back)
        self.register(Place("audit", lambda: QCoreApplication.translate("Screens", "Audit trail"), "Ctrl+Shift+A",
                            Action.AUDIT, self.audit))
        self.devices = DevicesScreen(station=app.station, settings=app.settings, config_file=app.config_file,
                                     main=app.main, setup=app.setup, catalog=lambda: app.till.catalog,
                                     back=self.back)
        self.devices.on_saved = self._config_saved
        self.register(Place(DEVICES_PLACE, lambda: QCoreApplication.translate("Screens", "Devices"), "Ctrl+D",
                            Action.DEVICES, self.devices))
        self.desks = build_desks(self.app, self.back, self._desk)
        if self.desks.home() is not None:  # a pharmacy till has no hospital desks in its menu
            for place in self.desks.places():
                self.register(place)

    def choose_desk(self, desk: str) -> None:
        """Make this counter a pharmacy till or a hospital desk while it runs (the demo script's "desk")."""
        self._desk = desk
        self.desks.desk = desk
        if self.desks.home() is not None and not any(p.name in self.places for p in self.desks.places()):
            for place in self.desks.places():
                self.register(place)
        if self.desks.home() is None:
            self.open_checkout()
        else:
            self.back()

    def _config_saved(self, path: Path | None, choice: DeviceChoice) -> None:
        operator = self.app.session.operator
        self.app.station.audit(audit.Event.CONFIG_CHANGE, operator.opter if operator else "-", subject=str(path),
                               detail={"devices.card_reader.port": choice.card_reader_port,
                                       "devices.serial_scanner.port": choice.scanner_port,
                                       "devices.camera.source": str(choice.camera_source),
                                       "devices.camera.enabled": choice.camera_enabled})

    def register(self, place: Place) -> None:
        self.places[place.name] = place
        self.window.add_screen(place.widget)
        shortcut = QShortcut(QKeySequence(place.keys), self.window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda name=place.name: self.open_place(name))

    def _fill_menu(self) -> None:
        menu = self.window.menu
        menu.clear()
        operator = self.app.session.operator
        for place in self.places.values():
            if operator is not None and operator.can(place.action):
                action = QAction(place.title(), menu)
                action.setShortcut(QKeySequence(place.keys))  # shown beside the title; the QShortcut acts
                action.triggered.connect(lambda _c=False, name=place.name: self.open_place(name))
                menu.addAction(action)
        if menu.isEmpty():
            menu.addAction(QCoreApplication.translate("Screens", "(nothing more for this role)")).setEnabled(False)

    def open_place(self, name: str) -> None:
        """The place's screen, for an operator signed in whose role allows it (else a sentence why not)."""
        place = self.places[name]
        operator = self.app.session.operator
        if operator is None or not self.app.selling() or self.window.current is self.signin:
            return
        if not operator.can(place.action):
            self.status.showMessage(sentence(NotAllowed(operator, place.action)), 10_000)
            return
        self._show_place(place)

    def open_home_place(self, name: str) -> bool:
        """Just signed in (the sign-in screen still on show): a role that does not sell lands on its place,
        the technician on the devices panel. False when there is no such place or the role may not."""
        place = self.places.get(name)
        operator = self.app.session.operator
        if place is None or operator is None or not operator.can(place.action):
            return False
        self._show_place(place)
        return True

    def _show_place(self, place: Place) -> None:
        self.window.show_screen(place.widget)
        if isinstance(place.widget, Opened):
            place.widget.opened()

    def back(self) -> None:
        """Esc on a place: the operator's home screen (checkout, or the queue for a role that does not sell)."""
        operator = self.app.session.operator
        home = self.desks.home()
        if home is not None and operator is not None and operator.can(self.places[home].action):
            place = self.places[home]
            if self.window.current is not place.widget and self.app.selling():
                self.window.show_screen(place.widget)  # also from the sign-in screen, just signed in
                if isinstance(place.widget, Opened):
                    place.widget.opened()
            return
        if operator is not None and operator.can("sell"):
            self.open_checkout()
        else:
            self.open_queue()

    def device_changed(self, event: StateChanged | CardInserted | CardRemoved) -> None:
        """A device's state changed, or a card went in or out: the devices panel shows it (the history is the
        station's)."""
        if self.devices is not None:
            self.devices.device_changed(event)

    def scan_sink(self) -> ScanSink | None:
        """The screen on show when it takes scans and cards itself (a desk, the devices panel); at a hospital
        desk (counter.desk), its desk from any other screen, never the pharmacy sale."""
        current = self.window.current
        if isinstance(current, ScanSink) and current is not self.checkout:
            return current
        home = self.desks.home()
        if home is not None and current is not self.signin:
            self.back()
            if self.window.current is self.places[home].widget:
                return self.desks.sink(home)
        return None

    def show(self) -> None:
        if self.app.kiosk:
            # A counter PC's one job: the whole screen, no title bar to drag, minimise or close it by, kept above
            # anything else; the kiosk session (docs/install.md) has no desktop behind it either.
            self.window.setWindowFlags(self.window.windowFlags() | Qt.WindowType.FramelessWindowHint
                                       | Qt.WindowType.WindowStaysOnTopHint)
            self.window.showFullScreen()
        else:
            self.window.resize(max(self.window.minimumWidth(), 1280), max(self.window.minimumHeight(), 800))
            self.window.show()
        if self.customer is not None:
            screens = QGuiApplication.screens()
            self.customer.place(screens[1] if len(screens) > 1 else None)
            # Where the platform activates every new window, the cashier's window takes the keys back.
            self.window.activateWindow()

    def rebuild(self) -> None:
        """Every widget again, in the language just chosen (at the sign-in screen, so nothing is lost)."""
        old, old_customer = self.window, self.customer
        geometry = old.geometry()
        if self.demo_panel is not None:
            self.demo_panel.setParent(None)
        self.customer = None
        self._build()
        self.window.setGeometry(geometry)
        self.show()
        old.hide()
        old.deleteLater()
        if old_customer is not None:
            old_customer.close()
            old_customer.deleteLater()

    # ----- switching

    def open_signin(self) -> None:
        self.window.show_screen(self.signin)

    def open_checkout(self) -> None:
        operator = self.app.session.operator
        if operator is not None and not operator.can("sell"):
            return  # a role that does not sell stays on the queue screen
        if self.window.current is not self.checkout and self.app.selling():
            self.window.show_screen(self.checkout)
            self.checkout.entry.setFocus()

    def open_queue(self) -> None:
        self.window.show_screen(self.queue)
        self.app.refresh_queue()

    def queue_open(self) -> bool:
        return self.window.current is self.queue

    def show_queue(self, status: QueueStatus, rows: list[Txn] | None) -> None:
        self.queue.show_status(status)
        if rows is not None:
            self.queue.show_rows(rows)

    def show_operator(self, text: str) -> None:
        """The header: where, who (empty when no one is signed in)."""
        self._operator = text
        name = self.app.settings.terminal.fixmedins_name
        self.window.show_operator(f"{name} · {text}" if text else name)

    def role_name(self, role: str) -> str:
        return self.window.role_name(role)
