"""The counter's window: the screens (sign-in, checkout, queue and the places), the status bar, the lock.

It switches screens and shows what the counter (terminal.ui.counter_app) tells it;
it holds no rule of its own. Every screen is built once at start-up, so opening
one is a switch of the stacked widget, never a build.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.ui.checkout_screen import CheckoutScreen
from terminal.ui.queue_screen import QueueScreen
from terminal.ui.signin_screen import SignInScreen
from terminal.ui.status_bar import StatusBar

MIN_WIDTH, MIN_HEIGHT = 1024, 700


class MainWindow(QMainWindow):
    def __init__(self, signin: SignInScreen, checkout: CheckoutScreen, queue: QueueScreen, status: StatusBar, *,
                 lock: Callable[[], None], sign_out: Callable[[], None], reprint: Callable[[], None],
                 closing: Callable[[], None]) -> None:
        super().__init__()
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        self.signin, self.checkout, self.queue, self.status = signin, checkout, queue, status
        self._closing = closing
        self.stack = QStackedWidget()
        for screen in (signin, checkout, queue):
            self.stack.addWidget(screen)
        self.operator = QLabel()
        self.operator.setObjectName("small")
        self.clock = QLabel()
        self.clock.setObjectName("small")
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(15_000)
        self._tick()
        self.lock_button = QPushButton()
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.clicked.connect(lock)
        self.reprint_button = QPushButton()
        self.reprint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reprint_button.clicked.connect(reprint)
        self.sign_out_button = QPushButton()
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_out_button.clicked.connect(sign_out)
        # The other screens (terminal.ui.places): filled by the screens for the operator signed in.
        self.menu = QMenu(self)
        self.menu_button = QPushButton()
        self.menu_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.menu_button.setMenu(self.menu)
        header = QHBoxLayout()
        header.addWidget(self.operator, 1)
        header.addWidget(self.clock)
        header.addWidget(self.menu_button)
        header.addWidget(self.reprint_button)
        header.addWidget(self.lock_button)
        header.addWidget(self.sign_out_button)
        self.header = QWidget()
        self.header.setLayout(header)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.setStatusBar(status)
        for keys, action in (("Ctrl+L", lock), ("Ctrl+Shift+Q", sign_out)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda a=action: a() if self.stack.currentWidget() is not self.signin
                                       else None)
        self.retranslate()
        self.show_screen(signin)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Counter terminal: medical insurance checkout"))
        self.menu_button.setText(self.tr("Screens"))
        self.lock_button.setText(self.tr("Ctrl+L Lock"))
        self.reprint_button.setText(self.tr("Ctrl+P Reprint receipt"))
        self.sign_out_button.setText(self.tr("Ctrl+Shift+Q Sign out"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def add_screen(self, screen: QWidget) -> None:
        self.stack.addWidget(screen)

    def show_screen(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)
        self.header.setVisible(screen is not self.signin)
        screen.setFocus()

    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    def show_operator(self, text: str) -> None:
        self.operator.setText(text)

    def _tick(self) -> None:
        self.clock.setText(datetime.now().strftime("%Y-%m-%d %H:%M"))

    def role_name(self, role: str) -> str:
        names = {"cashier": self.tr("cashier"), "supervisor": self.tr("supervisor"),
                 "technician": self.tr("technician")}
        return names.get(role, role)

    def add_demo_panel(self, panel: QWidget) -> None:
        dock = QDockWidget(self.tr("Demo panel"), self)
        dock.setObjectName("demo")
        dock.setWidget(panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing()
        super().closeEvent(event)
