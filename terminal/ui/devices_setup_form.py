"""The devices panel's setup form: the card reader's port, the serial scanner's port and the camera.

Each is an editable list: the ports pyserial found and the cameras under /dev
(listed on a worker by terminal.app.device_setup), or anything typed (a pty link,
a pyserial URL, a picture folder, a stream URL). F5 lists again, Ctrl+S saves; the
panel does both off the GUI thread and says what happened below the form.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.app.device_setup import DeviceChoice, PortInfo, parse_camera_source, parse_port
from terminal.ui.places import screen_key
from terminal.ui.sentences import INFO
from terminal.ui.style import state_colour


class DeviceSetupForm(QWidget):
    def __init__(self, choice: DeviceChoice, *, refresh: Callable[[], None], save: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card_reader = self._combo()
        self.scanner = self._combo()
        self.camera = self._combo()
        self.camera_on = QCheckBox(self.tr("Read codes with the camera"))
        form = QFormLayout()
        form.addRow(self.tr("Card reader port"), self.card_reader)
        form.addRow(self.tr("Serial scanner port"), self.scanner)
        camera = QHBoxLayout()
        camera.addWidget(self.camera, 1)
        camera.addWidget(self.camera_on)
        form.addRow(self.tr("Camera"), camera)
        self.buttons: dict[str, QPushButton] = {}
        keys = QHBoxLayout()
        for key, label, action in (("F5", self.tr("List ports and cameras"), refresh),
                                   ("Ctrl+S", self.tr("Save to this terminal's configuration"), save)):
            button = QPushButton(f"{key} {label}")
            button.clicked.connect(action)
            keys.addWidget(button)
            screen_key(self, key, action)
            self.buttons[key] = button
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(keys)
        layout.addWidget(self.message)
        self.show_choice(choice)
        # Room for a two-line sentence, kept: a wrapped label makes the form height-for-width, which the
        # column would otherwise squeeze until the lists of ports overlap.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())
        self.setMinimumHeight(layout.minimumSize().height())

    def _combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)  # a pty link or a URL is typed; a listed port is chosen
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMinimumContentsLength(14)
        line = combo.lineEdit()
        if line is not None:  # the style sheet's padded QLineEdit would not fit inside the combo's frame
            line.setStyleSheet("padding: 0px; border: none;")
        combo.setMinimumHeight(combo.fontMetrics().height() + 14)
        return combo

    def show_choice(self, choice: DeviceChoice) -> None:
        self.card_reader.setEditText(choice.card_reader_port or "")
        self.scanner.setEditText(choice.scanner_port or "")
        self.camera.setEditText(str(choice.camera_source))
        self.camera_on.setChecked(choice.camera_enabled)

    def show_found(self, ports: list[PortInfo], cameras: list[PortInfo]) -> None:
        """The lists to choose from; what is typed or chosen now stays."""
        for combo, found in ((self.card_reader, ports), (self.scanner, ports), (self.camera, cameras)):
            text = combo.currentText()
            combo.clear()
            for item in found:
                combo.addItem(f"{item.device}  {item.description}".strip(), item.device)
            combo.setEditText(text)
        if not ports:
            self.say(self.tr("No serial port was found; type the port (a /dev path or a pyserial URL)."), INFO)

    def choice(self) -> DeviceChoice:
        """What the form says; BadInput for a camera left blank."""
        return DeviceChoice(parse_port(self._value(self.card_reader)), parse_port(self._value(self.scanner)),
                            parse_camera_source(self._value(self.camera)), self.camera_on.isChecked())

    @staticmethod
    def _value(combo: QComboBox) -> str:
        # A listed entry shows its description too; what is saved is the device itself.
        index = combo.findText(combo.currentText())
        data = combo.itemData(index) if index >= 0 else None
        return str(data) if data is not None else combo.currentText()

    def say(self, text: str, level: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {state_colour(level)};")
