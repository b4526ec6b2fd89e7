"""The settlement client against small scripted HTTP servers on loopback.

Each script says what the server answers to each request in turn; the test
then checks the whole exchange (envelopes, msgids, signatures) happened.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from terminal.client import (
    Institution,
    MalformedAnswer,
    NetworkUnreachable,
    OutcomeUnknown,
    ServiceRefused,
    SettlementClient,
)
from terminal.protocol import SERVICE_PATH, msgid_is_wellformed, signature
from terminal.settings import ServiceSettings

INSTITUTION = Institution(
    fixmedins_code="P12010100001", fixmedins_name="Test Pharmacy", mdtrtarea_admvs="120000",
    insuplc_admdvs="120000", recer_sys_code="CTERM", dev_no="CT-T", opter="0001", opter_name="Tester")
TOKEN = "test-token"

Reply = Callable[[BaseHTTPRequestHandler, dict[str, Any]], None]


def ok(output: dict[str, Any]) -> Reply:
    def reply(handler: BaseHTTPRequestHandler, request: dict[str, Any]) -> None:
        send(handler, 200, json.dumps({"infcode": 0, "inf_refmsgid": "R1", "refmsg_time": "", "respond_time": "",
                                       "err_msg": "", "warn_msg": "", "output": output}).encode())
    return reply


def raw(status: int, body: bytes) -> Reply:
    return lambda handler, request: send(handler, status, body)


def hang_up(handler: BaseHTTPRequestHandler, request: dict[str, Any]) -> None:
    """Read the request, then drop the connection without answering."""
    handler.close_connection = True
    handler.connection.shutdown(socket.SHUT_RDWR)


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class Script:
    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.paths: list[str] = []


@contextmanager
def scripted_server(replies: list[Reply]) -> Iterator[tuple[str, Script]]:
    script = Script(replies)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            script.paths.append(self.path)
            script.replies.pop(0)(self, body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert not script.replies, "the script was not used up"


def client(url: str, *, clock: Callable[[], float] | None = None, **service: Any) -> SettlementClient:
    settings = ServiceSettings(url=url, paasid="test", token=TOKEN, **service)
    return SettlementClient(settings, INSTITUTION, **({"clock": clock} if clock else {}))


def test_envelope_and_signature_are_what_the_protocol_says() -> None:
    with scripted_server([ok({"signinoutb": {"sign_no": "SN1", "sign_time": "2026-11-23 08:00:00"}})]) as (url, s):
        c = client(url, clock=lambda: 1_790_000_000.0)
        assert c.sign_in() == "SN1"
        c.close()
    headers, body = s.requests[0]
    assert s.paths == [SERVICE_PATH]
    assert body["infno"] == "9001"
    assert msgid_is_wellformed(body["msgid"], "P12010100001")
    assert body["fixmedins_code"] == "P12010100001" and body["opter"] == "0001"
    assert body["input"] == {"signIn": {"opter_no": "0001", "mac": "", "ip": ""}}
    assert headers["x-tif-paasid"] == "test"
    assert headers["x-tif-timestamp"] == "1790000000"
    assert headers["x-tif-signature"] == signature("1790000000", TOKEN, headers["x-tif-nonce"])


def test_a_dropped_connection_is_retried_with_the_same_msgid_and_a_fresh_nonce() -> None:
    with scripted_server([hang_up, ok({"signinoutb": {"sign_no": "SN2", "sign_time": ""}})]) as (url, s):
        c = client(url)
        assert c.sign_in() == "SN2"
        c.close()
    (h1, b1), (h2, b2) = s.requests
    assert b1["msgid"] == b2["msgid"]
    assert h1["x-tif-nonce"] != h2["x-tif-nonce"]


def test_a_connection_dropped_on_every_try_leaves_the_outcome_unknown() -> None:
    with scripted_server([hang_up, hang_up]) as (url, s):
        c = client(url, connect_retries=1)
        with pytest.raises(OutcomeUnknown) as caught:
            c.call("2102", {"data": {}})
        c.close()
    assert caught.value.msgid == s.requests[0][1]["msgid"] == s.requests[1][1]["msgid"]
    assert "Do not settle again" in caught.value.cashier_message


def test_nothing_listening_is_network_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        c = client(f"http://127.0.0.1:{port}", connect_retries=1)
        with pytest.raises(NetworkUnreachable) as caught:
            c.call("1101", {"data": {}})
        c.close()
    assert "offline" in caught.value.cashier_message


def test_no_answer_in_time_is_outcome_unknown_with_the_msgid() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts (in the kernel) and never answers
        c = client(f"http://127.0.0.1:{listener.getsockname()[1]}", read_timeout_s=0.3)
        with pytest.raises(OutcomeUnknown) as caught:
            c.call("2102", {"data": {}}, msgid="P12010100001202611230800000042")
        c.close()
    assert caught.value.msgid == "P12010100001202611230800000042"
    assert caught.value.infno == "2102"


@pytest.mark.parametrize(("reply", "error"), [
    (raw(200, b"<html>proxy error</html>"), MalformedAnswer),
    (raw(200, b'{"output": {}}'), MalformedAnswer),
    (raw(200, b'{"infcode": 7, "output": {}}'), MalformedAnswer),
    (raw(200, b'{"infcode": 0, "output": "nope"}'), MalformedAnswer),
    (raw(404, b"not found"), MalformedAnswer),
    (raw(502, b"bad gateway"), OutcomeUnknown),
])
def test_answers_that_cannot_be_trusted_are_typed(reply: Reply, error: type[Exception]) -> None:
    with scripted_server([reply]) as (url, _s):
        c = client(url)
        with pytest.raises(error):
            c.call("1101", {"data": {}})
        c.close()


def test_a_refusal_carries_err_msg() -> None:
    body = json.dumps({"infcode": -1, "err_msg": "the insurance of 杨磊 is suspended", "output": {}}).encode()
    with scripted_server([raw(200, body)]) as (url, _s):
        c = client(url)
        with pytest.raises(ServiceRefused) as caught:
            c.call("2102", {"data": {}})
        c.close()
    assert caught.value.err_msg == "the insurance of 杨磊 is suspended"
    assert "suspended" in caught.value.cashier_message


def settlement_output(**overrides: str) -> dict[str, Any]:
    info = {name: "0.00" for name in (
        "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "act_pay_dedc", "hifp_pay", "cvlserv_pay",
        "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_cash_pay",
        "hosp_part_amt", "acct_mulaid_pay")}
    info.update(medfee_sumamt="10.00", inscp_scp_amt="10.00", pool_prop_selfpay="0.50", psn_part_amt="10.00",
                acct_pay="10.00", balc="90.00", setl_id="S1")
    info.update(overrides)
    return {"setlinfo": info, "setldetail": [], "drugdetail": []}


def test_a_settlement_that_adds_up_is_parsed() -> None:
    with scripted_server([ok(settlement_output())]) as (url, _s):
        c = client(url)
        _answer, settlement = c.settlement("2102", {"data": {}}, "drugdetail")
        c.close()
    assert settlement.setl_id == "S1"
    assert str(settlement.totals.acct_pay) == "10.00"


def test_a_settlement_whose_amounts_do_not_add_up_is_malformed() -> None:
    # psn_part_amt 10.00 but acct_pay 10.00 + cash 5.00: the service's arithmetic is wrong.
    with scripted_server([ok(settlement_output(psn_cash_pay="5.00"))]) as (url, _s):
        c = client(url)
        with pytest.raises(MalformedAnswer) as caught:
            c.settlement("2102", {"data": {}}, "drugdetail")
        c.close()
    assert "do not add up" in (caught.value.detail or "")


def test_against_the_real_service_an_unknown_outcome_is_resolved_by_resending(settlement_client) -> None:  # type: ignore[no-untyped-def]
    answer = settlement_client.call("9001", {"signIn": {"opter_no": "0001", "mac": "", "ip": ""}})
    again = settlement_client.call("9001", {"signIn": {"opter_no": "0001", "mac": "", "ip": ""}}, msgid=answer.msgid)
    assert again.output.data == answer.output.data
    assert again.inf_refmsgid == answer.inf_refmsgid


def person_output(psn_no: str = "P1", certno: str = "120101198204171019") -> dict[str, Any]:
    return {"baseinfo": {"psn_no": psn_no, "psn_cert_type": "01", "certno": certno, "psn_name": "张伟",
                         "gend": "1", "brdy": "1982-04-17", "age": "44"},
            "insuinfo": [{"balc": "100.00", "insutype": "310", "psn_type": "11", "psn_insu_stas": "1"}],
            "idetinfo": []}


@pytest.mark.parametrize(("cert", "expect", "answer_certno", "trusted"), [
    ({"mdtrt_cert_type": "02", "mdtrt_cert_no": "120101198204171019"}, {}, "120101198204171019", True),
    ({"mdtrt_cert_type": "02", "mdtrt_cert_no": "120101198204171019"}, {}, "110101199001011234", False),
    ({"mdtrt_cert_type": "01", "mdtrt_cert_no": "TOKEN"}, {"expect_certno": "120101198204171019"},
     "120101198204171019", True),
    ({"mdtrt_cert_type": "01", "mdtrt_cert_no": "TOKEN"}, {"expect_certno": "120101198204171019"},
     "110101199001011234", False),
    ({"mdtrt_cert_type": "03", "mdtrt_cert_no": "T1", "card_sn": "S"}, {"expect_psn_no": "P2"},
     "120101198204171019", False),
])
def test_a_person_answer_about_someone_else_is_not_trusted(cert: dict[str, str], expect: dict[str, str],
                                                          answer_certno: str, trusted: bool) -> None:
    # Two tills sharing a msgid would otherwise show one till the other's customer.
    with scripted_server([ok(person_output(certno=answer_certno))]) as (url, _s):
        c = client(url)
        try:
            if trusted:
                assert c.person_info(cert, **expect).output.obj("baseinfo").text("certno") == answer_certno
            else:
                with pytest.raises(MalformedAnswer, match="not the one asked for"):
                    c.person_info(cert, **expect)
        finally:
            c.close()


@pytest.mark.parametrize(("asked", "answered"), [
    ({"psn_no": "P1"}, {"psn_no": "P2"}),
    ({"medfee_sumamt": "12.00"}, {"medfee_sumamt": "10.00"}),
    ({"med_type": "41"}, {"med_type": "11"}),
    ({"insutype": "310"}, {"insutype": "390"}),
])
def test_a_settlement_of_another_bill_is_not_trusted(asked: dict[str, str], answered: dict[str, str]) -> None:
    with scripted_server([ok(settlement_output(**answered))]) as (url, _s):
        c = client(url)
        with pytest.raises(MalformedAnswer, match=next(iter(asked))):
            c.settlement("2102", {"data": asked}, "drugdetail")
        c.close()


def test_an_unknown_outcome_of_a_query_says_try_again_and_of_a_settlement_says_do_not_settle_again() -> None:
    with scripted_server([raw(502, b"bad gateway"), raw(502, b"bad gateway")]) as (url, _s):
        c = client(url)
        with pytest.raises(OutcomeUnknown) as query:
            c.call("1301", {"data": {"ver": ""}})
        with pytest.raises(OutcomeUnknown) as sale:
            c.call("2102", {"data": {}}, msgid="P1201010000120261130120000" + "0001")
        c.close()
    assert "try again" in query.value.cashier_message and "Do not settle" not in query.value.cashier_message
    assert "Do not settle again" in sale.value.cashier_message
    assert "P12010100001202611301200000001" in sale.value.cashier_message
