"""The card reader's answer ledger: which command an answer belongs to.

Answers carry no sequence number, so a late answer to an earlier attempt could be
taken for the answer to a later command (the previous patient's card!). The ledger
lists the commands written and not yet answered, oldest first. The reader answers
in order, so an answer belongs to the oldest unanswered command of its kind, and
everything written before that command is answered or lost: it leaves the ledger.

A command that would be written while commands of another owner are still owed is
preceded by a probe of another kind (`probe_for`). Once the probe is answered nothing
older can arrive, and the next answer of the command's kind is the command's own.

After a reconnect, answers to commands written before it may still come (a
serial-to-TCP bridge keeps what the reader said meanwhile), and the ledger knows
nothing of them: it is in doubt until a probe written since is answered, and a
probe's kind is then the one least likely to be among them (a silent BEEP 0).

No threads, no port, no clock: the driver's owner thread feeds it what it wrote
and what the frame parser found. An "owner" is whatever the driver writes for (its
request); owners are compared by identity.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from terminal.devices.cardreader import frames as fr

SILENT_BEEP = (fr.CMD_BEEP, b"\x00")  # a beep of zero tenths
STATUS = (fr.CMD_STATUS, b"")


@dataclass(frozen=True, eq=False)
class Sent:
    """One command written to the port and not answered yet."""

    cmd: int
    owner: object
    probe: bool


def probe_for(cmd: int, after_reconnect: bool) -> tuple[int, bytes]:
    """A harmless command of another kind than `cmd` (command code and data)."""
    if after_reconnect:
        return SILENT_BEEP if cmd != fr.CMD_BEEP else STATUS
    return STATUS if cmd != fr.CMD_STATUS else SILENT_BEEP


class AnswerLedger:
    def __init__(self) -> None:
        self._sent: collections.deque[Sent] = collections.deque()
        self.doubt = False  # answers to commands of an earlier connection may still come

    def __len__(self) -> int:
        return len(self._sent)

    @property
    def owed(self) -> tuple[Sent, ...]:
        """The commands written and not answered yet, oldest first."""
        return tuple(self._sent)

    def new_port(self, *, reconnect: bool) -> None:
        """A port was opened: nothing written to the old one can be answered on it,
        and after a reconnect the ledger is in doubt (see the module docstring)."""
        self._sent.clear()
        self.doubt = reconnect

    def written(self, cmd: int, owner: object, *, probe: bool = False) -> Sent:
        sent = Sent(cmd, owner, probe)
        self._sent.append(sent)
        return sent

    def owes(self, owner: object) -> bool:
        """Whether an answer not of `owner`'s commands may still arrive: its next
        command must then be preceded by a probe."""
        return self.doubt or any(sent.owner is not owner for sent in self._sent)

    def probe_for(self, cmd: int) -> tuple[int, bytes]:
        return probe_for(cmd, self.doubt)

    def answered(self, code: int) -> Sent | None:
        """The command an answer frame with `code` (CMD | 0x80) answers, or None for
        an answer nothing asked for. It and everything written before it leave."""
        if not code & fr.ANSWER_BIT:
            return None
        cmd = code & ~fr.ANSWER_BIT
        for index, sent in enumerate(self._sent):
            if sent.cmd == cmd:
                for _ in range(index + 1):
                    self._sent.popleft()
                if sent.probe:
                    # Written since the reconnect and answered: whatever the reader
                    # said before it has arrived.
                    self.doubt = False
                return sent
        return None

    def damaged(self, code: int) -> Sent | None:
        """Credit a frame that failed its BCC check, claiming to be answer `code`.

        A damaged answer still answers something. Crediting it to the oldest command,
        and only when the codes agree, can never credit a command whose answer is
        still to come (the reader answers in order). It never ends the doubt: it may
        be an answer from before the reconnect.
        """
        if self._sent and code == self._sent[0].cmd | fr.ANSWER_BIT:
            return self._sent.popleft()
        return None
