"""Typed device settings: shipped defaults, per-terminal overrides, and errors naming the bad key."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from terminal.config import load_config
from terminal.errors import ConfigError
from terminal.settings import (
    DeviceSettings,
    SerialScannerSettings,
    WedgeSettings,
    load_device_settings,
    parse_device_settings,
)

SHIPPED = Path(__file__).resolve().parent.parent / "config" / "devices.json"


def devices(**sections: dict[str, Any]) -> dict[str, Any]:
    return {"devices": sections}


def test_shipped_configuration_parses_strictly_and_every_key_is_read() -> None:
    settings = load_device_settings(strict=True)
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))["devices"]
    for name, section in shipped.items():
        parsed = getattr(settings, name)
        for key, value in section.items():
            got = getattr(parsed, key)
            assert (list(got) if isinstance(got, tuple) else got) == value, f"{name}.{key}"


def test_shipped_defaults_agree_with_the_dataclass_defaults() -> None:
    # Code that builds settings without a configuration behaves like a fresh install.
    assert load_device_settings(strict=True) == DeviceSettings()


def test_missing_sections_and_keys_take_defaults() -> None:
    assert parse_device_settings({}) == DeviceSettings()
    partial = parse_device_settings(devices(wedge={"min_length": 8}))
    assert partial.wedge == WedgeSettings(min_length=8)


def test_terminal_override_file_is_deep_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    override = tmp_path / "counter-3.json"
    override.write_text(json.dumps(devices(
        serial_scanner={"port": "/tmp/sim-scanner", "baudrate": 115200},
        wedge={"prefix": "\u0002", "max_key_interval_ms": 20},
        camera={"source": "/srv/frames"},
    )), encoding="utf-8")
    monkeypatch.setenv("TERMINAL_CONFIG", str(override))
    settings = load_device_settings(strict=True)
    assert settings.serial_scanner == SerialScannerSettings(port="/tmp/sim-scanner", baudrate=115200)
    assert settings.wedge.prefix == "\x02" and settings.wedge.max_key_interval_ms == 20
    assert settings.wedge.terminators == ("Enter", "Tab")  # untouched keys keep the defaults
    assert settings.camera.source == "/srv/frames" and settings.camera.fps == 30
    monkeypatch.delenv("TERMINAL_CONFIG")
    assert load_device_settings(str(override)) == settings
    assert parse_device_settings(load_config(override)) == settings


@pytest.mark.parametrize(("section", "key", "value"), [
    ("card_reader", "port", ""),
    ("card_reader", "baudrate", "9600"),
    ("card_reader", "answer_timeout_s", 0),
    ("card_reader", "retries", -1),
    ("serial_scanner", "port", 5),
    ("serial_scanner", "baudrate", True),
    ("serial_scanner", "reconnect_interval_s", -1.0),
    ("serial_scanner", "max_line_bytes", 0),
    ("serial_scanner", "read_timeout_s", None),
    ("serial_scanner", "idle_flush_s", "soon"),
    ("serial_scanner", "encodings", ["utf-8", "no-such-codec"]),
    ("serial_scanner", "encodings", []),
    ("camera", "source", -1),
    ("camera", "source", ""),
    ("camera", "width", 0),
    ("camera", "dedup_s", -0.5),
    ("decoder", "order", "zxing-cpp"),
    ("decoder", "order", []),
    ("decoder", "max_payload_bytes", 1.5),
    ("decoder", "still_steps", [1]),
    ("decoder", "camera_steps", []),
    ("decoder", "camera_fallbacks_per_frame", -1),
    ("camera", "loop", 1),
    ("wedge", "max_key_interval_ms", 0),
    ("wedge", "min_length", 1),
    ("wedge", "terminators", "Enter"),
    ("wedge", "prefix", None),
    ("wedge", "accept_unterminated", "yes"),
])
def test_bad_value_is_a_config_error_naming_the_key(section: str, key: str, value: object) -> None:
    with pytest.raises(ConfigError) as info:
        parse_device_settings(devices(**{section: {key: value}}))
    assert f"devices.{section}.{key}" in info.value.cashier_message
    assert info.value.detail == f"got {value!r}"


def test_section_that_is_not_an_object() -> None:
    with pytest.raises(ConfigError, match=r"devices\.wedge"):
        parse_device_settings({"devices": {"wedge": [1, 2]}})
    with pytest.raises(ConfigError, match="devices must"):
        parse_device_settings({"devices": "none"})


def test_wedge_that_could_never_end_a_scan_is_refused() -> None:
    with pytest.raises(ConfigError, match="terminators"):
        parse_device_settings(devices(wedge={"terminators": []}))
    assert parse_device_settings(devices(wedge={"terminators": [], "suffix": "#"})).wedge.suffix == "#"
    assert parse_device_settings(devices(wedge={"terminators": [], "accept_unterminated": True}))


def test_unknown_key_is_logged_by_default_and_refused_when_strict(caplog: pytest.LogCaptureFixture) -> None:
    config = devices(serial_scanner={"baudrat": 19200})
    with caplog.at_level(logging.WARNING):
        assert parse_device_settings(config).serial_scanner.baudrate == 9600
    assert "devices.serial_scanner.baudrat" in caplog.text
    with pytest.raises(ConfigError, match=r"devices\.serial_scanner\.baudrat is not known"):
        parse_device_settings(config, strict=True)


def test_simulated_and_real_devices_differ_only_by_their_port_and_source() -> None:
    real = parse_device_settings(devices(serial_scanner={"port": "/dev/ttyACM0"}, camera={"source": 0}))
    simulated = parse_device_settings(devices(serial_scanner={"port": "/tmp/scanner"},
                                              camera={"source": "frames/"}))
    assert dataclasses.replace(simulated.serial_scanner, port="/dev/ttyACM0") == real.serial_scanner
    assert dataclasses.replace(simulated.camera, source=0) == real.camera


def test_settings_are_frozen() -> None:
    settings = DeviceSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.wedge.min_length = 3  # type: ignore[misc]


def test_broken_override_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_device_settings(str(bad))
