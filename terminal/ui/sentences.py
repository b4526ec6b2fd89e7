"""The cashier's sentences: a typed error's, in the cashier's language, or a plain apology for a bug.

The three levels every screen colours the same way (info green, warn amber, error red).
"""

from __future__ import annotations

import logging

from terminal.errors import NotStarted, TerminalError, Unexpected
from terminal.ui.language import cashier_text

log = logging.getLogger(__name__)

__all__ = ["ERROR", "INFO", "WARN", "NotStarted", "Unexpected", "sentence"]

INFO, WARN, ERROR = "info", "warn", "error"




def sentence(exc: BaseException) -> str:
    """What the cashier reads for an error: the typed error's sentence (in the cashier's language), or a
    plain apology for a bug (logged with its traceback, never shown)."""
    if not isinstance(exc, TerminalError):
        log.error("unexpected error", exc_info=exc)
        exc = Unexpected()
    return cashier_text(exc.cashier_message)
