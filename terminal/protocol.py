"""The settlement protocol's envelope: paths, signatures, msgids, times.

Shared by the client and the simulated service so both sides agree byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

SERVICE_PATH = "/fsi/api/rsfComIfsService/callService"
EC_QUERY_PATH = "/localcfc/api/hsecfc/localQrCodeQuery"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
MSGID_TIME_FORMAT = "%Y%m%d%H%M%S"
MSGID_LENGTH = 30
FIXMEDINS_CODE_LENGTH = 12
SIGNATURE_WINDOW_S = 300
INFVER = "V1.0"

HEADER_PAASID = "x-tif-paasid"
HEADER_TIMESTAMP = "x-tif-timestamp"
HEADER_NONCE = "x-tif-nonce"
HEADER_SIGNATURE = "x-tif-signature"


def signature(timestamp: str, token: str, nonce: str) -> str:
    """Lowercase hex SHA-256 of timestamp + token + nonce + timestamp."""
    return hashlib.sha256(f"{timestamp}{token}{nonce}{timestamp}".encode()).hexdigest()


def signature_matches(given: str, timestamp: str, token: str, nonce: str) -> bool:
    return hmac.compare_digest(given.lower().encode(), signature(timestamp, token, nonce).encode())


def signed_headers(paasid: str, token: str, now: int, nonce: str | None = None) -> dict[str, str]:
    """Fresh headers for one request: every attempt gets its own nonce."""
    timestamp = str(now)
    nonce = nonce or secrets.token_hex(16)
    return {
        HEADER_PAASID: paasid,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(timestamp, token, nonce),
    }


def fmt_time(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """Parse `yyyy-MM-dd HH:mm:ss`; raises ValueError on anything else."""
    if len(text) != 19:
        raise ValueError(f"time {text[:30]!r} is not yyyy-MM-dd HH:mm:ss")
    return datetime.strptime(text, TIME_FORMAT)


def msgid_is_wellformed(msgid: str, fixmedins_code: str | None = None) -> bool:
    if len(msgid) != MSGID_LENGTH or not msgid.isascii():
        return False
    code, stamp, seq = msgid[:12], msgid[12:26], msgid[26:]
    if fixmedins_code is not None and code != fixmedins_code:
        return False
    return stamp.isdigit() and seq.isdigit()


@dataclass
class MsgIdFactory:
    """msgid = fixmedins_code (12) + yyyyMMddHHmmss + 4-digit sequence.

    The sequence wraps at 10000; with the timestamp that is unique for up to 10000
    messages a second from one process. The journal persists its own counter so
    msgids stay unique across restarts.
    """

    fixmedins_code: str
    clock: Callable[[], datetime] = datetime.now
    start: int = 0

    def __post_init__(self) -> None:
        if len(self.fixmedins_code) != FIXMEDINS_CODE_LENGTH:
            raise ValueError("fixmedins_code must be 12 characters")
        self._counter = itertools.count(self.start)
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            seq = next(self._counter) % 10000
        return f"{self.fixmedins_code}{self.clock().strftime(MSGID_TIME_FORMAT)}{seq:04d}"
