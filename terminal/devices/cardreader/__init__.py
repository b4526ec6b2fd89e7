"""The serial social-security card reader: framing, card record, host driver.

Protocol (DESIGN.md "Card reader"): STX | LEN(2, big-endian) | CMD | DATA | BCC | ETX.
`frames` holds the byte level, `record` the typed card record, `ledger` the answer
ledger (which command an answer belongs to; no threads), `exchange` the owner
thread's side of one command at a time, `driver` the host driver (CardReader, a
Device on a SerialLink), `errors` the typed errors a cashier sees.
Import the submodule you need; this package imports nothing, so that the
simulator's help text does not pull in the driver.
"""
