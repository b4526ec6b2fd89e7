"""The outpatient desk: registration (2201) with department and doctor, fees entered or imported and
uploaded (2204), pre-settlement (2206) and settlement (2207) with cash and receipt, and the cancels (2205
fees, 2202 registration, 2208 settlement). The shared screen is terminal.ui.desk_screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from terminal.ui.desk_screen import DeskScreen
from terminal.visit_messages import Registration


class OutpatientScreen(DeskScreen):
    def title(self) -> str:
        return self.tr("Outpatient desk: registration and payment")

    def form(self) -> QWidget:
        self.department = QLineEdit()
        self.department.setPlaceholderText(self.tr("code and name, such as A03 内科"))
        self.doctor = QLineEdit()
        self.doctor.setPlaceholderText(self.tr("code and name, such as D012 李医生"))
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("the hospital's outpatient number"))
        return self.form_grid([(self.tr("Department"), self.department), (self.tr("Doctor"), self.doctor),
                               (self.tr("Outpatient no."), self.number)])

    def form_value(self) -> Registration:
        return Registration(self.department.text(), self.doctor.text(), self.number.text())
