"""Transactions in the journal: created, stepped through their states, found again.

Every step is one atomic write that checks the state machine (states.py),
records the step in txn_event (the audit trail an auditor reads), and hands
out a receipt number when asked, inside the same transaction, so no two
processes on one journal can ever give two sales one receipt number.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from terminal.errors import BadInput
from terminal.money import ZERO, fmt_amount
from terminal.offline.codes import index_codes, sold_by
from terminal.offline.record import Txn
from terminal.offline.states import IN_FLIGHT, OUTSTANDING, PENDING, Kind, State, check_transition
from terminal.offline.store import JournalFile, dumps, owner_alive
from terminal.privacy import mask_fields, mask_id

log = logging.getLogger(__name__)
_UNSET: Any = object()


class UnknownTransaction(BadInput):
    """No transaction with that local id or msgid (a typo on the command line)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"The journal has no transaction {key[:40]}; check the number (queue list shows them).")


@dataclass(frozen=True)
class Step:
    """One step of one transaction: the state it goes to and the fields that change with it."""

    local_id: str
    to: State
    fields: dict[str, Any] = field(default_factory=dict)
    attempted: bool = False
    receipt: bool = False
    hold: str | None = None
    hold_s: float = 0.0
    note: str | None = None
    expect: frozenset[State] | None = None


@dataclass(frozen=True)
class Outstanding:
    """What the offline limits weigh: sales the service has not settled yet."""

    count: int
    amount: Decimal
    oldest_sale_time: str | None


def _placeholders(states: Iterable[State]) -> tuple[str, tuple[str, ...]]:
    values = tuple(s.value for s in states)
    return ",".join("?" * len(values)), values


class Transactions:
    def __init__(self, file: JournalFile, till: str, *, on_change: Callable[[Txn], None] | None = None) -> None:
        self.file = file
        self.till = till
        # Told of every transaction created or stepped, after its write committed (the UI's bridge).
        self.on_change = on_change

    def _changed(self, txn: Txn) -> Txn:
        if self.on_change is not None:
            try:
                self.on_change(txn)
            except Exception:  # a listener's bug must not undo or hide a committed step
                log.exception("journal listener failed")
        return txn

    # ----- writing

    def create(self, kind: Kind, *, sale_time: str, operator: str, request: dict[str, Any], medfee: Decimal,
               psn_no: str | None = None, insutype: str | None = None, person_key: str | None = None,
               refers_to: str | None = None, infno: str | None = None, note: str | None = None) -> Txn:
        """A new transaction in state draft, written before anything is sent for it."""
        now = self.file.clock()
        day = datetime.fromtimestamp(now).strftime("%Y%m%d")
        with self.file.write() as db:
            local_id = f"{self.till}-{day}-{self.file.next_value('local_id:' + day):05d}"
            db.table("txn").insert({
                "local_id": local_id, "kind": kind.value, "state": State.DRAFT.value, "infno": infno,
                "psn_no": psn_no, "insutype": insutype, "sale_time": sale_time, "operator": operator,
                "request": dumps(request), "medfee_sumamt": fmt_amount(medfee), "refers_to": refers_to,
                "person_key": person_key, "created_at": now, "updated_at": now})
            index_codes(self.file.conn, local_id, request)
            self._event(local_id, None, State.DRAFT, None, note, now)
            created = self._get(local_id)
        return self._changed(created)

    def step(self, local_id: str, to: State, *, msgid: str | None = _UNSET, infno: str | None = _UNSET,
             estimate: dict[str, Any] | None = _UNSET, answer: dict[str, Any] | None = _UNSET,
             cash_collected: Decimal | None = _UNSET, last_error: str | None = _UNSET,
             psn_no: str | None = _UNSET, insutype: str | None = _UNSET, request: dict[str, Any] = _UNSET,
             attempted: bool = False, next_attempt_at: float = _UNSET, setl_time: str | None = _UNSET,
             medfee: Decimal = _UNSET, buyer_id: str | None = _UNSET, receipt: bool = False,
             hold: str | None = None, hold_s: float = 0.0, note: str | None = None,
             expect: Iterable[State] | None = None,
             guard: Callable[[Outstanding], None] | None = None) -> Txn:
        """Move a transaction to `to`, changing the given fields, in one atomic write.

        `expect` names the states the caller believes it is in: if another process moved it on
        meanwhile, nothing is written and the current row comes back (the caller sees its state).
        `hold` keeps the transaction for that owner for `hold_s` (a message in flight); otherwise
        any hold is released. `guard` runs inside the write, with the outstanding sales as they are
        at that moment, and may refuse the step by raising (the offline limits).
        """
        fields = {name: value for name, value in (
            ("msgid", msgid), ("infno", infno), ("estimate", estimate), ("answer", answer),
            ("cash_collected", cash_collected), ("last_error", last_error), ("psn_no", psn_no),
            ("insutype", insutype), ("request", request), ("next_attempt_at", next_attempt_at),
            ("setl_time", setl_time), ("medfee_sumamt", medfee), ("buyer_id", buyer_id)) if value is not _UNSET}
        one = Step(local_id, to, fields, attempted=attempted, receipt=receipt, hold=hold, hold_s=hold_s,
                   note=note, expect=None if expect is None else frozenset(expect))
        return self.apply([one], guard=guard)[0]

    def apply(self, steps: list[Step], *, guard: Callable[[Outstanding], None] | None = None) -> list[Txn]:
        """Several steps in one atomic write (a forwarder's batch): all are written, or none."""
        now = self.file.clock()
        done: list[Txn] = []
        with self.file.write():
            if guard is not None:
                guard(self._outstanding())
            for one in steps:
                done.append(self._apply(one, now))
        for txn in done:
            self._changed(txn)
        return done

    def _apply(self, one: Step, now: float) -> Txn:
        current = self._get(one.local_id)
        if one.expect is not None and current.state not in one.expect:
            return current
        check_transition(one.local_id, current.state, one.to, current.kind)
        # What the row becomes, as Python values; the row written is the same in SQL's terms.
        after: dict[str, Any] = {"state": one.to, "updated_at": now, **one.fields}
        if one.attempted:
            after["attempts"] = current.attempts + 1
        after.update(lease_owner=one.hold, lease_until=now + one.hold_s if one.hold is not None else 0.0)
        if one.receipt and current.receipt_no is None:
            day = datetime.fromtimestamp(now).strftime("%Y%m%d")
            after["receipt_no"] = f"{self.till}-R{day}-{self.file.next_value('receipt:' + day):05d}"
        changes = {name: _column(name, value) for name, value in after.items()}
        # A plain UPDATE: sqlite-utils' update() reads the table's schema twice a call, which on the
        # forwarder's hot path cost more than the write itself.
        unknown = set(changes) - _COLUMNS
        if unknown:
            raise KeyError(f"not columns of txn: {sorted(unknown)}")
        self.file.conn.execute(f"UPDATE txn SET {', '.join(f'{name} = ?' for name in changes)} WHERE local_id = ?",
                               (*changes.values(), one.local_id))
        if "request" in after:
            index_codes(self.file.conn, one.local_id, after["request"])
        msgid = after.get("msgid", current.msgid)
        self._event(one.local_id, current.state, one.to, msgid, one.note or after.get("last_error"), now)
        return dataclasses.replace(current, **after)

    def claim(self, local_id: str, owner: str, seconds: float, states: Iterable[State]) -> Txn | None:
        """Hold a transaction while its message is in flight; None if another live process holds it,
        or it is no longer in one of `states`. A hold of a process that died on this host is taken over
        at once, not after it expires."""
        now = self.file.clock()
        marks, values = _placeholders(states)
        with self.file.write():
            row = self.file.conn.execute(f"SELECT lease_owner, lease_until FROM txn WHERE local_id = ? AND "
                                         f"state IN ({marks})", (local_id, *values)).fetchone()
            if row is None:
                return None
            holder = row["lease_owner"]
            if holder is not None and holder != owner and row["lease_until"] >= now and owner_alive(holder):
                return None
            self.file.conn.execute("UPDATE txn SET lease_owner = ?, lease_until = ? WHERE local_id = ?",
                                   (owner, now + seconds, local_id))
            return self._get(local_id)

    def _event(self, local_id: str, old: State | None, new: State, msgid: str | None, note: str | None,
               at: float) -> None:
        self.file.conn.execute(
            "INSERT INTO txn_event(local_id, at, old_state, new_state, msgid, note) VALUES (?,?,?,?,?,?)",
            (local_id, at, old.value if old else None, new.value, msgid, note))

    # ----- reading

    def _get(self, local_id: str) -> Txn:
        row = self.file.conn.execute("SELECT * FROM txn WHERE local_id = ?", (local_id,)).fetchone()
        if row is None:
            raise UnknownTransaction(local_id)
        return Txn.from_row(row)

    def codes_sold(self, codes: list[str], besides: str | None = None) -> dict[str, str]:
        """Of these traceability codes, those this counter already sold (code -> its sale's receipt number,
        or its journal id before it has one)."""
        return self.file.reading(lambda: sold_by(self.file.conn, codes, besides=besides))

    def get(self, local_id: str) -> Txn:
        rows = self.file.read("SELECT * FROM txn WHERE local_id = ?", (local_id,))
        if not rows:
            raise UnknownTransaction(local_id)
        return Txn.from_row(rows[0])

    def where(self, sql: str, params: tuple[Any, ...] = ()) -> list[Txn]:
        return [Txn.from_row(r) for r in self.file.read(f"SELECT * FROM txn WHERE {sql}", params)]

    def pending(self, limit: int = 10_000) -> list[Txn]:
        """Not yet settled by the service, oldest first (the queue screen, `queue list`)."""
        marks, values = _placeholders(PENDING)
        return self.where(f"state IN ({marks}) ORDER BY sale_time, local_id LIMIT ?", (*values, limit))

    def in_doubt(self, now: float, due_by: float | None = None) -> list[Txn]:
        """Messages that may be at the service, due for another try by `due_by` (default now), that no
        live process holds: resolve these first."""
        # A settlement being reversed is resolved through its reversal's row, never sent again itself.
        marks, values = _placeholders(IN_FLIGHT - {State.REVERSAL_PENDING})
        rows = self.where(f"state IN ({marks}) AND next_attempt_at <= ? ORDER BY sale_time, local_id",
                          (*values, now if due_by is None else due_by))
        return [t for t in rows if t.lease_owner is None or t.lease_until < now or not owner_alive(t.lease_owner)]

    def forwardable(self, now: float, limit: int) -> list[Txn]:
        """Queued sales due for forwarding, in sale order, each person's strictly in sale order.

        A person's sale waits while an earlier one of theirs is still in flight, in doubt, waiting for
        a person's decision, or not yet due: the deductible and the cap the service applies depend on
        the order. (A declined sale is final unless retried, and a retry goes to the back.) Several
        sales of one person may come in one batch, consecutive; the forwarder stops a person's chain
        at the first one that does not settle.
        """
        marks, values = _placeholders(PENDING - {State.FORWARD_DECLINED})
        # The choice reads a few narrow columns of every pending row; only the chosen rows are read whole.
        rows = self.file.read(f"SELECT local_id, state, psn_no, person_key, next_attempt_at FROM txn "
                              f"WHERE state IN ({marks}) ORDER BY sale_time, local_id", values)
        blocked: set[str] = set()
        chosen: list[str] = []
        for row in rows:
            person = row["psn_no"] or row["person_key"] or row["local_id"]
            if person in blocked:
                continue
            if row["state"] != State.OFFLINE_QUEUED.value or row["next_attempt_at"] > now:
                blocked.add(person)
                continue
            chosen.append(row["local_id"])
            if len(chosen) >= limit:
                break
        if not chosen:
            return []
        found = {t.local_id: t for t in self.where(f"local_id IN ({','.join('?' * len(chosen))})", tuple(chosen))}
        return [found[local_id] for local_id in chosen]

    def outstanding(self) -> Outstanding:
        return self.file.reading(self._outstanding)

    def _outstanding(self) -> Outstanding:
        marks, values = _placeholders(OUTSTANDING)
        row = self.file.conn.execute(f"SELECT COUNT(*) AS n, MIN(sale_time) AS oldest, GROUP_CONCAT(medfee_sumamt) "
                                     f"AS amounts FROM txn WHERE state IN ({marks})", values).fetchone()
        amounts = sum((Decimal(a) for a in (row["amounts"] or "").split(",") if a), ZERO)
        return Outstanding(int(row["n"]), amounts, row["oldest"])

    def stats(self, now: float) -> dict[str, Any]:
        rows = self.file.read("SELECT state, COUNT(*) AS n FROM txn GROUP BY state")
        counts = {str(r["state"]): int(r["n"]) for r in rows}
        outstanding = self.outstanding()
        age = None
        if outstanding.oldest_sale_time:
            age = max(0.0, now - datetime.strptime(outstanding.oldest_sale_time, "%Y-%m-%d %H:%M:%S").timestamp())
        dues = [t.amount_due for t in self.where("state IN ('forwarded-settled', 'forward-declined')")]
        return {
            "states": counts,
            "queued": outstanding.count,
            "queued_amount": fmt_amount(outstanding.amount),
            "oldest_queued_sale_time": outstanding.oldest_sale_time,
            "oldest_queued_age_s": None if age is None else round(age, 1),
            "pending": sum(counts.get(s.value, 0) for s in PENDING),
            "refunds_due": fmt_amount(-sum((d for d in dues if d < 0), ZERO)),
            "amounts_owed": fmt_amount(sum((d for d in dues if d > 0), ZERO)),
        }

    def history(self, local_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.file.read("SELECT at, old_state, new_state, msgid, note FROM txn_event "
                                                "WHERE local_id = ? ORDER BY seq", (local_id,))]

    # ----- the offline copies

    def save_catalog(self, ver: str, catalog: list[dict[str, Any]], policy: dict[str, Any]) -> None:
        with self.file.write() as db:
            db.table("catalog_copy").upsert({"id": 1, "ver": ver, "catalog": dumps(catalog), "policy": dumps(policy),
                                       "fetched_at": self.file.clock()}, pk="id")

    def catalog_copy(self) -> tuple[str, list[dict[str, Any]], dict[str, Any], float] | None:
        rows = self.file.read("SELECT ver, catalog, policy, fetched_at FROM catalog_copy WHERE id = 1")
        if not rows:
            return None
        row = rows[0]
        return row["ver"], json.loads(row["catalog"]), json.loads(row["policy"]), float(row["fetched_at"])

    def save_person(self, person_key: str, info: dict[str, str]) -> None:
        with self.file.write() as db:
            db.table("person_copy").upsert({"person_key": person_key, **info, "fetched_at": self.file.clock()},
                                     pk="person_key")

    def person_copy(self, person_key: str) -> dict[str, Any] | None:
        rows = self.file.read("SELECT * FROM person_copy WHERE person_key = ?", (person_key,))
        return dict(rows[0]) if rows else None

    # ----- personal data

    def mask_personal_data(self, finished_before: float) -> int:
        """Mask certificates and names of transactions finished before the given time; how many."""
        rows = self.file.read("SELECT local_id FROM txn WHERE personal_masked_at IS NULL AND updated_at < ? AND "
                              "state IN ('settled', 'forwarded-settled', 'reversed', 'forward-declined')",
                              (finished_before,))
        now = self.file.clock()
        for row in rows:
            with self.file.write() as db:
                txn = self._get(row["local_id"])
                request = _mask_certificate(txn.request)
                db.table("txn").update(txn.local_id, {
                    "request": dumps(request), "personal_masked_at": now,
                    "buyer_id": mask_id(txn.buyer_id) if txn.buyer_id else None,
                    "answer": dumps(mask_fields(txn.answer)) if txn.answer else None,
                    "estimate": dumps(mask_fields(txn.estimate)) if txn.estimate else None})
        return len(rows)


def _mask_certificate(request: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(request))
    inner = out.get("data")
    data: dict[str, Any] = inner if isinstance(inner, dict) else out
    for key in ("mdtrt_cert_no", "card_sn", "certno"):
        if isinstance(data.get(key), str) and data[key]:
            data[key] = mask_id(data[key])
    return out


_COLUMNS = frozenset({
    "kind", "state", "msgid", "infno", "psn_no", "insutype", "sale_time", "operator", "request", "estimate",
    "answer", "medfee_sumamt", "cash_collected", "attempts", "last_error", "refers_to", "updated_at",
    "next_attempt_at", "lease_owner", "lease_until", "receipt_no", "person_key", "setl_time", "buyer_id",
    "approved_by"})


def _column(name: str, value: Any) -> Any:
    """A Txn attribute's value as its column holds it."""
    if name in ("estimate", "answer", "request"):
        return dumps(value)
    if name in ("cash_collected", "medfee_sumamt") and value is not None:
        return fmt_amount(value)
    if name == "state":
        return value.value
    return value


def retry_step(txn: Txn, new_msgid: Callable[[], str]) -> Step:
    """The step `queue retry` takes: forward again now.

    A declined sale was definitively refused, so it goes with a new msgid; anything whose message
    may be at the service keeps its msgid (the service answers it at most once); a queued or
    in-doubt one is simply due now.
    """
    note = "retried by an operator"
    if txn.state is State.FORWARD_DECLINED:
        return Step(txn.local_id, State.OFFLINE_QUEUED, {"msgid": new_msgid(), "next_attempt_at": 0.0,
                                                         "last_error": None}, note=note)
    if txn.state is State.NEEDS_ATTENTION:
        return Step(txn.local_id, State.OFFLINE_QUEUED, {"next_attempt_at": 0.0}, note=note)
    if txn.state in (State.OFFLINE_QUEUED, State.SENDING, State.FORWARDING, State.REVERSAL_PENDING):
        return Step(txn.local_id, txn.state, {"next_attempt_at": 0.0}, note=note)
    raise NothingToRetry(txn)


class NothingToRetry(BadInput):
    def __init__(self, txn: Txn) -> None:
        super().__init__(f"Transaction {txn.local_id} is {txn.state.value}: there is nothing to retry.")
