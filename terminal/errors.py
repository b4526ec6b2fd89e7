"""The error types every layer raises.

Three families, so the UI can react correctly:
- EnvironmentFault: something around us failed (network down, port gone, disk full).
  Retrying later may help; never a crash.
- BadInput: what we were given is wrong (garbage QR, bad frame, refused request).
  Retrying the same thing will not help; the cashier must act.
- anything else is a bug.

Every error carries `cashier_message`, one sentence a cashier can act on, and an
optional `detail` for logs and technicians.
"""

from __future__ import annotations


class TerminalError(Exception):
    """Base of every error the terminal expects and knows how to explain."""

    def __init__(self, cashier_message: str, *, detail: str | None = None) -> None:
        super().__init__(cashier_message if detail is None else f"{cashier_message} ({detail})")
        self.cashier_message = cashier_message
        self.detail = detail
        # Commands a technician can run to put things right, printed after the sentence.
        self.next_steps: tuple[str, ...] = ()


class EnvironmentFault(TerminalError):
    """The environment failed: network, device, disk. Not the input's fault."""


class BadInput(TerminalError):
    """The input is wrong; the same input will fail again."""


class ConfigError(BadInput):
    """A configuration or data file is missing or malformed."""


class InsuranceCannotPay(BadInput):
    """Insurance cannot pay for this sale (an offline limit reached, the person refused): the counter
    may still sell it for cash."""


class NotStarted(EnvironmentFault):
    """The counter's resources are still opening (the journal, the price list)."""

    def __init__(self) -> None:
        super().__init__("The terminal is still starting: wait a moment and try again.")


class Unexpected(EnvironmentFault):
    """What the cashier reads for a bug (its traceback goes to the log)."""

    def __init__(self) -> None:
        super().__init__("Something went wrong inside the terminal; the sale is kept. Call the technician.")
