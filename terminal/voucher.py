"""The medical-insurance e-voucher QR text (simulated issuer format of DESIGN.md).

    NHSAEC1.<payload>.<signature>

payload is base64url (no padding) of compact JSON {"v","psn_no","admdvs","iat",
"exp","nonce","holder"}; signature is base64url of the Ed25519 signature of the
payload's base64url text. Terminals hold the issuer's public key so a voucher can
be checked while offline.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from terminal.errors import BadInput, ConfigError
from terminal.files import read_file_bytes

PREFIX = "NHSAEC1"
DEFAULT_TTL_S = 120
# How far an issuer's clock may run ahead of ours: a voucher is valid from iat - CLOCK_SKEW_S.
CLOCK_SKEW_S = 30
# A real voucher is ~250 characters; anything far longer is not one, and we do not
# want to base64-decode or JSON-parse kilobytes a stranger put in a QR code.
MAX_VOUCHER_CHARS = 1024


class VoucherError(BadInput):
    """A scanned code could not be accepted as an e-voucher."""


class NotAVoucher(VoucherError):
    """The code is not a medical-insurance e-voucher at all."""


class VoucherForged(VoucherError):
    """The code looks like a voucher but its signature does not verify."""


class VoucherExpired(VoucherError):
    """The voucher was valid once; it has expired (or is not yet valid)."""


@dataclass(frozen=True)
class VoucherClaims:
    psn_no: str
    admdvs: str
    iat: int
    exp: int
    nonce: str
    holder: str | None
    version: int = 1

    def to_json(self) -> dict[str, object]:
        return {
            "v": self.version,
            "psn_no": self.psn_no,
            "admdvs": self.admdvs,
            "iat": self.iat,
            "exp": self.exp,
            "nonce": self.nonce,
            "holder": self.holder,
        }


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not text or any(c not in _B64URL for c in text):
        raise NotAVoucher(_NOT_A_VOUCHER, detail="invalid base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise NotAVoucher(_NOT_A_VOUCHER, detail="invalid base64url") from None


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_NOT_A_VOUCHER = ("This code is not a medical-insurance e-voucher; "
                  "ask the patient to open the e-voucher in the app.")


def issue_voucher(
    key: Ed25519PrivateKey,
    psn_no: str,
    *,
    now: int,
    admdvs: str = "120000",
    ttl_s: int = DEFAULT_TTL_S,
    holder: str | None = None,
    nonce: str | None = None,
) -> str:
    claims = VoucherClaims(
        psn_no=psn_no,
        admdvs=admdvs,
        iat=now,
        exp=now + ttl_s,
        nonce=nonce or secrets.token_hex(8),
        holder=holder,
    )
    payload = _b64encode(json.dumps(claims.to_json(), separators=(",", ":")).encode("utf-8"))
    signature = _b64encode(key.sign(payload.encode("ascii")))
    return f"{PREFIX}.{payload}.{signature}"


def looks_like_voucher(text: str) -> bool:
    """Cheap test used to route a scan: starts with the voucher prefix."""
    return text.startswith(PREFIX + ".")


def parse_voucher(text: str) -> tuple[VoucherClaims, str, bytes]:
    """Split and decode a voucher without checking the signature.

    Returns the claims, the signed payload text and the signature bytes.
    """
    if len(text) > MAX_VOUCHER_CHARS:
        raise NotAVoucher(_NOT_A_VOUCHER, detail=f"{len(text)} characters is too long")
    parts = text.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise NotAVoucher(_NOT_A_VOUCHER, detail="wrong prefix or shape")
    payload_text, signature_text = parts[1], parts[2]
    raw = _b64decode(payload_text)
    signature = _b64decode(signature_text)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotAVoucher(_NOT_A_VOUCHER, detail="payload is not JSON") from None
    claims = _claims_from_json(data)
    return claims, payload_text, signature


def _claims_from_json(data: object) -> VoucherClaims:
    if not isinstance(data, dict):
        raise NotAVoucher(_NOT_A_VOUCHER, detail="payload is not an object")
    psn_no, admdvs, nonce = data.get("psn_no"), data.get("admdvs"), data.get("nonce")
    iat, exp, holder, version = data.get("iat"), data.get("exp"), data.get("holder"), data.get("v")
    ints_ok = all(isinstance(x, int) and not isinstance(x, bool) for x in (iat, exp, version))
    strs_ok = all(isinstance(x, str) and 0 < len(x) <= 64 for x in (psn_no, admdvs, nonce))
    holder_ok = holder is None or (isinstance(holder, str) and 0 < len(holder) <= 64)
    if not (ints_ok and strs_ok and holder_ok) or version != 1:
        raise NotAVoucher(_NOT_A_VOUCHER, detail="payload fields are missing or mistyped")
    assert isinstance(psn_no, str) and isinstance(admdvs, str) and isinstance(nonce, str)
    assert isinstance(iat, int) and isinstance(exp, int)
    return VoucherClaims(psn_no=psn_no, admdvs=admdvs, iat=iat, exp=exp, nonce=nonce,
                         holder=holder if isinstance(holder, str) else None)


def verify_voucher(
    text: str, public_key: Ed25519PublicKey, *, now: int, clock_skew_s: int = CLOCK_SKEW_S
) -> VoucherClaims:
    """Check shape, signature and validity window; return the claims."""
    claims, payload_text, signature = parse_voucher(text)
    try:
        public_key.verify(signature, payload_text.encode("ascii"))
    except InvalidSignature:
        raise VoucherForged(
            "This e-voucher did not pass the security check; ask the patient to refresh the code "
            "in the app, or use the social security card.",
            detail="Ed25519 signature does not verify",
        ) from None
    # The expiry is strict (a code lives exactly exp - iat seconds); the skew only
    # forgives an issuer clock slightly ahead of ours when checking iat.
    if now >= claims.exp:
        raise VoucherExpired("This e-voucher has expired; ask the patient to refresh the code in the app.",
                             detail=f"expired at {claims.exp}, now {now}")
    if now + clock_skew_s < claims.iat:
        raise VoucherExpired("This e-voucher is not valid yet; check the terminal's clock and scan again.",
                             detail=f"issued at {claims.iat}, now {now}")
    return claims


# A PEM key is a few hundred bytes.
MAX_KEY_BYTES = 64 * 1024


def load_private_key(path: Path, *, create: bool = False) -> Ed25519PrivateKey:
    """Read a PKCS8 PEM Ed25519 key; with create=True, make one when the file is missing."""
    if not path.exists():
        if not create:
            raise ConfigError(f"The e-voucher issuer key {path} is missing.")
        key = Ed25519PrivateKey.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        path.chmod(0o600)
        return key
    data = read_file_bytes(path, "e-voucher issuer key", config=True, max_bytes=MAX_KEY_BYTES)
    try:
        loaded = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"The e-voucher issuer key {path} cannot be read.", detail=str(exc)) from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ConfigError(f"The e-voucher issuer key {path} is not an Ed25519 key.")
    return loaded


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(path: Path) -> Ed25519PublicKey:
    data = read_file_bytes(path, "e-voucher issuer public key", config=True, max_bytes=MAX_KEY_BYTES)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"The e-voucher issuer public key {path} cannot be read.", detail=str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"The e-voucher issuer public key {path} is not an Ed25519 key.")
    return key
