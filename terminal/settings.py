"""Typed device settings, parsed once from the merged configuration.

The shipped defaults live in config/devices.json under "devices"; a terminal
overrides any key with its own JSON file (TERMINAL_CONFIG / --config, deep-merged
by terminal.config). Simulated and real devices differ only in these values (a
port URL such as a pty path, `socket://...` or `/dev/ttyUSB0`; a camera index,
file or URL), so there is no "simulated" switch anywhere.

Every value is checked here, and a bad one is a ConfigError naming its key, so a
typo in a terminal's override fails at start-up with a sentence a technician can
act on instead of deep inside a device thread. Keys this module does not know are
logged (with their full path) and otherwise ignored, so that a newer
configuration file does not stop an older terminal; `strict=True` refuses them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from terminal.errors import ConfigError

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class CardReaderSettings:
    port: str | None = "/dev/ttyUSB0"
    baudrate: int = 9600
    answer_timeout_s: float = 1.0
    retries: int = 2
    reconnect_interval_s: float = 1.0


@dataclass(frozen=True)
class SerialScannerSettings:
    # None: no serial scanner on this counter.
    port: str | None = None
    baudrate: int = 9600
    reconnect_interval_s: float = 1.0
    # A line longer than this without a terminator is discarded and reported: an
    # e-voucher is ~250 bytes, so 2 KB leaves room without buffering a runaway.
    max_line_bytes: int = 2048
    # How long one read may block; bounds how quickly the reader notices stop().
    read_timeout_s: float = 0.1
    # A partial line idle this long is delivered as a line (scanners configured
    # without a CR suffix); None waits for the terminator forever.
    idle_flush_s: float | None = 0.5
    encodings: tuple[str, ...] = ("utf-8", "gbk")


@dataclass(frozen=True)
class CameraSettings:
    # A device index, or a file, folder or URL (a simulated camera).
    source: int | str = 0
    width: int = 1280
    height: int = 720
    fps: int = 30
    dedup_s: float = 2.0
    reopen_interval_s: float = 1.0
    # Replay a video or image folder source from the start when it ends.
    loop: bool = False


@dataclass(frozen=True)
class DecoderSettings:
    order: tuple[str, ...] = ("zxing-cpp", "pyzbar", "opencv")
    max_payload_bytes: int = 2048
    # Pre-processing steps (names from terminal.devices.decoding.preprocess) for still
    # images and for live camera frames.
    still_steps: tuple[str, ...] = ("gray", "double", "blur")
    camera_steps: tuple[str, ...] = ("gray",)
    # How many fallback backends a live frame may try (None: all).
    camera_fallbacks_per_frame: int | None = 1


@dataclass(frozen=True)
class WedgeSettings:
    # Keys at most this far apart belong to one burst (a scanner types every few ms,
    # a person rarely faster than ~60 ms, key auto-repeat at ~33-40 ms).
    max_key_interval_ms: float = 30
    min_length: int = 6
    terminators: tuple[str, ...] = ("Enter", "Tab")
    prefix: str = ""
    suffix: str = ""
    # Whether a fast burst that ends by a pause, without a terminator, is a scan.
    # Off by default: a held-down key could otherwise pass for a scan.
    accept_unterminated: bool = False


@dataclass(frozen=True)
class DeviceSettings:
    card_reader: CardReaderSettings = field(default_factory=CardReaderSettings)
    serial_scanner: SerialScannerSettings = field(default_factory=SerialScannerSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    decoder: DecoderSettings = field(default_factory=DecoderSettings)
    wedge: WedgeSettings = field(default_factory=WedgeSettings)


def load_device_settings(override: str | None = None, *, strict: bool = False) -> DeviceSettings:
    """Device settings of this terminal: shipped defaults merged with its override file."""
    from terminal.config import load_config

    return parse_device_settings(load_config(override), strict=strict)


def parse_device_settings(config: Mapping[str, Any], *, strict: bool = False) -> DeviceSettings:
    """DeviceSettings from the merged configuration dict (its "devices" section)."""
    devices = config.get("devices", {})
    if not isinstance(devices, Mapping):
        raise ConfigError("The configuration key devices must be an object.")
    known = {"card_reader", "serial_scanner", "camera", "decoder", "wedge"}
    _unknown_keys(devices, known, "devices", strict)
    return DeviceSettings(
        card_reader=_card_reader(_section(devices, "card_reader"), strict),
        serial_scanner=_serial_scanner(_section(devices, "serial_scanner"), strict),
        camera=_camera(_section(devices, "camera"), strict),
        decoder=_decoder(_section(devices, "decoder"), strict),
        wedge=_wedge(_section(devices, "wedge"), strict),
    )


def _section(devices: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = devices.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"The configuration key devices.{name} must be an object.")
    return value


class _Reader:
    """Reads one section's keys, falling back to the dataclass defaults."""

    def __init__(self, section: Mapping[str, Any], name: str, cls: type[Any], strict: bool) -> None:
        self.section = section
        self.name = name
        self.defaults = cls()
        _unknown_keys(section, {f.name for f in fields(cls)}, f"devices.{name}", strict)

    def key(self, key: str) -> str:
        return f"devices.{self.name}.{key}"

    def get(self, key: str, check: Callable[[str, Any], T]) -> T:
        if key not in self.section:
            default: T = getattr(self.defaults, key)
            return default
        return check(self.key(key), self.section[key])


def _unknown_keys(section: Mapping[str, Any], known: set[str], path: str, strict: bool) -> None:
    for key in section:
        if key not in known:
            if strict:
                raise ConfigError(f"The configuration key {path}.{key} is not known; check its spelling.")
            log.warning("ignoring unknown configuration key %s.%s", path, key)


def _bad(key: str, what: str, value: Any) -> ConfigError:
    return ConfigError(f"The configuration key {key} must be {what}.", detail=f"got {value!r}")


def _int(minimum: int) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _bad(key, f"a whole number of at least {minimum}", value)
        return value

    return check


def _float(*, positive: bool = True) -> Callable[[str, Any], float]:
    def check(key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise _bad(key, "a number", value)
        if positive and value <= 0:
            raise _bad(key, "a number greater than 0", value)
        if not positive and value < 0:
            raise _bad(key, "a number of at least 0", value)
        return float(value)

    return check


def _optional_int(minimum: int) -> Callable[[str, Any], int | None]:
    def check(key: str, value: Any) -> int | None:
        return None if value is None else _int(minimum)(key, value)

    return check


def _optional_float(key: str, value: Any) -> float | None:
    return None if value is None else _float()(key, value)


def _port(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(key, "a port name or URL (or null for none)", value)
    return value


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _bad(key, "a string", value)
    return value


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(key, "true or false", value)
    return value


def _strings(*, allow_empty: bool) -> Callable[[str, Any], tuple[str, ...]]:
    def check(key: str, value: Any) -> tuple[str, ...]:
        if (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)
                or (not allow_empty and not value)):
            what = "a list of names" if allow_empty else "a non-empty list of names"
            raise _bad(key, what, value)
        return tuple(value)

    return check


def _encodings(key: str, value: Any) -> tuple[str, ...]:
    import codecs

    names = _strings(allow_empty=False)(key, value)
    for name in names:
        try:
            codecs.lookup(name)
        except LookupError:
            raise _bad(key, "a list of text encodings Python knows", value) from None
    return names


def _camera_source(key: str, value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise _bad(key, "a camera index, or a file, folder or URL", value)
    if isinstance(value, int) and value < 0:
        raise _bad(key, "a camera index of at least 0", value)
    return value


def _card_reader(section: Mapping[str, Any], strict: bool) -> CardReaderSettings:
    r = _Reader(section, "card_reader", CardReaderSettings, strict)
    return CardReaderSettings(
        port=r.get("port", _port),
        baudrate=r.get("baudrate", _int(1)),
        answer_timeout_s=r.get("answer_timeout_s", _float()),
        retries=r.get("retries", _int(0)),
        reconnect_interval_s=r.get("reconnect_interval_s", _float()),
    )


def _serial_scanner(section: Mapping[str, Any], strict: bool) -> SerialScannerSettings:
    r = _Reader(section, "serial_scanner", SerialScannerSettings, strict)
    return SerialScannerSettings(
        port=r.get("port", _port),
        baudrate=r.get("baudrate", _int(1)),
        reconnect_interval_s=r.get("reconnect_interval_s", _float()),
        max_line_bytes=r.get("max_line_bytes", _int(16)),
        read_timeout_s=r.get("read_timeout_s", _float()),
        idle_flush_s=r.get("idle_flush_s", _optional_float),
        encodings=r.get("encodings", _encodings),
    )


def _camera(section: Mapping[str, Any], strict: bool) -> CameraSettings:
    r = _Reader(section, "camera", CameraSettings, strict)
    return CameraSettings(
        source=r.get("source", _camera_source),
        width=r.get("width", _int(1)),
        height=r.get("height", _int(1)),
        fps=r.get("fps", _int(1)),
        dedup_s=r.get("dedup_s", _float(positive=False)),
        reopen_interval_s=r.get("reopen_interval_s", _float()),
        loop=r.get("loop", _bool),
    )


def _decoder(section: Mapping[str, Any], strict: bool) -> DecoderSettings:
    r = _Reader(section, "decoder", DecoderSettings, strict)
    return DecoderSettings(
        order=r.get("order", _strings(allow_empty=False)),
        max_payload_bytes=r.get("max_payload_bytes", _int(1)),
        still_steps=r.get("still_steps", _strings(allow_empty=False)),
        camera_steps=r.get("camera_steps", _strings(allow_empty=False)),
        camera_fallbacks_per_frame=r.get("camera_fallbacks_per_frame", _optional_int(0)),
    )


def _wedge(section: Mapping[str, Any], strict: bool) -> WedgeSettings:
    r = _Reader(section, "wedge", WedgeSettings, strict)
    settings = WedgeSettings(
        max_key_interval_ms=r.get("max_key_interval_ms", _float()),
        # One key alone is never a scan, or every slow keystroke would be one.
        min_length=r.get("min_length", _int(2)),
        terminators=r.get("terminators", _strings(allow_empty=True)),
        prefix=r.get("prefix", _string),
        suffix=r.get("suffix", _string),
        accept_unterminated=r.get("accept_unterminated", _bool),
    )
    if not settings.terminators and not settings.suffix and not settings.accept_unterminated:
        raise ConfigError("The configuration key devices.wedge.terminators is empty and no suffix is set, "
                          "so no scan could ever end; set a terminator, a suffix or accept_unterminated.")
    return settings
