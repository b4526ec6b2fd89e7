"""The audit trail: every sign-in, sign-out, supervisor approval, reversal, day-end and configuration change.

One journal row each (table `audit`, journal schema 6), written on the journal's
thread in its own transaction: who (the operator's number), when, what, about what
(a transaction, a day, a configuration key), who approved it when a supervisor
did, and a little detail. Personal data never reaches the table unmasked: the
detail is masked (names, ID numbers, and any resident ID inside a sentence) before
it is written, so the screen and the export can show it as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from terminal.offline.queue_actions import export
from terminal.offline.transactions import Transactions
from terminal.privacy import mask_fields, redact

MAX_ROWS = 5_000  # one screen or export at a time; a busy counter makes a few hundred rows a day


class Event(StrEnum):
    SIGN_IN = "sign-in"
    SIGN_OUT = "sign-out"
    LOCK = "lock"
    APPROVAL = "approval"  # a supervisor's PIN approved an action
    APPROVAL_REFUSED = "approval-refused"  # a wrong PIN, or a role that may not approve: nothing changed
    REVERSAL = "reversal"  # asked (with its approval); its outcome is in the journal row it names
    DAY_END = "day-end"  # the reconciliation was run
    DAY_CLOSE = "day-close"  # the day was closed (with a supervisor's override when sales were queued)
    CONFIG_CHANGE = "config-change"
    EXPORT = "export"


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: float
    operator: str
    event: str
    subject: str | None
    approved_by: str | None
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": datetime.fromtimestamp(self.at).strftime("%Y-%m-%d %H:%M:%S"),
                "operator": self.operator, "event": self.event, "subject": self.subject,
                "approved_by": self.approved_by, "detail": json.dumps(self.detail, ensure_ascii=False)}


def masked(detail: dict[str, Any]) -> dict[str, Any]:
    """The detail with names and ID numbers masked, in fields and inside sentences."""
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    out = clean(mask_fields(detail))
    assert isinstance(out, dict)
    return out


def record(t: Transactions, event: Event, operator: str, *, subject: str | None = None,
           approved_by: str | None = None, detail: dict[str, Any] | None = None) -> AuditRow:
    """One audit row, in its own write (on the journal's thread)."""
    now = t.file.clock()
    body = masked(detail or {})
    with t.file.write():
        cursor = t.file.conn.execute(
            "INSERT INTO audit(at, operator, event, subject, approved_by, detail) VALUES (?,?,?,?,?,?)",
            (now, operator, event.value, subject, approved_by, json.dumps(body, ensure_ascii=False)))
        seq = cursor.lastrowid
    assert seq is not None
    return AuditRow(seq, now, operator, event.value, subject, approved_by, body)


def rows(t: Transactions, *, since: float | None = None, until: float | None = None, operator: str | None = None,
         event: str | None = None, limit: int = MAX_ROWS) -> list[AuditRow]:
    """The newest first, filtered by time (unix seconds), operator and event."""
    sql = "1"
    params: tuple[Any, ...] = ()
    for clause, value in (("at >= ?", since), ("at < ?", until), ("operator = ?", operator), ("event = ?", event)):
        if value is not None:
            sql += f" AND {clause}"
            params += (value,)
    found = t.file.read(f"SELECT * FROM audit WHERE {sql} ORDER BY seq DESC LIMIT ?", (*params, limit))
    return [AuditRow(r["seq"], r["at"], r["operator"], r["event"], r["subject"], r["approved_by"],
                     json.loads(r["detail"])) for r in found]


def export_rows(t: Transactions, path: Path, **filters: Any) -> int:
    """The rows (newest first, as filtered) to a CSV or JSON file, owner-only; how many."""
    return export(path, [row.to_json() for row in rows(t, **filters)])
