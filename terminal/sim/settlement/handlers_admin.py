"""Reversal of an earlier message (2601) and reconciliation (3201, 3202)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from terminal.fields import MAX_WHOLE_COUNT, FieldError, Fields
from terminal.money import fmt_amount, from_fen
from terminal.protocol import msgid_is_wellformed
from terminal.sim.settlement.call import Call, Handler, ServiceError
from terminal.sim.settlement.settling import reverse_settlement

SETTLING_INFNOS = ("2102", "2207", "2304")
REVERSIBLE_INFNOS = (*SETTLING_INFNOS, "2201", "2401", "2402", "2204", "2301")


def reverse_message(call: Call) -> dict[str, Any]:
    """Undo what an earlier message did, or make sure it never will.

    A terminal that timed out does not know whether its message arrived. If it
    did, 2601 undoes it; if it did not, the msgid is remembered so that a late
    arrival is refused. Either way the outcome is known afterwards.
    """
    data = call.data()
    psn_no = data.text("psn_no", max_len=30)
    omsgid = data.text("omsgid", max_len=30)
    oinfno = data.text("oinfno", max_len=4)
    if not msgid_is_wellformed(omsgid):
        raise FieldError("data.omsgid must be a msgid: fixmedins_code + yyyyMMddHHmmss + 4 digits")
    if not omsgid.startswith(call.fixmedins_code):
        raise ServiceError(f"message {omsgid} was not sent by this institution")
    if oinfno not in REVERSIBLE_INFNOS:
        raise ServiceError(f"a {oinfno[:4]} message cannot be reversed with 2601; "
                           f"reversible: {', '.join(REVERSIBLE_INFNOS)}")
    original = call.store.one("SELECT infno, fixmedins_code, answer FROM message WHERE msgid = ?", (omsgid,))
    if original is None:
        call.store.execute("INSERT OR IGNORE INTO reversed_message(omsgid, oinfno, by_msgid) VALUES (?,?,?)",
                           (omsgid, oinfno, call.msgid))
        call.warn(f"message {omsgid} never arrived; it will be refused if it arrives later")
        return {"data": {"omsgid": omsgid, "oinfno": oinfno, "reversed": "0"}}
    if original["fixmedins_code"] != call.fixmedins_code:
        raise ServiceError(f"message {omsgid} was not sent by this institution")
    if original["infno"] != oinfno:
        raise ServiceError(f"message {omsgid} was a {original['infno']}, not a {oinfno}")
    if '"infcode": 0' not in original["answer"]:
        call.warn(f"message {omsgid} was refused when it arrived; nothing to reverse")
        return {"data": {"omsgid": omsgid, "oinfno": oinfno, "reversed": "0"}}
    store = call.store
    if oinfno in SETTLING_INFNOS:
        row = store.one("SELECT * FROM settlement WHERE msgid = ?", (omsgid,))
        if row is None or row["psn_no"] != psn_no:
            raise ServiceError(f"message {omsgid} settled nothing for person {psn_no}")
        output = reverse_settlement(call, row)
        if oinfno == "2102":
            store.execute("UPDATE visit SET status='cancelled' WHERE mdtrt_id=?", (row["mdtrt_id"],))
        elif oinfno == "2304":
            store.execute("UPDATE visit SET status='discharged' WHERE mdtrt_id=? AND status='settled'",
                          (row["mdtrt_id"],))
        output["data"] = {"omsgid": omsgid, "oinfno": oinfno, "reversed": "1"}
        return output
    if oinfno in ("2201", "2401"):
        visit = _check_visit_owner(
            store.one("SELECT * FROM visit WHERE created_msgid = ?", (omsgid,)), psn_no, omsgid)
        if store.one("SELECT 1 FROM settlement WHERE mdtrt_id=? AND status='settled'", (visit["mdtrt_id"],)):
            raise ServiceError(f"visit {visit['mdtrt_id']} has a settlement; reverse that first")
        store.execute("UPDATE fee SET status='cancelled' WHERE mdtrt_id=? AND status='active'", (visit["mdtrt_id"],))
        store.execute("UPDATE visit SET status='cancelled' WHERE mdtrt_id=?", (visit["mdtrt_id"],))
    elif oinfno == "2402":
        visit = _check_visit_owner(
            store.one("SELECT * FROM visit WHERE discharge_msgid = ?", (omsgid,)), psn_no, omsgid)
        if visit["status"] != "discharged":
            raise ServiceError(f"stay {visit['mdtrt_id']} is {visit['status']}; its discharge cannot be reversed")
        store.execute("UPDATE visit SET status='open', endtime=NULL WHERE mdtrt_id=?", (visit["mdtrt_id"],))
    else:  # 2204, 2301
        cursor = store.execute("UPDATE fee SET status='cancelled' WHERE msgid=? AND status='active' AND "
                               "mdtrt_id IN (SELECT mdtrt_id FROM visit WHERE psn_no=?)", (omsgid, psn_no))
        if cursor.rowcount == 0:
            raise ServiceError(f"the fees of message {omsgid} are settled or gone; cancel the settlement first")
    return {"data": {"omsgid": omsgid, "oinfno": oinfno, "reversed": "1"}}


def _check_visit_owner(visit: Any, psn_no: str, omsgid: str) -> Any:
    if visit is None or visit["psn_no"] != psn_no:
        raise ServiceError(f"message {omsgid} opened no visit for person {psn_no}")
    return visit


def _read_date(f: Fields, name: str) -> str:
    text = f.text(name, max_len=10, pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{f.where}.{name} is not a real date: {text}") from None
    return text


def _period(f: Fields) -> tuple[str, str]:
    begin, end = _read_date(f, "stmt_begndate"), _read_date(f, "stmt_enddate")
    if end < begin:
        raise FieldError("stmt_enddate is before stmt_begndate")
    # Times are 'yyyy-MM-dd HH:mm:ss' text, so a lexical range covers whole days.
    return begin + " 00:00:00", end + " 23:59:59"


def _filters(f: Fields) -> tuple[str, tuple[str, ...]]:
    sql, params = "", tuple[str, ...]()
    for column in ("insutype", "clr_type", "setl_optins"):
        value = f.opt_text(column, max_len=10)
        if value is not None:
            sql += f" AND {column} = ?"
            params += (value,)
    return sql, params


def _entries(call: Call, f: Fields) -> list[dict[str, Any]]:
    """Settlements in the period (positive) and reversals in the period (negative)."""
    begin, end = _period(f)
    extra, params = _filters(f)
    base = "SELECT * FROM settlement WHERE fixmedins_code = ?" + extra
    rows = []
    for row in call.store.all(base + " AND setl_time BETWEEN ? AND ? ORDER BY setl_time",
                              (call.fixmedins_code, *params, begin, end)):
        rows.append(_entry(row, sign=1))
    for row in call.store.all(base + " AND status='reversed' AND reversal_time BETWEEN ? AND ? "
                              "ORDER BY reversal_time", (call.fixmedins_code, *params, begin, end)):
        rows.append(_entry(row, sign=-1))
    return rows


def _entry(row: Any, sign: int) -> dict[str, Any]:
    def amount(column: str) -> str:
        return fmt_amount(sign * from_fen(row[column]))

    return {
        "setl_id": row["setl_id"],
        "mdtrt_id": row["mdtrt_id"],
        "psn_no": row["psn_no"],
        "medins_setl_id": row["msgid"],
        "infno": row["infno"],
        "setl_time": row["setl_time"] if sign > 0 else row["reversal_time"],
        "insutype": row["insutype"],
        "clr_type": row["clr_type"],
        "setl_optins": row["setl_optins"],
        "refd_setl_flag": "0" if sign > 0 else "1",
        "medfee_sumamt": amount("medfee_fen"),
        "fund_pay_sumamt": amount("fund_fen"),
        "acct_pay": amount("acct_fen"),
        "acct_mulaid_pay": amount("mulaid_fen"),
        "psn_cash_pay": amount("cash_fen"),
    }


def reconcile_totals(call: Call) -> dict[str, Any]:
    data = call.data()
    entries = _entries(call, data)
    ours = {
        "medfee_sumamt": sum((Decimal(e["medfee_sumamt"]) for e in entries), Decimal("0.00")),
        "fund_pay_sumamt": sum((Decimal(e["fund_pay_sumamt"]) for e in entries), Decimal("0.00")),
        "acct_pay": sum((Decimal(e["acct_pay"]) for e in entries), Decimal("0.00")),
    }
    count = sum(1 if e["refd_setl_flag"] == "0" else -1 for e in entries)
    # Settlements minus reversals: a day with more reversals than settlements counts below zero.
    theirs_count = data.count("fixmedins_setl_cnt", minimum=-MAX_WHOLE_COUNT)
    differences = []
    for name, value in ours.items():
        claimed = data.decimal(name, places=2, minimum=None)
        if claimed != value:
            differences.append(f"{name}: terminal {fmt_amount(claimed)}, service {fmt_amount(value)}")
    if theirs_count != count:
        differences.append(f"fixmedins_setl_cnt: terminal {theirs_count}, service {count}")
    return {
        "stmt_rslt": "1" if differences else "0",
        "stmt_rslt_dscr": "; ".join(differences) if differences else "totals agree",
        "medfee_sumamt": fmt_amount(ours["medfee_sumamt"]),
        "fund_pay_sumamt": fmt_amount(ours["fund_pay_sumamt"]),
        "acct_pay": fmt_amount(ours["acct_pay"]),
        "fixmedins_setl_cnt": str(count),
    }


def reconcile_detail(call: Call) -> dict[str, Any]:
    """Per-settlement detail; if the terminal sends its own list, the differences too."""
    data = call.data()
    entries = _entries(call, data)
    output: dict[str, Any] = {"detail": entries}
    if call.input.has("detail"):
        theirs = {}
        for f in call.input.items("detail", max_items=100000, allow_empty=True):
            key = (f.text("setl_id", max_len=40), f.text("refd_setl_flag", choices=("0", "1"), default="0"))
            theirs[key] = {name: fmt_amount(f.decimal(name, places=2, minimum=None))
                           for name in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay")}
        mine = {(e["setl_id"], e["refd_setl_flag"]): e for e in entries}
        mismatches = []
        for key in sorted(set(theirs) | set(mine)):
            if key not in theirs:
                mismatches.append({"setl_id": key[0], "refd_setl_flag": key[1], "problem": "missing at terminal"})
            elif key not in mine:
                mismatches.append({"setl_id": key[0], "refd_setl_flag": key[1], "problem": "unknown to service"})
            elif any(theirs[key][n] != mine[key][n] for n in theirs[key]):
                mismatches.append({"setl_id": key[0], "refd_setl_flag": key[1], "problem": "amounts differ"})
        output.update(stmt_rslt="1" if mismatches else "0", mismatches=mismatches)
    return output


HANDLERS: dict[str, Handler] = {
    "2601": reverse_message,
    "3201": reconcile_totals,
    "3202": reconcile_detail,
}
