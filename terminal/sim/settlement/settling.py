"""Settling a bill and reversing a settlement: the money moves of the service.

A settlement takes deductible and cap from the person's bucket for the sale's
calendar year and takes the balance from the person's (and, for mutual aid, the
holder's) account; a reversal gives exactly those amounts back.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from terminal.basket import CODE_PATTERN, check_unique_serials, read_count, read_price
from terminal.domain import BasketLine, Person, SplitResult
from terminal.fields import FieldError, Fields
from terminal.money import ZERO, fmt_amount, from_fen, round_yuan, to_fen
from terminal.protocol import fmt_time
from terminal.sim.settlement.call import Call, ServiceError, parse_wire_time
from terminal.sim.settlement.identity import person_json
from terminal.sim.settlement.pharmacy_rules import free_codes
from terminal.split import SplitContext, split

FUTURE_TOLERANCE_S = 300
# A sale is forwarded within days (offline limits); an inpatient stay can last months.
MAX_SALE_AGE_DAYS = 30
MAX_VISIT_AGE_DAYS = 366


def read_time(f: Fields, name: str, call: Call, *, default_now: bool = False,
              max_age_days: int = MAX_SALE_AGE_DAYS) -> datetime:
    if default_now and not f.has(name):
        return call.now
    text = f.text(name, max_len=19)
    try:
        moment = parse_wire_time(text)
        stamp = moment.timestamp()
    except (ValueError, OverflowError, OSError):
        raise FieldError(f"{f.where}.{name} must be a real time as yyyy-MM-dd HH:mm:ss, got {text[:30]!r}") from None
    if stamp > call.unix_now + FUTURE_TOLERANCE_S:
        raise FieldError(f"{f.where}.{name} {text} is in the future")
    if stamp < call.unix_now - max_age_days * 86400:
        raise FieldError(f"{f.where}.{name} {text} is more than {max_age_days} days ago")
    return moment


def read_fee_line(call: Call, f: Fields) -> BasketLine:
    """One drugdetail/feedetail entry, classified from the service's catalog."""
    code = f.text("med_list_codg", pattern=CODE_PATTERN)
    item = call.service.catalog.get(code)
    if item is None:
        raise FieldError(f"{f.where}.med_list_codg {code} is not in the catalog")
    pric, cnt = read_price(f), read_count(f)
    det = f.amount("det_item_fee_sumamt")
    if det != round_yuan(pric * cnt):
        raise FieldError(f"{f.where}.det_item_fee_sumamt {det} is not pric x cnt rounded "
                         f"({round_yuan(pric * cnt)})")
    return BasketLine(
        med_list_codg=code,
        pric=pric,
        cnt=cnt,
        chrgitm_lv=item.chrgitm_lv,
        selfpay_prop=item.selfpay_prop,
        pric_uplmt_amt=item.pric_uplmt_amt,
        feedetl_sn=f.text("feedetl_sn", max_len=30),
        medins_list_codg=f.opt_text("medins_list_codg", max_len=50) or code,
        fee_ocur_time=fmt_time(read_time(f, "fee_ocur_time", call, default_now=True)),
    )


def read_fee_lines(call: Call, entries: list[Fields], where: str) -> list[BasketLine]:
    lines = [read_fee_line(call, f) for f in entries]
    check_unique_serials(lines, where)
    return lines


def check_total(data: Fields, lines: list[BasketLine]) -> None:
    claimed = data.amount("medfee_sumamt")
    actual = sum((round_yuan(line.pric * line.cnt) for line in lines), ZERO)
    if claimed != actual:
        raise FieldError(f"medfee_sumamt {fmt_amount(claimed)} is not the sum of the items ({fmt_amount(actual)})")


def compute(call: Call, person: Person, lines: list[BasketLine], med_type: str, acct_used: bool,
            at: datetime) -> SplitResult:
    policy = call.service.policy
    bucket = policy.bucket_for(med_type)
    usage = call.store.usage(person.psn_no, at.year, bucket)
    holder_balc = None
    if person.holder is not None:
        holder = call.store.person(person.holder)
        if holder is not None and holder.insured:
            holder_balc = holder.balc
        elif acct_used:
            call.warn("the family holder's insurance is suspended: no mutual aid")
    ctx = SplitContext(med_type=med_type, insutype=person.insutype, psn_type=person.psn_type,
                       acct_used=acct_used, balc=person.balc, holder_balc=holder_balc,
                       dedc_used=usage.dedc, fund_used=usage.fund)
    return split(lines, ctx, policy)


def setlinfo_json(call: Call, person: Person, result: SplitResult, *, med_type: str, cert_type: str,
                  mdtrt_id: str | None, setl_id: str | None, at: datetime) -> dict[str, Any]:
    info: dict[str, Any] = {"mdtrt_id": mdtrt_id, "setl_id": setl_id}
    info.update(person_json(person, at))
    info.update(
        insutype=person.insutype,
        psn_type=person.psn_type,
        setl_time=call.now_text,
        mdtrt_cert_type=cert_type,
        med_type=med_type,
    )
    info.update(result.totals.to_json())
    info.update(
        medins_setl_id=call.msgid,
        clr_way="1",
        clr_type=med_type,
        clr_optins=person.insuplc_admdvs,
    )
    return info


def settlement_output(call: Call, person: Person, result: SplitResult, item_key: str, **info: Any
                      ) -> dict[str, Any]:
    return {
        "setlinfo": setlinfo_json(call, person, result, **info),
        "setldetail": [row.to_json() for row in result.setldetail],
        item_key: [item.to_json() for item in result.items],
    }


def commit_settlement(call: Call, person: Person, result: SplitResult, output: dict[str, Any], *,
                      mdtrt_id: str, setl_id: str, at: datetime, voucher_nonce: str | None) -> None:
    """Take the money: balances, deductible and cap; record the settlement (and the e-voucher it used up)."""
    t = result.totals
    store = call.store
    if t.acct_pay:
        store.add_balance(person.psn_no, -t.acct_pay)
    if t.acct_mulaid_pay:
        assert person.holder is not None
        store.add_balance(person.holder, -t.acct_mulaid_pay)
    store.add_usage(person.psn_no, at.year, result.bucket, t.act_pay_dedc, t.hifp_pay)
    store.execute(
        "INSERT INTO settlement(setl_id, mdtrt_id, psn_no, infno, msgid, fixmedins_code, setl_time, insutype,"
        " clr_type, setl_optins, year, bucket, medfee_fen, fund_fen, acct_fen, mulaid_fen, cash_fen, dedc_fen,"
        " hifp_fen, holder, output, voucher_nonce, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
        " 'settled')",
        (setl_id, mdtrt_id, person.psn_no, call.infno, call.msgid, call.fixmedins_code, call.now_text,
         person.insutype, output["setlinfo"]["clr_type"], person.insuplc_admdvs, at.year, result.bucket,
         to_fen(t.medfee_sumamt), to_fen(t.fund_pay_sumamt), to_fen(t.acct_pay), to_fen(t.acct_mulaid_pay),
         to_fen(t.psn_cash_pay), to_fen(t.act_pay_dedc), to_fen(t.hifp_pay),
         person.holder if t.acct_mulaid_pay else None, json.dumps(output, ensure_ascii=False), voucher_nonce))


def find_settlement(call: Call, setl_id: str, psn_no: str, mdtrt_id: str | None = None) -> Any:
    row = call.store.one("SELECT * FROM settlement WHERE setl_id = ?", (setl_id,))
    if row is None or row["psn_no"] != psn_no or row["fixmedins_code"] != call.fixmedins_code:
        raise ServiceError(f"no settlement {setl_id} for person {psn_no} at this institution")
    if mdtrt_id is not None and row["mdtrt_id"] != mdtrt_id:
        raise ServiceError(f"settlement {setl_id} does not belong to visit {mdtrt_id}")
    return row


def reverse_settlement(call: Call, row: Any) -> dict[str, Any]:
    """Give back balance, deductible and cap; the settlement counts as reversed from now."""
    if row["status"] == "reversed":
        raise ServiceError(f"settlement {row['setl_id']} was already reversed")
    store = call.store
    store.add_balance(row["psn_no"], from_fen(row["acct_fen"]))
    if row["mulaid_fen"]:
        store.add_balance(row["holder"], from_fen(row["mulaid_fen"]))
    store.give_back_usage(row["psn_no"], row["year"], row["bucket"], from_fen(row["dedc_fen"]),
                          from_fen(row["hifp_fen"]))
    store.execute("UPDATE settlement SET status='reversed', reversal_time=?, reversal_msgid=? WHERE setl_id=?",
                  (call.now_text, call.msgid, row["setl_id"]))
    store.execute("UPDATE fee SET status='active', setl_id=NULL WHERE setl_id=?", (row["setl_id"],))
    free_codes(store, row["setl_id"])
    person = store.person(row["psn_no"])
    assert person is not None
    return {"setlinfo": {
        "setl_id": call.new_id("R"),
        "orig_setl_id": row["setl_id"],
        "mdtrt_id": row["mdtrt_id"],
        "psn_no": row["psn_no"],
        "setl_time": call.now_text,
        # As every settlement output (DESIGN.md): the terminal reconciles the reversal under these.
        "insutype": row["insutype"],
        "clr_type": row["clr_type"],
        "clr_optins": row["setl_optins"],
        "medfee_sumamt": fmt_amount(-from_fen(row["medfee_fen"])),
        "fund_pay_sumamt": fmt_amount(-from_fen(row["fund_fen"])),
        "acct_pay": fmt_amount(-from_fen(row["acct_fen"])),
        "acct_mulaid_pay": fmt_amount(-from_fen(row["mulaid_fen"])),
        "psn_cash_pay": fmt_amount(-from_fen(row["cash_fen"])),
        "balc": fmt_amount(person.balc),
    }}
