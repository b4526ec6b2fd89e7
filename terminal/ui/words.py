"""The journal's words as the counter's staff read them: states, kinds of transaction, insurance kinds, the
split's fields."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from terminal.offline.states import Kind, State


def state_word(state: State) -> str:
    return {
        State.DRAFT: QCoreApplication.translate("Words", "not sent"),
        State.PRE_SETTLED: QCoreApplication.translate("Words", "pre-settled, not sent"),
        State.SENDING: QCoreApplication.translate("Words", "sent, answer awaited"),
        State.SETTLED: QCoreApplication.translate("Words", "settled"),
        State.OFFLINE_QUEUED: QCoreApplication.translate("Words", "queued offline"),
        State.FORWARDING: QCoreApplication.translate("Words", "forwarding"),
        State.FORWARDED_SETTLED: QCoreApplication.translate("Words", "forwarded, settled"),
        State.FORWARD_DECLINED: QCoreApplication.translate("Words", "declined"),
        State.REVERSAL_PENDING: QCoreApplication.translate("Words", "reversal pending"),
        State.REVERSED: QCoreApplication.translate("Words", "reversed"),
        State.NEEDS_ATTENTION: QCoreApplication.translate("Words", "needs attention"),
    }.get(state, state.value)


def kind_word(kind: Kind) -> str:
    return {
        Kind.PHARMACY_SALE: QCoreApplication.translate("Words", "pharmacy sale"),
        Kind.OUTPATIENT_REGISTRATION: QCoreApplication.translate("Words", "outpatient registration"),
        Kind.OUTPATIENT_SETTLEMENT: QCoreApplication.translate("Words", "outpatient settlement"),
        Kind.ADMISSION: QCoreApplication.translate("Words", "admission"),
        Kind.DISCHARGE_SETTLEMENT: QCoreApplication.translate("Words", "discharge settlement"),
        Kind.REVERSAL: QCoreApplication.translate("Words", "reversal"),
        Kind.CASH_SALE: QCoreApplication.translate("Words", "cash sale"),
    }.get(kind, kind.value)


def insutype_word(insutype: str | None) -> str:
    """The insurance kind of the platform's insutype code, as on the pharmacy's and the desks' patient panels."""
    return {
        "310": QCoreApplication.translate("Words", "Employee insurance"),
        "390": QCoreApplication.translate("Words", "Resident insurance"),
    }.get(insutype or "", insutype or "")


def split_word(key: str) -> str:
    return {
        "medfee_sumamt": QCoreApplication.translate("Words", "Medical fees"),
        "fund_pay_sumamt": QCoreApplication.translate("Words", "Pooled fund"),
        "acct_pay": QCoreApplication.translate("Words", "Personal account"),
        "acct_mulaid_pay": QCoreApplication.translate("Words", "Family mutual aid"),
        "psn_cash_pay": QCoreApplication.translate("Words", "Cash"),
    }.get(key, key)
