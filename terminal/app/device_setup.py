"""Which ports and cameras this machine has, and saving a technician's choice to the terminal's own file.

The choice (the card reader's port, the serial scanner's port, the camera source)
goes into the override file the counter was started with (`run --config FILE`
or TERMINAL_CONFIG): read, changed in those three keys only, checked whole with
the settings loader, and replaced atomically (a power cut leaves the old file or
the new one), so every other key stays as the technician's colleagues wrote it.
The devices open their ports once, at start: the choice applies after a restart.

Everything here blocks (files, /sys, pyserial's scan): the UI calls it on a worker.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.config import MAX_CONFIG_BYTES
from terminal.errors import BadInput, ConfigError
from terminal.faults import file_fault
from terminal.files import read_json_file, write_atomically
from terminal.settings import Settings, parse_settings

_VIDEO = re.compile(r"video(\d+)")


@dataclass(frozen=True)
class PortInfo:
    device: str  # what goes into the configuration: /dev/ttyUSB0, a pty link, a pyserial URL
    description: str  # what the system says it is ("USB-Serial Controller"), or ""


@dataclass(frozen=True)
class DeviceChoice:
    card_reader_port: str | None  # None: no card reader at this counter
    scanner_port: str | None  # None: no serial scanner
    camera_source: int | str  # a camera index, a /dev/video path, a file, folder or URL
    camera_enabled: bool

    @classmethod
    def of(cls, settings: Settings) -> DeviceChoice:
        devices = settings.devices
        return cls(devices.card_reader.port, devices.serial_scanner.port, devices.camera.source,
                   devices.camera.enabled)


class NoConfigFile(BadInput):
    """The counter was started on the built-in settings: there is no file of its own to save into."""

    def __init__(self) -> None:
        super().__init__("This counter was started without a configuration file of its own, so the choice "
                         "cannot be saved: start it with run --config FILE (or TERMINAL_CONFIG) and save again.")


def parse_port(text: str) -> str | None:
    """A port as typed or chosen: blank means none."""
    text = text.strip()
    return text or None


def parse_camera_source(text: str) -> int | str:
    """A camera as typed or chosen: a number is a camera index, anything else a path or URL."""
    text = text.strip()
    if not text:
        raise BadInput("Choose a camera or type its source: a number, a /dev/video device, a folder or a URL.")
    return int(text) if text.isdigit() else text


def serial_ports() -> list[PortInfo]:
    """The serial ports the system knows (USB adapters, built-in ports), by pyserial."""
    from serial.tools import list_ports  # imported here: a scan is the only use, and it is slow-ish

    found = [PortInfo(p.device, p.description if p.description and p.description != "n/a" else "")
             for p in list_ports.comports()]
    return sorted(found, key=lambda p: p.device)


def cameras(dev: Path = Path("/dev"), sysfs: Path = Path("/sys/class/video4linux")) -> list[PortInfo]:
    """The V4L2 camera devices (/dev/videoN), named as the kernel names them; none are opened."""
    found = []
    try:
        names = sorted(dev.glob("video*"), key=lambda p: _video_index(p.name))
    except OSError:
        return []
    for path in names:
        index = _video_index(path.name)
        if index < 0:
            continue
        try:
            label = (sysfs / path.name / "name").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            label = ""
        found.append(PortInfo(str(index), f"{path} {label}".strip()))
    return found


def _video_index(name: str) -> int:
    match = _VIDEO.fullmatch(name)
    return int(match.group(1)) if match else -1


def save_device_choice(path: Path | None, choice: DeviceChoice) -> Settings:
    """Write the choice into the terminal's configuration file; the settings it now holds.

    NoConfigFile without a file; ConfigError (naming the key) when the choice or the file is not a valid
    configuration, in which case nothing is written; EnvironmentFault when the file cannot be written
    (read-only, disk full).
    """
    if path is None:
        raise NoConfigFile()
    if path.exists():
        raw = read_json_file(path, "configuration", config=True, max_bytes=MAX_CONFIG_BYTES)
        if not isinstance(raw, dict):
            raise ConfigError(f"The configuration file {path} must hold a JSON object.")
        mode = stat.S_IMODE(os.stat(path).st_mode)
    else:
        raw, mode = {}, 0o644
    data = _with_choice(raw, choice, path)
    settings = parse_settings(data, source=str(path))  # a bad port or source names its key; nothing written
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if path.exists() and not mode & 0o222:
        # Replacing the file would succeed in a writable folder, but whoever made it read-only meant it.
        raise file_fault(PermissionError(errno.EACCES, "the file is read-only", str(path)), path,
                         "configuration", config=True)
    try:
        write_atomically(path, text.encode("utf-8"), mode=mode)
    except OSError as exc:
        raise file_fault(exc, path, "configuration", config=True, creating=not path.exists()) from None
    return settings


def _with_choice(raw: dict[str, Any], choice: DeviceChoice, path: Path) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    devices = _section(data, "devices", path)
    _section(devices, "card_reader", path)["port"] = choice.card_reader_port
    _section(devices, "serial_scanner", path)["port"] = choice.scanner_port
    camera = _section(devices, "camera", path)
    camera["source"] = choice.camera_source
    camera["enabled"] = choice.camera_enabled
    return data


def _section(parent: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = parent.setdefault(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"The configuration file {path} holds {key} as something other than an object; "
                          "fix the file first.")
    return value
