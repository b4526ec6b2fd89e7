"""The pharmacy rules at the simulated service (DESIGN.md "Drug traceability codes and pharmacy rules").

On the demo catalog, which marks its boxed drugs trac_required, its prescription drugs rx_flag and a
pseudoephedrine drug restricted to 2 per sale. Every refusal is infcode -1 with a sentence naming the
line (its place in drugdetail, from 1) and the code, and changes nothing: the database's rows of money,
visits, identities and sold codes are compared before and after.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    ASPIRIN,
    IBUPROFEN,
    PARACETAMOL,
    PSEUDOEPHEDRINE,
    SALINE,
    Raw,
    card,
    check_settlement,
    db_state,
    line,
    module_service,
    new_msgid,
    psn,
    sale_input,
    with_codes,
)

from terminal.catalog import load_catalog
from terminal.sim.boxes import fresh_codes
from terminal.sim.processes import ServiceProcess

CATALOG = load_catalog()


def codes(code: str, n: int) -> list[str]:
    return fresh_codes(CATALOG[code], n)


def boxed(code: str, cnt: str, trac: list[str] | None = None, rx_no: str | None = None, sn: str = "0001"
          ) -> dict[str, str]:
    """A line of `code` with fresh codes for its whole boxes unless given; rx_no for a prescription drug."""
    if trac is None:
        trac = codes(code, int(Decimal(cnt))) if CATALOG[code].trac_required and Decimal(cnt) >= 1 else []
    if rx_no is None and CATALOG[code].rx_flag:
        rx_no = "RX-2026-0001"
    return with_codes(line(code, cnt, sn=sn), trac, rx_no)


def numbered(*entries: dict[str, str]) -> list[dict[str, str]]:
    return [{**e, "feedetl_sn": f"{i:04d}"} for i, e in enumerate(entries, start=1)]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with module_service(tmp_path_factory, "trac", plain_catalog=False) as svc:
        yield svc


@pytest.fixture
def raw(service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(service.url)
    yield r
    r.close()


def rows(service: ServiceProcess, sql: str, params: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Read beside the running service."""
    with contextlib.closing(sqlite3.connect(f"file:{service.db}?mode=ro", uri=True, timeout=10)) as conn:
        return list(conn.execute(sql, params).fetchall())


def standing(service: ServiceProcess) -> set[str]:
    """The codes sold in settlements that stand."""
    return {row[0] for row in rows(service, "SELECT code FROM sold_code WHERE status = 'settled'")}


def test_a_sale_with_its_codes_and_prescription_settles_and_its_codes_stand(service: ServiceProcess,
                                                                            raw: Raw) -> None:
    entries = numbered(boxed(AMOXICILLIN, "2"), boxed(IBUPROFEN, "1"), boxed(PARACETAMOL, "0.5"),
                       boxed(PSEUDOEPHEDRINE, "2"))
    assert "drug_trac_codg" not in entries[2]  # half a box carries none
    pre = raw.ok("2101", sale_input(13, card(13), entries))
    assert not standing(service) & set(entries[0]["drug_trac_codg"].split(","))  # 2101 reserves nothing
    done = raw.ok("2102", sale_input(13, card(13), entries))
    check_settlement(pre, entries)
    check_settlement(done, entries)
    assert pre["setlinfo"]["medfee_sumamt"] == done["setlinfo"]["medfee_sumamt"] == "74.00"
    sent = {c for e in entries for c in e.get("drug_trac_codg", "").split(",") if c}
    assert len(sent) == 5 and sent <= standing(service)
    assert rows(service, "SELECT setl_id, feedetl_sn, med_list_codg FROM sold_code WHERE code = ?",
                (trac(entries, 4)[1],)) == [(done["setlinfo"]["setl_id"], "0004", PSEUDOEPHEDRINE)]


# (what, the lines person 13 sends, the words the refusal holds given those lines)
Case = tuple[str, Callable[[], list[dict[str, str]]], Callable[[list[dict[str, str]]], list[str]]]


def trac(entries: list[dict[str, str]], n: int) -> list[str]:
    return entries[n - 1].get("drug_trac_codg", "").split(",")


def twice_on_two_lines(box: list[str]) -> list[dict[str, str]]:
    return numbered(boxed(IBUPROFEN, "1", trac=box), boxed(IBUPROFEN, "1", trac=box))


CASES: list[Case] = [
    ("missing", lambda: numbered(boxed(IBUPROFEN, "1"), boxed(AMOXICILLIN, "2", trac=[])),
     lambda e: ["line 2", "阿莫西林胶囊", "needs 2 traceability code(s)", "0 came"]),
    ("malformed", lambda: numbered(boxed(IBUPROFEN, "1", trac=["7" + codes(IBUPROFEN, 1)[0][1:]])),
     lambda e: ["line 1", trac(e, 1)[0], "malformed"]),
    ("cut to 19 digits",
     lambda: numbered(boxed(ASPIRIN, "1"), boxed(IBUPROFEN, "1", trac=[codes(IBUPROFEN, 1)[0][:19]])),
     lambda e: ["line 2", trac(e, 2)[0], "malformed"]),
    ("too few", lambda: numbered(boxed(AMOXICILLIN, "3", trac=codes(AMOXICILLIN, 2))),
     lambda e: ["line 1", "needs 3 traceability code(s)", "2 came"]),
    ("too many", lambda: numbered(boxed(AMOXICILLIN, "2", trac=codes(AMOXICILLIN, 3))),
     lambda e: ["line 1", "carries 3 traceability codes for 2 whole box(es)"]),
    ("too many for a part box", lambda: numbered(boxed(PARACETAMOL, "0.5", trac=codes(PARACETAMOL, 1))),
     lambda e: ["line 1", "carries 1 traceability codes for 0 whole box(es)"]),
    ("codes on a drug that takes none", lambda: numbered(boxed(SALINE, "1", trac=codes(IBUPROFEN, 1))),
     lambda e: ["line 1", trac(e, 1)[0], "takes no traceability codes"]),
    ("repeated on one line", lambda: numbered(boxed(AMOXICILLIN, "2", trac=codes(AMOXICILLIN, 1) * 2)),
     lambda e: ["line 1", trac(e, 1)[0], "given twice"]),
    ("repeated on two lines", lambda: twice_on_two_lines(codes(IBUPROFEN, 1)),
     lambda e: ["line 2", trac(e, 1)[0], "given on line 1 and again on line 2"]),
    ("prescription without rx_no", lambda: numbered(boxed(IBUPROFEN, "1"), {**boxed(AMOXICILLIN, "1"), "rx_no": ""}),
     lambda e: ["line 2", "阿莫西林胶囊", "prescription drug", "rx_no"]),
    ("malformed rx_no", lambda: numbered(boxed(AMOXICILLIN, "1", rx_no="处方 7")),
     lambda e: ["line 1", "prescription number", "malformed"]),
    ("restricted over its limit on one line", lambda: numbered(boxed(PSEUDOEPHEDRINE, "3")),
     lambda e: ["line 1", "复方盐酸伪麻黄碱缓释胶囊", "at most 2 per person per sale", "3 asked"]),
    ("restricted over its limit on two lines", lambda: numbered(boxed(PSEUDOEPHEDRINE, "2"), boxed(IBUPROFEN, "1"),
                                                              boxed(PSEUDOEPHEDRINE, "1")),
     lambda e: ["line 3", "at most 2 per person per sale", "3 in this sale"]),
    ("codes as a JSON number", lambda: numbered({**boxed(IBUPROFEN, "1"), "drug_trac_codg": 81234567890123456789}),  # type: ignore[dict-item]
     lambda e: ["drugdetail[0]", "drug_trac_codg must be a list"]),
]


@pytest.mark.parametrize("infno", ["2101", "2102"])
@pytest.mark.parametrize("make,words", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_refusal_names_the_line_and_the_code_and_changes_nothing(
        service: ServiceProcess, raw: Raw, infno: str, make: Callable[[], list[dict[str, str]]],
        words: Callable[[list[dict[str, str]]], list[str]]) -> None:
    entries = make()
    before = db_state(service.db)
    err = raw.refused(infno, sale_input(13, card(13), entries))
    for word in words(entries):
        assert word in err, (word, err)
    assert db_state(service.db) == before


def settle(raw: Raw, n: int, entries: list[dict[str, str]], infno: str = "2102") -> dict[str, Any]:
    return raw.ok(infno, sale_input(n, card(n), entries))


def test_a_code_already_sold_is_refused_until_its_sale_is_reversed_by_2103(service: ServiceProcess,
                                                                         raw: Raw) -> None:
    first = numbered(boxed(AMOXICILLIN, "2"))
    a, b = trac(first, 1)
    done = settle(raw, 13, first)
    # Another person's sale of box b, on its second line: refused by 2101 and 2102 alike.
    again = numbered(boxed(IBUPROFEN, "1"), boxed(AMOXICILLIN, "1", trac=[b]))
    before = db_state(service.db)
    for infno in ("2101", "2102"):
        err = raw.refused(infno, sale_input(9, card(9), again))
        assert "line 2" in err and b in err and "already sold" in err and "阿莫西林胶囊" in err, err
    assert db_state(service.db) == before
    raw.ok("2103", {"data": {"setl_id": done["setlinfo"]["setl_id"], "psn_no": psn(13)}})
    assert not {a, b} & standing(service)
    resold = settle(raw, 9, again)  # the returned box sells again
    assert b in standing(service) and a not in standing(service)
    # The reversed sale keeps its rows for an audit, marked reversed.
    history = rows(service, "SELECT setl_id, status FROM sold_code WHERE code = ? ORDER BY status", (b,))
    assert history == [(done["setlinfo"]["setl_id"], "reversed"), (resold["setlinfo"]["setl_id"], "settled")]


def test_a_2601_of_a_2102_frees_its_codes(service: ServiceProcess, raw: Raw) -> None:
    entries = numbered(boxed(IBUPROFEN, "2"))
    msgid = new_msgid()
    assert raw.call("2102", sale_input(13, card(13), entries), msgid)["infcode"] == 0
    assert "already sold" in raw.refused("2102", sale_input(9, card(9), entries))
    raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": msgid, "oinfno": "2102"}})
    assert not set(trac(entries, 1)) & standing(service)
    settle(raw, 9, entries)
    assert set(trac(entries, 1)) <= standing(service)


def test_a_refused_sale_frees_nothing_and_sells_nothing(service: ServiceProcess, raw: Raw) -> None:
    # One good line and one broken: the good line's codes are not sold either (nothing changed).
    entries = numbered(boxed(IBUPROFEN, "1"), boxed(AMOXICILLIN, "1", trac=[]))
    raw.refused("2102", sale_input(13, card(13), entries))
    assert trac(entries, 1)[0] not in standing(service)
    settle(raw, 9, numbered(entries[0]))  # so another sale of that box settles


def test_a_pre_settlement_reserves_nothing(service: ServiceProcess, raw: Raw) -> None:
    entries = numbered(boxed(AMOXICILLIN, "1"))
    settle(raw, 13, entries, "2101")
    settle(raw, 9, entries)  # another person settles the pre-settled box
    err = raw.refused("2102", sale_input(13, card(13), entries))
    assert "line 1" in err and trac(entries, 1)[0] in err and "already sold" in err


def test_a_resent_2102_gets_its_first_answer_not_an_already_sold_refusal(service: ServiceProcess, raw: Raw) -> None:
    sale = sale_input(13, card(13), numbered(boxed(IBUPROFEN, "1")))
    msgid = new_msgid()
    first = raw.call("2102", sale, msgid)
    assert first["infcode"] == 0 and raw.call("2102", sale, msgid) == first


def test_the_restricted_limit_is_per_sale(service: ServiceProcess, raw: Raw) -> None:
    # Two sales of 2 each settle (per person per sale); the buyer is recorded in each settlement.
    for _ in range(2):
        out = settle(raw, 13, numbered(boxed(PSEUDOEPHEDRINE, "2")))
        assert out["setlinfo"]["psn_no"] == psn(13)


def at_once(service: ServiceProcess, box: list[str], sale_no: int) -> dict[int, dict[str, Any]]:
    """Persons 13 and 9 buy the box at two tills (each its own client, dev_no and msgid block) at one instant."""
    tills = {13: 40, 9: 41}
    gate = threading.Barrier(len(tills))
    answers: dict[int, dict[str, Any]] = {}

    def sell(n: int) -> None:
        sale = sale_input(n, card(n), numbered(boxed(IBUPROFEN, "1", trac=box)))
        envelope = Raw.envelope("2102", sale, new_msgid()[:-4] + f"{tills[n]:02d}{sale_no:02d}",
                                dev_no=f"CT-00{tills[n]:02d}")
        client = Raw(service.url)
        try:
            gate.wait(timeout=10)
            answers[n] = client.send(envelope)
        finally:
            client.close()

    threads = [threading.Thread(target=sell, args=(n,)) for n in tills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_a_code_sold_by_two_tills_at_the_same_moment_settles_once(service: ServiceProcess) -> None:
    for sale_no in range(10):
        box = codes(IBUPROFEN, 1)
        answers = at_once(service, box, sale_no)
        assert sorted(a["infcode"] for a in answers.values()) == [-1, 0], answers
        refused = next(a for a in answers.values() if a["infcode"] == -1)
        assert box[0] in refused["err_msg"] and "already sold" in refused["err_msg"]
        assert rows(service, "SELECT COUNT(*) FROM sold_code WHERE code = ?", (box[0],)) == [(1,)]


def test_the_database_refuses_a_second_standing_sale_of_one_code(service: ServiceProcess, raw: Raw) -> None:
    # The backstop under the service's own check: the unique index on standing codes.
    entries = numbered(boxed(IBUPROFEN, "1"))
    setl_id = settle(raw, 13, entries)["setlinfo"]["setl_id"]
    with contextlib.closing(sqlite3.connect(service.db, timeout=10)) as conn, \
            pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO sold_code VALUES (?, ?, '0009', ?, 'settled')",
                     (trac(entries, 1)[0], setl_id + "X", IBUPROFEN))


def test_the_catalog_download_carries_the_rules(raw: Raw) -> None:
    entries = {e["med_list_codg"]: e for e in raw.ok("1301", {})["catalog"]}
    assert entries[AMOXICILLIN]["rx_flag"] == "1" and entries[AMOXICILLIN]["trac_required"] is True
    assert entries[PSEUDOEPHEDRINE]["max_cnt_per_sale"] == 2 and "rx_flag" not in entries[PSEUDOEPHEDRINE]
    assert "trac_required" not in entries[SALINE]
