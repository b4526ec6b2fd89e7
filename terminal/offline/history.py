"""Finding past transactions in the journal: by date, person, receipt or settlement number, and state.

A supervisor's history screen and a technician's support call both start here. The
person is found by person number, resident ID number or name, as the service's
answer recorded them (a journal whose personal data was masked after its retention
finds them no more, as intended). What is found is shown masked by the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from terminal.errors import BadInput
from terminal.offline.record import Txn
from terminal.offline.states import PENDING, State
from terminal.offline.transactions import Transactions

MAX_FOUND = 500
MAX_DAYS = 366
# The state filter's choices: a word a supervisor thinks in, and the journal states it means.
STATE_GROUPS: dict[str, frozenset[State]] = {
    "settled": frozenset({State.SETTLED, State.FORWARDED_SETTLED}),
    "reversed": frozenset({State.REVERSED, State.REVERSAL_PENDING}),
    "waiting": PENDING - {State.FORWARD_DECLINED, State.NEEDS_ATTENTION},
    "declined": frozenset({State.FORWARD_DECLINED}),
    "attention": frozenset({State.NEEDS_ATTENTION}),
    "not-sent": frozenset({State.DRAFT, State.PRE_SETTLED}),
}
_NUMBER = re.compile(r"[0-9A-Za-z-]{4,40}")


@dataclass(frozen=True)
class Query:
    first_day: date
    last_day: date
    person: str = ""  # person number, ID number or name
    number: str = ""  # receipt number, settlement number or journal id
    state: str = ""  # a key of STATE_GROUPS, or "" for all

    def checked(self) -> Query:
        if self.last_day < self.first_day:
            raise BadInput("The last day is before the first: choose the days again.")
        if (self.last_day - self.first_day).days >= MAX_DAYS:
            raise BadInput(f"Look up at most {MAX_DAYS} days at a time.")
        number = self.number.strip()
        if number and not _NUMBER.fullmatch(number):
            raise BadInput("A receipt or settlement number is 4 to 40 letters, digits or dashes.")
        if self.state and self.state not in STATE_GROUPS:
            raise BadInput(f"No such state to look for: {self.state[:20]}.")
        person = self.person.strip()
        if len(person) > 40:
            raise BadInput("Type at most 40 characters of the person's number, ID or name.")
        return Query(self.first_day, self.last_day, person, number, self.state)


def search(t: Transactions, query: Query) -> list[Txn]:
    """The transactions of the query, newest first (at most MAX_FOUND)."""
    q = query.checked()
    start = datetime.combine(q.first_day, datetime.min.time()).strftime("%Y-%m-%d %H:%M:%S")
    end = datetime.combine(q.last_day + timedelta(days=1), datetime.min.time()).strftime("%Y-%m-%d %H:%M:%S")
    sql = "sale_time >= ? AND sale_time < ?"
    params: tuple[Any, ...] = (start, end)
    if q.number:
        sql += (" AND (receipt_no = ? OR local_id = ? OR json_extract(answer, '$.setlinfo.setl_id') = ? "
                "OR json_extract(answer, '$.setlinfo.orig_setl_id') = ?)")
        params += (q.number,) * 4
    if q.person:
        sql += (" AND (psn_no = ? OR json_extract(answer, '$.setlinfo.certno') = ? "
                "OR json_extract(answer, '$.setlinfo.psn_name') = ? OR buyer_id = ?)")
        params += (q.person, q.person.upper(), q.person, q.person.upper())
    if q.state:
        states = STATE_GROUPS[q.state]
        sql += f" AND state IN ({','.join('?' * len(states))})"
        params += tuple(sorted(s.value for s in states))
    return t.where(f"{sql} ORDER BY sale_time DESC, local_id DESC LIMIT ?", (*params, MAX_FOUND))


@dataclass(frozen=True)
class Detail:
    txn: Txn
    events: list[dict[str, Any]]  # its history of states: time, from, to, msgid, note
    related: list[Txn]  # what it refers to, and its reversals


def detail(t: Transactions, local_id: str) -> Detail:
    txn = t.get(local_id)
    related = t.where("refers_to = ? ORDER BY created_at", (local_id,))
    if txn.refers_to:
        related = [t.get(txn.refers_to), *related]
    return Detail(txn, t.history(local_id), related)
