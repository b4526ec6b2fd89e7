"""The cards the simulated card reader can insert, and the cards file they come from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.record import CardRecord
from terminal.errors import BadInput, TerminalError
from terminal.json_files import read_json_file

CARD_STATUS = {"ok": fr.ST_OK, "read-error": fr.ST_READ_ERROR, "auth-failed": fr.ST_AUTH_FAILED}


@dataclass(frozen=True)
class SimCard:
    """A card the simulator can insert: its answer status and payload bytes."""

    label: str
    ssn: str
    card_no: str
    payload: bytes
    status: int = fr.ST_OK
    note: str = ""  # shown by "list": expired, unreadable, raw bytes

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> SimCard:
        # "status" simulates a card the reader cannot read or authenticate; "raw_hex"
        # sends exact payload bytes (bad GBK, wrong field count) to test the host.
        status_name = obj.get("status", "ok")
        if status_name not in CARD_STATUS:
            raise BadInput(f"Card status {status_name!r} is not one of {sorted(CARD_STATUS)}.")
        if "raw_hex" in obj:
            try:
                payload = bytes.fromhex(str(obj["raw_hex"]))
            except ValueError:
                raise BadInput(f"Card raw_hex {obj['raw_hex']!r} is not hex.") from None
            return cls(
                label=str(obj.get("name", "raw card")),
                ssn=str(obj.get("ssn", "")),
                card_no=str(obj.get("card_no", "")),
                payload=payload,
                status=CARD_STATUS[status_name],
                note="raw bytes",
            )
        record = CardRecord.from_json(obj)
        notes = [status_name] if status_name != "ok" else []
        if record.is_expired():
            notes.append(f"expired {record.expires_on().isoformat()}")
        return cls(record.name, record.ssn, record.card_no, record.to_payload(),
                   CARD_STATUS[status_name], ", ".join(notes))


def load_cards(path: str | os.PathLike[str]) -> list[SimCard]:
    """Cards from a JSON file: a list of card objects (or {"cards": [...]})."""
    data = read_json_file(Path(path), "cards")
    if isinstance(data, dict):
        data = data.get("cards")
    if not isinstance(data, list) or not data:
        raise BadInput(f"The cards file {path} must hold a non-empty list of cards.")
    cards = []
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            raise BadInput(f"Card {number} in {path} is not a JSON object.")
        try:
            cards.append(SimCard.from_json(obj))
        except TerminalError as exc:
            raise BadInput(
                f"Card {number} in {path} is not valid: {exc.cashier_message}", detail=exc.detail
            ) from None
    return cards


def default_cards_path() -> Path:
    from terminal.config import config_path

    return config_path("cards.json")
