"""Who is at the counter: resolving mdtrt_cert_type/mdtrt_cert_no to a person."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from terminal.domain import CertType, Person
from terminal.fields import Fields
from terminal.protocol import DATE_FORMAT
from terminal.sim.settlement.call import Call, ServiceContext, ServiceError
from terminal.voucher import CLOCK_SKEW_S, VoucherClaims, VoucherError, looks_like_voucher, verify_voucher

CERT_TYPES = tuple(c.value for c in CertType)
# A voucher text presented directly (an offline sale forwarded later) is checked
# at the sale's time, but only for sales this recent.
MAX_OFFLINE_VOUCHER_AGE_S = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Certified:
    """The person a certificate names, and the nonce of the e-voucher that named them, if one did."""

    person: Person
    voucher_nonce: str | None = None


def check_voucher(service: ServiceContext, text: str, at: float) -> VoucherClaims:
    try:
        return verify_voucher(text, service.issuer_key, now=int(at))
    except VoucherError as exc:
        raise ServiceError(f"e-voucher rejected: {exc.cashier_message}") from None


def voucher_person(call: Call, claims: VoucherClaims) -> Person:
    person = call.store.person(claims.psn_no)
    if person is None:
        raise ServiceError(f"e-voucher names person {claims.psn_no}, who is not insured here")
    if claims.holder is not None and person.holder != claims.holder:
        raise ServiceError(f"e-voucher was shown by {claims.holder}, who is not the family holder "
                           f"of {claims.psn_no}")
    return person


def issue_ec_token(call: Call, claims: VoucherClaims) -> str:
    token = "EC" + secrets.token_hex(15)
    call.store.execute("INSERT INTO ec_token(token, psn_no, holder, expires_at, voucher_nonce) VALUES (?,?,?,?,?)",
                       (token, claims.psn_no, claims.holder, int(call.unix_now) + call.service.ec_token_ttl_s,
                        claims.nonce))
    return token


def person_for_cert(call: Call, f: Fields, *, at: float | None = None) -> Person:
    """The person a certificate names; `at` is the sale's time for forwarded offline sales."""
    return certified(call, f, at=at).person


def certified(call: Call, f: Fields, *, at: float | None = None) -> Certified:
    """The person a certificate names, with the voucher that named them."""
    cert_type = f.text("mdtrt_cert_type", choices=CERT_TYPES)
    cert_no = f.text("mdtrt_cert_no", max_len=1024)
    if cert_type == CertType.E_VOUCHER:
        if looks_like_voucher(cert_no):
            claims = check_voucher(call.service, cert_no, _voucher_moment(call, at))
            return Certified(voucher_person(call, claims), claims.nonce)
        row = call.store.one("SELECT psn_no, expires_at, voucher_nonce FROM ec_token WHERE token = ?", (cert_no,))
        if row is None:
            raise ServiceError("unknown ecToken: scan the e-voucher again")
        if row["expires_at"] <= call.unix_now:
            raise ServiceError("the ecToken has expired: scan the e-voucher again")
        person = call.store.person(row["psn_no"])
        assert person is not None  # the token's foreign key
        return Certified(person, row["voucher_nonce"])  # None for tokens issued before schema 2
    if cert_type == CertType.ID_NUMBER:
        person = call.store.person_where("certno", cert_no)
    else:
        person = call.store.person_where("card_no", cert_no)
        card_sn = f.opt_text("card_sn", max_len=64)
        if person is not None:
            if card_sn is None:
                raise ServiceError("card_sn is required with a social security card (mdtrt_cert_type 03)")
            if person.card_sn and card_sn != person.card_sn:
                raise ServiceError("card_sn does not match the card number: the card may be forged "
                                   "or replaced; ask for the new card")
    if person is None:
        raise ServiceError(f"no insured person found for mdtrt_cert_type {cert_type}")
    return Certified(person)


def _voucher_moment(call: Call, at: float | None) -> float:
    """The time a voucher text is judged at: the sale's, which must not be after the message arrived.

    A sale forwarded later happened while the voucher was valid; one dated after its own arrival
    is a sale time chosen to fit a voucher, not a sale.
    """
    if at is None:
        return call.unix_now
    if at > call.unix_now + CLOCK_SKEW_S:
        raise ServiceError("the sale time (fee_ocur_time) is after the message arrived; an e-voucher pays only "
                           "for a sale made while it was valid: check the terminal's clock")
    if call.unix_now - at > MAX_OFFLINE_VOUCHER_AGE_S:
        raise ServiceError("an e-voucher presented directly is only accepted for sales "
                           "made within the last 7 days")
    return at


def require_unused_voucher(call: Call, voucher_nonce: str | None) -> None:
    """An e-voucher funds at most one settlement that stands; a reversal frees it."""
    if voucher_nonce is None:
        return
    row = call.store.one("SELECT setl_id, fixmedins_code FROM settlement WHERE voucher_nonce = ? AND "
                         "status = 'settled'", (voucher_nonce,))
    if row is not None:
        where = f"settlement {row['setl_id']}" if row["fixmedins_code"] == call.fixmedins_code \
            else "a settlement at another institution"
        raise ServiceError(f"this e-voucher has already paid for {where}; an e-voucher pays once: ask the patient "
                           "to refresh the code in the app (reversing that settlement frees it)")


def check_names_match(f: Fields, person: Person) -> None:
    """1101 may also name the person; what it says must agree with the certificate."""
    name = f.opt_text("psn_name", max_len=50)
    if name is not None and name != person.psn_name:
        raise ServiceError("psn_name does not match the certificate's person")
    certno = f.opt_text("certno", max_len=30)
    if certno is not None and certno != person.certno:
        raise ServiceError("certno does not match the certificate's person")


def settling_person(call: Call, data: Fields, *, at: float | None = None) -> Certified:
    """The person for a settling message: the certificate, psn_no and insutype must agree.

    A voucher that already paid for a standing settlement is refused here, so pre-settlements
    check it too; the settlement that uses it records its nonce (commit_settlement).
    """
    psn_no = data.text("psn_no", max_len=30)
    cert = certified(call, data, at=at)
    person = cert.person
    if person.psn_no != psn_no:
        raise ServiceError(f"psn_no {psn_no} does not match the person named by the certificate")
    insutype = data.opt_text("insutype", max_len=6)
    if insutype is not None and insutype != person.insutype:
        raise ServiceError(f"insutype {insutype} is not the person's insurance type ({person.insutype})")
    require_insured(person)
    require_unused_voucher(call, cert.voucher_nonce)
    return cert


def require_insured(person: Person) -> None:
    if not person.insured:
        raise ServiceError(f"the insurance of {person.psn_name} is suspended (psn_insu_stas "
                           f"{person.psn_insu_stas}); settle this sale as cash")


def person_json(person: Person, day: datetime) -> dict[str, Any]:
    return {
        "psn_no": person.psn_no,
        "psn_cert_type": person.psn_cert_type,
        "certno": person.certno,
        "psn_name": person.psn_name,
        "gend": person.gend,
        "brdy": person.brdy.strftime(DATE_FORMAT),
        "age": person.age_on(day.date()),
    }
