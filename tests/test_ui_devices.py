"""The technician's devices panel against the simulated card reader, scanner and a picture-folder camera."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from counter_rig import AMOXICILLIN, HOLDER, WAIT_MS, key
from pytestqt.qtbot import QtBot

from terminal.app.scan_check import Routed, ScanSource
from terminal.demo.environment import DemoEnvironment
from terminal.devices.decoding.synth import render_qr
from terminal.devices.device import DeviceState
from terminal.offline import audit
from terminal.ui.counter_app import CounterApp
from terminal.ui.devices_screen import DevicesScreen

TRAC_CODE = "81234567890123456789"


def sign_in_technician(qtbot: QtBot, counter: CounterApp) -> DevicesScreen:
    """0003 signs in and lands on the devices panel (a technician sells nothing)."""
    signin = counter.screens.signin
    signin.opter.setText("0003")
    signin.pin.setText("3333")
    signin.submit()
    panel = counter.screens.devices
    assert panel is not None
    qtbot.waitUntil(lambda: counter.screens.window.current is panel, timeout=WAIT_MS)
    return panel


def routed(panel: DevicesScreen) -> list[tuple[ScanSource, Routed]]:
    return [(c.source, c.routed) for c in reversed(panel.scan_model.checks)]


def test_the_panel_reads_the_simulated_card_reader_and_scanner(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="terminal.sim.card_reader_engine")
    counter = make_counter()
    panel = sign_in_technician(qtbot, counter)
    reader = counter.station.card_reader
    assert reader is not None
    qtbot.waitUntil(lambda: reader.state is DeviceState.READY, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(e.device == "card reader" and e.state is DeviceState.READY
                                for e in panel.history()), timeout=WAIT_MS)
    assert "Card reader" in panel.states.text() and "connected" in panel.states.text()

    world.insert_card(5)  # read at once by the station; the panel shows it, masked, and sells nothing
    qtbot.waitUntil(lambda: "inserted and read" in panel.card.text(), timeout=WAIT_MS)
    assert "120101" not in panel.card.text() or "*" in panel.card.text()
    panel.buttons["F2"].click()  # the test read, answered by the reader's thread
    qtbot.waitUntil(lambda: panel.card.text().startswith("Test read:"), timeout=WAIT_MS)
    assert "*" in panel.card.text() and "valid until" in panel.card.text()
    key(counter, "F4")  # BEEP (0x03) to the reader: the panel's keys work without a click
    qtbot.waitUntil(lambda: "beeped" in panel.card.text(), timeout=WAIT_MS)
    assert any("beep 0.2s" in r.getMessage() for r in caplog.records)

    world.remove_card()
    qtbot.waitUntil(lambda: counter.till.catalog is not None, timeout=WAIT_MS)
    world.scan(AMOXICILLIN)
    qtbot.waitUntil(lambda: len(panel.scan_model.checks) == 1, timeout=WAIT_MS)
    world.show_voucher(HOLDER)
    world.scan(TRAC_CODE)
    world.scan("https://example.com/not-a-voucher")
    qtbot.waitUntil(lambda: len(panel.scan_model.checks) == 4, timeout=WAIT_MS)
    assert routed(panel) == [(ScanSource.SERIAL, Routed.DRUG_BARCODE), (ScanSource.SERIAL, Routed.VOUCHER),
                             (ScanSource.SERIAL, Routed.TRACEABILITY), (ScanSource.SERIAL, Routed.REJECTED)]
    drug, voucher, _trac, link = panel.scan_model.checks[::-1]
    assert drug.drug is not None and "(" in drug.drug  # named from the catalog
    assert voucher.person is not None and "*" in voucher.person and HOLDER not in voucher.shown
    assert "web link" in panel.scan_model.what(link)
    assert not counter.till.sale.lines and counter.till.sale.person is None  # nothing was sold

    counter.wedge_scanned(AMOXICILLIN)  # the keyboard wedge's scans are told apart
    assert panel.scan_model.checks[0].source is ScanSource.WEDGE

    key(counter, "Escape")
    assert counter.screens.window.current is counter.screens.queue  # a technician's way back: no checkout


def test_the_camera_preview_shows_frames_fps_decode_time_and_the_code_outlined(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    pictures = tmp_path / "camera"
    pictures.mkdir()
    code = render_qr(world.voucher_text(HOLDER), module_px=4)

    def in_view(picture: np.ndarray) -> None:  # the camera re-reads the picture every frame
        cv2.imwrite(str(pictures / "next.png"), picture)
        os.replace(pictures / "next.png", pictures / "phone.png")

    in_view(np.full_like(code, 255))
    counter = make_counter(camera=pictures)
    panel = sign_in_technician(qtbot, counter)
    in_view(code)  # held up once the technician is signed in, so the scanner test hears it
    preview = panel.camera
    qtbot.waitUntil(lambda: preview.picture is not None and bool(preview.picture.outlines), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: preview.readout is not None and preview.readout.fps > 0
                    and preview.readout.decode_ms is not None, timeout=WAIT_MS)
    picture = preview.picture
    assert picture is not None and picture.frame.ndim == 3 and picture.frame.shape[2] == 3
    height, width = picture.frame.shape[:2]
    outline = picture.outlines[0]
    assert len(outline) == 4 and all(0 <= x <= width and 0 <= y <= height for x, y in outline)
    assert "frames/s" in preview.figures.text() and "ms" in preview.figures.text()
    assert preview.image.pixmap() is not None and not preview.image.pixmap().isNull()
    qtbot.waitUntil(lambda: (ScanSource.CAMERA, Routed.VOUCHER) in routed(panel), timeout=WAIT_MS)
    assert counter.till.sale.person is None


def test_the_choice_of_ports_is_saved_to_the_terminals_file(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    counter = make_counter()
    panel = sign_in_technician(qtbot, counter)
    form = panel.form
    panel.config_file = None  # started on the built-in settings: a sentence, nothing written
    form.buttons["Ctrl+S"].click()
    qtbot.waitUntil(lambda: "without a configuration file" in form.message.text(), timeout=WAIT_MS)

    config = tmp_path / "counter.json"
    config.write_text(json.dumps({"terminal": {"dev_no": "CT-0042", "fixmedins_code": "P12010100001", "msgid_block": 7},
                                  "devices": {"card_reader": {"baudrate": 19200}}}))
    panel.config_file = config
    form.card_reader.setEditText("/dev/ttyUSB3")
    form.scanner.setEditText("")
    form.camera.setEditText("2")
    form.camera_on.setChecked(True)
    form.buttons["Ctrl+S"].click()
    qtbot.waitUntil(lambda: "after the counter is restarted" in form.message.text(), timeout=WAIT_MS)
    saved = json.loads(config.read_text())
    assert saved["terminal"] == {"dev_no": "CT-0042", "fixmedins_code": "P12010100001", "msgid_block": 7}
    assert saved["devices"]["card_reader"] == {"baudrate": 19200, "port": "/dev/ttyUSB3"}
    assert saved["devices"]["serial_scanner"] == {"port": None}
    assert saved["devices"]["camera"] == {"source": 2, "enabled": True}

    def audited() -> None:  # the configuration change is in the audit trail, by the technician
        rows = counter.station.journal.run(lambda t: audit.rows(t, event="config-change"))
        assert [(r.operator, r.subject, r.detail["devices.card_reader.port"]) for r in rows] == [
            ("0003", str(config), "/dev/ttyUSB3")]

    qtbot.waitUntil(audited, timeout=WAIT_MS)

    form.camera.setEditText("")  # bad input: the sentence, nothing written
    form.buttons["Ctrl+S"].click()
    qtbot.waitUntil(lambda: "Choose a camera" in form.message.text(), timeout=WAIT_MS)
    config.chmod(0o444)  # a file made read-only on purpose
    form.camera.setEditText("0")
    before = config.read_text()
    form.buttons["Ctrl+S"].click()
    qtbot.waitUntil(lambda: "permissions" in form.message.text(), timeout=WAIT_MS)
    assert config.read_text() == before and not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
