"""What the status bar says, worked out here so the bar only draws it.

Three lights with one meaning everywhere: ok (green), attention (amber), stop
(red). The service: online, degraded (it answers, slowly or not cleanly) or
offline. The queue: how many sales wait to be forwarded and their amount, and
how old the oldest is against the limit beyond which no sale goes offline
(amber from 80 % of any limit, red at it: the counter then sells online or for
cash only). Each device: ready, connecting, lost, failed. The bar words them
in the cashier's language; the levels and the limit reached are decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from terminal.devices.device import DeviceState, StateChanged
from terminal.money import ZERO
from terminal.offline.forwarder import Progress
from terminal.offline.health import Health, ServiceState
from terminal.settings import OfflineSettings

WARN_SHARE = Decimal("0.8")


class Level(Enum):
    OK = "ok"
    WARN = "warn"
    STOP = "error"
    IDLE = "idle"  # nothing to say (no device configured, nothing queued)


def service_level(health: Health) -> Level:
    return {ServiceState.ONLINE: Level.OK, ServiceState.DEGRADED: Level.WARN,
            ServiceState.OFFLINE: Level.STOP}.get(health.state, Level.IDLE)


def device_level(status: StateChanged) -> Level:
    return {DeviceState.READY: Level.OK, DeviceState.CONNECTING: Level.WARN, DeviceState.LOST: Level.WARN,
            DeviceState.FAILED: Level.STOP}.get(status.state, Level.IDLE)


def forwarding_level(progress: Progress) -> Level:
    """Forwarding in progress or sales waiting: attention; the service gone while sales wait: stop."""
    if progress.state == "offline":
        return Level.STOP if progress.left else Level.WARN
    if progress.state in ("forwarding", "busy") or progress.left:
        return Level.WARN
    return Level.IDLE if progress.state == "stopped" else Level.OK


@dataclass(frozen=True)
class QueueStatus:
    count: int
    amount: Decimal
    oldest_age_s: float | None
    max_age_s: float
    level: Level
    # The limit reached or nearly reached: "count", "amount" or "age" ("" when none).
    limit: str
    refunds_due: Decimal = ZERO
    amounts_owed: Decimal = ZERO
    needs_attention: int = 0
    declined: int = 0

    @property
    def age_share(self) -> float:
        return 0.0 if self.oldest_age_s is None or not self.max_age_s else self.oldest_age_s / self.max_age_s


def queue_status(stats: dict[str, Any], limits: OfflineSettings) -> QueueStatus:
    """The queue as the journal's stats() report it, judged against the offline limits."""
    count = int(stats["queued"])
    amount = Decimal(str(stats["queued_amount"]))
    age = stats.get("oldest_queued_age_s")
    max_age_s = limits.max_queue_age_h * 3600.0
    shares = (
        ("count", Decimal(count) / limits.max_queued_sales if limits.max_queued_sales else Decimal(0)),
        ("amount", amount / limits.max_outstanding_amount if limits.max_outstanding_amount else Decimal(0)),
        ("age", Decimal(str(age)) / Decimal(str(max_age_s)) if age is not None and max_age_s
         else Decimal(0)),
    )
    worst_name, worst = max(shares, key=lambda s: s[1])
    states = stats.get("states", {})
    attention = int(states.get("needs-attention", 0))
    if worst >= 1:
        level, limit = Level.STOP, worst_name
    elif worst >= WARN_SHARE or attention:
        level, limit = Level.WARN, worst_name if worst >= WARN_SHARE else ""
    else:
        level, limit = (Level.OK if count else Level.IDLE), ""
    return QueueStatus(count, amount, None if age is None else float(age), max_age_s, level, limit,
                       refunds_due=Decimal(str(stats.get("refunds_due", "0"))),
                       amounts_owed=Decimal(str(stats.get("amounts_owed", "0"))),
                       needs_attention=attention, declined=int(states.get("forward-declined", 0)))


def age_parts(seconds: float | None) -> tuple[int, int, int] | None:
    """(days, hours, minutes) of an age, for the bar to word in the cashier's language."""
    if seconds is None:
        return None
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return days, hours, minutes
