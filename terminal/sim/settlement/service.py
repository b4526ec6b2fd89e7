"""The service's request pipeline, independent of the HTTP server.

For each message, in one SQLite transaction: check the signature headers and
nonce, read the envelope, answer a repeated msgid with its first answer, run
the handler inside a savepoint (a refusal undoes everything it did), and store
the answer under the msgid. Every outcome is an answer with infcode 0 or -1;
nothing raises out of here except a bug, which the HTTP layer still turns into
infcode -1.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from terminal.errors import BadInput
from terminal.faults import sqlite_fault
from terminal.fields import FieldError, Fields
from terminal.files import parse_json
from terminal.protocol import (
    FIXMEDINS_CODE_LENGTH,
    HEADER_NONCE,
    HEADER_PAASID,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    MSGID_BLOCKS,
    SIGNATURE_WINDOW_S,
    fmt_time,
    msgid_block,
    msgid_is_wellformed,
    signature_matches,
)
from terminal.sim.settlement import handlers_admin, handlers_basic, handlers_pharmacy, handlers_visits
from terminal.sim.settlement.call import Call, Handler, ServiceContext, ServiceError, parse_wire_time
from terminal.sim.settlement.digest import request_digest

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20
_PRINTABLE_ASCII = re.compile(r"[!-~]+")
HANDLERS: dict[str, Handler] = {
    **handlers_basic.HANDLERS,
    **handlers_pharmacy.HANDLERS,
    **handlers_visits.HANDLERS,
    **handlers_admin.HANDLERS,
}
OPTIONAL_ENVELOPE_TEXT = (
    "mdtrtarea_admvs", "insuplc_admdvs", "recer_sys_code", "dev_safe_info", "cainfo",
    "signtype", "infver", "opter_type", "opter", "opter_name", "fixmedins_name", "sign_no",
)
MAX_DEV_NO = 30


def parse_body(body: bytes) -> Fields:
    if len(body) > MAX_BODY_BYTES:
        raise ServiceError(f"request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        text = body.decode("utf-8-sig")  # a byte-order mark some platform clients write is not JSON
    except UnicodeDecodeError:
        raise ServiceError("request body is not UTF-8 JSON") from None
    try:
        data = parse_json(text, exact=True)
    except BadInput as exc:
        raise ServiceError(f"request body is not valid JSON: {exc.cashier_message}") from None
    if not isinstance(data, dict):
        raise ServiceError("request body must be a JSON object")
    return Fields(data, "")


class SettlementService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.store = context.store

    # ----- the two endpoints

    def handle_call(self, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        now = self.context.clock()
        try:
            with self.store.transaction():
                return self._handle_call(body, headers, now)
        except sqlite3.Error as exc:
            return self._answer_unstored(now, _environment_failure(exc))

    def handle_ec_query(self, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        now = self.context.clock()
        try:
            return self._handle_ec_query(body, headers, now)
        except sqlite3.Error as exc:
            return {"code": -1, "message": _environment_failure(exc), "data": None}

    def handle_batch(self, requests: Sequence[tuple[bool, bytes, Mapping[str, str]]]
                     ) -> list[dict[str, Any] | Exception]:
        """Requests that waited together (ec_style, body, headers), in one transaction with one commit.

        A commit is an fsync of the WAL, and one per message is what bounds the service when many
        counters call at once (after an outage, every forwarder): a group shares it. The group's answers
        leave only after its commit, so an answer given still survives a power cut. Each message has its
        own savepoint: a bug in one undoes only its own effects and comes back as the exception, for the
        HTTP layer to answer as a bug. A database failure (full disk, I/O error) abandons the group, which
        SQLite may already have rolled back, and each message is handled again on its own, with its own
        answer for that failure.
        """
        if len(requests) == 1:
            return [self._alone(*requests[0])]
        answers: list[dict[str, Any] | Exception] = []
        try:
            with self.store.transaction():
                for ec_style, body, headers in requests:
                    now = self.context.clock()
                    try:
                        with self.store.savepoint("message"):
                            answers.append(self._ec_query(body, headers, now) if ec_style
                                           else self._handle_call(body, headers, now))
                    except sqlite3.Error:
                        raise
                    except Exception as exc:  # a bug in one message: its own effects are undone
                        answers.append(exc)
        except sqlite3.Error:
            return [self._alone(*request) for request in requests]
        return answers

    def _alone(self, ec_style: bool, body: bytes, headers: Mapping[str, str]) -> dict[str, Any] | Exception:
        try:
            return self.handle_ec_query(body, headers) if ec_style else self.handle_call(body, headers)
        except Exception as exc:  # a bug: the HTTP layer answers it as one
            return exc

    def _handle_ec_query(self, body: bytes, headers: Mapping[str, str], now: float) -> dict[str, Any]:
        with self.store.transaction():
            return self._ec_query(body, headers, now)

    def _ec_query(self, body: bytes, headers: Mapping[str, str], now: float) -> dict[str, Any]:
        try:
            self._authenticate(headers, now)
            request = parse_body(body)
            call = Call(self.context, "ec.query", "", request.text("orgId", max_len=30), request,
                        request, now)
            with self.store.savepoint():
                data = handlers_basic.ec_query(call)
            return {"code": 0, "message": "success", "data": data}
        except (ServiceError, BadInput) as exc:
            return {"code": -1, "message": _err_msg(exc), "data": None}

    # ----- pipeline

    def _handle_call(self, body: bytes, headers: Mapping[str, str], now: float) -> dict[str, Any]:
        try:
            self._authenticate(headers, now)
            envelope = parse_body(body)
            infno, msgid, fixmedins_code, dev_no = self._read_envelope(envelope)
            # Before any replay: a till using another till's block must never see that till's answers.
            self._check_block(msgid, fixmedins_code, dev_no, now)
        except (ServiceError, BadInput) as exc:
            # Not stored: until the block check passes, the msgid is not known to be this till's.
            return self._answer(now, None, _err_msg(exc))

        digest = request_digest(infno, envelope.raw("input"))
        previous = self.store.answer_for(msgid)
        if previous is not None:
            # Refusals here are not stored: the msgid keeps the answer it has.
            if previous["infno"] != infno:
                return self._answer(now, None, f"msgid {msgid} was already used for a {previous['infno']} "
                                               "message; every message needs its own msgid")
            if previous["request_digest"] not in (None, digest):  # None: answered before digests existed
                return self._answer(now, None, f"msgid {msgid} was already used for a different {infno} request "
                                               "(its input differs); resend the first request unchanged, or send "
                                               "a changed one under a new msgid")
            answer: dict[str, Any] = json.loads(previous["answer"])
            return answer

        call = Call(self.context, infno, msgid, fixmedins_code, envelope, Fields({}, "input"), now)
        try:
            if self.store.one("SELECT 1 FROM reversed_message WHERE omsgid = ?", (msgid,)):
                raise ServiceError(f"message {msgid} was reversed (2601) before it arrived; it is not processed")
            call.input = envelope.obj("input")
            self._check_sign_in(envelope, fixmedins_code)
            with self.store.savepoint():
                output = HANDLERS[infno](call)
            answer = self._answer(now, output, "", call.warnings)
        except (ServiceError, BadInput) as exc:
            answer = self._answer(now, None, _err_msg(exc))
        self.store.record_answer(msgid, infno, fixmedins_code, dev_no, digest, answer,
                                 fmt_time(datetime.fromtimestamp(now)))
        return answer

    def _check_block(self, msgid: str, fixmedins_code: str, dev_no: str, now: float) -> None:
        block = msgid_block(msgid)
        owner = self.store.block_owner(fixmedins_code, block, dev_no, msgid, fmt_time(datetime.fromtimestamp(now)))
        if owner != dev_no:
            raise ServiceError(
                f"msgid {msgid} is in block {block:02d} of the msgid sequence, which till {owner} of this "
                f"institution already uses; give this till ({dev_no}) its own terminal.msgid_block "
                f"(0-{MSGID_BLOCKS - 1}, one per till) and send the message again with a new msgid")

    def _authenticate(self, headers: Mapping[str, str], now: float) -> None:
        lowered = {k.lower(): v for k, v in headers.items()}
        paasid = lowered.get(HEADER_PAASID, "")
        timestamp = lowered.get(HEADER_TIMESTAMP, "")
        nonce = lowered.get(HEADER_NONCE, "")
        given = lowered.get(HEADER_SIGNATURE, "")
        if not (paasid and timestamp and nonce and given):
            raise ServiceError("signature headers x-tif-paasid, x-tif-timestamp, x-tif-nonce and "
                               "x-tif-signature are required")
        if paasid != self.context.paasid:
            raise ServiceError(f"unknown x-tif-paasid {paasid[:40]!r}")
        # isdigit alone admits fullwidth and superscript digits, which int() then chokes on.
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
            raise ServiceError("x-tif-timestamp must be unix seconds")
        if abs(int(timestamp) - now) > SIGNATURE_WINDOW_S:
            raise ServiceError(f"x-tif-timestamp is more than {SIGNATURE_WINDOW_S} s off the service's "
                               "clock; check the terminal's clock")
        if len(nonce) > 64:
            raise ServiceError("x-tif-nonce is longer than 64 characters")
        if not _PRINTABLE_ASCII.fullmatch(nonce):
            raise ServiceError("x-tif-nonce must be printable ASCII (letters, digits, punctuation)")
        if not given.isascii() or not signature_matches(given, timestamp, self.context.token, nonce):
            raise ServiceError("bad x-tif-signature")
        if not self.store.use_nonce(nonce, int(now)):
            raise ServiceError("x-tif-nonce was already used: a replayed request is refused")

    def _read_envelope(self, envelope: Fields) -> tuple[str, str, str, str]:
        infno = envelope.text("infno", max_len=8)
        if infno not in HANDLERS:
            raise ServiceError(f"unknown infno {infno[:8]!r}")
        fixmedins_code = envelope.text("fixmedins_code", max_len=FIXMEDINS_CODE_LENGTH)
        if len(fixmedins_code) != FIXMEDINS_CODE_LENGTH:
            raise FieldError(f"fixmedins_code must be {FIXMEDINS_CODE_LENGTH} characters")
        msgid = envelope.text("msgid", max_len=30)
        if not msgid_is_wellformed(msgid, fixmedins_code):
            raise FieldError("msgid must be fixmedins_code + yyyyMMddHHmmss + a 4-digit sequence (30 characters)")
        inf_time = envelope.text("inf_time", max_len=19)
        try:
            parse_wire_time(inf_time)
        except ValueError:
            raise FieldError(f"inf_time must be yyyy-MM-dd HH:mm:ss, got {inf_time[:30]!r}") from None
        dev_no = envelope.text("dev_no", max_len=MAX_DEV_NO)
        for name in OPTIONAL_ENVELOPE_TEXT:
            envelope.opt_text(name, max_len=200)
        if not isinstance(envelope.raw("input"), dict):
            raise FieldError("input must be a JSON object")
        return infno, msgid, fixmedins_code, dev_no

    def _check_sign_in(self, envelope: Fields, fixmedins_code: str) -> None:
        if not self.context.require_sign_in or envelope.text("infno") == "9001":
            return
        sign_no = envelope.opt_text("sign_no", max_len=40)
        live = sign_no and self.store.one(
            "SELECT 1 FROM signin WHERE sign_no=? AND fixmedins_code=? AND signed_out=0", (sign_no, fixmedins_code))
        if not live:
            raise ServiceError("the operator is not signed in (9001) or sign_no is stale")

    def _answer_unstored(self, now: float, err_msg: str) -> dict[str, Any]:
        """A refusal that needs no database write (the database is what failed)."""
        stamp = fmt_time(datetime.fromtimestamp(now))
        return {"infcode": -1, "inf_refmsgid": "", "refmsg_time": stamp, "respond_time": stamp, "err_msg": err_msg,
                "warn_msg": "", "output": {}}

    def _answer(self, now: float, output: dict[str, Any] | None, err_msg: str,
                warnings: list[str] | None = None) -> dict[str, Any]:
        stamp = fmt_time(datetime.fromtimestamp(now))
        seq = self.store.next_value("inf_refmsgid") % 10**10
        return {
            "infcode": 0 if output is not None else -1,
            "inf_refmsgid": f"{self.context.region}{datetime.fromtimestamp(now):%Y%m%d%H%M%S}{seq:010d}",
            "refmsg_time": stamp,
            "respond_time": stamp,
            "err_msg": err_msg,
            "warn_msg": "; ".join(warnings or []),
            "output": output if output is not None else {},
        }


def _environment_failure(exc: sqlite3.Error) -> str:
    """The err_msg for a database failure the environment caused (full disk, I/O error, locked...).

    The message's transaction was rolled back, so resending the same msgid later is safe. Anything
    SQLite reports that is not the environment's fault is a bug and propagates.
    """
    fault = sqlite_fault(exc, "the settlement service's database")
    if fault is None:
        raise exc
    log.error("settlement service storage failed: %s (%s)", fault.cashier_message, fault.detail)
    return f"{fault.cashier_message} Nothing was changed; send the same msgid again later."


def _err_msg(exc: Exception) -> str:
    if isinstance(exc, ServiceError):
        return exc.err_msg
    if isinstance(exc, BadInput):
        return exc.cashier_message
    return str(exc)
