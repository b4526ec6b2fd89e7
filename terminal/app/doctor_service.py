"""The doctor's service checks: reachable, this terminal's signature accepted, clocks that agree.

The signed call is 1301 (download_catalog): a query that changes nothing at the
service, as the counter sends it every day. It takes its msgid from the
terminal's own sequence (client_from_settings), never a private one: a msgid is
the service's idempotency key, and one the counter later reused would be
answered with the doctor's catalog instead of a settlement.

The clock is read from the same answer: the protocol's respond_time (the
service's own clock, in local time as every time on the wire) or, when the
answer has none, its HTTP Date header. Connections are bounded by the doctor,
not by the counter's settings (no connect retries, short timeouts), so a service
that is down costs seconds.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from terminal.app.doctor import Check, Context, Finding, failed, ok, sentence, warning
from terminal.client import MalformedAnswer, ServiceRefused, client_from_settings
from terminal.errors import TerminalError
from terminal.protocol import SIGNATURE_WINDOW_S
from terminal.settings import Settings

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 15.0
# A clock further off than this is worth a warning: receipts, msgids and offline sale times carry it.
SKEW_WARN_S = 60.0
SIGNED = ("service.signature", "service.clock")


def _bounded(settings: Settings) -> Settings:
    service = dataclasses.replace(settings.service, connect_retries=0,
                                  connect_timeout_s=min(settings.service.connect_timeout_s, CONNECT_TIMEOUT_S),
                                  read_timeout_s=min(settings.service.read_timeout_s, READ_TIMEOUT_S))
    return dataclasses.replace(settings, service=service)


def _settings(context: Context) -> Settings:
    assert context.settings is not None
    return context.settings


def check_reachable(context: Context) -> list[Finding]:
    settings = _settings(context)
    url = settings.service.url
    client = client_from_settings(_bounded(settings))
    try:
        reached = client.probe(CONNECT_TIMEOUT_S)
    finally:
        client.close()
    context.service_reached = reached
    if not reached:
        return [failed("service.reachable", f"the settlement service at {url} does not answer.",
                       "check the network cable and service.url; ask IT whether the service is running. "
                       "Pharmacy sales continue offline within limits meanwhile.")]
    return [ok("service.reachable", f"the settlement service at {url} answers.")]


class _AnswerTime:
    """Keeps what the answer says of the service's clock (a requests response hook)."""

    def __init__(self) -> None:
        self.respond_time: str | None = None
        self.date_header: str | None = None

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.date_header = response.headers.get("Date")
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("respond_time"), str) and body["respond_time"]:
            self.respond_time = body["respond_time"]
        return response

    def service_time(self) -> tuple[float, str] | None:
        """The service's clock as unix seconds, and where it was read; None when the answer had none."""
        if self.respond_time:
            try:
                return datetime.strptime(self.respond_time, "%Y-%m-%d %H:%M:%S").timestamp(), "respond_time"
            except ValueError:
                pass
        if self.date_header:
            try:
                return parsedate_to_datetime(self.date_header).timestamp(), "the HTTP Date header"
            except (TypeError, ValueError):
                pass
        return None


_SIGNATURE_WORDS = ("x-tif-signature", "x-tif-paasid", "x-tif-nonce", "signature", "paasid", "token")


def _signature_finding(error: TerminalError | None, settings: Settings) -> Finding:
    name = "service.signature"
    paasid = settings.service.paasid
    if error is None:
        return ok(name, f"the service accepted this terminal's signature (paasid {paasid}) on 1301.")
    if isinstance(error, ServiceRefused):
        said = error.err_msg.lower()
        if "x-tif-timestamp" in said:
            return failed(name, f"the service refused the call's time: {error.err_msg}.",
                          "set this PC's clock right (timedatectl set-ntp true), then run the doctor again.")
        if any(word in said for word in _SIGNATURE_WORDS):
            return failed(name, f"the service refused this terminal's signature: {error.err_msg}.",
                          f"set service.token and service.paasid (now {paasid}) to what the platform issued "
                          "for this terminal.")
        # Refused for another reason (no operator signed in, say): the signature itself passed.
        return ok(name, f"the service accepted the signature (paasid {paasid}); it answered 1301 with: "
                        f"{error.err_msg}.")
    if isinstance(error, MalformedAnswer) and any(f"HTTP {code}" in (error.detail or "") for code in (401, 403)):
        return failed(name, f"the service turned the call away ({error.detail}).",
                      f"set service.token and service.paasid (now {paasid}) to what the platform issued "
                      "for this terminal.")
    return failed(name, f"the signed call (1301) failed: {sentence(error)}",
                  "act on the sentence; if the service answers but this fails, send this output to IT.")


def _clock_finding(answer: _AnswerTime, sent_at: float, answered_at: float) -> Finding:
    name = "service.clock"
    read = answer.service_time()
    if read is None:
        return warning(name, "the service's answer carries no time (no respond_time, no Date header), so the "
                             "clocks could not be compared.", "compare this PC's clock with the service's by hand.")
    service_time, source = read
    # The service stamped its answer somewhere between sending and receiving; both carry whole seconds.
    skew = (sent_at + answered_at) / 2 - service_time
    ahead = "ahead of" if skew > 0 else "behind"
    found = (f"this PC's clock is {abs(skew):.0f} s {ahead} the service's ({source})" if abs(skew) >= 1
             else f"this PC's clock agrees with the service's to the second ({source})")
    todo = "set this PC's clock right: timedatectl set-ntp true (and the time zone, timedatectl set-timezone)."
    if abs(skew) >= SIGNATURE_WINDOW_S:
        return failed(name, f"{found}: the service refuses calls more than {SIGNATURE_WINDOW_S} s off.", todo)
    if abs(skew) > SKEW_WARN_S:
        return warning(name, f"{found}: receipts and offline sales carry this time.", todo)
    return ok(name, f"{found}.")


def check_signed_call(context: Context) -> list[Finding]:
    settings = _settings(context)
    if context.service_reached is False:
        return [warning(n, "not checked: the service cannot be reached.", "see service.reachable.") for n in SIGNED]
    client = client_from_settings(_bounded(settings))
    answer = _AnswerTime()
    client.session.hooks["response"].append(answer)
    error: TerminalError | None = None
    sent_at = time.time()
    try:
        client.download_catalog()
    except TerminalError as exc:
        error = exc
    finally:
        answered_at = time.time()
        client.close()
    findings = [_signature_finding(error, settings)]
    if answer.respond_time is None and answer.date_header is None:
        findings.append(warning("service.clock", "not checked: no answer came from the service.",
                                "see service.signature."))
    else:
        findings.append(_clock_finding(answer, sent_at, answered_at))
    return findings


SERVICE_CHECKS = [
    Check(("service.reachable",), check_reachable, CONNECT_TIMEOUT_S * 2 + 5.0),
    Check(SIGNED, check_signed_call, CONNECT_TIMEOUT_S + READ_TIMEOUT_S + 10.0),
]
