"""What the journal and store-and-forward tests share: a till's settings, a journal, buyers, baskets."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from service_helpers import AMOXICILLIN, PARACETAMOL, PERSONS, Raw, psn

from terminal.client import SettlementClient, client_from_settings
from terminal.offline.checkout import Buyer, Checkout
from terminal.offline.journal import Journal
from terminal.settings import Settings

TILL = "CT-0001"


def till_settings(*, read_timeout_s: float = 1.0, connect_retries: int = 1, **offline: Any) -> Settings:
    """The demo till with short timeouts (a test waits for lost answers) and optional offline limits."""
    base = Settings()
    return dataclasses.replace(
        base,
        service=dataclasses.replace(base.service, read_timeout_s=read_timeout_s, connect_timeout_s=1.0,
                                    connect_retries=connect_retries),
        offline=dataclasses.replace(base.offline, **offline))


def card_buyer(n: int) -> Buyer:
    p = PERSONS[psn(n)]
    return Buyer(card_no=p["card_no"], card_sn=p["card_sn"])


def basket(code: str = AMOXICILLIN, cnt: str = "1") -> list[dict[str, str]]:
    return [{"med_list_codg": code, "cnt": cnt}]


CHEAP = basket(PARACETAMOL)  # 3.20


@contextmanager
def till(journal_path: Path, url: str, settings: Settings | None = None) -> Iterator[tuple[Journal, Checkout]]:
    """A journal and a checkout on it, as one counter's process has them."""
    settings = settings or till_settings()
    client = client_from_settings(settings, url=url)
    journal = Journal(journal_path, till=TILL).start()
    try:
        yield journal, Checkout(journal, client, settings)
    finally:
        journal.close()
        client.close()


def client(url: str, settings: Settings | None = None) -> SettlementClient:
    return client_from_settings(settings or till_settings(), url=url)


def service_settlements(raw: Raw) -> list[dict[str, Any]]:
    """Every settlement and reversal the service recorded today (3202 detail)."""
    from datetime import date

    today = date.today().isoformat()
    detail: list[dict[str, Any]] = raw.ok("3202", {"data": {"stmt_begndate": today, "stmt_enddate": today}})["detail"]
    return detail


def money(text: str | None) -> Decimal:
    return Decimal(text or "0")
