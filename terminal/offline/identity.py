"""Who is buying: the person behind a card or an e-voucher, as the service or the journal's copy knows them.

Online, an e-voucher goes through ec.query (business 02121, a pharmacy purchase)
and 1101 follows; a card goes straight to 1101. What 1101 said of the person's
insurance (no name, no ID number) is kept in the journal for offline sales.
Offline, a voucher is trusted by its signature and expiry, and the person is
what the journal last heard of them (or unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.client import SettlementClient
from terminal.domain import CertType
from terminal.offline.journal import Journal
from terminal.pharmacy_sale import Buyer
from terminal.voucher import VoucherClaims


@dataclass(frozen=True)
class Identity:
    """What the counter shows of the person, and what a sale for them carries."""

    buyer: Buyer
    online: bool  # identified by the service (False: from the voucher and the journal's copy)
    cert: dict[str, str]  # the certificate messages carry (an ecToken online for a voucher)
    person_key: str
    psn_no: str | None = None
    insutype: str | None = None
    psn_type: str | None = None
    psn_insu_stas: str = "1"
    insuplc_admdvs: str = ""
    psn_name: str = ""
    certno: str = ""
    balc: Decimal | None = None  # the personal account, when the service said
    holder_psn_no: str | None = None  # a bound family member's holder (mutual aid)
    holder_name: str = ""
    holder_balc: Decimal | None = None
    warning: str = ""  # the service's warn_msg (a suspended insurance says so here)
    claims: VoucherClaims | None = None

    @property
    def suspended(self) -> bool:
        return self.psn_insu_stas != "1"


def identify_online(client: SettlementClient, journal: Journal, buyer: Buyer,
                    claims: VoucherClaims | None) -> Identity:
    """The person as the service says (NetworkUnreachable when it cannot be reached)."""
    if buyer.voucher:
        found = client.ec_query(buyer.voucher, business_type="02121")
        cert = {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": found.ec_token, "card_sn": ""}
        info = client.person_info(cert, expect_psn_no=claims.psn_no if claims else None,
                                  expect_certno=found.id_no)
    else:
        cert = buyer.offline_certificate()
        info = client.person_info(cert)
    base, insu = info.output.obj("baseinfo"), info.output.items("insuinfo")[0]
    family: Any = info.output.raw("famlinfo")
    psn_no = base.text("psn_no")
    key = buyer.person_key(psn_no)
    identity = Identity(
        buyer=buyer, online=True, cert=cert, person_key=key, psn_no=psn_no, insutype=insu.text("insutype"),
        psn_type=insu.text("psn_type"), psn_insu_stas=insu.text("psn_insu_stas", default="1"),
        insuplc_admdvs=insu.text("insuplc_admdvs", default=""), psn_name=str(base.raw("psn_name") or ""),
        certno=str(base.raw("certno") or ""), balc=insu.decimal("balc", places=2), warning=info.warn_msg,
        holder_psn_no=family.get("holder_psn_no") if isinstance(family, dict) else None,
        holder_name=str(family.get("holder_name") or "") if isinstance(family, dict) else "",
        holder_balc=Decimal(family["holder_balc"]) if isinstance(family, dict) and family.get("holder_balc")
        else None,
        claims=claims)
    journal.run(lambda t: t.save_person(key, {
        "psn_no": psn_no, "insutype": insu.text("insutype"), "psn_type": insu.text("psn_type"),
        "psn_insu_stas": identity.psn_insu_stas, "insuplc_admdvs": identity.insuplc_admdvs}))
    return identity


def identify_offline(journal: Journal, buyer: Buyer, claims: VoucherClaims | None) -> Identity:
    """The person as the journal last heard of them (everything unknown for a card never seen)."""
    psn_no = claims.psn_no if claims else None
    key = buyer.person_key(psn_no)
    known = journal.run(lambda t: t.person_copy(key)) or {}
    return Identity(
        buyer=buyer, online=False, cert=buyer.offline_certificate(), person_key=key,
        psn_no=psn_no or known.get("psn_no"), insutype=known.get("insutype"), psn_type=known.get("psn_type"),
        psn_insu_stas=known.get("psn_insu_stas", "1"), insuplc_admdvs=known.get("insuplc_admdvs", ""),
        holder_psn_no=claims.holder if claims else None, claims=claims)
