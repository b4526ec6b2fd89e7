"""The traceability codes a counter has sold, as its journal knows them.

Every transaction's codes (its request's drugdetail `drug_trac_codg`) are kept in
`txn_code`, written in the same transaction as the request itself, so a box sold
at this counter is recognised at once when its code is scanned again, online or
offline. A code counts as sold while its transaction may still stand: from the
moment its message may have left (sending, queued offline) until a reversal; a
declined offline sale counts too, since its box left the counter with the
customer. Drafts and pre-settlements reserve nothing, as at the service.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from terminal.errors import BadInput
from terminal.offline.states import State
from terminal.traceability import split_codes

# Not sold (yet, or any more): the other states hold the box as sold.
NOT_SOLD = (State.DRAFT, State.PRE_SETTLED, State.REVERSED)


def request_codes(request: dict[str, Any]) -> list[str]:
    """The codes of every line of a request (a 2101/2102 input, or a cash sale's lines)."""
    lines = request.get("drugdetail")
    codes: list[str] = []
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, dict):
            try:
                codes += split_codes(line.get("drug_trac_codg"))
            except BadInput:  # a line whose codes were never well formed carries none
                continue
    return codes


def index_codes(conn: sqlite3.Connection, local_id: str, request: dict[str, Any]) -> None:
    """The transaction's codes as its request now holds them (inside the caller's write)."""
    conn.execute("DELETE FROM txn_code WHERE local_id = ?", (local_id,))
    conn.executemany("INSERT OR IGNORE INTO txn_code(code, local_id) VALUES (?, ?)",
                     [(code, local_id) for code in request_codes(request)])


def sold_by(conn: sqlite3.Connection, codes: Iterable[str], *, besides: str | None = None) -> dict[str, str]:
    """Of `codes`, those a standing transaction of this journal (other than `besides`) sold: code -> the sale's
    receipt number (what the cashier can find on paper and in history), or its journal id before it has one."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    states = ",".join("?" * len(NOT_SOLD))
    rows = conn.execute(
        f"SELECT c.code, COALESCE(t.receipt_no, c.local_id) AS sale FROM txn_code c "
        f"JOIN txn t ON t.local_id = c.local_id WHERE c.code IN ({marks}) AND t.state NOT IN ({states}) "
        "AND c.local_id != ?",
        (*wanted, *(s.value for s in NOT_SOLD), besides or "")).fetchall()
    return {row["code"]: row["sale"] for row in rows}
