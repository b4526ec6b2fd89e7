"""What each operator role may do, as data: the UI asks `can(role, action)` and holds no rule."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Role(StrEnum):
    CASHIER = "cashier"
    SUPERVISOR = "supervisor"
    TECHNICIAN = "technician"


class Action(StrEnum):
    SELL = "sell"
    REPRINT = "reprint"
    QUEUE = "queue"
    HISTORY = "history"
    REVERSE = "reverse"
    UNMASK = "unmask"
    DAY_END = "day-end"
    AUDIT = "audit"
    DEVICES = "devices"
    OPERATORS = "operators"
    OUTPATIENT_DESK = "outpatient-desk"
    INPATIENT_DESK = "inpatient-desk"


# What each role may do. A technician sets up the devices and looks after the queue but sells
# nothing and sees no one's personal data; reversals, unmasking and the day-end are a supervisor's.
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.CASHIER: frozenset({Action.SELL, Action.REPRINT, Action.QUEUE, Action.OUTPATIENT_DESK,
                             Action.INPATIENT_DESK}),
    Role.SUPERVISOR: frozenset({Action.SELL, Action.REPRINT, Action.QUEUE, Action.HISTORY, Action.REVERSE,
                                Action.UNMASK, Action.DAY_END, Action.AUDIT, Action.OPERATORS, Action.OUTPATIENT_DESK,
                                Action.INPATIENT_DESK}),
    Role.TECHNICIAN: frozenset({Action.DEVICES, Action.QUEUE}),
}

# Completes "... may not ...".
ACTION_WORDS: Mapping[Action, str] = {
    Action.SELL: "sell",
    Action.REPRINT: "reprint a receipt",
    Action.QUEUE: "manage the sales waiting to be forwarded",
    Action.HISTORY: "look up past sales",
    Action.REVERSE: "reverse a settlement",
    Action.UNMASK: "see a person's full name and ID number",
    Action.DAY_END: "run the day-end reconciliation",
    Action.AUDIT: "see the audit trail",
    Action.DEVICES: "set up and test the devices",
    Action.OPERATORS: "set operators' PINs",
    Action.OUTPATIENT_DESK: "work the outpatient desk",
    Action.INPATIENT_DESK: "work the admission and discharge desk",
}


def can(role: Role | str, action: Action | str) -> bool:
    """Whether an operator of `role` may do `action` (ValueError for a name that is neither)."""
    return Action(action) in PERMISSIONS[Role(role)]


def roles_for(action: Action | str) -> list[Role]:
    return [role for role in Role if Action(action) in PERMISSIONS[role]]
