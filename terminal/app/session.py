"""Who is at the counter: sign-in with a PIN, the service sign-in (9001/9002), and the idle lock.

An operator signs in with their number and PIN (terminal.operators: scrypt,
wrong-PIN lock); the counter then signs in to the service as them (9001), and
its sign_no rides on every later message. When the service cannot be reached at
sign-in, the operator works anyway (sales go offline within the limits) and the
service sign-in is made before the next call that reaches it. Sign-out sends
9002. After `idle_lock_s` without a key, a scan or a click, the screen locks; the
same operator's PIN, or another operator signing in, opens it, and the sale in
progress stays as it was.

Every method that checks a PIN or talks to the service blocks: the UI calls them
on a worker thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from terminal.app.station import Station
from terminal.client import NetworkUnreachable
from terminal.errors import BadInput, TerminalError
from terminal.offline import audit
from terminal.offline.health import ServiceState
from terminal.operators import Operator, OperatorBook

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedIn:
    operator: Operator
    sign_no: str  # "" while the service has not been reached
    problem: str = ""  # why the service sign-in was not made (a cashier sentence)


class NotSignedIn(BadInput):
    def __init__(self) -> None:
        super().__init__("Sign in first: type your operator number and PIN.")


class Session:
    def __init__(self, book: OperatorBook, station: Station, *, idle_lock_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.book = book
        self.station = station
        self.idle_lock_s = idle_lock_s
        self.clock = clock
        self.operator: Operator | None = None
        self.locked = False
        self._last_activity = clock()

    # ----- worker thread

    def sign_in(self, opter: str, pin: str) -> SignedIn:
        """Check the PIN (wrong-PIN lock included), then 9001 as this operator."""
        return self.begin(self.book.verify(opter, pin))

    def begin(self, operator: Operator) -> SignedIn:
        """The session of an operator whose PIN was just checked: 9001 as them (the app checks the PIN on
        one worker and talks to the service on another)."""
        previous = self.operator
        if previous is not None and previous.opter != operator.opter:
            self._sign_out_quietly()
        self.operator = operator
        self.locked = False
        self.touch()
        signed = self._service_sign_in(operator)
        self.station.audit(audit.Event.SIGN_IN, operator.opter, detail={
            "role": operator.role.value, "service": "signed in" if signed.sign_no else signed.problem})
        return signed


    def ensure_service_sign_in(self) -> None:
        """Before a call to the service: make the 9001 the sign-in could not make (not while it is down)."""
        operator = self.operator
        if operator is None or self.station.client.sign_no:
            return
        if self.station.health.health.state is ServiceState.OFFLINE:
            return
        self._service_sign_in(operator)

    def sign_out(self) -> str:
        """9002 and the end of the session; a sentence when the service did not hear it."""
        problem = self._sign_out_quietly()
        if self.operator is not None:
            self.station.audit(audit.Event.SIGN_OUT, self.operator.opter,
                               detail={"service": problem or "signed out"})
        self.operator = None
        self.locked = False
        return problem

    # ----- the idle lock (GUI thread)

    def touch(self) -> None:
        self._last_activity = self.clock()

    def idle_due(self) -> bool:
        """The screen should lock now: an operator is signed in and nothing happened for idle_lock_s."""
        return (self.operator is not None and not self.locked
                and self.clock() - self._last_activity >= self.idle_lock_s)

    def lock(self) -> None:
        if self.operator is not None and not self.locked:
            self.locked = True
            self.station.audit(audit.Event.LOCK, self.operator.opter)

    def seconds_until_idle(self) -> float:
        return max(0.0, self.idle_lock_s - (self.clock() - self._last_activity))

    # ----- helpers

    def _service_sign_in(self, operator: Operator) -> SignedIn:
        try:
            sign_no = self.station.sign_in(operator.opter, operator.name)
        except NetworkUnreachable as exc:
            return SignedIn(operator, "", exc.cashier_message)
        except TerminalError as exc:
            log.warning("service sign-in failed: %s", exc)
            return SignedIn(operator, "", exc.cashier_message)
        return SignedIn(operator, sign_no)

    def _sign_out_quietly(self) -> str:
        if not self.station.client.sign_no:
            return ""
        try:
            self.station.sign_out()
        except TerminalError as exc:
            log.warning("service sign-out failed: %s", exc)
            return exc.cashier_message
        return ""
