"""Where fuzzed requests go: the service in this process, or the real service process over HTTP.

Both seed the same World, send a Request, and read the rows a refusal must not change. `check`
is the property of service_fuzz.py applied to one request; `Counts` tallies outcomes for reports.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from typing import Any

from service_fuzz import Request, World, check_answer, refusal, seed_world
from service_helpers import FIXMEDINS_CODE, MONEY_TABLES, InProcess, Raw, db_state

from terminal.protocol import EC_QUERY_PATH, SERVICE_PATH
from terminal.sim.processes import ServiceProcess

State = dict[str, list[tuple[Any, ...]]]


class ErrorLog(logging.Handler):
    """Every ERROR the service logs in this process (an internal error logs its traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]


def money_state(conn: sqlite3.Connection) -> State:
    return {table: sorted((tuple(row) for row in conn.execute(f"SELECT * FROM {table}")), key=repr)
            for table in MONEY_TABLES}


class Local:
    """SettlementService.handle_call / handle_ec_query, no HTTP (fast)."""

    def __init__(self, service: InProcess) -> None:
        self.service = service
        self.world: World = seed_world(lambda infno, input_, msgid: service.call(infno, input_, msgid),
                                       self._ec_token)

    def _ec_token(self, qr: str) -> str:
        body = {"orgId": FIXMEDINS_CODE, "transType": "ec.query", "data": {"ecQrCode": qr}}
        return str(self.service.ec_query(json.dumps(body).encode())["data"]["ecToken"])

    def send(self, req: Request) -> dict[str, Any]:
        svc = self.service.service
        return svc.handle_ec_query(req.body, req.headers) if req.ec_query else svc.handle_call(req.body, req.headers)

    def state(self) -> State:
        return money_state(self.service.service.store.conn)


class Remote:
    """The real service process; Raw.post asserts HTTP 200 and a JSON object."""

    def __init__(self, service: ServiceProcess) -> None:
        self.process = service
        self.raw = Raw(service.url)
        self.world = seed_world(lambda infno, input_, msgid: self.raw.call(infno, input_, msgid),
                                lambda qr: self.raw.ec_token(qr)["mdtrt_cert_no"])

    def send(self, req: Request) -> dict[str, Any]:
        return self.raw.post(req.body, req.headers, path=EC_QUERY_PATH if req.ec_query else SERVICE_PATH)

    def state(self) -> State:
        return db_state(self.process.db)

    def log_problems(self) -> str:
        """The service log's tracebacks and internal errors ("" when there are none)."""
        log = self.process.log.read_text(errors="replace") if self.process.log.exists() else ""
        return log[-3000:] if "Traceback" in log or "internal error" in log else ""

    def close(self) -> None:
        self.raw.close()


Counts = Counter[str]


def check(target: Local | Remote, req: Request, counts: Counts | None = None) -> str:
    """Send one request and assert the property; the outcome ("2102: accepted")."""
    before = target.state()
    answer = target.send(req)
    check_answer(req, answer)
    outcome = f"{req.label}: {'refused' if refusal(answer) else 'accepted'}"
    if refusal(answer):
        assert target.state() == before, (req.label, answer)
    if counts is not None:
        counts[outcome] += 1
    return outcome
