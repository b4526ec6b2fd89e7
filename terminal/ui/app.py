"""Opening the counter application: Qt, the look, the language, the station, the screens.

`open_counter` builds everything and shows the sign-in screen without waiting for
any I/O (the journal opens and the devices start on the network worker), so the
counter is ready to sign in within moments of start; `run_counter` adds the event
loop and the orderly close (9002, the forwarder's lease, the journal).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from terminal.app.session import Session
from terminal.app.station import Station
from terminal.catalog_search import load_pinyin
from terminal.operators import OperatorBook
from terminal.settings import Settings
from terminal.ui import language, style
from terminal.ui.counter_app import CounterApp
from terminal.ui.qt_log import log_qt_messages


def qt_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up for a counter: high-DPI safe, large readable type, the CJK font."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (125 %, 150 %) as they are: rounding would make the type too small or big.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName("counter-terminal")
    app.setOrganizationName("counter-terminal")
    app.setFont(style.base_font())
    app.setStyleSheet(style.STYLE_SHEET)
    return app


def open_counter(settings: Settings, *, station: Station | None = None, demo_panel: QWidget | None = None,
                 argv: list[str] | None = None, config_file: Path | None = None, kiosk: bool = False) -> CounterApp:
    """The counter's windows on screen, the sign-in screen first; the station starts in the background.
    `kiosk`: full screen without a window frame, as the counter-terminal service runs it."""
    app = qt_application(argv)
    language.install(app, settings.counter.language)
    load_pinyin()
    station = station or Station.from_settings(settings)
    session = Session(OperatorBook.from_settings(settings), station,
                      idle_lock_s=settings.operators.idle_lock_minutes * 60.0)
    counter = CounterApp(station, session, settings, demo_panel=demo_panel, config_file=config_file, kiosk=kiosk)
    counter.start()
    return counter


def run_counter(settings: Settings, *, station: Station | None = None, demo_panel: QWidget | None = None,
                then: Callable[[CounterApp], None] | None = None, config_file: Path | None = None,
                kiosk: bool = False) -> int:
    """Open the counter and run it until its window closes (or SIGINT/SIGTERM); the exit code. `config_file`
    is the terminal's own configuration file, where the devices panel saves a technician's choices."""
    log_qt_messages()
    counter = open_counter(settings, station=station, demo_panel=demo_panel, config_file=config_file, kiosk=kiosk)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)
    _quit_on_signals(app)
    if then is not None:
        QTimer.singleShot(0, lambda: then(counter))
    try:
        return int(app.exec())
    finally:
        counter.close()


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or a service manager's TERM closes the counter as its window would (9002, journal closed)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: a timer gives it the chance while Qt waits.
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)
