"""The service's state in SQLite: one connection, owned by one thread.

Every request runs inside one IMMEDIATE transaction (see `transaction`), so a
process killed mid-request leaves either all of a message's effects or none.
The file is opened (and its schema brought up to date) by `database.open_database`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from terminal.catalog import Catalog, catalog_item_from_json, catalog_item_to_json
from terminal.domain import CatalogItem, Person
from terminal.fields import Fields
from terminal.money import from_fen, to_fen
from terminal.sim.settlement.database import open_database

NONCE_MEMORY_S = 900  # longer than the signature window, so a replay inside it is caught


@dataclass(frozen=True, slots=True)
class Usage:
    dedc: Decimal
    fund: Decimal


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.conn = open_database(Path(path))

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")  # a full disk may fail here too: roll back below
        except BaseException:
            # SQLite may already have rolled back (a full disk, an I/O error); a failed ROLLBACK must
            # not hide the error that caused it.
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def savepoint(self, name: str = "handler") -> Iterator[None]:
        """Undo a handler's (or a message's) effects when it fails, keeping the enclosing transaction."""
        assert name.isidentifier()  # a constant of this package, never a request's text
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # After a full disk or an I/O error SQLite has rolled back the whole transaction itself.
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def execute(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params).fetchall())

    # ----- counters and identifiers

    def next_value(self, name: str) -> int:
        self.execute("INSERT INTO counter(name, value) VALUES (?, 1) "
                     "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
        row = self.one("SELECT value FROM counter WHERE name = ?", (name,))
        assert row is not None
        return int(row["value"])

    # ----- persons

    def person(self, psn_no: str) -> Person | None:
        row = self.one("SELECT * FROM person WHERE psn_no = ?", (psn_no,))
        return None if row is None else _person(row)

    def person_where(self, column: str, value: str) -> Person | None:
        assert column in ("certno", "card_no")
        row = self.one(f"SELECT * FROM person WHERE {column} = ?", (value,))
        return None if row is None else _person(row)

    def has_persons(self) -> bool:
        return self.one("SELECT 1 FROM person LIMIT 1") is not None

    def insert_person(self, person: Person) -> None:
        self.execute(
            "INSERT INTO person(psn_no, psn_name, certno, psn_cert_type, gend, brdy, insutype, psn_type,"
            " psn_insu_stas, insuplc_admdvs, balc_fen, card_no, card_sn, holder, emp_name, cvlserv_flag)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (person.psn_no, person.psn_name, person.certno, person.psn_cert_type, person.gend,
             person.brdy.isoformat(), person.insutype, person.psn_type, person.psn_insu_stas,
             person.insuplc_admdvs, to_fen(person.balc), person.card_no, person.card_sn, person.holder,
             person.emp_name, person.cvlserv_flag))

    def add_balance(self, psn_no: str, delta: Decimal) -> None:
        self.execute("UPDATE person SET balc_fen = balc_fen + ? WHERE psn_no = ?", (to_fen(delta), psn_no))

    # ----- this year's use of deductible and cap

    def usage(self, psn_no: str, year: int, bucket: str) -> Usage:
        row = self.one("SELECT dedc_fen, fund_fen FROM usage WHERE psn_no=? AND year=? AND bucket=?",
                       (psn_no, year, bucket))
        if row is None:
            return Usage(Decimal("0.00"), Decimal("0.00"))
        return Usage(from_fen(row["dedc_fen"]), from_fen(row["fund_fen"]))

    def add_usage(self, psn_no: str, year: int, bucket: str, dedc: Decimal, fund: Decimal) -> None:
        self.execute(
            "INSERT INTO usage(psn_no, year, bucket, dedc_fen, fund_fen) VALUES (?,?,?,?,?) "
            "ON CONFLICT(psn_no, year, bucket) DO UPDATE SET dedc_fen = dedc_fen + excluded.dedc_fen, "
            "fund_fen = fund_fen + excluded.fund_fen",
            (psn_no, year, bucket, to_fen(dedc), to_fen(fund)))

    def give_back_usage(self, psn_no: str, year: int, bucket: str, dedc: Decimal, fund: Decimal) -> None:
        """Undo add_usage (a reversal). The row exists: the settlement created it."""
        cursor = self.execute(
            "UPDATE usage SET dedc_fen = dedc_fen - ?, fund_fen = fund_fen - ? WHERE psn_no=? AND year=? AND bucket=?",
            (to_fen(dedc), to_fen(fund), psn_no, year, bucket))
        if cursor.rowcount != 1:
            raise RuntimeError(f"no usage row for {psn_no} {year} {bucket} to give back to")

    # ----- catalog

    def replace_catalog(self, catalog: Catalog) -> None:
        self.execute("DELETE FROM catalog")
        self.conn.executemany(
            "INSERT INTO catalog(med_list_codg, entry) VALUES (?, ?)",
            [(code, json.dumps(catalog_item_to_json(item), ensure_ascii=False))
             for code, item in catalog.items()])

    def catalog_item(self, code: str) -> CatalogItem | None:
        row = self.one("SELECT entry FROM catalog WHERE med_list_codg = ?", (code,))
        return None if row is None else catalog_item_from_json(Fields(json.loads(row["entry"]), code))

    def catalog(self) -> list[dict[str, Any]]:
        return [json.loads(row["entry"]) for row in self.all("SELECT entry FROM catalog ORDER BY rowid")]

    # ----- messages, nonces

    def answer_for(self, msgid: str) -> sqlite3.Row | None:
        return self.one("SELECT infno, answer, request_digest FROM message WHERE msgid = ?", (msgid,))

    def record_answer(self, msgid: str, infno: str, fixmedins_code: str, dev_no: str, digest: str,
                      answer: dict[str, Any], at: str) -> None:
        self.execute("INSERT INTO message(msgid, infno, fixmedins_code, dev_no, request_digest, answer, answered_at)"
                     " VALUES (?,?,?,?,?,?,?)",
                     (msgid, infno, fixmedins_code, dev_no, digest, json.dumps(answer, ensure_ascii=False), at))

    def block_owner(self, fixmedins_code: str, block: int, dev_no: str, msgid: str, at: str) -> str:
        """The dev_no that owns the institution's msgid block; `dev_no` claims it when it is free."""
        self.execute("INSERT OR IGNORE INTO msgid_block(fixmedins_code, block, dev_no, claimed_by_msgid, claimed_at)"
                     " VALUES (?,?,?,?,?)", (fixmedins_code, block, dev_no, msgid, at))
        row = self.one("SELECT dev_no FROM msgid_block WHERE fixmedins_code = ? AND block = ?",
                       (fixmedins_code, block))
        assert row is not None
        return str(row["dev_no"])

    def use_nonce(self, nonce: str, now: int) -> bool:
        """Remember a nonce; False when it was seen within NONCE_MEMORY_S."""
        self.execute("DELETE FROM nonce WHERE seen_at < ?", (now - NONCE_MEMORY_S,))
        cursor = self.execute("INSERT OR IGNORE INTO nonce(nonce, seen_at) VALUES (?, ?)", (nonce, now))
        return cursor.rowcount == 1


def _person(row: sqlite3.Row) -> Person:
    return Person(
        psn_no=row["psn_no"],
        psn_name=row["psn_name"],
        certno=row["certno"],
        psn_cert_type=row["psn_cert_type"],
        gend=row["gend"],
        brdy=date.fromisoformat(row["brdy"]),
        insutype=row["insutype"],
        psn_type=row["psn_type"],
        psn_insu_stas=row["psn_insu_stas"],
        insuplc_admdvs=row["insuplc_admdvs"],
        balc=from_fen(row["balc_fen"]),
        card_no=row["card_no"],
        card_sn=row["card_sn"],
        holder=row["holder"],
        emp_name=row["emp_name"],
        cvlserv_flag=row["cvlserv_flag"],
    )
