"""The settlement client: envelopes, signatures, timeouts, typed failures.

Every failure becomes one of four errors:
  NetworkUnreachable  the request never reached the service (safe to sell offline)
  OutcomeUnknown      it may have reached it; resend with the SAME msgid to learn the outcome
  ServiceRefused      the service answered infcode -1; err_msg says why
  MalformedAnswer     the service answered something we cannot trust

Retries always reuse the msgid, which the service treats as the idempotency
key, so a retried settlement can never settle twice.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from terminal.answers import Settlement, settlement_from_output
from terminal.catalog import Catalog
from terminal.errors import BadInput, EnvironmentFault
from terminal.fields import FieldError, Fields
from terminal.logs import remember_fields
from terminal.policy import Policy
from terminal.protocol import (
    EC_QUERY_PATH,
    INFVER,
    SERVICE_PATH,
    FileSequence,
    MsgIdFactory,
    fmt_time,
    signed_headers,
)
from terminal.right_of_way import RightOfWay
from terminal.settings import ServiceSettings, Settings, TerminalSettings, state_dir

log = logging.getLogger(__name__)


class NetworkUnreachable(EnvironmentFault):
    def __init__(self, detail: str) -> None:
        super().__init__("The settlement service cannot be reached; check the network cable or try again. "
                         "Pharmacy sales can continue offline within limits.", detail=detail)


# Messages whose outcome changes nothing at the service: an unknown outcome is harmless, try again.
QUERIES = frozenset({"1101", "1301", "2101", "2206", "2303", "3201", "3202", "ec.query"})


class OutcomeUnknown(EnvironmentFault):
    """The request may have reached the service: for a settling message, resolve before anything else."""

    def __init__(self, infno: str, msgid: str, detail: str) -> None:
        if infno in QUERIES:
            sentence = "The settlement service did not answer; try again in a moment."
        else:
            sentence = (f"The settlement service did not answer, so the result of message {msgid} is unknown. "
                        "Do not settle again; the terminal checks the outcome first.")
        super().__init__(sentence, detail=detail)
        self.infno = infno
        self.msgid = msgid


class ServiceRefused(BadInput):
    def __init__(self, infno: str, msgid: str, err_msg: str) -> None:
        super().__init__(f"The settlement service refused this: {err_msg.rstrip('. ')}.",
                         detail=f"infno {infno}, msgid {msgid}")
        self.infno = infno
        self.msgid = msgid
        self.err_msg = err_msg


class MalformedAnswer(EnvironmentFault):
    def __init__(self, infno: str, detail: str) -> None:
        super().__init__("The settlement service sent an answer the terminal cannot read; call IT support.",
                         detail=f"infno {infno}: {detail}")
        self.infno = infno


class CallObserver(Protocol):
    """Told how every call to the service went (the status bar's service light)."""

    def answered(self, seconds: float) -> None: ...

    def unknown(self, detail: str) -> None: ...

    def unreachable(self, detail: str) -> None: ...


@dataclass(frozen=True)
class Institution:
    """Who is calling: the envelope fields that are the same for every message."""

    fixmedins_code: str
    fixmedins_name: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    recer_sys_code: str
    dev_no: str
    opter: str
    opter_name: str
    opter_type: str = "1"
    msgid_block: int = 0

    @classmethod
    def from_settings(cls, terminal: TerminalSettings) -> Institution:
        return cls(**{name: getattr(terminal, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Answer:
    infno: str
    msgid: str
    output: Fields
    warn_msg: str
    inf_refmsgid: str


@dataclass(frozen=True)
class EcIdentity:
    ec_token: str
    id_no: str
    id_type: str
    user_name: str
    insu_org: str


class SettlementClient:
    def __init__(
        self,
        service: ServiceSettings,
        institution: Institution,
        *,
        session: requests.Session | None = None,
        msgids: Callable[[], str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = service.url.rstrip("/")
        self.institution = institution
        self.paasid = service.paasid
        self.token = service.token
        self.session = session or requests.Session()
        # The service's address is in the configuration; a proxy or .netrc picked up from the environment
        # would send settlement traffic (and its token) somewhere the terminal was not told of.
        self.session.trust_env = False
        self.timeouts = (service.connect_timeout_s, service.read_timeout_s)
        self.connect_retries = service.connect_retries
        self.clock = clock
        self.next_msgid = msgids or MsgIdFactory(institution.fixmedins_code, institution.msgid_block,
                                                 clock=lambda: datetime.fromtimestamp(self.clock()))
        self.sign_no = ""
        self.observer: CallObserver | None = None
        # Told of every call's infno, seconds and outcome (answered, unknown, unreachable): the metrics.
        self.timing: Callable[[str, float, str], None] | None = None
        # Set on the cashier's client only: its calls make the forwarder give way (terminal.right_of_way).
        self.right_of_way: RightOfWay | None = None

    def close(self) -> None:
        self.session.close()

    def probe(self, timeout_s: float = 2.0) -> bool:
        """Whether the service answers at all: any HTTP answer to a GET of its base address.

        Cheap and harmless (no message, no msgid), so a forwarder waiting for the network can ask
        every few seconds.
        """
        try:
            self.session.get(self.base_url + "/", timeout=(min(timeout_s, self.timeouts[0]), timeout_s))
        except requests.exceptions.RequestException:
            return False
        return True

    # ----- transport

    def envelope(self, infno: str, input_: dict[str, Any], msgid: str) -> dict[str, Any]:
        inst = self.institution
        return {
            "infno": infno,
            "msgid": msgid,
            "mdtrtarea_admvs": inst.mdtrtarea_admvs,
            "insuplc_admdvs": inst.insuplc_admdvs,
            "recer_sys_code": inst.recer_sys_code,
            "dev_no": inst.dev_no,
            "dev_safe_info": "",
            "cainfo": "",
            "signtype": "SM3",
            "infver": INFVER,
            "opter_type": inst.opter_type,
            "opter": inst.opter,
            "opter_name": inst.opter_name,
            "inf_time": fmt_time(datetime.fromtimestamp(self.clock())),
            "fixmedins_code": inst.fixmedins_code,
            "fixmedins_name": inst.fixmedins_name,
            "sign_no": self.sign_no,
            "input": input_,
        }

    def _post(self, path: str, payload: dict[str, Any], infno: str, msgid: str) -> Any:
        started = time.monotonic()
        try:
            if self.right_of_way is None:
                result = self._send(path, payload, infno, msgid)
            else:
                with self.right_of_way.cashier():
                    result = self._send(path, payload, infno, msgid)
        except NetworkUnreachable as exc:
            if self.observer is not None:
                self.observer.unreachable(exc.detail or "")
            self._timed(infno, started, "unreachable")
            raise
        except (OutcomeUnknown, MalformedAnswer) as exc:
            if self.observer is not None:
                self.observer.unknown(exc.detail or "")
            self._timed(infno, started, "unknown")
            raise
        if self.observer is not None:
            self.observer.answered(time.monotonic() - started)
        self._timed(infno, started, "answered")
        return result

    def _timed(self, infno: str, started: float, outcome: str) -> None:
        if self.timing is not None:
            try:
                self.timing(infno, time.monotonic() - started, outcome)
            except Exception:  # the metrics must never fail a settlement
                log.exception("call timing not recorded")

    def _send(self, path: str, payload: dict[str, Any], infno: str, msgid: str) -> Any:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        url = self.base_url + path
        last_error = ""
        maybe_sent = False
        for _attempt in range(self.connect_retries + 1):
            headers = signed_headers(self.paasid, self.token, int(self.clock()))
            headers["Content-Type"] = "application/json; charset=utf-8"
            try:
                response = self.session.post(url, data=body, headers=headers, timeout=self.timeouts)
            except requests.exceptions.ConnectTimeout as exc:
                last_error = f"connect timeout: {exc}"
                continue
            except requests.exceptions.ReadTimeout as exc:
                raise OutcomeUnknown(infno, msgid, f"no answer within {self.timeouts[1]} s: {exc}") from None
            except requests.exceptions.ConnectionError as exc:
                # Refused connections never sent anything; a reset after connecting
                # may have. Either way the retry carries the same msgid.
                last_error = str(exc)
                maybe_sent = maybe_sent or not _never_connected(exc)
                continue
            except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                    requests.exceptions.InvalidSchema) as exc:
                raise NetworkUnreachable(str(exc)) from None  # nothing was sent anywhere
            except requests.exceptions.RequestException as exc:
                # A cut-off or undecodable answer: the request was sent and may have been acted on.
                raise OutcomeUnknown(infno, msgid, f"{type(exc).__name__}: {exc}") from None
            return self._decode(response, infno, msgid)
        if maybe_sent:
            raise OutcomeUnknown(infno, msgid, last_error)
        raise NetworkUnreachable(last_error)

    def _decode(self, response: requests.Response, infno: str, msgid: str) -> Any:
        if response.status_code >= 500:
            raise OutcomeUnknown(infno, msgid, f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise MalformedAnswer(infno, f"HTTP {response.status_code} from {response.url}")
        try:
            return response.json()
        except ValueError:
            raise MalformedAnswer(infno, "the answer is not JSON") from None

    # ----- messages

    def call(self, infno: str, input_: dict[str, Any], *, msgid: str | None = None) -> Answer:
        """Send one message; pass the msgid of an earlier attempt to resend it."""
        msgid = msgid or self.next_msgid()
        # Whoever this message is about must never reach a log line unmasked, whatever the answer says.
        remember_fields(input_)
        raw = self._post(SERVICE_PATH, self.envelope(infno, input_, msgid), infno, msgid)
        if isinstance(raw, dict):
            remember_fields(raw.get("output"))
        if not isinstance(raw, dict) or raw.get("infcode") not in (0, -1):
            raise MalformedAnswer(infno, "infcode is missing or not 0/-1")
        if raw["infcode"] == -1:
            err_msg = raw.get("err_msg")
            raise ServiceRefused(infno, msgid, err_msg if isinstance(err_msg, str) and err_msg else "no reason given")
        try:
            output = Fields(raw.get("output"), "output")
        except FieldError as exc:
            raise MalformedAnswer(infno, exc.cashier_message) from None
        warn = raw.get("warn_msg")
        ref = raw.get("inf_refmsgid")
        return Answer(infno, msgid, output, warn if isinstance(warn, str) else "", ref if isinstance(ref, str) else "")

    def ec_query(self, qr_text: str, *, business_type: str = "01101") -> EcIdentity:
        inst = self.institution
        payload = {
            "orgId": inst.fixmedins_code,
            "transType": "ec.query",
            "data": {"ecQrCode": qr_text, "businessType": business_type, "operatorId": inst.opter,
                     "operatorName": inst.opter_name, "officeId": inst.dev_no, "officeName": inst.fixmedins_name},
        }
        raw = self._post(EC_QUERY_PATH, payload, "ec.query", "")
        if not isinstance(raw, dict) or "code" not in raw:
            raise MalformedAnswer("ec.query", "code is missing")
        if raw["code"] != 0:
            message = raw.get("message")
            raise ServiceRefused("ec.query", "", message if isinstance(message, str) else "no reason given")
        try:
            remember_fields(raw.get("data"))
            data = Fields(raw.get("data"), "data")
            return EcIdentity(ec_token=data.text("ecToken"), id_no=data.text("idNo"), id_type=data.text("idType"),
                              user_name=data.text("userName"), insu_org=data.text("insuOrg"))
        except FieldError as exc:
            raise MalformedAnswer("ec.query", exc.cashier_message) from None

    def sign_in(self, mac: str = "", ip: str = "") -> str:
        answer = self.call("9001", {"signIn": {"opter_no": self.institution.opter, "mac": mac, "ip": ip}})
        self.sign_no = self._read(answer, lambda o: o.obj("signinoutb").text("sign_no", max_len=40))
        return self.sign_no

    def sign_out(self) -> None:
        if self.sign_no:
            self.call("9002", {"signOut": {"sign_no": self.sign_no, "opter_no": self.institution.opter}})
            self.sign_no = ""

    def person_info(self, cert: dict[str, str], *, expect_psn_no: str | None = None,
                    expect_certno: str | None = None) -> Answer:
        """1101 for a certificate; psn_cert_type, certno and psn_name go empty unless given.

        The answer must be about the person asked for: the ID number when the certificate is one (or
        given, or known from ec.query), the person number when known (a verified e-voucher names it).
        """
        answer = self.call("1101", {"data": {"psn_cert_type": "", "certno": "", "psn_name": "", **cert}})
        base = self._read(answer, lambda o: o.obj("baseinfo"))
        certnos = {expect_certno, cert.get("certno") or None,
                   cert.get("mdtrt_cert_no") if cert.get("mdtrt_cert_type") == "02" else None} - {None}
        got_certno, got_psn_no = base.raw("certno"), base.raw("psn_no")
        if any(got_certno != wanted for wanted in certnos) or (expect_psn_no and got_psn_no != expect_psn_no):
            raise MalformedAnswer("1101", f"answer is for person {got_psn_no}, not the one asked for")
        return answer

    def settlement(self, infno: str, input_: dict[str, Any], item_key: str, *, msgid: str | None = None
                   ) -> tuple[Answer, Settlement]:
        answer = self.call(infno, input_, msgid=msgid)
        settlement: Settlement = self._read(answer, lambda o: settlement_from_output(o, item_key))
        asked = input_.get("data", {})
        for name in ("psn_no", "mdtrt_id", "med_type", "insutype", "medfee_sumamt"):
            # Never show a cashier a settlement of another person or another bill (a msgid
            # answered twice, a proxy mixing answers up).
            wanted = asked.get(name)
            if wanted and str(settlement.setlinfo.get(name)) != str(wanted):
                raise MalformedAnswer(infno, f"answer has {name} {settlement.setlinfo.get(name)}, not {wanted}")
        return answer, settlement

    def download_catalog(self) -> tuple[Catalog, Policy, str]:
        answer = self.call("1301", {"data": {"ver": ""}})
        try:
            return (Catalog.from_json(answer.output.raw("catalog")), Policy.from_json(answer.output.raw("policy")),
                    answer.output.text("ver", max_len=64))
        except BadInput as exc:
            raise MalformedAnswer("1301", exc.cashier_message) from None

    @staticmethod
    def _read(answer: Answer, reader: Callable[[Fields], Any]) -> Any:
        try:
            return reader(answer.output)
        except FieldError as exc:
            raise MalformedAnswer(answer.infno, exc.cashier_message) from None


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the failure happened before a connection existed (refused, no route, DNS)."""
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def client_from_settings(settings: Settings, *, url: str | None = None, paasid: str | None = None,
                         token: str | None = None) -> SettlementClient:
    """A client as this terminal is configured; msgids are unique across its processes."""
    service = dataclasses.replace(settings.service, url=url or settings.service.url,
                                  paasid=paasid or settings.service.paasid, token=token or settings.service.token)
    institution = Institution.from_settings(settings.terminal)
    msgids = MsgIdFactory(institution.fixmedins_code, institution.msgid_block,
                          sequence=FileSequence(state_dir(settings) / "msgid.seq"))
    return SettlementClient(service, institution, msgids=msgids)
