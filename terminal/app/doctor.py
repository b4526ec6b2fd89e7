"""`python -m terminal doctor`: every check a technician makes before a counter sells, in one run.

The checks run in a fixed order (configuration, journal, service, card reader,
scanner and camera, printer, fonts, display), each on a thread of its own with
a deadline: a dead port or a service that never answers costs that check its
timeout and a "failed" line, never the whole run, and one check's exception
becomes its own line while the others go on. Each line is a Finding: ok,
warning or failed, what was found and, when not ok, what to do, in the plain
sentences the rest of the terminal uses (TerminalError.cashier_message).

No Qt here (the doctor runs where Qt cannot start, which is one thing it
reports): fonts are asked of fontconfig (`fc-list`), the display of the
environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from terminal.errors import TerminalError
from terminal.settings import Settings, load
from terminal.voucher import load_public_key


class Status(Enum):
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    detail: str
    todo: str | None = None  # None when there is nothing to do

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "status": self.status.value, "detail": self.detail, "todo": self.todo}

    def line(self) -> str:
        text = f"{self.status.value:<8} {self.check}: {self.detail}"
        return text if not self.todo else f"{text} To do: {self.todo}"


def ok(check: str, detail: str) -> Finding:
    return Finding(check, Status.OK, detail)


def warning(check: str, detail: str, todo: str) -> Finding:
    return Finding(check, Status.WARNING, detail, todo)


def failed(check: str, detail: str, todo: str) -> Finding:
    return Finding(check, Status.FAILED, detail, todo)


@dataclass
class Context:
    """What the checks share: the configuration file named, and the settings once read."""

    config: str | None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    settings: Settings | None = None
    # Why `settings` is None, for the checks that need it.
    settings_problem: str = ""
    # Whether the service answered the reachability check; the signed call is not tried when it did not.
    service_reached: bool | None = None


@dataclass(frozen=True)
class Check:
    names: tuple[str, ...]  # the lines this check gives, in order (used when it fails as a whole)
    run: Callable[[Context], list[Finding]]
    timeout_s: float
    needs_settings: bool = True


def sentence(exc: BaseException) -> str:
    """An exception as one sentence: the terminal's own for its errors, else the type and text."""
    if isinstance(exc, TerminalError):
        return exc.cashier_message if not exc.detail else f"{exc.cashier_message} ({exc.detail})"
    return f"{type(exc).__name__}: {exc}"


def run_check(check: Check, context: Context) -> list[Finding]:
    """One check on a thread of its own, given at most its timeout; whatever happens, its lines."""
    if check.needs_settings and context.settings is None:
        return [warning(name, "not checked: the configuration cannot be read.",
                        context.settings_problem or "fix the configuration first (see above).")
                for name in check.names]
    result: list[list[Finding]] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            result.append(check.run(context))
        except BaseException as exc:  # a check's failure is its own line, never the end of the run
            error.append(exc)

    # A daemon thread: a check stuck in a driver call past its deadline must not keep the doctor alive.
    thread = threading.Thread(target=work, name=f"doctor {check.names[0]}", daemon=True)
    thread.start()
    thread.join(check.timeout_s)
    if thread.is_alive():
        return [failed(name, f"no verdict within {check.timeout_s:g} s: the check was given up.",
                       "look at the device or service this line names; it hangs instead of answering.")
                for name in check.names]
    if error:
        return [failed(name, f"the check could not run: {sentence(error[0])}",
                       "act on the sentence; if it names no cause, send this output to IT.")
                for name in check.names]
    return result[0]


def run_all(config: str | None, *, environ: Mapping[str, str] | None = None,
            checks: Sequence[Check] | None = None) -> list[Finding]:
    """Every check, in order; the findings of all of them."""
    context = Context(config, dict(os.environ) if environ is None else environ)
    findings: list[Finding] = []
    for check in all_checks() if checks is None else checks:
        findings.extend(run_check(check, context))
    return findings


def any_failed(findings: Sequence[Finding]) -> bool:
    return any(f.status is Status.FAILED for f in findings)


# ----------------------------------------------------------------------------- 1. configuration


def check_configuration(context: Context) -> list[Finding]:
    """As `config check`: strict (unknown keys refused), and the issuer key it names readable.

    The other checks need settings even when the file has a fault `config check` refuses (an unknown
    key an older terminal would ignore), so they get the lenient reading then.
    """
    try:
        loaded = load(context.config, strict=True)
        load_public_key(loaded.settings.voucher.issuer_key_path())
    except TerminalError as exc:
        try:
            context.settings = load(context.config).settings
        except TerminalError:
            context.settings_problem = "fix the configuration first (see the configuration line)."
        return [failed("configuration", exc.cashier_message,
                       "correct the key the sentence names, then run `python -m terminal config check`.")]
    context.settings = loaded.settings
    where = f"the file {loaded.source}" if loaded.source else "the built-in defaults (no file named)"
    if loaded.warnings:
        return [warning("configuration", f"{where}: usable, with remarks: {'; '.join(loaded.warnings)}",
                        "correct the keys named.")]
    return [ok("configuration", f"{where}: valid.")]


# ----------------------------------------------------------------------------- 7. fonts, 8. display

FONT_TIMEOUT_S = 10.0


def check_fonts(context: Context) -> list[Finding]:
    """A Chinese font for the counter's screens and receipts (Qt would draw empty boxes without one)."""
    if shutil.which("fc-list") is None:
        return [failed("fonts", "fontconfig's fc-list is not installed, so no font can be found.",
                       "install fontconfig and a Chinese font: apt-get install fontconfig fonts-noto-cjk")]
    done = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                          timeout=FONT_TIMEOUT_S, check=False)
    families = sorted({line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()})
    if not families:
        return [failed("fonts", "no font with Chinese characters is installed; the screens would show boxes.",
                       "install one: apt-get install fonts-noto-cjk")]
    shown = ", ".join(families[:3]) + (f" and {len(families) - 3} more" if len(families) > 3 else "")
    return [ok("fonts", f"Chinese fonts installed: {shown}.")]


# Platforms a counter is started on without a screen on purpose: the demo script's screenshots, tests.
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")
X11_SOCKETS = Path("/tmp/.X11-unix")


def check_display(context: Context) -> list[Finding]:
    names = [f"{name}={context.environ[name]}" for name in ("WAYLAND_DISPLAY", "DISPLAY")
             if context.environ.get(name)]
    if names:
        return [ok("display", f"{' and '.join(names)}.")]
    platform = context.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in HEADLESS_PLATFORMS:
        return [ok("display", f"no screen: QT_QPA_PLATFORM={platform} runs the counter without one, as asked "
                              "(the demo script's screenshots, tests).")]
    # The kiosk unit gives the counter its display; a technician's shell (ssh) has none of its own.
    servers = sorted(p.name for p in X11_SOCKETS.glob("X*")) if X11_SOCKETS.is_dir() else []
    if servers:
        return [ok("display", f"a display server runs here (:{servers[0][1:]}), though this shell has no DISPLAY; "
                              "the counter's unit sets it.")]
    return [warning("display", "no display server runs here and neither DISPLAY nor WAYLAND_DISPLAY is set: the "
                               "counter can only run offscreen (no window for the cashier).",
                    "start the counter's graphical session (the kiosk unit counter-terminal.service), or set "
                    "DISPLAY.")]


def all_checks() -> list[Check]:
    """The checks in their order."""
    # Imported here: each group of checks is a module of its own, and they import this one.
    from terminal.app.doctor_devices import DEVICE_CHECKS
    from terminal.app.doctor_journal import JOURNAL_CHECKS
    from terminal.app.doctor_service import SERVICE_CHECKS

    return [Check(("configuration",), check_configuration, 15.0, needs_settings=False),
            *JOURNAL_CHECKS, *SERVICE_CHECKS, *DEVICE_CHECKS,
            Check(("fonts",), check_fonts, FONT_TIMEOUT_S + 2.0, needs_settings=False),
            Check(("display",), check_display, 2.0, needs_settings=False)]
