"""A supervisor's approval at the counter: their number, their PIN and the reason, typed where the clerk stands.

Shown inside the screen that asks (history for a reversal, day-end for an override),
never as a modal dialog: the counter keeps drawing and the scanner keeps working. The
check itself (PIN, role, wrong-PIN counts, the audit row) is the core's
(terminal.app.supervision), run by the screen's owner on a worker; this form only
collects the three fields and shows the sentence that comes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


class ApprovalForm(QGroupBox):
    def __init__(self, *, confirm: Callable[[str, str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._confirm = confirm
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.opter = QLineEdit()
        self.opter.setMaxLength(10)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("warn")
        self.ok = QPushButton()
        self.ok.clicked.connect(self.submit)
        self.cancel = QPushButton()
        self.cancel.clicked.connect(self.close_form)
        form = QFormLayout(self)
        form.addRow(self.what)
        self._labels = (QLabel(), QLabel(), QLabel())
        for label, field in zip(self._labels, (self.opter, self.pin, self.reason), strict=True):
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ok)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        form.addRow(buttons)
        form.addRow(self.message)
        for field in (self.opter, self.pin):
            field.returnPressed.connect(self.focusNextChild)
        self.reason.returnPressed.connect(self.submit)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Supervisor's approval"))
        for label, text in zip(self._labels, (self.tr("Supervisor number"), self.tr("PIN"), self.tr("Reason")),
                               strict=True):
            label.setText(text)
        self.ok.setText(self.tr("Approve"))
        self.cancel.setText(self.tr("Cancel"))

    def ask(self, what: str, reason: str = "") -> None:
        """Show the form for `what` (a sentence: what will be done), empty but for a suggested reason."""
        self.what.setText(what)
        self.opter.clear()
        self.pin.clear()
        self.reason.setText(reason)
        self.message.clear()
        self.ok.setEnabled(True)
        self.show()
        self.opter.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if not self.isVisible() or not self.ok.isEnabled():
            return
        self.ok.setEnabled(False)  # one check at a time; the answer enables it again
        self.message.clear()
        self._confirm(self.opter.text(), self.pin.text(), self.reason.text())

    def refused(self, text: str) -> None:
        """The check said no (a wrong PIN, a role that may not, no reason): the sentence, the PIN cleared."""
        self.message.setText(text)
        self.pin.clear()
        self.ok.setEnabled(True)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_form(self) -> None:
        self.pin.clear()
        self.hide()
