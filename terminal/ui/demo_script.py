"""A scripted demo session: the counter driven as a cashier would, unattended, with a PNG of each screen.

The script (config/demo-script.json) is a JSON object {"steps": [...]}; each step
is an object with one action and, optionally, what to wait for and a timeout:

    {"sign_in": {"opter": "0001", "pin": "1234"}}   type them on the sign-in screen, Enter
    {"voucher": {"psn_no": "...", "holder": "..."}} a fresh e-voucher through the scanner simulator
    {"card": 5} / {"remove_card": true}             the card reader simulator
    {"scan": "6901070202353"}                       a box barcode through the scanner simulator
    {"box": {"barcode": "6901070202353", "count": 2}} the traceability codes of that many fresh boxes
    {"type": "amxl"} / {"key": "F9"}                keys, to whatever has focus (as a keyboard would);
                                                    with modifiers too: {"key": "Ctrl+Shift+Q"}
    {"network": "offline" | "slow" | "online"}      the demo network (the fault proxy)
    {"place": "history"}                            open a place (history, day-end, audit...) as its key would
    {"screenshot": "name"}                          a PNG of the window now
    {"receipt_png": "name"}                         a PNG of the last receipt, as printed
    {"desk": "outpatient" | "inpatient" | "pharmacy"} what this counter is from now on (counter.desk), its screen
    {"fill": {"department": "A03 内科", ...}}      fields of the hospital desk's form on show, by name
    {"wait": {...}}                                 only wait
    "wait": {"phase": "quoted"} | {"screen": "queue"} | {"person": true} | {"lines": 3}
            | {"receipt": true} | {"message": "text in it"} | {"queue": 0} (sales waiting) | {"seconds": 1.5}
            | {"codes": 3} (box codes on the sale, placed or waiting for their box)
            | {"shows": "text"} (a label or text box of the screen on show holds it)
    "screen" also names the places (history, day-end, audit...).
            | {"visit": "patient" | "open" | "discharged" | "quoted" | "settled"} (the desk on show)
            | {"fees": 16} (fees uploaded to the desk's visit) | {"pending": 2} (fees waiting to upload)

Every change of screen is saved as NN-<screen>.png as well. A step that does not
reach what it waits for within its timeout (default 20 s) ends the run: the step,
what it waited for and what the screen said are printed, and the exit code is 2.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from terminal.errors import BadInput, TerminalError
from terminal.files import read_json_file
from terminal.ui.counter_app import CounterApp
from terminal.ui.demo_panel import DemoControls
from terminal.ui.desk_control import DeskControl
from terminal.ui.desk_screen import DeskScreen
from terminal.ui.receipt_pdf import render_image

ACTIONS = ("sign_in", "voucher", "card", "remove_card", "scan", "box", "type", "key", "network", "place",
           "screenshot", "receipt_png", "desk", "fill", "wait")
DESK_FIELDS = ("department", "doctor", "number", "ward", "bed", "diagnosis", "deposit")
KEY_ALIASES = {"Esc": "Escape", "Enter": "Return", "Del": "Delete"}
POLL_MS = 50
DEFAULT_TIMEOUT_S = 20.0


class ScriptError(BadInput):
    pass


def load_script(path: Path) -> list[dict[str, Any]]:
    """The script's steps, checked before anything starts (a typo fails at once, not halfway)."""
    raw = read_json_file(path, "demo script")
    steps = raw.get("steps") if isinstance(raw, dict) else None
    if not isinstance(steps, list) or not steps:
        raise ScriptError(f"The demo script {path} must be a JSON object with a non-empty \"steps\" list.")
    for n, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            raise ScriptError(f"Step {n} of {path} is not a JSON object.")
        actions = [k for k in step if k in ACTIONS and k != "wait"] or [k for k in step if k == "wait"]
        unknown = [k for k in step if k not in (*ACTIONS, "timeout", "note")]
        if len(actions) != 1 or unknown:
            raise ScriptError(f"Step {n} of {path} must hold exactly one of {', '.join(ACTIONS)} "
                              f"(and optionally wait, timeout, note); it holds {', '.join(step) or 'nothing'}.")
    return steps


class DemoScript(QObject):
    def __init__(self, counter: CounterApp, controls: DemoControls, steps: list[dict[str, Any]], shots: Path, *,
                 say: Callable[[str], None] | Any = print) -> None:
        super().__init__()
        self.counter, self.controls, self.steps, self.shots = counter, controls, steps, shots
        self.say = say
        self.exit_code = 1  # until the last step is done
        self.index = -1
        self.shot_count = 0
        self._last_screen: QWidget | None = None
        self._wait: Callable[[], bool] | None = None
        self._typing: list[Callable[[], None]] = []
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._receipts_before = 0
        self._receipts = 0
        counter.receipt_done.connect(self._receipt)

    def start(self) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        # Keys go where a keyboard's would: to the active window. An X server without a window manager
        # (Xvfb) activates nothing by itself.
        window = self.counter.screens.window
        window.activateWindow()
        self._timer.start(POLL_MS)
        self._deadline = time.monotonic() + DEFAULT_TIMEOUT_S
        self._wait = lambda: QApplication.activeWindow() is window or QApplication.platformName() == "offscreen"

    # ----- the loop

    def _tick(self) -> None:
        self._save_screen_change()
        if self._typing:
            # One key per tick, as a person types: keys closer together than the wedge scanner's
            # interval would be taken for a scan.
            self._typing.pop(0)()
            return
        if self._wait is None:
            return
        try:
            done = self._wait()
        except TerminalError as exc:
            self._fail(exc.cashier_message)
            return
        if done:
            self._wait = None
            self._next()
        elif time.monotonic() > self._deadline:
            self._fail("timed out" if self.index >= 0 else "the counter window never became the active window")

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.steps):
            self._finish(0)
            return
        step = self.steps[self.index]
        action = next((k for k in step if k in ACTIONS and k != "wait"), "wait")
        self.say(f"step {self.index + 1}/{len(self.steps)}: {action} {json.dumps(step[action], ensure_ascii=False)}")
        self._deadline = time.monotonic() + float(step.get("timeout", DEFAULT_TIMEOUT_S))
        try:
            getattr(self, f"_do_{action}")(step[action])
        except TerminalError as exc:
            self._fail(exc.cashier_message)
            return
        wait = step.get("wait") if action != "wait" else step["wait"]
        self._wait = self._condition(wait) if wait else (lambda: True)

    def _fail(self, why: str) -> None:
        step = self.steps[self.index] if 0 <= self.index < len(self.steps) else {}
        self.say(f"demo script failed at step {self.index + 1} {json.dumps(step, ensure_ascii=False)}: {why}; "
                 f"the screen says: {self.counter.till.sale.message or self._visible_message()!r}")
        self._shot(f"failed-step-{self.index + 1}")
        self._finish(2)

    def _finish(self, code: int) -> None:
        self._timer.stop()
        self.exit_code = code
        if code == 0:
            self.say(f"demo script done: {self.shot_count} screenshots in {self.shots}")
        for window in QApplication.topLevelWidgets():
            window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    # ----- actions

    def _do_sign_in(self, args: dict[str, str]) -> None:
        signin = self.counter.screens.signin
        signin.opter.clear()
        signin.pin.clear()
        signin.opter.setFocus()
        self._type(str(args["opter"]) + "\r" + str(args["pin"]) + "\r")

    def _type(self, text: str) -> None:
        """Keys to whatever has focus when each is pressed ("\r" is Enter), one per tick."""
        def press(ch: str) -> Callable[[], None]:
            def click() -> None:
                target = QApplication.focusWidget() or self.counter.screens.window
                if ch == "\r":
                    QTest.keyClick(target, Qt.Key.Key_Return)
                elif ch.isascii():
                    QTest.keyClicks(target, ch)
                else:  # QTest types ASCII only; an input method delivers Chinese as text like this
                    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                        QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                                  Qt.KeyboardModifier.NoModifier, ch))
            return click

        self._typing += [press(ch) for ch in text]

    def _do_voucher(self, args: dict[str, str]) -> None:
        self.controls.show_voucher(args["psn_no"], args.get("holder"))

    def _do_card(self, card: int) -> None:
        self.controls.insert_card(int(card))

    def _do_remove_card(self, _args: object) -> None:
        self.controls.remove_card()

    def _do_scan(self, text: str) -> None:
        self.controls.scan(str(text))

    def _do_box(self, args: dict[str, Any]) -> None:
        if not isinstance(args, dict) or not isinstance(args.get("barcode"), str):
            raise ScriptError("A box step names the drug's barcode: {\"box\": {\"barcode\": \"690...\", "
                              "\"count\": 2}}.")
        self.controls.scan_box_codes(args["barcode"], int(args.get("count", 1)))

    def _do_type(self, text: str) -> None:
        self._type(str(text))

    def _do_key(self, name: str) -> None:
        *mods, last = str(name).split("+") if len(str(name)) > 1 else [str(name)]
        key = getattr(Qt.Key, "Key_" + KEY_ALIASES.get(last, last), None)
        modifiers = Qt.KeyboardModifier.NoModifier
        for mod in mods:
            flag = {"Ctrl": Qt.KeyboardModifier.ControlModifier, "Shift": Qt.KeyboardModifier.ShiftModifier,
                    "Alt": Qt.KeyboardModifier.AltModifier}.get(mod)
            if flag is None:
                key = None
                break
            modifiers |= flag
        if not isinstance(key, Qt.Key):
            raise ScriptError(f"{name!r} is not a key name such as F9, Return, Esc or Ctrl+Shift+Q.")
        self._receipts_before = self._receipts
        target = QApplication.focusWidget() or self.counter.screens.window
        QTest.keyClick(target, key, modifiers)

    def _do_network(self, state: str) -> None:
        self.controls.set_network(str(state))

    def _do_place(self, name: str) -> None:
        if str(name) not in self.counter.screens.places:
            raise ScriptError(f"There is no place {name!r}: {', '.join(self.counter.screens.places)}.")
        self.counter.screens.open_place(str(name))

    def _do_screenshot(self, name: str) -> None:
        self._shot(str(name))

    def _do_receipt_png(self, name: str) -> None:
        txn = self.counter.last_receipt
        if txn is None:
            raise ScriptError("There is no receipt yet: settle a sale first.")
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:02d}-{name}.png"
        if not render_image(self.counter.receipt_of(txn)).save(str(path)):
            raise ScriptError(f"The receipt picture {path} could not be saved.")

    def _do_wait(self, _args: object) -> None:
        pass

    def _do_desk(self, desk: str) -> None:
        if desk not in ("pharmacy", "outpatient", "inpatient"):
            raise ScriptError(f"{desk!r} is not a desk: pharmacy, outpatient or inpatient.")
        self.counter.screens.choose_desk(desk)

    def _do_fill(self, fields: dict[str, str]) -> None:
        screen = self._desk_screen()
        if screen is None or not isinstance(fields, dict):
            raise ScriptError("A fill step needs a hospital desk on show and {\"field\": \"text\"}.")
        for name, text in fields.items():
            field = getattr(screen, name, None) if name in DESK_FIELDS else None
            if not isinstance(field, QLineEdit):
                raise ScriptError(f"The desk on show has no field {name!r}.")
            field.setText(str(text))
        screen.entry.setFocus()

    def _desk_screen(self) -> DeskScreen | None:
        current = self.counter.screens.window.current
        return current if isinstance(current, DeskScreen) else None

    def _desk_condition(self, wait: dict[str, Any]) -> Callable[[], bool]:
        def control() -> DeskControl | None:
            screen = self._desk_screen()
            return screen.control if screen is not None and not screen.control.busy else None

        if "fees" in wait:
            return lambda: (c := control()) is not None and c.visit is not None and \
                len(c.visit.fees) >= int(wait["fees"])
        if "pending" in wait:
            return lambda: (c := control()) is not None and len(c.pending) >= int(wait["pending"])
        checks: dict[str, Callable[[DeskControl], bool]] = {
            "patient": lambda c: c.identity is not None,
            "open": lambda c: c.visit is not None and c.visit.open,
            "discharged": lambda c: c.visit is not None and c.visit.discharged,
            "quoted": lambda c: c.quote is not None,
            "settled": lambda c: c.result is not None,
        }
        check = checks.get(str(wait["visit"]))
        if check is None:
            raise ScriptError(f"Step {self.index + 1}: a visit is patient, open, discharged, quoted or settled.")
        return lambda: (c := control()) is not None and check(c)

    # ----- conditions

    def _condition(self, wait: dict[str, Any]) -> Callable[[], bool]:
        till = self.counter.till
        screens = self.counter.screens
        if "phase" in wait:
            return lambda: till.sale.phase.value == wait["phase"]
        if "screen" in wait:
            names: dict[str, QWidget] = {"signin": screens.signin, "checkout": screens.checkout,
                                         "queue": screens.queue}
            names.update({name: place.widget for name, place in screens.places.items()})
            if wait["screen"] not in names:
                raise ScriptError(f"Step {self.index + 1}: there is no screen {wait['screen']!r}.")
            return lambda: screens.window.current is names[wait["screen"]]
        if "shows" in wait:
            return lambda: self._shows(str(wait["shows"]))
        if "visit" in wait or "fees" in wait or "pending" in wait:
            return self._desk_condition(wait)
        if "person" in wait:
            # Someone identified on the sale in progress (a finished sale's person does not count); a
            # psn_no names who.
            want = wait["person"]
            return lambda: till.sale.person is not None and till.sale.phase.value != "done" and (
                want is True or getattr(till.sale.person, "psn_no", None) == want)
        if "lines" in wait:
            return lambda: len(till.sale.lines) >= int(wait["lines"])
        if "receipt" in wait:
            return lambda: self._receipts > self._receipts_before
        if "codes" in wait:
            return lambda: sum(len(line.codes) for line in till.sale.lines) + len(till.sale.pending_codes) >= \
                int(wait["codes"])
        if "message" in wait:
            return lambda: str(wait["message"]) in (till.sale.message or "") + self._desk_message()
        if "queue" in wait:
            return lambda: self.counter.queue_status is not None and \
                self.counter.queue_status.count == int(wait["queue"])
        if "seconds" in wait:
            until = time.monotonic() + float(wait["seconds"])
            return lambda: time.monotonic() >= until
        raise ScriptError(f"Step {self.index + 1}: cannot wait for {json.dumps(wait)}.")

    # ----- screenshots

    def _receipt(self, _path: object) -> None:
        self._receipts += 1

    def _save_screen_change(self) -> None:
        current = self.counter.screens.window.current
        if current is not None and current is not self._last_screen:
            self._last_screen = current
            names = {id(self.counter.screens.signin): "sign-in", id(self.counter.screens.checkout): "checkout",
                     id(self.counter.screens.queue): "queue",
                     **{id(p.widget): n for n, p in self.counter.screens.places.items()}}
            self._shot(names.get(id(current), "screen"))

    def _shot(self, name: str) -> None:
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:02d}-{name}.png"
        if not self.counter.screens.window.grab().save(str(path)):
            self.say(f"could not save {path}")

    def _shows(self, text: str) -> bool:
        current = self.counter.screens.window.current
        if current is None:
            return False
        texts = [w.text() for w in current.findChildren(QLabel) if w.isVisible()]
        texts += [w.toPlainText() for w in current.findChildren(QPlainTextEdit) if w.isVisible()]
        return any(text in t for t in texts)

    def _visible_message(self) -> str:
        return self._desk_message() or self.counter.screens.signin.message.text()

    def _desk_message(self) -> str:
        screen = self._desk_screen()
        return screen.control.last_message if screen is not None else ""
