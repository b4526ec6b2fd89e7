"""Logs a technician can use: one JSON object a line, personal data masked, levels changed while running.

A process started as `python -m terminal ...` logs through `configure`: one handler on the root logger
(so the simulators' and the libraries' lines too) writing JSON lines to stderr, which journald keeps for
the systemd units, or to a size-rotated file when `logging.file` is set. Every line's message, traceback
and extra fields pass through `mask_log`, the one masking function, inside the formatter: no call site
can forget it. It masks resident ID numbers wherever they appear, and the names and ID numbers this
process has been told of (`remember`: the service's answers, cards read, the simulators' persons), since a
name in free text cannot be recognised by its shape.

A technician turns a module's debug lines on and off in running counters with
`python -m terminal log-level terminal.devices.camera=debug`: it writes the levels file, which every
process of this terminal re-reads within `POLL_S` (at once on SIGHUP: `systemctl reload`), so no unit
restarts.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import signal
import sys
import threading
import traceback
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from terminal.errors import BadInput, ConfigError
from terminal.files import read_json_file
from terminal.privacy import ID_FIELDS, NAME_FIELDS, mask_fields, mask_id, mask_name, redact
from terminal.settings import LOG_LEVELS, Settings, is_logger_name, state_dir

LEVELS = LOG_LEVELS
POLL_S = 2.0
# Enough for a long day of persons at a busy counter; the oldest are forgotten first.
REMEMBERED = 5000
MAX_LEVELS_BYTES = 64 * 1024
# The attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_RECORD_KEYS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}

_lock = threading.Lock()
_names: OrderedDict[str, None] = OrderedDict()
_ids: OrderedDict[str, None] = OrderedDict()
# One alternation of everything remembered, rebuilt when something new is remembered: a line costs one
# search however many persons the process has seen.
_known: re.Pattern[str] | None = None
_known_names: frozenset[str] = frozenset()


def _add(seen: OrderedDict[str, None], values: Iterable[str | None], shortest: int) -> bool:
    added = False
    for value in values:
        if isinstance(value, str) and len(value.strip()) >= shortest:
            added = added or value.strip() not in seen
            seen[value.strip()] = None
            seen.move_to_end(value.strip())
    while len(seen) > REMEMBERED:
        seen.popitem(last=False)
    return added


def remember(*, names: Iterable[str | None] = (), ids: Iterable[str | None] = ()) -> None:
    """Names and ID numbers that must never reach a log line unmasked (a person this process handles)."""
    global _known
    with _lock:
        # A one-letter name or a three-digit number would mask half of every line; privacy.redact agrees.
        if _add(_names, names, 2) | _add(_ids, ids, 4):
            _known = None


# "name" alone names drugs and operators too; a card's holder is remembered by the card record itself.
PERSON_NAME_FIELDS = tuple(f for f in NAME_FIELDS if f != "name")


def remember_fields(data: Any) -> None:
    """`remember` the name and ID fields of a JSON value (an answer, a person), nested ones too."""
    names: list[str] = []
    ids: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(item, str):
                    (names if key in PERSON_NAME_FIELDS else ids if key in ID_FIELDS else []).append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    remember(names=names, ids=ids)


def mask_log(value: Any) -> Any:
    """The one masking function of every log line: text with known names and any ID number masked; a JSON
    object with its name and ID fields masked, then its text the same way."""
    if isinstance(value, Mapping):
        return {str(k): mask_log(v) for k, v in mask_fields(value).items()}
    if isinstance(value, list | tuple):
        return [mask_log(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    return _mask_known(redact(str(value)))


def _mask_known(text: str) -> str:
    global _known, _known_names
    with _lock:
        if _known is None:
            # Longest first, so a name inside a longer one is not masked half.
            values = sorted({*_names, *_ids}, key=len, reverse=True)
            _known = re.compile("|".join(map(re.escape, values))) if values else re.compile(r"(?!)")
            _known_names = frozenset(_names)
        known, names = _known, _known_names
    return known.sub(lambda m: mask_name(m[0]) if m[0] in names else mask_id(m[0]), text)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: ts (UTC), level, logger, msg, thread, pid, exc, and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except (TypeError, ValueError) as exc:  # a call site whose arguments do not fit its format
            message = f"{record.msg!r} {record.args!r} (not formatted: {exc})"
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "msg": mask_log(message),
            "thread": record.threadName, "pid": record.process,
        }
        if record.exc_info:
            line["exc"] = mask_log("".join(traceback.format_exception(*record.exc_info)).rstrip())
        for key, value in vars(record).items():
            if key not in _RECORD_KEYS and key not in line:
                line[key] = mask_log(value if isinstance(value, Mapping | list | int | None) else str(value))
        return json.dumps(line, ensure_ascii=False, default=str)


def parse_level(text: str) -> int:
    if text.lower() not in LEVELS:
        raise BadInput(f"The log level {text!r} is not one of {', '.join(LEVELS)}.")
    return int(logging.getLevelName(text.upper()))


def parse_switch(text: str) -> tuple[str, str]:
    """`MODULE=LEVEL` (a logger name such as terminal.devices.camera) into its two parts."""
    module, sep, level = text.partition("=")
    if not sep or not is_logger_name(module):
        raise BadInput(f"{text!r} is not MODULE=LEVEL, such as terminal.devices.camera=debug.")
    parse_level(level)
    return module.strip(), level.lower()


def read_levels(path: Path) -> dict[str, str]:
    """The levels file: a JSON object of logger name -> level. A missing file is no switch."""
    if not path.exists():
        return {}
    data = read_json_file(path, "log levels", config=True, max_bytes=MAX_LEVELS_BYTES)
    if not isinstance(data, dict):
        raise ConfigError(f"The log levels file {path} must hold a JSON object of module -> level.")
    levels = {}
    for module, level in data.items():
        if not isinstance(level, str):
            raise ConfigError(f"The log levels file {path} gives {module!r} a level that is not text.")
        levels[parse_switch(f"{module}={level}")[0]] = level.lower()
    return levels


def write_levels(path: Path, levels: Mapping[str, str]) -> None:
    """Replace the levels file in one step (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(dict(sorted(levels.items())), indent=2) + "\n", encoding="utf-8")
    os.replace(part, path)


class LevelSwitch:
    """Applies the base level, the configuration's per-module levels and the levels file; re-reads the file
    when it changes (polled on its own thread) or on SIGHUP."""

    def __init__(self, base: int, modules: Mapping[str, str], path: Path | None) -> None:
        self.base, self.modules, self.path = base, dict(modules), path
        self._applied: set[str] = set()
        self._stamp: tuple[int, int] | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def apply(self) -> dict[str, str]:
        """Set every level now; the levels from the file win over the configuration's."""
        from_file: dict[str, str] = {}
        if self.path is not None:
            try:
                from_file = read_levels(self.path)
            except (ConfigError, BadInput) as exc:
                logging.getLogger(__name__).error("log levels file ignored: %s", exc.cashier_message)
        wanted = {**self.modules, **from_file}
        logging.getLogger().setLevel(self.base)
        for name in self._applied - set(wanted):
            logging.getLogger(name).setLevel(logging.NOTSET)  # back to what its parent says
        for name, level in wanted.items():
            logging.getLogger(name).setLevel(parse_level(level))
        self._applied = set(wanted)
        return wanted

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat() if self.path is not None else None
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size) if st is not None else None

    def start(self) -> None:
        self._stamp = self._file_stamp()
        self.apply()
        if self.path is None:
            return
        self._thread = threading.Thread(target=self._watch, name="log-levels", daemon=True)
        self._thread.start()

    def reload(self) -> None:
        """Re-read the levels file soon (a SIGHUP handler may call this)."""
        self._wake.set()

    def _watch(self) -> None:
        while not self._stop.is_set():
            forced = self._wake.wait(POLL_S)
            self._wake.clear()
            stamp = self._file_stamp()
            if forced or stamp != self._stamp:
                self._stamp = stamp
                wanted = self.apply()
                # Warning: it must show at any level, since it says what the lines around it mean.
                logging.getLogger(__name__).warning("log levels now %s", wanted or "as configured")

    def forget(self) -> None:
        """Every module this switch set back to its parent's level."""
        for name in self._applied:
            logging.getLogger(name).setLevel(logging.NOTSET)
        self._applied = set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=POLL_S + 1)


def rotating_file(path: Path, max_bytes: int, backups: int) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True)
    return logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")


_installed: tuple[logging.Handler, LevelSwitch, int, Any] | None = None


def install(handler: logging.Handler, switch: LevelSwitch) -> None:
    """Make `handler` the root logger's one handler (JSON, masked) and start `switch`; replaces an earlier one."""
    global _installed
    uninstall()
    before = logging.getLogger().level
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    logging.captureWarnings(True)
    switch.start()
    hangup = None
    # SIGHUP is `systemctl reload` for the counter and forward; a simulator started in a terminal takes it
    # back afterwards (a closed terminal ends it), and the file is still re-read on its own.
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGHUP"):
        hangup = signal.signal(signal.SIGHUP, lambda _signum, _frame: switch.reload())
    _installed = (handler, switch, before, hangup)


def uninstall() -> None:
    global _installed
    if _installed is None:
        return
    handler, switch, before, hangup = _installed
    if hangup is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGHUP, hangup)
    switch.stop()
    switch.forget()
    logging.getLogger().setLevel(before)
    logging.getLogger().removeHandler(handler)
    handler.close()
    _installed = None


def stream_handler(stream: TextIO | None = None) -> logging.Handler:
    return logging.StreamHandler(stream if stream is not None else sys.stderr)


def levels_path(settings: Settings) -> Path:
    """The levels file `log-level` writes and every process of this terminal watches."""
    named = settings.logging.levels_file
    return Path(named).expanduser() if named else state_dir(settings) / "log-levels.json"


def log_file(settings: Settings) -> Path | None:
    """The log file, if any: TERMINAL_LOG_FILE (a unit's environment) over `logging.file`; {pid} in the name
    gives each process its own, since two processes must not rotate one file."""
    named = os.environ.get("TERMINAL_LOG_FILE") or settings.logging.file
    return Path(named.replace("{pid}", str(os.getpid()))).expanduser() if named else None


def configure(settings: Settings, *, level: str | None = None, modules: Iterable[str] = ()) -> LevelSwitch:
    """Log this process as `settings` say; `level` and `modules` (MODULE=LEVEL) from the command line win."""
    config = settings.logging
    switches = dict(parse_switch(m) for m in (*config.modules, *modules))
    switch = LevelSwitch(parse_level(level or config.level), switches, levels_path(settings))
    path = log_file(settings)
    handler = rotating_file(path, config.max_bytes, config.backups) if path else stream_handler()
    install(handler, switch)
    return switch
