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

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from terminal.config import config_path, load_override
from terminal.device_settings import (  # re-exported: they are terminal.settings' names too
    CODE_FORMATS as CODE_FORMATS,
)
from terminal.device_settings import (
    PRINTER_KINDS as PRINTER_KINDS,
)
from terminal.device_settings import (
    CameraSettings as CameraSettings,
)
from terminal.device_settings import (
    CardReaderSettings as CardReaderSettings,
)
from terminal.device_settings import (
    DecoderSettings as DecoderSettings,
)
from terminal.device_settings import (
    DeviceSettings as DeviceSettings,
)
from terminal.device_settings import (
    PrinterSettings as PrinterSettings,
)
from terminal.device_settings import (
    SerialScannerSettings as SerialScannerSettings,
)
from terminal.device_settings import (
    WedgeSettings as WedgeSettings,
)
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
    # A probe is a GET of the service's base address, nothing the service must work for: after an outage of
    # the whole chain each counter's backlog starts within this of the service's return (bench/fleet.py).
    probe_interval_s: float = setting(3.0, "how often the forwarder asks whether a service that is down "
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
class MetricsSettings:
    # Off unless asked: an open port on a counter PC is the IT team's decision, and loopback by default.
    port: int | None = setting(None, "port of the Prometheus metrics endpoint (/metrics) of the running counter "
                                     "and of `forward` (null: none)", minimum=1, maximum=65535)
    bind: str = setting("127.0.0.1", "address the metrics endpoint listens on: loopback, or the counter's LAN "
                                     "address for the chain's Prometheus", minimum=1)


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def is_logger_name(text: str) -> bool:
    """The MODULE of a MODULE=LEVEL switch (a logger name such as terminal.devices.camera): here, for the
    configuration's check, and for terminal.logs, which reads the same switches from the command line."""
    return bool(text.strip()) and not any(c.isspace() for c in text.strip())


def _module_levels(entries: tuple[str, ...]) -> str | None:
    for entry in entries:
        module, sep, level = entry.partition("=")
        if not sep or not is_logger_name(module) or level.lower() not in LOG_LEVELS:
            return f"a list of MODULE=LEVEL such as \"terminal.devices.camera=debug\" ({entry!r} is not one)"
    return None


@dataclass(frozen=True)
class LoggingSettings:
    # stderr by default: under systemd that is journald, which rotates and keeps it with the unit's name.
    level: str = setting("info", "lowest level logged (the command line's --log-level overrides it)",
                         choices=LOG_LEVELS)
    file: str = setting("", "a log file, rotated by size (empty: JSON lines on stderr, which journald keeps)")
    max_bytes: int = setting(10 * 1024 * 1024, "size at which the log file is rotated", minimum=64 * 1024,
                             unit="bytes")
    backups: int = setting(5, "rotated log files kept beside it", minimum=1, maximum=100)
    modules: tuple[str, ...] = setting((), "levels for single modules, such as \"terminal.devices.camera=debug\"",
                                       minimum=0, check=_module_levels)
    levels_file: str = setting("", "the switch `log-level` writes and running processes re-read (empty: "
                                   "log-levels.json in the state folder)")


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
    metrics: MetricsSettings = section(MetricsSettings, "health for the chain's monitoring (Prometheus)")
    logging: LoggingSettings = section(LoggingSettings, "structured logs: where, how much, per-module levels")


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
