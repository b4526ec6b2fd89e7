"""The status bar, always in view: the service, the offline queue against its limits, forwarding, devices.

It words what terminal.app.status decides (the level of each light, the limit
reached) and draws the same three colours as every other screen.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from terminal.app.status import Level, QueueStatus, age_parts, device_level, forwarding_level, service_level
from terminal.devices.device import DeviceState, StateChanged
from terminal.offline.forwarder import Progress
from terminal.offline.health import Health, ServiceState
from terminal.ui import style
from terminal.ui.sale_view import money

COLOURS = {Level.OK: style.GREEN, Level.WARN: style.AMBER, Level.STOP: style.RED, Level.IDLE: style.GREY}


class Light(QLabel):
    def set(self, level: Level, text: str, tooltip: str = "") -> None:
        self.setText(f"<span style='color:{COLOURS[level]}'>●</span> {text}")
        self.setToolTip(tooltip)
        self.setProperty("level", level.value)


class StatusBar(QStatusBar):
    def __init__(self, device_names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.service = Light()
        self.queue = Light()
        self.forwarding = Light()
        self.devices: dict[str, Light] = {name: Light() for name in device_names}
        self.operator = QLabel()
        for widget in (self.service, self.queue, self.forwarding, *self.devices.values()):
            self.addWidget(widget)
        self.addPermanentWidget(self.operator)
        self.show_health(Health(ServiceState.UNKNOWN, None))
        self.show_queue(None)
        self.show_progress(Progress("idle"))
        for name in device_names:
            self.show_device(StateChanged(name, DeviceState.CLOSED, None, None, time.monotonic()))

    def show_health(self, health: Health) -> None:
        words = {ServiceState.ONLINE: self.tr("Service online"), ServiceState.DEGRADED: self.tr("Service slow"),
                 ServiceState.OFFLINE: self.tr("Service offline"),
                 ServiceState.UNKNOWN: self.tr("Service: not yet asked")}
        text = words[health.state]
        if health.state is not ServiceState.ONLINE and health.last_success_at is not None:
            text += " " + self.tr("(last answer %1)").replace(
                "%1", datetime.fromtimestamp(health.last_success_at).strftime("%H:%M"))
        self.service.set(service_level(health), text, health.detail)

    def show_queue(self, status: QueueStatus | None) -> None:
        if status is None or not status.count:
            text = self.tr("Queue empty")
            if status is not None and status.needs_attention:
                text += " · " + self.tr("%n need(s) attention", "", status.needs_attention)
            self.queue.set(Level.IDLE if status is None else status.level, text)
            return
        parts = [self.tr("%n sale(s) queued", "", status.count), "¥" + money(status.amount),
                 self.tr("oldest %1 of %2").replace("%1", self.age(status.oldest_age_s))
                 .replace("%2", self.age(status.max_age_s))]
        if status.needs_attention:
            parts.append(self.tr("%n need(s) attention", "", status.needs_attention))
        limits = {"count": self.tr("the most sales that may wait is reached"),
                  "amount": self.tr("the largest amount that may wait is reached"),
                  "age": self.tr("the oldest sale is near the age limit")}
        tip = limits.get(status.limit, "") if status.level in (Level.WARN, Level.STOP) else ""
        self.queue.set(status.level, " · ".join(parts), tip)

    def age(self, seconds: float | None) -> str:
        parts = age_parts(seconds)
        if parts is None:
            return "-"
        days, hours, minutes = parts
        if days:
            return self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
        if hours:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
        return self.tr("%1 min").replace("%1", str(minutes))

    def show_progress(self, progress: Progress) -> None:
        level = forwarding_level(progress)
        if progress.state == "forwarding":
            text = self.tr("Forwarding: %1 sent, %2 left").replace("%1", str(progress.done)) \
                .replace("%2", str(progress.left))
        elif progress.state == "offline" and progress.left:
            text = self.tr("Forwarding waits for the service")
        elif progress.state == "busy":
            text = self.tr("Another terminal forwards this journal")
        elif progress.state == "stopped":
            text = self.tr("Forwarding stopped")
        elif progress.left:
            text = self.tr("%n to forward", "", progress.left)
        else:
            text = self.tr("All forwarded")
        self.forwarding.set(level, text, progress.last_error or "")

    def show_device(self, status: StateChanged) -> None:
        light = self.devices.get(status.device)
        if light is None:
            return
        names = {"card reader": self.tr("Card reader"), "serial scanner": self.tr("Scanner"),
                 "camera": self.tr("Camera"), "receipt printer": self.tr("Printer")}
        states = {DeviceState.READY: self.tr("ready"), DeviceState.CONNECTING: self.tr("connecting"),
                  DeviceState.LOST: self.tr("lost"), DeviceState.FAILED: self.tr("failed"),
                  DeviceState.CLOSED: self.tr("off")}
        light.set(device_level(status), f"{names.get(status.device, status.device)} {states[status.state]}",
                  status.reason or "")

    def show_operator(self, text: str) -> None:
        self.operator.setText(text)
