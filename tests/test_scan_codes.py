"""Routing of scanned codes: real e-vouchers, drug barcodes, and every kind of bad code."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal import voucher
from terminal.catalog import Catalog
from terminal.devices.scan_codes import (
    BarcodeMisread,
    DamagedVoucher,
    DrugBarcodeScan,
    EmptyScan,
    NotAVoucherCode,
    NotRecognised,
    ScanRouter,
    ScanTooLong,
    UnknownBarcode,
    UnreadableScan,
    VoucherScan,
    check_digit_ok,
    lookup_barcode,
    route_scan,
)
from terminal.errors import BadInput, ConfigError
from terminal.settings import VoucherSettings, parse_settings

CONFIG = Path(__file__).resolve().parent.parent / "config"
NOW = 1_763_800_000


@pytest.fixture(scope="module")
def issuer_key() -> Ed25519PrivateKey:
    return voucher.load_private_key(CONFIG / "demo-issuer-key.pem")


@pytest.fixture(scope="module")
def public_key() -> Ed25519PublicKey:
    return voucher.load_public_key(CONFIG / "demo-issuer-key.pub.pem")


def test_demo_keys_are_a_pair(issuer_key: Ed25519PrivateKey, public_key: Ed25519PublicKey) -> None:
    assert voucher.public_pem(issuer_key) == CONFIG.joinpath("demo-issuer-key.pub.pem").read_bytes()


def test_valid_voucher_is_verified(issuer_key: Ed25519PrivateKey, public_key: Ed25519PublicKey) -> None:
    text = voucher.issue_voucher(issuer_key, "12000000000000000001", now=NOW, holder="12000000000000000009")
    scan = route_scan(text, public_key=public_key, now=NOW + 60)
    assert isinstance(scan, VoucherScan) and scan.verified
    assert scan.claims.psn_no == "12000000000000000001"
    assert scan.claims.holder == "12000000000000000009"
    # Scanners leave line ends and AIM identifiers; bytes work like text.
    again = route_scan(("]Q1" + text + "\r\n").encode("ascii"), public_key=public_key, now=NOW)
    assert isinstance(again, VoucherScan) and again.text == text


def test_voucher_structure_only_without_a_key(issuer_key: Ed25519PrivateKey) -> None:
    scan = route_scan(voucher.issue_voucher(issuer_key, "P1", now=NOW))
    assert isinstance(scan, VoucherScan) and not scan.verified and scan.claims.psn_no == "P1"


def _tamper_payload(text: str) -> str:
    prefix, payload, signature = text.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["psn_no"] = "12000000000000000666"
    forged = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=")
    return f"{prefix}.{forged.decode()}.{signature}"


def _tamper_signature(text: str) -> str:
    prefix, payload, signature = text.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[0] ^= 0x01
    return f"{prefix}.{payload}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"


@pytest.mark.parametrize("forge", ["payload", "signature", "wrong_key"])
def test_forged_vouchers_are_refused(issuer_key: Ed25519PrivateKey, public_key: Ed25519PublicKey,
                                     forge: str) -> None:
    text = voucher.issue_voucher(issuer_key, "12000000000000000001", now=NOW)
    if forge == "payload":
        text = _tamper_payload(text)
    elif forge == "signature":
        text = _tamper_signature(text)
    else:
        text = voucher.issue_voucher(Ed25519PrivateKey.generate(), "12000000000000000001", now=NOW)
    with pytest.raises(voucher.VoucherForged) as info:
        route_scan(text, public_key=public_key, now=NOW)
    assert "security check" in info.value.cashier_message


def test_expired_and_not_yet_valid_vouchers(issuer_key: Ed25519PrivateKey,
                                            public_key: Ed25519PublicKey) -> None:
    text = voucher.issue_voucher(issuer_key, "P1", now=NOW)
    with pytest.raises(voucher.VoucherExpired) as info:
        route_scan(text, public_key=public_key, now=NOW + 120)
    assert "expired" in info.value.cashier_message
    with pytest.raises(voucher.VoucherExpired):
        route_scan(text, public_key=public_key, now=NOW - 600)
    # The tamper check comes first: an expired forgery is reported as forged.
    with pytest.raises(voucher.VoucherForged):
        route_scan(_tamper_payload(text), public_key=public_key, now=NOW + 10_000)


def test_cut_off_voucher_is_damaged_and_still_a_not_a_voucher(issuer_key: Ed25519PrivateKey) -> None:
    text = voucher.issue_voucher(issuer_key, "P1", now=NOW)
    with pytest.raises(DamagedVoucher) as info:
        route_scan(text[:40])
    assert isinstance(info.value, voucher.NotAVoucher) and isinstance(info.value, NotRecognised)
    assert "scan it again" in info.value.cashier_message


@pytest.mark.parametrize("code", ["6901070202353", "4006381333931", "9787111213826"])
def test_ean13_with_valid_check_digit(code: str) -> None:
    assert route_scan(code) == DrugBarcodeScan(code, "EAN-13", code)


def test_ean8_and_upca_are_normalised() -> None:
    assert route_scan("96385074") == DrugBarcodeScan("96385074", "EAN-8", "96385074")
    assert route_scan("036000291452") == DrugBarcodeScan("0036000291452", "UPC-A", "036000291452")
    assert route_scan("]E06901070202353") == DrugBarcodeScan("6901070202353", "EAN-13", "6901070202353")


@pytest.mark.parametrize("code", ["6901070202354", "96385075", "036000291453"])
def test_wrong_check_digit_asks_to_scan_again(code: str) -> None:
    with pytest.raises(BarcodeMisread) as info:
        route_scan(code)
    assert info.value.cashier_message == "The barcode did not scan cleanly; scan it again."


@settings(deadline=None)
@given(st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_property_exactly_one_check_digit_per_ean13_body(body: str) -> None:
    good = [d for d in "0123456789" if check_digit_ok(body + d)]
    assert len(good) == 1
    assert isinstance(route_scan(body + good[0]), DrugBarcodeScan)


@pytest.mark.parametrize(("text", "words"), [
    ("https://example.com/pay?id=1", "web link"),
    ("www.example.com", "web link"),
    ("wxp://f2f0abcdefghijklmnop", "payment code"),
    ("https://qr.alipay.com/bax01234", "payment code"),
    ("134567890123456789", "payment code"),
    ("281234567890123456", "payment code"),
    ("00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678", "payment code"),
    ("WIFI:S:shop;T:WPA;P:secret;;", "not a medical-insurance e-voucher"),
    ("1234567", "not a medical-insurance e-voucher"),
    ("NHSAEC2.abc.def", "not a medical-insurance e-voucher"),
])
def test_other_codes_are_named_for_the_cashier(text: str, words: str) -> None:
    with pytest.raises(NotAVoucherCode) as info:
        route_scan(text)
    assert words in info.value.cashier_message
    assert isinstance(info.value, voucher.NotAVoucher)


@pytest.mark.parametrize("data", ["", "   ", "\r\n", b""])
def test_empty_scan(data: str | bytes) -> None:
    with pytest.raises(EmptyScan):
        route_scan(data)


@pytest.mark.parametrize("data", ["A" * 3072, b"N" * 3072, b"\xff" * 100_000])
def test_three_kilobyte_code_is_too_long(data: str | bytes) -> None:
    with pytest.raises(ScanTooLong) as info:
        route_scan(data)
    assert "too long" in info.value.cashier_message


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x01binary", b"\x89PNG\r\n\x1a\n", "abc\x00def", "\x1b[2J"])
def test_binary_payload_is_unreadable_and_keeps_the_raw_bytes(data: str | bytes) -> None:
    with pytest.raises(UnreadableScan) as info:
        route_scan(data)
    assert info.value.raw
    if isinstance(data, bytes):
        assert info.value.raw == data


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=1500)))
def test_property_any_input_is_a_scan_or_a_bad_input_never_a_crash(data: str | bytes) -> None:
    try:
        route_scan(data)
    except BadInput as exc:
        assert exc.cashier_message.endswith(".")


CATALOG: list[dict[str, Any]] = [
    {"med_list_codg": "XJ01", "name": "Amoxicillin", "spec": "0.25g*24", "list_type": "drug",
     "chrgitm_lv": "01", "selfpay_prop": None, "pric_uplmt_amt": "9.5000", "barcode": "6901070202353"},
    {"med_list_codg": "XM01", "name": "Ibuprofen", "spec": "0.3g*20", "list_type": "drug",
     "chrgitm_lv": "02", "selfpay_prop": "0.10", "pric_uplmt_amt": None, "barcode": "0036000291452"},
    {"med_list_codg": "F001", "name": "Injection fee", "spec": "", "list_type": "service",
     "chrgitm_lv": "01", "selfpay_prop": None, "pric_uplmt_amt": None, "barcode": None},
]


def test_lookup_by_scanned_barcode() -> None:
    index = Catalog.from_json(CATALOG)
    assert index.barcode_count() == 2
    scan = route_scan("6901070202353")
    assert isinstance(scan, DrugBarcodeScan)
    assert lookup_barcode(scan, index).med_list_codg == "XJ01"
    # The UPC-A label of a box catalogued under its EAN-13 form.
    upc = route_scan("036000291452")
    assert isinstance(upc, DrugBarcodeScan)
    assert lookup_barcode(upc, index).name == "Ibuprofen"
    assert lookup_barcode("6901070202353", index).name == "Amoxicillin"


def test_lookup_of_unknown_or_misread_barcode() -> None:
    index = Catalog.from_json(CATALOG)
    with pytest.raises(UnknownBarcode) as info:
        lookup_barcode("4006381333931", index)
    assert "not in the drug catalog" in info.value.cashier_message
    with pytest.raises(BarcodeMisread):
        lookup_barcode("4006381333932", index)


def test_catalog_with_bad_or_duplicate_barcodes_is_a_config_error() -> None:
    # A catalogued barcode with a wrong check digit loads (a basket file may name it), but a
    # scanner reading those digits is told it misread.
    wrong_check = Catalog.from_json([{**CATALOG[0], "barcode": "6901070202354"}])
    assert wrong_check.by_barcode("6901070202354") is not None
    with pytest.raises(BarcodeMisread):
        lookup_barcode("6901070202354", wrong_check)
    with pytest.raises(ConfigError, match="twice"):
        Catalog.from_json([CATALOG[0], {**CATALOG[1], "barcode": "6901070202353"}])


def test_demo_catalog_barcodes_all_index() -> None:
    path = CONFIG / "catalog.json"
    if not path.exists():
        pytest.skip("no demo catalog yet")
    catalog = json.loads(path.read_text(encoding="utf-8"))
    index = Catalog.from_json(catalog)
    for entry in catalog:
        if entry.get("barcode"):
            scan = route_scan(entry["barcode"])
            assert isinstance(scan, DrugBarcodeScan)
            assert lookup_barcode(scan, index).med_list_codg == entry["med_list_codg"]


def test_router_from_the_shipped_configuration(issuer_key: Ed25519PrivateKey) -> None:
    clock = [float(NOW)]
    router = ScanRouter.from_settings(VoucherSettings())
    router = ScanRouter(router.public_key, clock_skew_s=router.clock_skew_s, clock=lambda: clock[0])
    text = voucher.issue_voucher(issuer_key, "P7", now=NOW)
    scan = router.route(text)
    assert isinstance(scan, VoucherScan) and scan.verified
    clock[0] = NOW + 121
    with pytest.raises(voucher.VoucherExpired):
        router.route(text)


@pytest.mark.parametrize(("section", "words"), [
    ({"issuer_public_key": ""}, "voucher.issuer_public_key"),
    ({"issuer_public_key": "demo-issuer-key.pub.pem", "clock_skew_s": -1}, "voucher.clock_skew_s"),
    ({"issuer_public_key": "no-such-key.pem"}, "does not exist"),
])
def test_router_configuration_errors(section: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        ScanRouter.from_settings(parse_settings({"voucher": section}).voucher)


def test_scan_speed_keystrokes_from_a_wedge_route_to_a_verified_voucher(
        issuer_key: Ed25519PrivateKey, public_key: Ed25519PublicKey) -> None:
    from terminal.devices.wedge import WedgeClassifier

    text = voucher.issue_voucher(issuer_key, "12000000000000000001", now=NOW)
    clf = WedgeClassifier()
    results = [clf.feed(ch, i * 3) for i, ch in enumerate(text)]
    results.append(clf.feed("Enter", len(text) * 3))
    (scanned,) = results[-1].scans
    scan = ScanRouter(public_key, clock=lambda: NOW).route(scanned)
    assert isinstance(scan, VoucherScan) and scan.claims.psn_no == "12000000000000000001"
