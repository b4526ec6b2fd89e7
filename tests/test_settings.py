"""Settings declared once: defaults, a terminal's file over them, and errors naming the key and the file."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from terminal.errors import ConfigError
from terminal.setting_fields import MASK, declared, to_json
from terminal.settings import (
    CameraSettings,
    SerialScannerSettings,
    Settings,
    WedgeSettings,
    load,
    load_settings,
    parse_settings,
)
from terminal.settings_doc import settings_markdown

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, data: Any, name: str = "counter-3.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_config(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", "config", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env=env)


def test_every_default_passes_its_own_checks() -> None:
    # The defaults written out as a terminal's file and read back strictly: a default outside its own
    # bounds, of the wrong type or failing its check would be refused here.
    round_trip = parse_settings(json.loads(json.dumps(to_json(Settings(), mask_secrets=False))), strict=True)
    assert round_trip == Settings()


def test_every_key_is_declared_with_help_and_documented() -> None:
    keys = list(declared(Settings))
    assert len(keys) == len({k.key for k in keys}) > 40
    assert all(k.spec.help for k in keys)
    documented = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert documented == settings_markdown(), "run: python -m terminal config doc > docs/configuration.md"


def test_a_terminal_file_overrides_only_what_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, {
        "terminal": {"dev_no": "DESK-07", "msgid_block": 7},
        "service": {"url": "https://fsi.example.test:8443", "read_timeout_s": 20},
        "devices": {"serial_scanner": {"port": "/tmp/sim-scanner", "baudrate": 115200},
                    "wedge": {"prefix": "\u0002", "max_key_interval_ms": 20},
                    "camera": {"source": "/srv/frames"}},
    })
    monkeypatch.setenv("TERMINAL_CONFIG", str(path))
    settings = load_settings()
    assert settings.terminal.dev_no == "DESK-07" and settings.terminal.msgid_block == 7
    assert settings.terminal.fixmedins_code == Settings().terminal.fixmedins_code
    assert settings.service.url == "https://fsi.example.test:8443"
    assert settings.service.read_timeout_s == 20.0 and isinstance(settings.service.read_timeout_s, float)
    assert settings.devices.serial_scanner == SerialScannerSettings(port="/tmp/sim-scanner", baudrate=115200)
    assert settings.devices.wedge.prefix == "\x02" and settings.devices.wedge.max_key_interval_ms == 20
    assert settings.devices.wedge.terminators == ("Enter", "Tab")
    assert settings.devices.camera == CameraSettings(source="/srv/frames")
    monkeypatch.delenv("TERMINAL_CONFIG")
    assert load_settings() == Settings()
    assert load(path).settings == settings and load(path).source == str(path)


@pytest.mark.parametrize(("data", "key"), [
    ({"service": {"connect_timeout_s": "fast"}}, "service.connect_timeout_s"),
    ({"service": {"connect_timeout_s": 0}}, "service.connect_timeout_s"),
    ({"service": {"url": None}}, "service.url"),
    ({"service": {"url": "not a url"}}, "service.url"),
    ({"service": {"url": "ftp://example.test"}}, "service.url"),
    ({"service": {"url": "http://127.0.0.1:99999"}}, "service.url"),
    ({"service": {"token": ""}}, "service.token"),
    ({"service": {"connect_retries": 1.5}}, "service.connect_retries"),
    ({"service": {"connect_retries": True}}, "service.connect_retries"),
    ({"terminal": {"fixmedins_code": "P120"}}, "terminal.fixmedins_code"),
    ({"terminal": {"mdtrtarea_admvs": 120000}}, "terminal.mdtrtarea_admvs"),
    ({"terminal": {"opter_type": "9"}}, "terminal.opter_type"),
    ({"voucher": {"clock_skew_s": -1}}, "voucher.clock_skew_s"),
    ({"voucher": {"clock_skew_s": 30.5}}, "voucher.clock_skew_s"),
    ({"devices": {"card_reader": {"port": ""}}}, "devices.card_reader.port"),
    ({"devices": {"card_reader": {"baudrate": "9600"}}}, "devices.card_reader.baudrate"),
    ({"devices": {"card_reader": {"answer_timeout_s": 0}}}, "devices.card_reader.answer_timeout_s"),
    ({"devices": {"card_reader": {"retries": -1}}}, "devices.card_reader.retries"),
    ({"devices": {"serial_scanner": {"port": 5}}}, "devices.serial_scanner.port"),
    ({"devices": {"serial_scanner": {"read_timeout_s": None}}}, "devices.serial_scanner.read_timeout_s"),
    ({"devices": {"serial_scanner": {"idle_flush_s": "soon"}}}, "devices.serial_scanner.idle_flush_s"),
    ({"devices": {"serial_scanner": {"encodings": ["utf-8", "no-such-codec"]}}},
     "devices.serial_scanner.encodings"),
    ({"devices": {"serial_scanner": {"encodings": []}}}, "devices.serial_scanner.encodings"),
    ({"devices": {"camera": {"source": -1}}}, "devices.camera.source"),
    ({"devices": {"camera": {"source": ""}}}, "devices.camera.source"),
    ({"devices": {"camera": {"width": 0}}}, "devices.camera.width"),
    ({"devices": {"camera": {"dedup_s": -0.5}}}, "devices.camera.dedup_s"),
    ({"devices": {"camera": {"loop": 1}}}, "devices.camera.loop"),
    ({"devices": {"decoder": {"order": "zxing-cpp"}}}, "devices.decoder.order"),
    ({"devices": {"decoder": {"order": []}}}, "devices.decoder.order"),
    ({"devices": {"decoder": {"max_payload_bytes": 1.5}}}, "devices.decoder.max_payload_bytes"),
    ({"devices": {"decoder": {"still_steps": [1]}}}, "devices.decoder.still_steps"),
    ({"devices": {"decoder": {"camera_fallbacks_per_frame": -1}}}, "devices.decoder.camera_fallbacks_per_frame"),
    ({"devices": {"wedge": {"max_key_interval_ms": float("nan")}}}, "devices.wedge.max_key_interval_ms"),
    ({"devices": {"wedge": {"min_length": 1}}}, "devices.wedge.min_length"),
    ({"devices": {"wedge": {"terminators": "Enter"}}}, "devices.wedge.terminators"),
    ({"devices": {"wedge": {"prefix": None}}}, "devices.wedge.prefix"),
    ({"devices": {"wedge": {"accept_unterminated": "yes"}}}, "devices.wedge.accept_unterminated"),
])
def test_a_bad_value_names_the_key_and_the_file(tmp_path: Path, data: dict[str, Any], key: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = info.value.cashier_message
    assert f"key {key} in {path} must be " in message and message.endswith(".")
    assert info.value.detail is not None and info.value.detail.startswith("got ")


@pytest.mark.parametrize("terminal", [
    {"dev_no": "DESK-07"},
    {"fixmedins_code": "H12010500321", "msgid_block": 3},
    {"fixmedins_code": "H12010500321", "dev_no": "DESK-07"},
])
def test_a_till_that_names_itself_must_name_its_msgid_block(tmp_path: Path, terminal: dict[str, Any]) -> None:
    # Otherwise it would share the demo till's block, and two tills could make the same msgid.
    path = write(tmp_path, {"terminal": terminal})
    with pytest.raises(ConfigError, match=rf"terminal\.(msgid_block|dev_no) is missing in {path}"):
        load_settings(path)


@pytest.mark.parametrize("block", [-1, 100, "07", 1.0])
def test_a_malformed_msgid_block_is_refused(tmp_path: Path, block: object) -> None:
    path = write(tmp_path, {"terminal": {"dev_no": "DESK-07", "msgid_block": block}})
    with pytest.raises(ConfigError, match=r"terminal\.msgid_block .* must be a whole number from 0 to 99"):
        load_settings(path)


def test_sections_that_are_not_objects(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key devices\.wedge in .* must be a JSON object"):
        load_settings(write(tmp_path, {"devices": {"wedge": [1, 2]}}))
    with pytest.raises(ConfigError, match=r"key service in .* must be a JSON object"):
        load_settings(write(tmp_path, {"service": "none"}))
    with pytest.raises(ConfigError, match="must hold a JSON object"):
        load_settings(write(tmp_path, [1, 2]))


def test_a_wedge_that_could_never_end_a_scan_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"devices\.wedge .* no scan could ever end"):
        parse_settings({"devices": {"wedge": {"terminators": []}}})
    assert parse_settings({"devices": {"wedge": {"terminators": [], "suffix": "#"}}}).devices.wedge.suffix == "#"
    assert parse_settings({"devices": {"wedge": {"terminators": [], "accept_unterminated": True}}}).devices.wedge \
        == WedgeSettings(terminators=(), accept_unterminated=True)


def test_unknown_keys_are_logged_by_default_and_refused_when_strict(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, {"devices": {"serial_scanner": {"baudrat": 19200}}, "servce": {}})
    with caplog.at_level(logging.WARNING):
        loaded = load(path)
    assert loaded.settings.devices.serial_scanner.baudrate == 9600
    assert "devices.serial_scanner.baudrat" in caplog.text and "servce" in caplog.text
    assert len(loaded.warnings) == 2
    with pytest.raises(ConfigError, match=r"devices\.serial_scanner\.baudrat in .* is not known"):
        load(path, strict=True)


@pytest.mark.parametrize(("content", "words"), [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"service": {"connect_retries": ' + b"9" * 5000 + b"}}", "5000 digits"),
    (b"[" * 100000, "nested too deeply"),
])
def test_a_broken_file_is_a_config_error(tmp_path: Path, content: bytes, words: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ConfigError, match=words):
        load_settings(bad)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"terminal": {"dev_no": "BOM-1", "msgid_block": 1}}).encode())
    assert load_settings(path).terminal.dev_no == "BOM-1"


def test_config_check_accepts_a_good_file_and_the_defaults(tmp_path: Path) -> None:
    good = write(tmp_path, {"terminal": {"dev_no": "DESK-07", "msgid_block": 7}})
    done = run_config("check", "--config", str(good))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ok": True, "file": str(good), "warnings": []}
    done = run_config("check")
    assert done.returncode == 0 and json.loads(done.stdout)["file"] is None


@pytest.mark.parametrize(("data", "words"), [
    ({"service": {"connect_timeout_s": "fast"}}, "service.connect_timeout_s"),
    ({"service": {"url": None}}, "service.url"),
    ({"devices": {"camera": {"fps": 0}}}, "devices.camera.fps"),
    ({"devices": {"card_reader": {"prot": "/dev/ttyUSB1"}}}, "devices.card_reader.prot"),
    ({"voucher": {"issuer_public_key": "no-such-key.pem"}}, "no-such-key.pem"),
])
def test_config_check_names_the_key_and_the_file(tmp_path: Path, data: dict[str, Any], words: str) -> None:
    path = write(tmp_path, data)
    done = run_config("check", "--config", str(path))
    assert done.returncode == 1
    assert words in done.stderr and (str(path) in done.stderr or "no-such-key" in words)
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_config_check_of_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    done = run_config("check", "--config", str(tmp_path / "nowhere.json"))
    assert done.returncode == 1 and "does not exist" in done.stderr and "Traceback" not in done.stderr
    done = run_config("check", "--config", str(tmp_path))
    assert done.returncode == 1 and "is a folder" in done.stderr and "Traceback" not in done.stderr


def test_config_show_prints_the_effective_configuration_with_secrets_masked(tmp_path: Path) -> None:
    path = write(tmp_path, {"service": {"token": "s3cret-token", "url": "http://127.0.0.1:9000"}})
    done = run_config("show", "--config", str(path))
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["service"]["token"] == MASK and "s3cret" not in done.stdout
    assert shown["service"]["url"] == "http://127.0.0.1:9000"
    assert shown["devices"]["decoder"]["order"] == ["zxing-cpp", "pyzbar", "opencv"]
    # What show prints is itself a valid configuration file (bar the masked secret).
    assert parse_settings(shown, strict=True).service.url == "http://127.0.0.1:9000"
    unmasked = json.loads(run_config("show", "--config", str(path), "--unmasked").stdout)
    assert unmasked["service"]["token"] == "s3cret-token"


def test_every_secret_is_masked() -> None:
    secrets = [k.key for k in declared(Settings) if k.spec.secret]
    assert secrets == ["service.token"]
    shown = to_json(Settings())
    assert shown["service"]["token"] == MASK
