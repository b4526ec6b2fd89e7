"""The devices' settings (terminal.settings's `devices` section): card reader, serial scanner, camera, decoder,
keyboard wedge and receipt printer, each key declared once with its type, default, bounds and help.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from terminal.setting_fields import section, setting


def _encodings(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            codecs.lookup(name)
        except LookupError:
            return f"a list of text encodings Python knows ({name!r} is not one)"
    return None


def _port_name(port: str | None) -> str | None:
    return "a port name or URL (or null for none)" if port is not None and not port.strip() else None


_CAMERA_SOURCE = "a camera index (0, 1...), or a file, folder or URL"


def _camera_source(source: int | str) -> str | None:
    return _CAMERA_SOURCE if source == "" else None


@dataclass(frozen=True)
class CardReaderSettings:
    port: str | None = setting("/dev/ttyUSB0", "serial port or pyserial URL of the card reader (null: none)",
                               check=_port_name)
    baudrate: int = setting(9600, "baud rate", minimum=1)
    answer_timeout_s: float = setting(1.0, "how long one command waits for its answer", minimum=0.01,
                                      unit="of seconds")
    retries: int = setting(2, "resends of a command that got no usable answer", minimum=0, maximum=10)
    reconnect_interval_s: float = setting(1.0, "longest pause between attempts to reopen a lost port",
                                          minimum=0.01, unit="of seconds")


@dataclass(frozen=True)
class SerialScannerSettings:
    port: str | None = setting(None, "serial port or pyserial URL of the serial scanner (null: none)",
                               check=_port_name)
    baudrate: int = setting(9600, "baud rate", minimum=1)
    reconnect_interval_s: float = setting(1.0, "longest pause between attempts to reopen a lost port",
                                          minimum=0.01, unit="of seconds")
    # An e-voucher is ~250 bytes, so 2 KB leaves room without buffering a runaway.
    max_line_bytes: int = setting(2048, "longest line; a longer one is reported and skipped", minimum=16)
    read_timeout_s: float = setting(0.1, "longest a read blocks (how quickly close() is noticed)",
                                    minimum=0.001, unit="of seconds")
    # For scanners configured without a CR suffix.
    idle_flush_s: float | None = setting(0.5, "a partial line idle this long counts as a line "
                                              "(null: wait for the terminator)", minimum=0.001, unit="of seconds")
    encodings: tuple[str, ...] = setting(("utf-8", "gbk"), "text encodings tried in order", minimum=1,
                                         check=_encodings)


@dataclass(frozen=True)
class CameraSettings:
    # Off by default: most counters read e-vouchers with a scanner, and an absent camera would only
    # show as a device in trouble.
    enabled: bool = setting(False, "read e-vouchers and box codes with this camera at the counter")
    source: int | str = setting(0, "camera index, or a file, folder or URL (a simulated camera)",
                                minimum=0, check=_camera_source, says=_CAMERA_SOURCE)
    width: int = setting(1280, "frame width asked of the camera", minimum=1)
    height: int = setting(720, "frame height asked of the camera", minimum=1)
    fps: int = setting(30, "frame rate asked of the camera", minimum=1)
    dedup_s: float = setting(2.0, "a code still in view is reported again only after this long", minimum=0,
                             unit="of seconds")
    reopen_interval_s: float = setting(1.0, "pause between attempts to reopen a lost camera", minimum=0.01,
                                       unit="of seconds")
    loop: bool = setting(False, "replay a video or image folder source from the start when it ends")
    # The camera looks at an empty counter most of the day; decoding every frame of it costs more than
    # half a core (bench/camera_pipeline.py, docs/devices.md).
    idle_gate: bool = setting(True, "decode a frame only when the scene changed and looks like it holds a code, "
                                    "and now and then (false: decode every frame)")
    change_window_s: float = setting(1.0, "after the scene changed, frames that look like a code are decoded for "
                                          "this long (idle_gate)", minimum=0, maximum=60, unit="of seconds")
    idle_decode_interval_s: float = setting(1.0, "a scene in which nothing changes is still decoded this often "
                                                 "(idle_gate)", minimum=0.05, maximum=60, unit="of seconds")


# The codes a camera or a picture may hold, as devices.decoder.formats names them: the e-voucher's
# QR code; a drug box's traceability code as a Code 128 and often as a Data Matrix too; the box's
# drug barcode as an EAN-13 (EAN-8 and UPC-A on a few, mostly imported, boxes).
CODE_FORMATS = ("qr", "datamatrix", "code128", "ean13", "ean8", "upca")


@dataclass(frozen=True)
class DecoderSettings:
    order: tuple[str, ...] = setting(("zxing-cpp", "pyzbar", "opencv"), "decoders tried in order",
                                     minimum=1)
    # EAN-8 and UPC-A are left out by default: short linear codes are what a decoder most often
    # "reads" in a textured background (bench/decode_boxes.py counts such stray reads), and
    # Chinese drug boxes carry an EAN-13.
    formats: tuple[str, ...] = setting(("qr", "ean13", "code128", "datamatrix"),
                                       "codes read: qr (e-vouchers), ean13, ean8 and upca (a box's drug "
                                       "barcode), code128 and datamatrix (a box's traceability code); "
                                       "each decoder reads those it can (pyzbar no datamatrix, opencv only qr)",
                                       minimum=1, choices=CODE_FORMATS)
    max_payload_bytes: int = setting(2048, "largest code payload accepted", minimum=1)
    # Chosen on the photo corpus (bench/decode_corpus.py --explore): each step won codes
    # no earlier step did.
    still_steps: tuple[str, ...] = setting(("gray", "double", "blur"),
                                           "pre-processing steps for still images", minimum=1)
    camera_steps: tuple[str, ...] = setting(("gray",), "pre-processing steps for live camera frames",
                                            minimum=1)
    camera_fallbacks_per_frame: int | None = setting(1, "fallback decoders a live frame may try (null: all)",
                                                     minimum=0)


@dataclass(frozen=True)
class WedgeSettings:
    # A scanner types every few ms, a person rarely faster than ~60 ms, auto-repeat at ~33-40 ms.
    max_key_interval_ms: float = setting(30.0, "keys at most this far apart belong to one scan", minimum=0.1,
                                         unit="of milliseconds")
    # One key alone is never a scan, or every slow keystroke would be one.
    min_length: int = setting(6, "fewest characters of a scan", minimum=2)
    terminators: tuple[str, ...] = setting(("Enter", "Tab"), "keys that end a scan", minimum=0)
    prefix: str = setting("", "characters the scanner sends before each code")
    suffix: str = setting("", "characters the scanner sends after each code")
    # Off by default: a held-down key could otherwise pass for a scan.
    accept_unterminated: bool = setting(False, "a fast burst ended by a pause, without a terminator, is a scan")

    def problem(self) -> str | None:
        if not self.terminators and not self.suffix and not self.accept_unterminated:
            return ("terminators is empty and no suffix is set, so no scan could ever end; set a terminator, "
                    "a suffix or accept_unterminated")
        return None


PRINTER_KINDS = ("none", "dummy", "serial", "usb", "network", "file")
_USB_ID = 'four hex digits as lsusb shows them, such as "0416" (or null)'


def _encoding(name: str) -> str | None:
    return _encodings((name,))


def _drawer_pin(pin: int) -> str | None:
    return None if pin in (2, 5) else "2 or 5"


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = setting("none", "how the receipt printer is connected: none, dummy (kept in memory, for demos and "
                                "tests), serial, usb, network or file", choices=PRINTER_KINDS)
    port: str | None = setting(None, "serial: the port or pyserial URL, e.g. /dev/ttyUSB0", check=_port_name)
    baudrate: int = setting(9600, "serial: baud rate", minimum=1)
    usb_vendor_id: str | None = setting(None, "usb: the vendor id", pattern=r"(0x)?[0-9A-Fa-f]{4}", says=_USB_ID)
    usb_product_id: str | None = setting(None, "usb: the product id", pattern=r"(0x)?[0-9A-Fa-f]{4}", says=_USB_ID)
    host: str | None = setting(None, "network: the printer's host name or address", minimum=1)
    network_port: int = setting(9100, "network: the printer's TCP port", minimum=1, maximum=65535)
    path: str | None = setting(None, "file: the printer's device file, e.g. /dev/usb/lp0 (or a file that collects "
                                     "the bytes)", minimum=1)
    # The receipt's WIDTH_80MM and WIDTH_58MM (terminal.receipt).
    width: int = setting(42, "characters per line: 42 for 80 mm paper, 32 for 58 mm", minimum=24, maximum=64)
    encoding: str = setting("gbk", "text encoding the printer reads (GBK for Chinese printers); characters it "
                                   "cannot hold print as ?", minimum=1, check=_encoding)
    cut: bool = setting(True, "cut the paper after each receipt (printers with a cutter)")
    cash_drawer: bool = setting(True, "a cash drawer hangs on the printer's drawer port and opens for cash sales")
    drawer_pin: int = setting(2, "the drawer port pin the drawer is wired to (2 or 5)", check=_drawer_pin,
                              says="2 or 5")
    paper_check: bool = setting(True, "ask the printer for its paper sensor before each receipt and while idle "
                                      "(serial, USB and network printers; one that does not answer prints anyway)")
    timeout_s: float = setting(5.0, "how long to connect, and how long sending one receipt may take",
                               minimum=0.1, maximum=120, unit="of seconds")
    answer_timeout_s: float = setting(0.5, "how long to wait for the printer's status answer", minimum=0.01,
                                      maximum=10, unit="of seconds")
    reconnect_interval_s: float = setting(2.0, "longest pause between attempts to reach a lost printer",
                                          minimum=0.01, maximum=60, unit="of seconds")
    check_interval_s: float = setting(2.0, "how often an idle printer's connection and paper are checked",
                                      minimum=0.01, maximum=300, unit="of seconds")

    def problem(self) -> str | None:
        needs = {"serial": ("port",), "usb": ("usb_vendor_id", "usb_product_id"), "network": ("host",),
                 "file": ("path",)}
        missing = [key for key in needs.get(self.kind, ()) if getattr(self, key) is None]
        if missing:
            return f"a {self.kind} printer needs {' and '.join(missing)}"
        return None


@dataclass(frozen=True)
class DeviceSettings:
    card_reader: CardReaderSettings = section(CardReaderSettings, "the serial social security card reader")
    serial_scanner: SerialScannerSettings = section(SerialScannerSettings, "a serial barcode scanner")
    camera: CameraSettings = section(CameraSettings, "the camera that reads e-vouchers and box codes")
    decoder: DecoderSettings = section(DecoderSettings, "decoding the codes in camera frames and images")
    wedge: WedgeSettings = section(WedgeSettings, "a keyboard-wedge (USB HID) barcode scanner")
    printer: PrinterSettings = section(PrinterSettings, "the receipt printer (ESC/POS) and the cash drawer on it")
