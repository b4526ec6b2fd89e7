"""The doctor's device checks: the card reader answers STATUS, the scanner and camera open, the printer says
how it is.

Each device is made exactly as the counter makes it (the *_from_settings
functions) and run through its own owner thread, so the doctor sees the port,
the pyserial URL and the reopen rules the counter sees. A device that does not
open at once is given a few seconds (a USB adapter still enumerating), and its
own sentence says why not; it is always closed again, so the doctor holds no
port the counter then finds busy.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from terminal.app.doctor import Check, Context, Finding, failed, ok, sentence, warning
from terminal.devices.device import DeviceState, StateChanged
from terminal.errors import TerminalError
from terminal.settings import Settings

OPEN_TIMEOUT_S = 5.0
# The camera's frame rate is measured over about this long once it delivers.
FPS_WINDOW_S = 1.2
POLL_S = 0.05


def _settings(context: Context) -> Settings:
    assert context.settings is not None
    return context.settings


def wait_open(status: Callable[[], StateChanged], timeout_s: float = OPEN_TIMEOUT_S) -> StateChanged:
    """The device's status once READY or FAILED, once an attempt to open failed, or at the deadline.

    Polled, not waited on with the device's condition: the doctor needs nothing but the state. A device
    whose attempt to open failed stays CONNECTING with the reason while it retries; the first such reason
    is the verdict (as `read-card` gives up on a wrong port at once), so a missing port costs no wait.
    """
    deadline = time.monotonic() + timeout_s
    current = status()
    while current.state not in (DeviceState.READY, DeviceState.FAILED) and current.reason is None \
            and time.monotonic() < deadline:
        time.sleep(POLL_S)
        current = status()
    return current


def _why_not(current: StateChanged) -> str:
    reason = current.reason or f"it stayed {current.state.value} for {OPEN_TIMEOUT_S:g} s"
    return reason if not current.detail else f"{reason} ({current.detail})"


def check_card_reader(context: Context) -> list[Finding]:
    from terminal.devices.cardreader.driver import card_reader_from_settings

    name = "card_reader"
    port = _settings(context).devices.card_reader.port
    if not port:
        return [ok(name, "none configured (devices.card_reader.port is null).")]
    todo = (f"check the reader's cable and power, and devices.card_reader.port ({port}); "
            "`ls -l /dev/serial/by-id/` lists the serial ports there are.")
    reader = card_reader_from_settings(_settings(context).devices.card_reader)
    try:
        reader.start()
        try:
            reader.wait_connected(OPEN_TIMEOUT_S, fail_fast=True)
        except TerminalError as exc:
            return [failed(name, f"the card reader at {port} does not open: {sentence(exc)}", todo)]
        try:
            present = reader.has_card()
        except TerminalError as exc:
            return [failed(name, f"the card reader at {port} opens but does not answer STATUS: {sentence(exc)}",
                           todo)]
    finally:
        reader.close()
    return [ok(name, f"the card reader at {port} answers STATUS ({'a card is in it' if present else 'no card'}).")]


def check_serial_scanner(context: Context) -> list[Finding]:
    from terminal.devices.serial_scanner import serial_scanner_from_settings

    name = "serial_scanner"
    port = _settings(context).devices.serial_scanner.port
    if not port:
        return [ok(name, "none configured (devices.serial_scanner.port is null).")]
    scanner = serial_scanner_from_settings(_settings(context).devices.serial_scanner)
    try:
        scanner.start()
        current = wait_open(lambda: scanner.status)
    finally:
        scanner.close()
    if current.state is not DeviceState.READY:
        return [failed(name, f"the serial scanner at {port} does not open: {_why_not(current)}",
                       f"check the scanner's cable and devices.serial_scanner.port ({port}).")]
    return [ok(name, f"the serial scanner at {port} opens.")]


def check_camera(context: Context) -> list[Finding]:
    from terminal.devices.camera import camera_scanner_from_settings

    name = "camera"
    settings = _settings(context).devices
    if not settings.camera.enabled:
        return [ok(name, "not used (devices.camera.enabled is false).")]
    source = settings.camera.source
    todo = f"check the camera's cable and devices.camera.source ({source}); close any other program using it."
    camera = camera_scanner_from_settings(settings.camera, settings.decoder)
    try:
        camera.start()
        current = wait_open(lambda: camera.status)
        if current.state is not DeviceState.READY:
            return [failed(name, f"the camera {source} does not open: {_why_not(current)}", todo)]
        time.sleep(FPS_WINDOW_S)  # frames_per_second looks at the newest captures: give it a second of them
        fps = camera.live().fps
        still = camera.status
    finally:
        camera.close()
    if still.state is not DeviceState.READY or fps <= 0:
        why = _why_not(still) if still.state is not DeviceState.READY else "no frames in the last second"
        return [failed(name, f"the camera {source} opens but sends no pictures: {why}", todo)]
    asked = settings.camera.fps
    found = f"the camera {source} sends {fps:.0f} frames/s (asked for {asked})"
    if fps < asked / 2:
        return [warning(name, f"{found}: codes held up briefly may be missed.",
                        "give the camera more light (a dark scene slows many cameras down), another USB port, "
                        "or lower devices.camera.width and height.")]
    return [ok(name, f"{found}.")]


def check_printer(context: Context) -> list[Finding]:
    from terminal.devices.printer import printer_from_settings

    name = "printer"
    settings = _settings(context).devices.printer
    printer = printer_from_settings(settings)
    if printer is None:
        return [ok(name, "none configured (devices.printer.kind is none): receipts go to PDF only.")]
    where = {"serial": settings.port, "network": f"{settings.host}:{settings.network_port}", "file": settings.path,
             "usb": f"{settings.usb_vendor_id}:{settings.usb_product_id}"}.get(settings.kind) or settings.kind
    try:
        printer.start()
        current = wait_open(lambda: printer.status, OPEN_TIMEOUT_S + settings.answer_timeout_s)
        paper = printer.paper
    finally:
        printer.close()
    if current.state is not DeviceState.READY:
        return [failed(name, f"the {settings.kind} receipt printer ({where}) is not ready: {_why_not(current)}",
                       f"act on that sentence; check devices.printer ({settings.kind}, {where}).")]
    return [ok(name, f"the {settings.kind} receipt printer ({where}) is ready, paper {paper.value}.")]


DEVICE_CHECKS = [
    Check(("card_reader",), check_card_reader, 30.0),
    Check(("serial_scanner",), check_serial_scanner, OPEN_TIMEOUT_S + 10.0),
    Check(("camera",), check_camera, OPEN_TIMEOUT_S + FPS_WINDOW_S + 15.0),
    Check(("printer",), check_printer, OPEN_TIMEOUT_S + 20.0),
]
