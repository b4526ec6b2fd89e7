"""PINs as the operators file keeps them: a salted scrypt hash and its parameters, never the PIN.

scrypt is memory-hard: a stolen file of 4-digit PINs still costs an attacker
32 MiB and ~0.1 s per guess instead of nanoseconds. Each entry records its
salt, n, r and p, so the cost can be raised for new PINs while old entries
still verify.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from terminal.errors import BadInput
from terminal.fields import FieldError, Fields

PIN_PATTERN = re.compile(r"[0-9]{4,12}")
# New PINs: 32 MiB and ~0.1 s per check on a counter PC.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# What a file may ask for: a mistyped or hostile n must not make one check take minutes or gigabytes.
MAX_SCRYPT_MEMORY = 256 << 20


@dataclass(frozen=True)
class PinHash:
    """A PIN as the file keeps it: scrypt(pin, salt, n, r, p)."""

    salt: bytes
    n: int
    r: int
    p: int
    digest: bytes

    @classmethod
    def make(cls, pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> PinHash:
        salt = secrets.token_bytes(SALT_BYTES)
        return cls(salt, n, r, p, _scrypt(pin, salt, n, r, p, HASH_BYTES))

    def matches(self, pin: str) -> bool:
        # compare_digest: the time taken says nothing about how much of the hash matched.
        return hmac.compare_digest(_scrypt(pin, self.salt, self.n, self.r, self.p, len(self.digest)), self.digest)

    def to_json(self) -> dict[str, Any]:
        return {"kdf": "scrypt", "salt": self.salt.hex(), "n": self.n, "r": self.r, "p": self.p,
                "hash": self.digest.hex()}

    @classmethod
    def from_json(cls, f: Fields) -> PinHash:
        f.text("kdf", choices=("scrypt",))
        salt = _hex(f, "salt", 8, 64)
        n = f.count("n", minimum=2, maximum=2**20)
        if n & (n - 1):
            raise FieldError(f"{f.where}.n must be a power of 2")
        r = f.count("r", minimum=1, maximum=32)
        p = f.count("p", minimum=1, maximum=16)
        if _memory(n, r, p) > MAX_SCRYPT_MEMORY:
            raise FieldError(f"{f.where}: n, r and p ask for more than {MAX_SCRYPT_MEMORY >> 20} MiB")
        return cls(salt, n, r, p, _hex(f, "hash", 16, 64))


def _hex(f: Fields, name: str, least: int, most: int) -> bytes:
    text = f.text(name, max_len=2 * most, pattern=f"(?:[0-9a-f]{{2}}){{{least},{most}}}")
    return bytes.fromhex(text)


def _memory(n: int, r: int, p: int) -> int:
    return 128 * r * (n + p + 2)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=_memory(n, r, p) + (1 << 20))


class WeakPin(BadInput):
    def __init__(self) -> None:
        super().__init__("A PIN is 4 to 12 digits; choose another.")


def check_new_pin(pin: str) -> None:
    if not PIN_PATTERN.fullmatch(pin):
        raise WeakPin()
