"""Every setting of the terminal, declared once: type, default, bounds and help.

The defaults are the embedded demo terminal (a pharmacy on the simulated
service and devices), so `make demo` needs no file. A real counter names its
own JSON file (`--config FILE` or TERMINAL_CONFIG) holding only what differs,
e.g. {"service": {"url": "https://..."}, "devices": {"card_reader": {"port":
"/dev/card-reader"}}}. Simulated and real devices differ only in port URLs
and the camera source. `python -m terminal config show` prints the effective
settings, `config check` validates a file, and docs/configuration.md lists
every key (generated from these declarations by `config doc`).

Typed dataclasses with one loader (terminal.setting_fields) rather than
pydantic-settings: no coercion to switch off, error sentences in the
terminal's own words naming the key and the file, no extra import time in
every command, and frozen objects the device threads can share.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from terminal.config import config_path, load_override
from terminal.errors import ConfigError
from terminal.protocol import MSGID_BLOCKS
from terminal.setting_fields import Loader, section, setting

_CODE = r"[0-9A-Za-z]{12}"
_REGION = r"\d{6}"


def http_url_problem(url: str) -> str | None:
    """What a service URL must be, or None when it is one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "an http:// or https:// address such as http://127.0.0.1:8080"
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "an address with a port from 1 to 65535"
    return None


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
class TerminalSettings:
    fixmedins_code: str = setting("P12010100001", "institution code the platform gave this pharmacy or hospital",
                                  pattern=_CODE, says="12 letters or digits")
    fixmedins_name: str = setting("Heping Street Pharmacy (demo)", "institution name, printed on receipts",
                                  minimum=1, maximum=100)
    mdtrtarea_admvs: str = setting("120000", "region code of the place of treatment",
                                   pattern=_REGION, says="6 digits")
    insuplc_admdvs: str = setting("120000", "default region code of the insured",
                                  pattern=_REGION, says="6 digits")
    recer_sys_code: str = setting("CTERM", "code of this receiving system", minimum=1, maximum=20)
    dev_no: str = setting("CT-0001", "this counter's device number, unique in the institution",
                          minimum=1, maximum=30, required_with=("fixmedins_code",))
    msgid_block: int = setting(0, "this till's block of msgid sequence numbers (0-99), unique in the "
                                  "institution: the service refuses a block another dev_no uses",
                               minimum=0, maximum=MSGID_BLOCKS - 1, required_with=("dev_no", "fixmedins_code"))
    opter: str = setting("0001", "operator number used until an operator signs in", minimum=1, maximum=30)
    opter_name: str = setting("Demo Cashier", "operator name used until an operator signs in",
                              minimum=1, maximum=50)
    opter_type: str = setting("1", "operator type on the envelope", choices=("1", "2", "3"))
    state_dir: str = setting("~/.local/state/counter-terminal",
                             "folder for the terminal's own state (msgid sequence, journal); "
                             "TERMINAL_STATE_DIR overrides it", minimum=1)


@dataclass(frozen=True)
class ServiceSettings:
    url: str = setting("http://127.0.0.1:8080", "base URL of the settlement service", check=http_url_problem,
                       says="an http:// or https:// address such as http://127.0.0.1:8080")
    paasid: str = setting("counter-terminal-demo", "x-tif-paasid this terminal signs with",
                          minimum=1, maximum=64)
    token: str = setting("demo-token-not-secret", "signing token (a secret)", minimum=1, secret=True)
    connect_timeout_s: float = setting(2.0, "how long to wait for a connection", minimum=0.1, maximum=60,
                                       unit="of seconds")
    read_timeout_s: float = setting(10.0, "how long to wait for an answer before the outcome is unknown",
                                    minimum=0.5, maximum=300, unit="of seconds")
    connect_retries: int = setting(2, "connection attempts after the first (same msgid)", minimum=0, maximum=10)


@dataclass(frozen=True)
class VoucherSettings:
    issuer_public_key: str = setting("demo-issuer-key.pub.pem",
                                     "e-voucher issuer's public key (PEM); relative paths are under config/",
                                     minimum=1)
    clock_skew_s: int = setting(30, "tolerated clock difference when judging a voucher's expiry",
                                minimum=0, maximum=600, unit="of seconds")

    def issuer_key_path(self) -> Path:
        path = Path(self.issuer_public_key).expanduser()
        return path if path.is_absolute() else config_path(self.issuer_public_key)


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


@dataclass(frozen=True)
class OfflineSettings:
    journal: str | None = setting(None, "the journal file (null: journal.db in the state folder)", minimum=1)
    max_sale_amount: Decimal = setting(Decimal("500.00"), "largest medical fee total of one sale made offline",
                                       minimum=0)
    max_outstanding_amount: Decimal = setting(Decimal("5000.00"), "largest total of sales waiting to be "
                                                                  "forwarded", minimum=0)
    max_queued_sales: int = setting(200, "most sales waiting to be forwarded", minimum=0)
    max_queue_age_h: float = setting(72.0, "no sale goes offline while the oldest waiting one is older than this",
                                     minimum=0, unit="of hours")
    catalog_max_age_h: float = setting(24.0, "the catalog and policy copy is refreshed at least this often "
                                             "while the service answers", minimum=0.01, unit="of hours")
    retry_min_s: float = setting(1.0, "first pause before forwarding a sale again", minimum=0.01,
                                 unit="of seconds")
    retry_max_s: float = setting(300.0, "longest pause before forwarding a sale again", minimum=0.01,
                                 unit="of seconds")
    probe_interval_s: float = setting(15.0, "how often the forwarder asks whether a service that is down "
                                            "answers again", minimum=0.1, unit="of seconds")
    unknown_outcome_attempts: int = setting(20, "resends of a message whose outcome stays unknown before a "
                                                "person must look at it", minimum=1)
    personal_data_days: int = setting(90, "days the certificate and names of a finished sale stay in the "
                                          "journal before they are masked", minimum=1)

    def problem(self) -> str | None:
        if self.retry_max_s < self.retry_min_s:
            return "retry_max_s is shorter than retry_min_s"
        return None


@dataclass(frozen=True)
class OperatorSettings:
    file: str = setting("operators.json", "the operators file: numbers, names, roles and hashed PINs "
                                          "(docs/operators.md); relative paths are under config/", minimum=1)
    max_wrong_pins: int = setting(5, "wrong PINs in a row that lock an operator number", minimum=1, maximum=100)
    lock_minutes: float = setting(5.0, "how long a number stays locked after too many wrong PINs", minimum=0.1,
                                  maximum=1440, unit="of minutes")
    idle_lock_minutes: float = setting(5.0, "time without a key, scan or click before the counter screen locks "
                                            "and asks for the PIN again", minimum=0.5, maximum=480,
                                       unit="of minutes")

    def file_path(self) -> Path:
        path = Path(self.file).expanduser()
        return path if path.is_absolute() else config_path(self.file)


@dataclass(frozen=True)
class CounterSettings:
    language: str = setting("zh_CN", "language of the counter screens at start (switchable at sign-in)",
                            choices=("zh_CN", "en"))
    customer_display: str = setting("auto", "the customer-facing window: on a second screen when one is "
                                            "connected (auto), always (on, a window of its own) or never (off)",
                                    choices=("auto", "on", "off"))
    receipt_pdf_dir: str | None = setting(None, "folder for each receipt as a PDF (null: receipts/ in the state "
                                                "folder)", minimum=1)
    desk: str = setting("pharmacy", "what this counter is: a pharmacy till (pharmacy), a hospital's outpatient "
                                    "registration and payment desk (outpatient) or its admission and discharge desk "
                                    "(inpatient); the clerk lands on that screen after signing in",
                        choices=("pharmacy", "outpatient", "inpatient"))
    fee_batch: int = setting(100, "hospital fees uploaded per message (2204, 2301): a long stay's fee list goes "
                                  "in batches of this many, each journaled", minimum=1, maximum=1000)

    def receipt_folder(self, state: Path) -> Path:
        return Path(self.receipt_pdf_dir).expanduser() if self.receipt_pdf_dir else state / "receipts"


@dataclass(frozen=True)
class Settings:
    terminal: TerminalSettings = section(TerminalSettings, "who this counter is")
    service: ServiceSettings = section(ServiceSettings, "the settlement service")
    voucher: VoucherSettings = section(VoucherSettings, "checking e-vouchers offline")
    devices: DeviceSettings = section(DeviceSettings, "the counter's devices")
    offline: OfflineSettings = section(OfflineSettings, "selling while the service cannot be reached, and "
                                                        "forwarding later")
    operators: OperatorSettings = section(OperatorSettings, "who may sign in at this counter, and when the "
                                                            "screen locks")
    counter: CounterSettings = section(CounterSettings, "the counter screens: language, customer display, "
                                                        "receipt PDFs, the desk")


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    source: str | None  # the override file, or None for the embedded defaults
    warnings: tuple[str, ...]


def load(override: str | Path | None = None, *, strict: bool = False) -> Loaded:
    """The effective settings: the embedded defaults with this terminal's file over them.

    The file is `override`, else TERMINAL_CONFIG, else none. `strict` refuses
    unknown keys (config check); otherwise they are logged and ignored, so an
    older terminal still starts with a newer file.
    """
    path, raw = load_override(override)
    loader = Loader(str(path) if path else "the built-in defaults", strict=strict)
    settings = loader.read(Settings, raw)
    return Loaded(settings, str(path) if path else None, tuple(loader.warnings))


def load_settings(override: str | Path | None = None, *, strict: bool = False) -> Settings:
    return load(override, strict=strict).settings


def parse_settings(raw: Any, *, source: str = "the configuration", strict: bool = False) -> Settings:
    """Settings from an already-read JSON object (tests, a configuration sent by other means)."""
    return Loader(source, strict=strict).read(Settings, raw)


def load_device_settings(override: str | Path | None = None, *, strict: bool = False) -> DeviceSettings:
    return load_settings(override, strict=strict).devices


def journal_path(settings: Settings) -> Path:
    """The journal's file: offline.journal, or journal.db in the state folder."""
    named = settings.offline.journal
    return Path(named).expanduser() if named else state_dir(settings) / "journal.db"


def state_dir(settings: Settings) -> Path:
    """Where this terminal keeps its own state (msgid sequence, journal)."""
    raw = os.environ.get("TERMINAL_STATE_DIR") or settings.terminal.state_dir
    if not raw:
        raise ConfigError("The configuration needs terminal.state_dir, a folder for the terminal's state.")
    return Path(raw).expanduser()
