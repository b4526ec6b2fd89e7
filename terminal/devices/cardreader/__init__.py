"""The serial social-security card reader: framing, card record, host driver.

Protocol (DESIGN.md "Card reader"): STX | LEN(2, big-endian) | CMD | DATA | BCC | ETX.
`frames` holds the byte level, `record` the typed card record, `driver` the host
driver with its owner thread, `errors` the typed errors a cashier sees.
"""

from terminal.devices.cardreader.driver import CardReader, ReaderEvent
from terminal.devices.cardreader.record import CardRecord

__all__ = ["CardReader", "CardRecord", "ReaderEvent"]
