"""Store and forward: the one worker that settles queued sales when the service answers again.

Its own thread and its own client (the cashier's network work never waits
behind it on the counter), and before each message it gives way to the
cashier's calls (terminal.right_of_way), so after an outage a long backlog does
not stand between the customer and the service; and it paces itself by the
service's answers (PACE), so two hundred forwarders draining at once keep the
service busy without filling its queue ahead of every counter's cashier.

Each pass first resolves what is in doubt (a message left in "sending" or
"forwarding" by a crash or a lost answer: the same msgid and body again, which
the service answers at most once), then forwards what is due,
each person's sales strictly in sale order, in batches whose steps are written
together so the journal is not the bottleneck. When the service cannot be
reached the circuit opens: nothing is sent until a cheap probe (no message)
gets an answer, and between probes the thread sleeps, so an offline terminal
costs no CPU. Sales that fail retry after an exponential backoff with jitter,
capped. Only one forwarder works on a journal at a time (a lease in the
journal); another one says who holds it and does nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from terminal.client import MalformedAnswer, NetworkUnreachable, OutcomeUnknown, ServiceRefused, SettlementClient
from terminal.errors import EnvironmentFault, TerminalError
from terminal.money import ZERO
from terminal.offline import reversal
from terminal.offline.checkout import process_owner
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import IN_FLIGHT, Kind, State
from terminal.offline.transactions import Step, Transactions
from terminal.offline.visit_journal import SETTLING, resend
from terminal.right_of_way import RightOfWay
from terminal.settings import OfflineSettings

log = logging.getLogger(__name__)

LEASE = "forwarder"
LEASE_S = 60.0
BATCH = 50
# After each message the forwarder waits PACE times as long as the message took (at most PACE_MAX_S). On an
# idle service that is a few milliseconds; when the whole chain forwards at once after an outage, the
# service's answers slow down and each forwarder then holds fewer of the places in its queue, so the
# cashiers' messages wait behind fewer: the service stays busy (a few forwarders with something to send
# keep it so) and drains at its capacity, and a sale at the counter is not held up by two hundred backlogs.
# 1 rather than 3 or 0: bench/fleet.py (200 counters, a 30 s outage, one run each) drained 3,100 sales in
# 8.3 s with 1, in 12.2 s with 3 and 10.2 s with 0 (no pacing: the service's queue grew and so did every
# cashier's wait), with a counter's own sales at about 0.1 s in the drain for each.
PACE = 1.0
PACE_MAX_S = 2.0


class ForwarderBusy(EnvironmentFault):
    def __init__(self, owner: str) -> None:
        super().__init__(f"Another forwarder is already sending this journal's sales ({owner}); nothing was "
                         "sent by this one.")
        self.owner = owner


@dataclass(frozen=True)
class Progress:
    """What a screen shows of the forwarder: its state and how much is left."""

    state: str  # "idle", "forwarding", "offline" (circuit open), "busy" (another forwarder), "stopped"
    done: int = 0  # transactions brought to a final state since the forwarder started
    left: int = 0  # queued, being forwarded or in doubt
    left_amount: Decimal = ZERO
    last_success_at: float | None = None
    last_error: str | None = None


@dataclass
class PassResult:
    settled: list[Txn] = field(default_factory=list)
    declined: list[Txn] = field(default_factory=list)
    unresolved: list[Txn] = field(default_factory=list)
    unreachable: bool = False


def backoff_s(attempts: int, limits: OfflineSettings, rng: random.Random) -> float:
    """Exponential backoff with full jitter around the step, capped: retries of many tills spread out."""
    step: float = min(limits.retry_max_s, limits.retry_min_s * 2.0 ** min(attempts, 30))
    return min(limits.retry_max_s, step * rng.uniform(0.5, 1.5))


class Forwarder:
    def __init__(self, journal: Journal, client: SettlementClient, limits: OfflineSettings, *,
                 on_progress: Callable[[Progress], None] | None = None, clock: Callable[[], float] = time.time,
                 batch: int = BATCH, seed: int | None = None, right_of_way: RightOfWay | None = None,
                 pace: float = PACE) -> None:
        self.journal = journal
        self.client = client
        self.limits = limits
        self.on_progress = on_progress
        self.clock = clock
        self.batch = batch
        self.owner = process_owner()
        self.rng = random.Random(seed)
        # The counter's cashier goes first: before each message the forwarder gives way (bounded).
        self.right_of_way = right_of_way
        self.pace = pace
        self._last_s = 0.0  # how long the last message of this pass took (the pacing)
        self.circuit_open = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._progress = Progress("idle")

    # ----- lifecycle (the app's thread) and one pass (the `forward` command)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="forwarder", daemon=True)
            self._thread.start()

    def close(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)
        self._drop_lease()
        self._report(replace(self._progress, state="stopped"))

    def wake(self) -> None:
        """Try now (a new sale was queued, or the network is back)."""
        self._wake.set()

    @property
    def progress(self) -> Progress:
        return self._progress

    def run_once(self, *, now: bool = False) -> PassResult:
        """Resolve what is in doubt and forward what is due, once; ForwarderBusy if another holds the journal.

        `now` forwards everything queued whatever its backoff (a technician's `forward --once`, or the
        network just came back).
        """
        due_by = float("inf") if now else self.clock()
        holder = self.journal.run(lambda t: t.file.take_lease(LEASE, self.owner, LEASE_S))
        if holder is not None:
            self._report(replace(self._progress, state="busy", last_error=f"held by {holder}"))
            raise ForwarderBusy(holder)
        result = PassResult()
        self._last_s = 0.0
        self._resolve_in_doubt(result, due_by)
        while not result.unreachable and not self._stop.is_set():
            due = self.journal.run(lambda t: t.forwardable(due_by, self.batch))
            if not due:
                break
            # A long drain (and giving way to the cashier) may outlast the lease: renewed each batch. If
            # another forwarder took the journal meanwhile, it forwards the rest.
            if (result.settled or result.declined) and self.journal.run(
                    lambda t: t.file.take_lease(LEASE, self.owner, LEASE_S)) is not None:
                break
            before = len(result.settled) + len(result.declined)
            self._forward(due, result)
            if len(result.settled) + len(result.declined) == before:
                break  # nothing in this batch could finish now; they wait for their backoff
        self.circuit_open = result.unreachable
        self._report_left(result)
        return result

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                back = self.circuit_open
                if back and not self.client.probe():
                    self._report(replace(self._progress, state="offline"))
                    self._wait(self.limits.probe_interval_s)
                    continue
                # Back online: what waited only because the network was down goes now.
                self.run_once(now=back)
            except ForwarderBusy:
                self._wait(self.limits.probe_interval_s)
                continue
            except TerminalError as exc:  # the journal failed (full disk...): say so, try again later
                log.warning("forwarder: %s", exc)
                self._report(replace(self._progress, state="offline", last_error=exc.cashier_message))
                self._wait(self.limits.probe_interval_s)
                continue
            self._wait(self.limits.probe_interval_s if self.circuit_open else self._until_next_due())

    def _wait(self, seconds: float) -> None:
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()

    def _until_next_due(self) -> float:
        queued = self.journal.run(lambda t: t.where("state = 'offline-queued' ORDER BY next_attempt_at LIMIT 1"))
        if not queued:
            return self.limits.probe_interval_s * 4  # idle: an occasional look, new sales wake it anyway
        return min(self.limits.probe_interval_s * 4, max(0.0, queued[0].next_attempt_at - self.clock()))

    def _drop_lease(self) -> None:
        try:
            self.journal.run(lambda t: t.file.drop_lease(LEASE, self.owner))
        except Exception:  # closing: the lease expires by itself
            log.debug("forwarder lease not dropped", exc_info=True)

    # ----- resolving messages in doubt

    def _resolve_in_doubt(self, result: PassResult, due_by: float) -> None:
        for row in self.journal.run(lambda t: t.in_doubt(self.clock(), due_by)):
            if result.unreachable or self._stop.is_set():
                return
            self._give_way()
            held = self._claim(row)
            if held is None or held.msgid is None:
                continue
            if held.kind is Kind.REVERSAL:
                self._resolve_reversal(held, result)
                continue
            self._record([self._outcome(held, result, resolving=True)], result)

    def _resolve_reversal(self, row: Txn, result: PassResult) -> None:
        """A reversal in doubt: its msgid again; its outcome recorded on it and on what it takes back."""
        steps, kind = reversal.resend(self.journal, self.client, row)
        if kind == "unresolved":
            steps = [dataclasses.replace(self._doubt_step(row, str(steps[0].fields.get("last_error"))),
                                         expect=frozenset({row.state}))]
        done = self.journal.run(lambda t: t.apply(steps))[0]
        {"settled": result.settled, "declined": result.declined}.get(kind, result.unresolved).append(done)

    def _claim(self, row: Txn) -> Txn | None:
        return self.journal.run(lambda t: t.claim(row.local_id, self.owner, self._hold_s(), IN_FLIGHT))

    # ----- forwarding

    def _forward(self, due: list[Txn], result: PassResult) -> None:
        # One write marks the whole batch as forwarding (with this process's hold) before anything leaves,
        # and one write records what came back: the journal costs two commits a batch, not two a sale.
        # A crash in between leaves the batch "forwarding": resolved by its msgids on the next pass.
        msgids = {row.local_id: row.msgid or self.client.next_msgid() for row in due}
        marked = self.journal.run(lambda t: t.apply([
            Step(row.local_id, State.FORWARDING, {"msgid": msgids[row.local_id]}, attempted=True,
                 hold=self.owner, hold_s=self._hold_s(), expect=frozenset({State.OFFLINE_QUEUED}))
            for row in due]))
        stalled: set[str] = set()
        outcomes: list[tuple[Step, str]] = []
        for row in marked:
            if row.state is not State.FORWARDING:
                continue  # another process moved it meanwhile
            person = row.psn_no or row.person_key or row.local_id
            if person in stalled or result.unreachable or self._stop.is_set():
                outcomes.append((self._requeue_step(row, None), "requeued"))
                continue
            self._give_way()
            outcome = self._outcome(row, result, resolving=False)
            outcomes.append(outcome)
            if outcome[1] not in ("settled", "declined"):
                stalled.add(person)
        self._record(outcomes, result)

    def _outcome(self, row: Txn, result: PassResult, *, resolving: bool) -> tuple[Step, str]:
        """Send the row's message with its msgid: the step that records what happened, and its kind. The step
        is written only if the row is still as it was sent (a supervisor may have undone it meanwhile)."""
        started = time.monotonic()
        try:
            step, kind = self._outcome_step(row, result, resolving=resolving)
        finally:
            self._last_s = time.monotonic() - started
        return dataclasses.replace(step, expect=frozenset({row.state})), kind

    def _outcome_step(self, row: Txn, result: PassResult, *, resolving: bool) -> tuple[Step, str]:
        assert row.msgid is not None
        try:
            # A pharmacy sale first read offline is identified now; a hospital message never went offline.
            request = self._identified(row) if (row.infno or "2102") == "2102" else row.request
            output, setl_time = resend(self.client, row.infno or "2102", request, row.msgid)
        except NetworkUnreachable as exc:
            result.unreachable = True
            if row.state is State.FORWARDING and not resolving:
                return self._requeue_step(row, str(exc)), "requeued"
            return self._doubt_step(row, str(exc)), "unresolved"
        except ServiceRefused as exc:
            # A cashier's sale in doubt that the service says never happened: a person must look (the
            # customer may have left with the drugs). A forwarded sale is declined, with its reason.
            to = State.NEEDS_ATTENTION if row.state is State.SENDING else State.FORWARD_DECLINED
            return Step(row.local_id, to, {"last_error": exc.cashier_message}), "declined"
        except (OutcomeUnknown, MalformedAnswer) as exc:
            return self._doubt_step(row, str(exc)), "unresolved"
        # A cashier's sale resolved later keeps cash_collected as it was (what the counter took is not
        # known here); a forwarded sale's was collected on the estimate.
        to = State.SETTLED if row.state is State.SENDING else State.FORWARDED_SETTLED
        fields: dict[str, Any] = {"answer": output, "last_error": None}
        if setl_time is not None:
            fields["setl_time"] = setl_time
        return Step(row.local_id, to, fields, receipt=(row.infno or "2102") in SETTLING), "settled"

    def _record(self, outcomes: list[tuple[Step, str]], result: PassResult) -> None:
        if not outcomes:
            return
        done = self.journal.run(lambda t: t.apply([step for step, _kind in outcomes]))
        now = self.clock()
        for txn, (_step, kind) in zip(done, outcomes, strict=True):
            if kind == "settled":
                result.settled.append(txn)
            elif kind == "declined":
                result.declined.append(txn)
            elif kind == "unresolved":
                result.unresolved.append(txn)
        finished = sum(1 for _step, kind in outcomes if kind in ("settled", "declined"))
        if finished:
            self._progress = replace(self._progress, done=self._progress.done + finished, last_success_at=now,
                                     last_error=None)
        errors = [txn.last_error for txn, (_s, kind) in zip(done, outcomes, strict=True) if kind == "unresolved"]
        if errors:
            self._progress = replace(self._progress, last_error=errors[-1])

    def _identified(self, row: Txn) -> dict[str, Any]:
        """The request with psn_no and insutype: a card first read offline is identified (1101) now."""
        data = row.request.get("data", {})
        if data.get("psn_no") and data.get("insutype"):
            return row.request
        cert = {k: data.get(k, "") for k in ("mdtrt_cert_type", "mdtrt_cert_no", "card_sn")}
        info = self.client.person_info(cert)
        psn_no = info.output.obj("baseinfo").text("psn_no")
        insutype = info.output.items("insuinfo")[0].text("insutype")
        request = {**row.request, "data": {**data, "psn_no": psn_no, "insutype": insutype}}
        self.journal.run(lambda t: t.step(row.local_id, row.state, request=request, psn_no=psn_no,
                                          insutype=insutype, hold=self.owner, hold_s=self._hold_s()))
        return request

    def _doubt_step(self, row: Txn, error: str) -> Step:
        """The outcome is still unknown: keep the row in its state and try again later, or hand it to a
        person after too many tries."""
        attempts = row.attempts + 1
        if attempts >= self.limits.unknown_outcome_attempts:
            return Step(row.local_id, State.NEEDS_ATTENTION, {"last_error": f"outcome still unknown: {error}"})
        return Step(row.local_id, row.state, {"last_error": error, "next_attempt_at": self.clock() + backoff_s(
            attempts, self.limits, self.rng)}, attempted=True)

    def _requeue_step(self, row: Txn, error: str | None) -> Step:
        # Never reached the service: back in the queue with the same msgid, after a backoff.
        return Step(row.local_id, State.OFFLINE_QUEUED, {"last_error": error, "next_attempt_at": self.clock()
                                                         + backoff_s(row.attempts, self.limits, self.rng)})

    def _give_way(self) -> None:
        """Before a message: the pace after the last one (see PACE), then the cashier's calls first."""
        if self._last_s > 0 and self.pace > 0:
            self._pause(min(PACE_MAX_S, self.pace * self._last_s))
        if self.right_of_way is not None:
            self.right_of_way.give_way()

    def _pause(self, seconds: float) -> None:
        self._stop.wait(seconds)  # close() ends it at once

    def _hold_s(self) -> float:
        connect, read = self.client.timeouts
        return (connect + read) * (self.client.connect_retries + 1) + 30.0

    # ----- progress

    def _report_left(self, result: PassResult) -> None:
        def left(t: Transactions) -> tuple[int, Decimal]:
            outstanding = t.outstanding()
            in_doubt = len(t.where("state IN ('sending', 'reversal-pending')"))
            return outstanding.count + in_doubt, outstanding.amount

        count, amount = self.journal.run(left)
        state = "offline" if result.unreachable else ("forwarding" if count else "idle")
        self._report(replace(self._progress, state=state, left=count, left_amount=amount))

    def _report(self, progress: Progress) -> None:
        self._progress = progress
        if self.on_progress is not None:
            try:
                self.on_progress(progress)
            except Exception:  # a screen's bug must not stop forwarding
                log.exception("forwarder progress listener failed")
