"""Typed errors of the card reader, each with a sentence a cashier can act on.

EnvironmentFault: the reader, its cable or its port failed (retrying later helps).
BadInput: the card (or what the reader made of it) cannot be used.
"""

from __future__ import annotations

from terminal.errors import BadInput, EnvironmentFault


class CardReaderFault(EnvironmentFault):
    """The card reader or its link failed."""


class ReaderDisconnected(CardReaderFault):
    def __init__(self, port: str, *, detail: str | None = None) -> None:
        super().__init__(
            "The card reader is not connected: check its cable and that it is switched on.",
            detail=f"port {port}" + (f": {detail}" if detail else ""),
        )


class ReaderUnusable(CardReaderFault):
    """The reader's port will never open as configured (a malformed port URL, a port
    object that cannot be reopened): the driver gave up; `reason` says what to do."""

    def __init__(self, reason: str, *, detail: str | None = None) -> None:
        super().__init__(reason, detail=detail)


class ReaderTimeout(CardReaderFault):
    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "The card reader does not answer: unplug it, plug it back in and try again.",
            detail=detail,
        )


class ReaderLinkGarbled(CardReaderFault):
    """The reader kept reporting our frames as damaged, or sent only damaged ones."""

    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "The card reader connection is garbled: check the reader cable and try again.",
            detail=detail,
        )


class ReaderProtocolError(CardReaderFault):
    """The reader answered something this driver does not understand."""

    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "The card reader is not a model this terminal supports: call the technician.",
            detail=detail,
        )


class ReaderClosed(CardReaderFault):
    def __init__(self) -> None:
        super().__init__("The card reader was shut down: restart the checkout and try again.")


class CardError(BadInput):
    """The card in the reader cannot be used."""


class CardNotPresent(CardError):
    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "No card in the reader: insert the social security card chip first.",
            detail=detail,
        )


class CardReadFailed(CardError):
    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "The card could not be read: take it out, wipe the chip and insert it again.",
            detail=detail,
        )


class CardAuthFailed(CardError):
    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "The card failed its security check: ask for another card or an e-voucher.",
            detail=detail,
        )


class CardDataInvalid(CardError):
    """The reader returned card data that does not form a valid card record."""

    def __init__(self, *, detail: str | None = None) -> None:
        super().__init__(
            "The card's data could not be understood: take it out and insert it again.",
            detail=detail,
        )


class CardExpired(CardError):
    def __init__(self, expiry_date: str, *, detail: str | None = None) -> None:
        pretty = f"{expiry_date[:4]}-{expiry_date[4:6]}-{expiry_date[6:]}"
        super().__init__(
            f"This social security card expired on {pretty}: "
            "ask for a valid card or an e-voucher.",
            detail=detail,
        )
        self.expiry_date = expiry_date
