"""Sign-in and the locked screen: operator number, PIN, and the language of the counter.

The same screen locks the counter after the idle time: the signed-in operator's
number stays filled in and their PIN opens it again (another operator may sign in
instead). The PIN is checked on a worker (scrypt takes a tenth of a second); the
screen waits with its button disabled and never blocks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.ui import style

LANGUAGE_NAMES = (("zh_CN", "中文"), ("en", "English"))


class SignInScreen(QWidget):
    def __init__(self, *, sign_in: Callable[[str, str], None], set_language: Callable[[str], None],
                 language: str, institution: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sign_in = sign_in
        self._set_language = set_language
        self.institution = QLabel(institution)
        self.institution.setObjectName("small")
        self.title = QLabel()
        self.title.setObjectName("headline")
        self.opter = QLineEdit()
        self.opter.setMaxLength(30)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(32)
        self.button = QPushButton()
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("headline")
        self.languages = QButtonGroup(self)
        self.language_buttons: dict[str, QPushButton] = {}
        lang_row = QHBoxLayout()
        for code, name in LANGUAGE_NAMES:
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(code == language)
            button.clicked.connect(lambda _checked=False, c=code: self._set_language(c))
            self.languages.addButton(button)
            self.language_buttons[code] = button
            lang_row.addWidget(button)
        lang_row.addStretch(1)
        box = QFrame()
        box.setObjectName("panel")
        box.setMaximumWidth(520)
        self.form = QFormLayout(box)
        self.opter_label = QLabel()
        self.pin_label = QLabel()
        self.form.addRow(self.institution)
        self.form.addRow(self.title)
        self.form.addRow(self.opter_label, self.opter)
        self.form.addRow(self.pin_label, self.pin)
        self.form.addRow(self.button)
        self.form.addRow(self.message)
        self.form.addRow(lang_row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.opter.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.locked_by: str | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.opter_label.setText(self.tr("Operator number"))
        self.pin_label.setText(self.tr("PIN"))
        if self.locked_by:
            self.title.setText(self.tr("Locked: %1, type your PIN to go on").replace("%1", self.locked_by))
            self.button.setText(self.tr("Unlock (Enter)"))
        else:
            self.title.setText(self.tr("Sign in"))
            self.button.setText(self.tr("Sign in (Enter)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_signed_out(self) -> None:
        self.locked_by = None
        self.opter.clear()
        self.pin.clear()
        self.opter.setReadOnly(False)
        self.retranslate()
        self.opter.setFocus()

    def show_locked(self, opter: str, who: str) -> None:
        self.locked_by = who
        self.opter.setText(opter)
        self.pin.clear()
        self.retranslate()
        self.say("")
        self.pin.setFocus()

    def submit(self) -> None:
        opter, pin = self.opter.text().strip(), self.pin.text()
        if not opter:
            self.say(self.tr("Type your operator number, then press Enter."), "warn")
            self.opter.setFocus()
            return
        if not pin:
            self.say(self.tr("Type your PIN, then press Enter."), "warn")
            self.pin.setFocus()
            return
        self.button.setEnabled(False)
        self.say(self.tr("Checking…"), "info")
        self._sign_in(opter, pin)

    def failed(self, sentence: str) -> None:
        self.button.setEnabled(True)
        self.pin.clear()
        self.pin.setFocus()
        self.say(sentence, "error")

    def done(self) -> None:
        self.button.setEnabled(True)
        self.pin.clear()
        self.say("")

    def say(self, text: str, level: str = "info") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {style.state_colour(level)};")

    def set_language_checked(self, language: str) -> None:
        for code, button in self.language_buttons.items():
            button.setChecked(code == language)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        (self.pin if self.locked_by else self.opter).setFocus(Qt.FocusReason.OtherFocusReason)
