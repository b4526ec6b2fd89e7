"""Domain types shared by the engine, the client, the service and the UI.

Wire names (medfee_sumamt, acct_pay...) are kept as the platform spells them:
these objects are serialised to and from the protocol one to one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from terminal.money import ZERO, fmt_amount, fmt_decimal


class ChargeClass(StrEnum):
    """chrgitm_lv: how much of an item insurance covers."""

    A = "01"  # fully in scope
    B = "02"  # in scope after a self-paid proportion
    C = "03"  # not covered: paid in full by the person


class MedType(StrEnum):
    PHARMACY = "41"
    OUTPATIENT = "11"
    INPATIENT = "21"


class CertType(StrEnum):
    """mdtrt_cert_type: what identified the person at the counter."""

    E_VOUCHER = "01"
    ID_NUMBER = "02"
    SOCIAL_SECURITY_CARD = "03"


@dataclass(frozen=True, slots=True)
class CatalogItem:
    med_list_codg: str
    name: str
    spec: str
    list_type: str  # "drug" or "service"
    chrgitm_lv: ChargeClass
    selfpay_prop: Decimal | None  # None: the policy's Class B default
    pric_uplmt_amt: Decimal | None
    barcode: str | None
    pric: Decimal | None = None  # the counter's own shelf price, when the catalog carries one
    # The pharmacy rules (DESIGN.md "Drug traceability codes and pharmacy rules"); absent in older
    # catalogs, which therefore behave as before.
    rx_flag: bool = False  # a prescription drug: its line carries rx_no
    trac_required: bool = False  # its boxes carry traceability codes, one per whole box sold
    max_cnt_per_sale: Decimal | None = None  # a restricted drug: at most this many per person per sale


@dataclass(frozen=True, slots=True)
class BasketLine:
    """One line of a bill, as priced at the counter."""

    med_list_codg: str
    pric: Decimal
    cnt: Decimal
    chrgitm_lv: ChargeClass
    selfpay_prop: Decimal | None = None
    pric_uplmt_amt: Decimal | None = None
    feedetl_sn: str = ""
    medins_list_codg: str = ""
    fee_ocur_time: str = ""


@dataclass(frozen=True, slots=True)
class ItemSplit:
    """The per-item answer: how one line splits (in the order the lines were sent)."""

    line: BasketLine
    det_item_fee_sumamt: Decimal
    selfpay_prop: Decimal
    fulamt_ownpay_amt: Decimal
    overlmt_amt: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal

    def to_json(self) -> dict[str, Any]:
        line = self.line
        return {
            "feedetl_sn": line.feedetl_sn,
            "med_list_codg": line.med_list_codg,
            "medins_list_codg": line.medins_list_codg or line.med_list_codg,
            "pric": str(line.pric),
            "cnt": str(line.cnt),
            "det_item_fee_sumamt": fmt_amount(self.det_item_fee_sumamt),
            "fee_ocur_time": line.fee_ocur_time,
            "chrgitm_lv": line.chrgitm_lv.value,
            "selfpay_prop": fmt_decimal(self.selfpay_prop),
            "pric_uplmt_amt": None if line.pric_uplmt_amt is None else fmt_decimal(line.pric_uplmt_amt),
            "fulamt_ownpay_amt": fmt_amount(self.fulamt_ownpay_amt),
            "overlmt_amt": fmt_amount(self.overlmt_amt),
            "preselfpay_amt": fmt_amount(self.preselfpay_amt),
            "inscp_scp_amt": fmt_amount(self.inscp_scp_amt),
        }


@dataclass(frozen=True, slots=True)
class SplitTotals:
    """The money fields of setlinfo."""

    medfee_sumamt: Decimal
    fulamt_ownpay_amt: Decimal
    overlmt_selfpay: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal
    act_pay_dedc: Decimal
    hifp_pay: Decimal
    pool_prop_selfpay: Decimal  # the pooled fund's ratio, as DESIGN.md defines it
    cvlserv_pay: Decimal
    hifes_pay: Decimal
    hifmi_pay: Decimal
    hifob_pay: Decimal
    maf_pay: Decimal
    oth_pay: Decimal
    fund_pay_sumamt: Decimal
    psn_part_amt: Decimal
    acct_pay: Decimal
    psn_cash_pay: Decimal
    hosp_part_amt: Decimal
    balc: Decimal
    acct_mulaid_pay: Decimal

    def to_json(self) -> dict[str, str]:
        out = {f.name: fmt_amount(getattr(self, f.name)) for f in fields(self)}
        out["pool_prop_selfpay"] = fmt_decimal(self.pool_prop_selfpay)
        return out

    def identity_violations(self, items: tuple[ItemSplit, ...] | None = None) -> list[str]:
        """The identities of DESIGN.md that do not hold (empty when all hold)."""
        problems = []
        if self.medfee_sumamt != (self.fulamt_ownpay_amt + self.overlmt_selfpay
                                  + self.preselfpay_amt + self.inscp_scp_amt):
            problems.append("medfee_sumamt != fulamt + overlmt + preselfpay + inscp")
        if self.medfee_sumamt != self.fund_pay_sumamt + self.psn_part_amt:
            problems.append("medfee_sumamt != fund_pay_sumamt + psn_part_amt")
        if self.psn_part_amt != self.acct_pay + self.acct_mulaid_pay + self.psn_cash_pay:
            problems.append("psn_part_amt != acct_pay + acct_mulaid_pay + psn_cash_pay")
        if min(self.acct_pay, self.acct_mulaid_pay, self.psn_cash_pay, self.hifp_pay, self.balc) < ZERO:
            problems.append("a payment or the balance is negative")
        if items is not None:
            for name, item_name in (("medfee_sumamt", "det_item_fee_sumamt"),
                                    ("fulamt_ownpay_amt", "fulamt_ownpay_amt"),
                                    ("overlmt_selfpay", "overlmt_amt"),
                                    ("preselfpay_amt", "preselfpay_amt"),
                                    ("inscp_scp_amt", "inscp_scp_amt")):
                if getattr(self, name) != sum((getattr(i, item_name) for i in items), ZERO):
                    problems.append(f"{name} is not the sum of the items' {item_name}")
        return problems


@dataclass(frozen=True, slots=True)
class FundDetail:
    """One setldetail row: what one fund paid."""

    fund_pay_type: str  # 310100 pooled fund, 310200 personal account
    inscp_scp_amt: Decimal
    crt_payb_lmt_amt: Decimal
    fund_payamt: Decimal

    def to_json(self) -> dict[str, str]:
        return {
            "fund_pay_type": self.fund_pay_type,
            "inscp_scp_amt": fmt_amount(self.inscp_scp_amt),
            "crt_payb_lmt_amt": fmt_amount(self.crt_payb_lmt_amt),
            "fund_payamt": fmt_amount(self.fund_payamt),
        }


POOLED_FUND = "310100"
PERSONAL_ACCOUNT = "310200"


@dataclass(frozen=True, slots=True)
class SplitResult:
    """What the engine computes for one bill."""

    totals: SplitTotals
    items: tuple[ItemSplit, ...]
    bucket: str
    deductible_left: Decimal  # before this settlement
    cap_left: Decimal  # before this settlement

    @property
    def setldetail(self) -> tuple[FundDetail, ...]:
        t = self.totals
        rows = [FundDetail(POOLED_FUND, t.inscp_scp_amt, self.cap_left, t.hifp_pay)]
        if t.acct_pay > ZERO:
            rows.append(FundDetail(PERSONAL_ACCOUNT, t.inscp_scp_amt, t.balc + t.acct_pay, t.acct_pay))
        return tuple(rows)


@dataclass(frozen=True, slots=True)
class Person:
    psn_no: str
    psn_name: str
    certno: str
    psn_cert_type: str
    gend: str
    brdy: date
    insutype: str
    psn_type: str
    psn_insu_stas: str  # "1" insured; anything else cannot settle
    insuplc_admdvs: str
    balc: Decimal
    card_no: str | None = None
    card_sn: str | None = None
    holder: str | None = None  # psn_no of the family holder this person is bound to
    emp_name: str = ""
    cvlserv_flag: str = "0"

    @property
    def insured(self) -> bool:
        return self.psn_insu_stas == "1"

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.brdy.month, self.brdy.day)
        return day.year - self.brdy.year - int(before_birthday)
