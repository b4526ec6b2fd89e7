"""What a message handler sees: the parsed envelope, the store, policy, catalog, time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from terminal.catalog import Catalog
from terminal.fields import Fields
from terminal.policy import Policy
from terminal.protocol import TIME_FORMAT, fmt_time
from terminal.sim.settlement.store import Store


def parse_wire_time(text: str) -> datetime:
    """A `yyyy-MM-dd HH:mm:ss` time in ASCII digits; ValueError otherwise.

    strptime alone also reads fullwidth or Arabic-Indic digits as a year: a time no platform
    client sends, and one that would be echoed back and stored as if it were ordinary.
    """
    if len(text) != len("yyyy-MM-dd HH:mm:ss") or not text.isascii():
        raise ValueError(f"time {text[:30]!r} is not yyyy-MM-dd HH:mm:ss")
    return datetime.strptime(text, TIME_FORMAT)


class ServiceError(Exception):
    """A refusal: the service answers infcode -1 with this err_msg and changes nothing."""

    def __init__(self, err_msg: str) -> None:
        super().__init__(err_msg)
        self.err_msg = err_msg


@dataclass
class ServiceContext:
    """Everything that lives as long as the service."""

    store: Store
    policy: Policy
    catalog: Catalog
    issuer_key: Ed25519PublicKey
    paasid: str
    token: str
    clock: Callable[[], float]
    region: str = "120000"
    require_sign_in: bool = False
    ec_token_ttl_s: int = 7200


@dataclass
class Call:
    """One message being handled."""

    service: ServiceContext
    infno: str
    msgid: str
    fixmedins_code: str
    envelope: Fields
    input: Fields
    unix_now: float
    warnings: list[str] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.service.store

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.unix_now)

    @property
    def now_text(self) -> str:
        return fmt_time(self.now)

    def data(self) -> Fields:
        return self.input.obj("data")

    def new_id(self, prefix: str) -> str:
        """Service-side identifiers (mdtrt_id, setl_id): prefix + time + sequence."""
        seq = self.store.next_value(prefix)
        return f"{prefix}{self.now.strftime('%Y%m%d%H%M%S')}{seq:08d}"

    def warn(self, text: str) -> None:
        self.warnings.append(text)


Handler = Callable[[Call], dict[str, Any]]
