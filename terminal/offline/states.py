"""The life of a journaled transaction: its kinds, its states and the steps allowed between them.

    draft ──► pre-settled ──► sending ──► settled ──► reversal-pending ──► reversed
      │            │             │  ▲
      │            │             │  └── (refused: back to pre-settled, a new msgid next time)
      └────────────┴─────────────┴──► offline-queued ──► forwarding ──► forwarded-settled
                                  (never reached)   ▲        │   └──► forward-declined
                                                    └────────┘ (never reached)

A state may step to itself to record an attempt (its count, its error, when to
try again). "sending" and "forwarding" are the states in which a message may be
at the service: a process that dies there leaves an unknown outcome, resolved before
anything else is sent for that transaction (the same msgid again, or 2601).
"needs-attention" is where a person must look (an answer the terminal cannot
trust, an outcome that stays unknown); every state can get there and a
resolution takes it on. Every step is one atomic write; a step not listed here
is a bug in the terminal and raises IllegalTransition.
"""

from __future__ import annotations

from enum import Enum


class State(Enum):
    DRAFT = "draft"
    PRE_SETTLED = "pre-settled"
    SENDING = "sending"
    SETTLED = "settled"
    OFFLINE_QUEUED = "offline-queued"
    FORWARDING = "forwarding"
    FORWARDED_SETTLED = "forwarded-settled"
    FORWARD_DECLINED = "forward-declined"
    REVERSAL_PENDING = "reversal-pending"
    REVERSED = "reversed"
    NEEDS_ATTENTION = "needs-attention"


class Kind(Enum):
    PHARMACY_SALE = "pharmacy-sale"
    OUTPATIENT_REGISTRATION = "outpatient-registration"
    OUTPATIENT_SETTLEMENT = "outpatient-settlement"
    ADMISSION = "admission"
    DISCHARGE_SETTLEMENT = "discharge-settlement"
    REVERSAL = "reversal"
    # The hospital desks' other messages, each journaled like a sale (terminal/offline/visit_journal.py):
    # fee uploads (2204, 2301), and the steps of a visit that move no money (2202, 2205, 2302, 2402,
    # 2404, 2405). They refer to the visit's registration or admission row.
    FEE_UPLOAD = "fee-upload"
    VISIT_STEP = "visit-step"
    # Sold for cash without insurance (beyond the offline limits, a suspended person): the service never
    # hears of it, so it is settled the moment it is sold and never forwarded or reconciled with it.
    CASH_SALE = "cash-sale"


S = State
TRANSITIONS: dict[State, frozenset[State]] = {
    S.DRAFT: frozenset({S.DRAFT, S.PRE_SETTLED, S.SENDING, S.OFFLINE_QUEUED}),
    S.PRE_SETTLED: frozenset({S.PRE_SETTLED, S.SENDING, S.OFFLINE_QUEUED, S.DRAFT}),
    # From sending: the answer (settled), a refusal (nothing happened: back to pre-settled), a
    # request that never reached the service (queued offline with the same msgid).
    S.SENDING: frozenset({S.SENDING, S.SETTLED, S.PRE_SETTLED, S.OFFLINE_QUEUED}),
    S.SETTLED: frozenset({S.REVERSAL_PENDING}),
    S.OFFLINE_QUEUED: frozenset({S.OFFLINE_QUEUED, S.FORWARDING}),
    S.FORWARDING: frozenset({S.FORWARDING, S.FORWARDED_SETTLED, S.FORWARD_DECLINED, S.OFFLINE_QUEUED}),
    S.FORWARDED_SETTLED: frozenset({S.REVERSAL_PENDING}),
    # A declined sale may be forwarded again once its cause is fixed (a new msgid).
    S.FORWARD_DECLINED: frozenset({S.OFFLINE_QUEUED}),
    # A reversal refused leaves the settlement standing.
    S.REVERSAL_PENDING: frozenset({S.REVERSAL_PENDING, S.REVERSED, S.SETTLED, S.FORWARDED_SETTLED}),
    S.REVERSED: frozenset(),
    # A person decided: forward again, or the resolution found it settled or reversed.
    S.NEEDS_ATTENTION: frozenset({S.OFFLINE_QUEUED, S.SETTLED, S.FORWARDED_SETTLED, S.FORWARD_DECLINED,
                                  S.REVERSED, S.PRE_SETTLED, S.REVERSAL_PENDING}),
}
# Any state with a message in doubt or a decision to make can be handed to a person.
for _state in (S.DRAFT, S.PRE_SETTLED, S.SENDING, S.OFFLINE_QUEUED, S.FORWARDING, S.FORWARD_DECLINED,
               S.REVERSAL_PENDING):
    TRANSITIONS[_state] = TRANSITIONS[_state] | {S.NEEDS_ATTENTION}

# A message of these may be at the service: after a crash its outcome is unknown.
IN_FLIGHT = frozenset({S.SENDING, S.FORWARDING, S.REVERSAL_PENDING})
# Not yet settled by the service: what the queue screen and `queue list` show.
PENDING = frozenset({S.SENDING, S.OFFLINE_QUEUED, S.FORWARDING, S.FORWARD_DECLINED, S.NEEDS_ATTENTION,
                     S.REVERSAL_PENDING})
# Sales the service has not settled that count against the offline limits.
OUTSTANDING = frozenset({S.OFFLINE_QUEUED, S.FORWARDING})
# The service's settlement stands (for reconciliation and receipts).
SETTLED_STATES = frozenset({S.SETTLED, S.FORWARDED_SETTLED, S.REVERSAL_PENDING})
FINAL = frozenset({S.SETTLED, S.FORWARDED_SETTLED, S.REVERSED, S.FORWARD_DECLINED})


class IllegalTransition(RuntimeError):
    """A step the state machine does not allow: a bug in the terminal, never the cashier's doing."""


# Steps only a kind of its own may take: a cash sale is settled at the counter, from its draft.
# A reversal the service refused goes back to a draft: nothing was taken back, the sentence says why.
KIND_TRANSITIONS: dict[Kind, frozenset[tuple[State, State]]] = {
    Kind.CASH_SALE: frozenset({(S.DRAFT, S.SETTLED)}),
    Kind.REVERSAL: frozenset({(S.SENDING, S.DRAFT)}),
}


def check_transition(local_id: str, old: State, new: State, kind: Kind | None = None) -> None:
    if (old, new) in KIND_TRANSITIONS.get(kind, frozenset()) if kind is not None else False:
        return
    if new not in TRANSITIONS[old]:
        raise IllegalTransition(f"transaction {local_id}: {old.value} -> {new.value} is not a step the "
                                "journal allows")
