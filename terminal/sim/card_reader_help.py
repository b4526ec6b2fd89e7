"""Help texts of the card reader simulator: its fault SPEC and its control lines.

Kept apart from the simulator so `python -m terminal --help` shows them without
importing the simulator.
"""

FAULT_HELP = """\
fault SPEC: comma-separated items, e.g. "noise=0.2,bad-bcc=0.1,split,drop=0.1,slow=0.5:300ms"
  noise=P[:N]          before an answer, with probability P, send 1..N (default 8) random bytes
  bad-bcc=P            corrupt the BCC of an answer with probability P
  split[=P]            write an answer in 2-4 pieces with short pauses (P default 1)
  drop=P               do not answer a command, with probability P
  slow=P[:DELAY]       answer after DELAY (default 300ms) with probability P; like a
                       busy reader, later answers and card events wait behind it
  disconnect-after=N[:DELAY]
                       after every N answers, close the pty (the port vanishes) and
                       recreate it at the same path after DELAY (default 1s)
  DELAY is a number with an optional unit: 300ms, 1.5s (bare numbers are seconds)
  also accepted: garbage (noise), dropped-answer (drop), slow-answer or delay (slow),
  split-writes (split), disconnect (disconnect-after), and _ for -
  --seed N makes the dice repeatable: the same SPEC and seed replay the same faults"""

CONTROL_HELP = """\
control lines (stdin, or the TCP control port):
  list                 number, name and card_no of every card; * marks the inserted one
  insert N|SSN|CARD_NO insert card N (1-based, as listed) or the card with that ssn/card_no
  remove               take the card out
  status               inserted card, faults, link state, counters
  faults               the current faults, as a SPEC
  fault KIND VALUE     change one fault live, e.g. "fault drop 1", "fault slow 1:2s",
                       "fault disconnect-after 3:500ms"; "fault clear" removes all
  noise N              send N random bytes now
  disconnect [DELAY]   unplug now, replug after DELAY (default 1s)
  help                 this text
  quit                 stop the simulator (so do Ctrl-C and SIGTERM; the end of stdin
                       does not, so it can run in the background)"""

__all__ = ["CONTROL_HELP", "FAULT_HELP"]
