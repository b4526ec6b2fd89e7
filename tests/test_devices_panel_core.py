"""What the devices panel shows, without Qt: device history, the scanner test's verdicts, saving the choice."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from fs_helpers import remount_read_only, tiny_filesystem

from terminal.app.camera_view import preview_picture
from terminal.app.device_history import DeviceHistory
from terminal.app.device_setup import (
    DeviceChoice,
    NoConfigFile,
    cameras,
    parse_camera_source,
    parse_port,
    save_device_choice,
)
from terminal.app.scan_check import Routed, ScanLog, ScanSource, check_scan
from terminal.catalog import load_catalog
from terminal.config import config_path
from terminal.devices.camera_events import Preview, frames_per_second
from terminal.devices.decoding import DecodeResult
from terminal.devices.device import DeviceState, StateChanged
from terminal.devices.scan_codes import ScanRouter
from terminal.errors import BadInput, ConfigError, EnvironmentFault
from terminal.voucher import issue_voucher, load_private_key, load_public_key

# ----------------------------------------------------------------------------- history


def change(state: DeviceState, at: float, device: str = "card reader", reason: str | None = None) -> StateChanged:
    return StateChanged(device, state, reason, None, at)


def test_the_history_keeps_the_newest_changes_per_device_with_clock_times() -> None:
    history = DeviceHistory(per_device=3, wall=lambda: 1_000_000.0, monotonic=lambda: 100.0)
    for n, state in enumerate([DeviceState.CONNECTING, DeviceState.READY, DeviceState.LOST, DeviceState.READY]):
        history.record(change(state, 90.0 + n, reason="unplugged" if state is DeviceState.LOST else None))
    history.record(change(DeviceState.READY, 99.0, device="camera"))
    kept = history.entries("card reader")
    assert [e.state for e in kept] == [DeviceState.READY, DeviceState.LOST, DeviceState.READY]  # newest first
    assert kept[0].at == pytest.approx(1_000_000.0 - 7.0)  # taken 7 s before "now", on the wall clock
    assert kept[1].reason == "unplugged" and not kept[1].connected and kept[0].connected
    assert history.disconnections("card reader") == 1
    assert len(history.entries()) == 4 and set(history.devices()) == {"card reader", "camera"}


# ----------------------------------------------------------------------------- the scanner test


@pytest.fixture(scope="module")
def router() -> ScanRouter:
    return ScanRouter(load_public_key(config_path("demo-issuer-key.pub.pem")))


def test_each_code_is_routed_as_the_counter_would(router: ScanRouter) -> None:
    catalog = load_catalog(config_path("catalog.json"))
    qr = issue_voucher(load_private_key(config_path("demo-issuer-key.pem")), "12000000000000000003",
                      now=int(time.time()))
    voucher = check_scan(router, qr, ScanSource.CAMERA)
    assert voucher.routed is Routed.VOUCHER and voucher.verified
    assert voucher.person == "120000**********0003" and "12000000000000000003" not in voucher.shown
    drug = check_scan(router, "6901070202353", ScanSource.SERIAL, catalog=catalog)
    assert drug.routed is Routed.DRUG_BARCODE and drug.drug is not None and drug.shown == "6901070202353"
    unloaded = check_scan(router, "6901070202353", ScanSource.WEDGE)
    assert unloaded.routed is Routed.DRUG_BARCODE and not unloaded.catalog_loaded
    unknown = check_scan(router, "4006381333931", ScanSource.SERIAL, catalog=catalog)
    assert unknown.routed is Routed.DRUG_BARCODE and unknown.drug is None and unknown.catalog_loaded
    assert check_scan(router, "81234567890123456789", ScanSource.SERIAL).routed is Routed.TRACEABILITY
    misread = check_scan(router, "6901070202354", ScanSource.SERIAL)
    assert misread.routed is Routed.REJECTED and misread.problem is not None
    assert "did not scan cleanly" in misread.problem.cashier_message


def test_the_log_keeps_the_newest_checks(router: ScanRouter) -> None:
    log = ScanLog(router, keep=2, clock=lambda: 5.0)
    for code in ("6901070202353", "81234567890123456789", "x" * 5000):
        log.check(code, ScanSource.SERIAL)
    checks = log.checks()
    assert [c.routed for c in checks] == [Routed.REJECTED, Routed.TRACEABILITY]
    assert len(checks[0].shown) <= 40 and checks[0].at == 5.0
    log.reject(BadInput("The scan was cut off.", detail="partial"), ScanSource.WEDGE)
    assert log.checks()[0].source is ScanSource.WEDGE and log.checks()[0].routed is Routed.REJECTED


# ----------------------------------------------------------------------------- saving the choice

CHOICE = DeviceChoice("/dev/ttyUSB1", "/dev/ttyACM0", 1, True)


def test_the_choice_goes_into_the_file_keeping_every_other_key(tmp_path: Path) -> None:
    path = tmp_path / "counter.json"
    path.write_text(json.dumps({"service": {"url": "http://127.0.0.1:9000"},
                                "devices": {"printer": {"kind": "dummy"}, "camera": {"fps": 15}}}))
    path.chmod(0o640)
    settings = save_device_choice(path, CHOICE)
    data = json.loads(path.read_text())
    assert data["service"] == {"url": "http://127.0.0.1:9000"}
    assert data["devices"]["printer"] == {"kind": "dummy"}
    assert data["devices"]["camera"] == {"fps": 15, "source": 1, "enabled": True}
    devices = settings.devices
    assert devices.card_reader.port == "/dev/ttyUSB1" and devices.serial_scanner.port == "/dev/ttyACM0"
    assert path.stat().st_mode & 0o777 == 0o640 and [p.name for p in tmp_path.iterdir()] == ["counter.json"]
    assert DeviceChoice.of(settings) == CHOICE


def test_a_new_file_is_made_and_no_file_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    save_device_choice(path, DeviceChoice(None, None, "/srv/pictures", False))
    assert json.loads(path.read_text())["devices"]["card_reader"] == {"port": None}
    with pytest.raises(NoConfigFile, match="run --config FILE"):
        save_device_choice(None, CHOICE)


def test_a_bad_choice_or_file_names_the_key_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "counter.json"
    path.write_text('{"devices": {"camera": {"fps": 0}}}')
    with pytest.raises(ConfigError, match=r"devices\.camera\.fps"):
        save_device_choice(path, CHOICE)
    path.write_text('{"devices": []}')
    with pytest.raises(ConfigError, match="devices"):
        save_device_choice(path, CHOICE)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        save_device_choice(path, CHOICE)
    assert path.read_text() == "{not json"


def test_a_read_only_file_or_disk_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "counter.json"
    path.write_text("{}")
    path.chmod(0o444)
    with pytest.raises(EnvironmentFault, match="permissions"):
        save_device_choice(path, CHOICE)
    assert path.read_text() == "{}"
    with tiny_filesystem(tmp_path / "disk") as disk:
        (disk / "counter.json").write_text("{}")
        remount_read_only(disk)
        with pytest.raises(EnvironmentFault, match="read-only disk"):
            save_device_choice(disk / "counter.json", CHOICE)


def test_typed_ports_and_camera_sources() -> None:
    assert parse_port("  ") is None and parse_port(" /dev/ttyS0 ") == "/dev/ttyS0"
    assert parse_camera_source("2") == 2 and parse_camera_source("http://127.0.0.1:8081/stream.mjpg").startswith("http")
    with pytest.raises(BadInput, match="Choose a camera"):
        parse_camera_source(" ")


def test_cameras_are_the_video_devices_named_by_the_kernel(tmp_path: Path) -> None:
    dev, sysfs = tmp_path / "dev", tmp_path / "sys"
    dev.mkdir()
    for name in ("video10", "video2", "videoX", "ttyS0"):
        (dev / name).touch()
    (sysfs / "video2").mkdir(parents=True)
    (sysfs / "video2" / "name").write_text("USB Camera\n")
    found = cameras(dev, sysfs)
    assert [c.device for c in found] == ["2", "10"] and found[0].description.endswith("USB Camera")


# ----------------------------------------------------------------------------- the camera's figures


def test_frames_per_second_over_the_newest_frames() -> None:
    times = [10.0 + n / 25 for n in range(50)]
    assert frames_per_second(times, times[-1]) == pytest.approx(25.0)
    assert frames_per_second(times, times[-1] + 5) == 0.0  # stopped: no rate
    assert frames_per_second(times[:1], 10.0) == 0.0


def test_the_preview_is_scaled_down_with_its_outlines() -> None:
    frame = np.zeros((720, 1280, 3), dtype=np.uint8)
    frame[:, :, 0] = 255  # blue in OpenCV's BGR
    corners = ((100.0, 100.0), (300.0, 100.0), (300.0, 300.0), (100.0, 300.0))
    code = DecodeResult("NHSAEC1.x", b"NHSAEC1.x", "zxing-cpp", corners)
    picture = preview_picture(Preview(frame, 7, corners, "NHSAEC1.x", (code,)), 640, 480)
    assert picture.frame.shape == (360, 640, 3) and picture.scale == 0.5
    assert tuple(picture.frame[0, 0]) == (0, 0, 255)  # RGB for Qt
    assert picture.outlines == (((50.0, 50.0), (150.0, 50.0), (150.0, 150.0), (50.0, 150.0)),)
    assert picture.texts == ("NHSAEC1.x",) and picture.frame_index == 7
    empty = preview_picture(Preview(frame[:100, :100], 8, (), None), 640, 480)
    assert empty.outlines == () and empty.scale == 1.0
