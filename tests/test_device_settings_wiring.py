"""Every device setting reaches the device: each factory passes each key of its section on.

Each section is built with a value different from its default for every key, and each key is
followed to where the device uses it. A key added to a section without being wired fails here
(the test lists what it followed and compares that with the section's fields).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import terminal.devices.camera as camera_module
import terminal.devices.cardreader.driver as reader_module
import terminal.devices.printer as printer_module
import terminal.devices.serial_scanner as scanner_module
from terminal.app.station import Station
from terminal.devices.decoding import chain_from_settings
from terminal.devices.wedge import WedgeClassifier
from terminal.settings import (
    CameraSettings,
    CardReaderSettings,
    DecoderSettings,
    PrinterSettings,
    SerialScannerSettings,
    WedgeSettings,
    load_settings,
)


class Recorder:
    """Stands in for a device class: remembers what the factory gave it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs


def fields_of(cls: type[Any]) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def test_card_reader_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = CardReaderSettings(port="/dev/ttyS7", baudrate=19200, answer_timeout_s=0.7, retries=5,
                                  reconnect_interval_s=0.3)
    monkeypatch.setattr(reader_module, "CardReader", Recorder)
    built: Any = reader_module.card_reader_from_settings(settings)
    factory = built.args[0]
    followed = {
        "port": factory.port == "/dev/ttyS7",
        "baudrate": factory.baudrate == 19200,
        "answer_timeout_s": built.kwargs["answer_timeout_s"] == 0.7,
        "retries": built.kwargs["retries"] == 5,
        "reconnect_interval_s": built.kwargs["reconnect_interval_s"] == 0.3,
    }
    assert all(followed.values()), followed
    assert set(followed) == fields_of(CardReaderSettings)


def test_serial_scanner_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = SerialScannerSettings(port="/dev/ttyACM3", baudrate=115200, reconnect_interval_s=0.4,
                                     max_line_bytes=512, read_timeout_s=0.05, idle_flush_s=None,
                                     encodings=("gbk",))
    monkeypatch.setattr(scanner_module, "SerialScanner", Recorder)
    built: Any = scanner_module.serial_scanner_from_settings(settings)
    factory, kw = built.args[0], built.kwargs
    followed = {
        "port": factory.port == "/dev/ttyACM3",
        "baudrate": factory.baudrate == 115200,
        "read_timeout_s": factory.read_timeout_s == 0.05 and kw["read_timeout_s"] == 0.05,
        "reconnect_interval_s": kw["reconnect_interval_s"] == 0.4,
        "max_line_bytes": kw["max_line_bytes"] == 512,
        "idle_flush_s": "idle_flush_s" in kw and kw["idle_flush_s"] is None,
        "encodings": tuple(kw["encodings"]) == ("gbk",),
    }
    assert all(followed.values()), followed
    assert set(followed) == fields_of(SerialScannerSettings)


def test_camera_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    enabled_followed = station_has_camera(tmp_path, enabled=True) and not station_has_camera(tmp_path, enabled=False)
    settings = CameraSettings(source="http://127.0.0.1:9/stream.mjpg", width=640, height=480, fps=15,
                              dedup_s=5.0, reopen_interval_s=0.25, loop=True, change_window_s=2.5,
                              idle_decode_interval_s=0.4)
    opened: dict[str, Any] = {}
    monkeypatch.setattr(camera_module, "CameraScanner", Recorder)
    monkeypatch.setattr(camera_module, "open_source",
                        lambda source, **kw: opened.update(source=source, **kw) or object())
    built: Any = camera_module.camera_scanner_from_settings(settings, DecoderSettings())
    built.args[0]()  # the capture factory
    gate = built.kwargs["gate"]
    ungated: Any = camera_module.camera_scanner_from_settings(dataclasses.replace(settings, idle_gate=False),
                                                              DecoderSettings())
    followed = {
        "source": opened["source"] == "http://127.0.0.1:9/stream.mjpg",
        "width": opened["width"] == 640,
        "height": opened["height"] == 480,
        "fps": opened["fps"] == 15,
        "loop": opened["loop"] is True,
        "dedup_s": built.kwargs["dedup_s"] == 5.0,
        "reopen_interval_s": built.kwargs["reopen_interval_s"] == 0.25,
        "idle_gate": gate is not None and ungated.kwargs["gate"] is None,
        "change_window_s": gate.change_window_s == 2.5,
        "idle_decode_interval_s": gate.idle_decode_interval_s == 0.4,
        "enabled": enabled_followed,
    }
    assert all(followed.values()), followed
    assert set(followed) == fields_of(CameraSettings)


def station_has_camera(tmp_path: Path, *, enabled: bool) -> bool:
    """The counter's station builds the camera scanner only when devices.camera.enabled."""
    base = load_settings()
    devices = dataclasses.replace(base.devices, camera=dataclasses.replace(base.devices.camera, enabled=enabled),
                                  card_reader=dataclasses.replace(base.devices.card_reader, port=None))
    settings = dataclasses.replace(base, devices=devices, offline=dataclasses.replace(
        base.offline, journal=str(tmp_path / f"camera-{enabled}.db")))
    station = Station.from_settings(settings)
    try:
        return station.camera is not None
    finally:
        station.close()


def test_decoder_settings() -> None:
    settings = DecoderSettings(order=("pyzbar", "zxing-cpp"), formats=("qr", "code128"), max_payload_bytes=999,
                               still_steps=("gray", "blur"), camera_steps=("gray", "double"),
                               camera_fallbacks_per_frame=0)
    still, live = chain_from_settings(settings), chain_from_settings(settings, camera=True)
    # A decoder that reads none of the formats is left out of the chain.
    data_matrix_only = chain_from_settings(DecoderSettings(order=("opencv", "pyzbar", "zxing-cpp"),
                                                           formats=("datamatrix",)))
    followed = {
        "order": [b.name for b in still.backends] == ["pyzbar", "zxing-cpp"],
        "formats": all(b.formats == {"qr", "code128"} for b in (*still.backends, *live.backends))
        and [b.name for b in data_matrix_only.backends] == ["zxing-cpp"],
        "max_payload_bytes": still.max_payload_bytes == 999 == live.max_payload_bytes,
        "still_steps": still.steps == ("gray", "blur"),
        "camera_steps": live.steps == ("gray", "double"),
        "camera_fallbacks_per_frame": live.fallbacks_per_call == 0 and still.fallbacks_per_call is None,
    }
    assert all(followed.values()), followed
    assert set(followed) == fields_of(DecoderSettings)


def test_wedge_settings() -> None:
    # The classifier reads its settings object itself; every key changes what it decides.
    def scan(settings: WedgeSettings, keys: str, end: str | None, gap_ms: float = 5) -> bool:
        classifier = WedgeClassifier(settings)
        scans: list[str] = []
        t = 0.0
        for key in keys:
            scans += classifier.feed(key, t).scans
            t += gap_ms
        if end:
            scans += classifier.feed(end, t).scans
        scans += classifier.flush(t + 1000).scans
        return bool(scans)

    base = WedgeSettings()
    followed = {
        "max_key_interval_ms": scan(base, "6901070202353", "Enter", 20)
        and not scan(dataclasses.replace(base, max_key_interval_ms=10), "6901070202353", "Enter", 20),
        "min_length": not scan(dataclasses.replace(base, min_length=20), "6901070202353", "Enter"),
        "terminators": scan(dataclasses.replace(base, terminators=("Tab",)), "6901070202353", "Tab")
        and not scan(dataclasses.replace(base, terminators=("Tab",)), "6901070202353", "Enter"),
        "prefix": not scan(dataclasses.replace(base, prefix="]"), "6901070202353", "Enter"),
        "suffix": scan(dataclasses.replace(base, terminators=(), suffix="#"), "6901070202353#", None),
        "accept_unterminated": scan(dataclasses.replace(base, accept_unterminated=True), "6901070202353", None)
        and not scan(base, "6901070202353", None),
    }
    assert all(followed.values()), followed
    assert set(followed) == fields_of(WedgeSettings)


def test_printer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printer_module, "ReceiptPrinter", Recorder)
    common = dict(width=32, encoding="gb18030", cut=False, cash_drawer=False, drawer_pin=5, paper_check=False,
                  timeout_s=7.5, answer_timeout_s=0.25, reconnect_interval_s=0.75, check_interval_s=9.0)

    def built(**kind: Any) -> Any:
        return printer_module.printer_from_settings(PrinterSettings(**kind, **common))  # type: ignore[arg-type]

    serial = built(kind="serial", port="/dev/ttyS3", baudrate=38400)
    network = built(kind="network", host="10.1.2.3", network_port=9101)
    usb = built(kind="usb", usb_vendor_id="04b8", usb_product_id="0x0202")
    file = built(kind="file", path="/dev/usb/lp1")
    kw = serial.kwargs
    followed = {
        "kind": [type(b.args[0]).__name__ for b in (serial, network, usb, file)]
        == ["SerialPrinterLink", "NetworkPrinterLink", "UsbPrinterLink", "FilePrinterLink"]
        and printer_module.printer_from_settings(PrinterSettings()) is None,
        "port": serial.args[0].port == "/dev/ttyS3",
        "baudrate": serial.args[0].baudrate == 38400,
        "host": network.args[0].host == "10.1.2.3",
        "network_port": network.args[0].port == 9101,
        "usb_vendor_id": usb.args[0].vendor_id == 0x04B8,
        "usb_product_id": usb.args[0].product_id == 0x0202,
        "path": file.args[0].path == "/dev/usb/lp1",
        "timeout_s": serial.args[0].timeout_s == network.args[0].timeout_s == usb.args[0].timeout_s == 7.5,
        "width": kw["width"] == 32,
        "encoding": kw["encoding"] == "gb18030",
        "cut": kw["cut"] is False,
        "cash_drawer": kw["cash_drawer"] is False,
        "drawer_pin": kw["drawer_pin"] == 5,
        "paper_check": kw["paper_check"] is False,
        "answer_timeout_s": kw["answer_timeout_s"] == 0.25,
        "reconnect_interval_s": kw["reconnect_interval_s"] == 0.75,
        "check_interval_s": kw["check_interval_s"] == 9.0,
    }
    assert all(followed.values()), followed
    assert set(followed) == fields_of(PrinterSettings)
