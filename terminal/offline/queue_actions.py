"""What an operator does with the queue, from the `queue` command or the queue screen alike.

retry: forward one transaction again now (a declined sale with a new msgid);
export: every row to a file, personal data masked (.csv for a spreadsheet, else
JSON); attention_rows: what the queue screen lists.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from terminal.faults import file_fault
from terminal.money import ZERO
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import State
from terminal.offline.transactions import Transactions, UnknownTransaction, retry_step

# How many forwarded sales the queue screen looks back through for refunds and amounts owed.
RECENT_FORWARDED = 500


def retry(journal: Journal, new_msgid: Callable[[], str], key: str) -> Txn:
    """Forward `key` (its local_id or msgid) again now; run on a worker thread."""
    found = journal.run(lambda t: t.where("local_id = ? OR msgid = ?", (key, key)))
    if not found:
        raise UnknownTransaction(key)
    step = retry_step(found[0], new_msgid)
    return journal.run(lambda t: t.apply([step]))[0]


def export(path: Path, rows: list[dict[str, Any]]) -> int:
    """Write `rows` (already masked) to `path`, owner-only; the number written."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            if path.suffix.lower() == ".csv":
                columns = [k for k in (rows[0] if rows else {}) if k not in ("estimate", "actual")]
                writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
            else:
                json.dump(rows, out, ensure_ascii=False, indent=1)
    except OSError as exc:
        raise file_fault(exc, path, "export") from None
    return len(rows)


def export_all(t: Transactions, path: Path) -> int:
    """Every row of the journal to `path`, masked (on the journal's thread)."""
    return export(path, [row.to_json(masked=True) for row in t.where("1 ORDER BY sale_time, local_id")])


def attention_rows(t: Transactions) -> list[Txn]:
    """What the queue screen lists: everything the service has not settled yet, then the forwarded
    sales whose settled cash differs from what was collected (a refund due, or an amount owed)."""
    forwarded = t.where("state = ? ORDER BY updated_at DESC LIMIT ?", (State.FORWARDED_SETTLED.value,
                                                                       RECENT_FORWARDED))
    return t.pending() + [row for row in forwarded if row.amount_due != ZERO]
