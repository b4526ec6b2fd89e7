"""Faults of the simulated card reader: the SPEC of --faults and of "fault" control lines.

SPEC: comma-separated KIND[=VALUE] items (see card_reader_help.FAULT_HELP);
probabilities are drawn by the simulator from a seeded random generator so a
failing run can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.errors import BadInput


def parse_delay(text: str) -> float:
    """'300ms', '1.5s' or '2' (seconds) as seconds."""
    t = text.strip().lower()
    try:
        if t.endswith("ms"):
            value = float(t[:-2]) / 1000.0
        elif t.endswith("s"):
            value = float(t[:-1])
        else:
            value = float(t)
    except ValueError:
        raise BadInput(f"The delay {text!r} is not a number of seconds or milliseconds.") from None
    if value < 0:
        raise BadInput(f"The delay {text!r} is negative.")
    return value


def _probability(kind: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadInput(
            f"The fault {kind} needs a probability between 0 and 1, not {text!r}."
        ) from None
    if not 0.0 <= value <= 1.0:
        raise BadInput(f"The fault {kind} needs a probability between 0 and 1, not {text!r}.")
    return value


# Other names technicians reach for; SPEC and "fault" lines accept them too.
_FAULT_ALIASES = {
    "garbage": "noise",
    "bcc": "bad-bcc",
    "badbcc": "bad-bcc",
    "split-write": "split",
    "split-writes": "split",
    "dropped": "drop",
    "dropped-answer": "drop",
    "dropped-answers": "drop",
    "slow-answer": "slow",
    "slow-answers": "slow",
    "delay": "slow",
    "disconnect": "disconnect-after",
}


@dataclass
class Faults:
    noise: float = 0.0
    noise_max: int = 8
    bad_bcc: float = 0.0
    split: float = 0.0
    drop: float = 0.0
    slow: float = 0.0
    slow_s: float = 0.3
    disconnect_after: int = 0
    disconnect_s: float = 1.0

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        faults = cls()
        for item in (spec or "").split(","):
            item = item.strip()
            if item:
                kind, _, value = item.partition("=")
                faults.set(kind.strip(), value.strip())
        return faults

    def set(self, kind: str, value: str) -> None:
        """Apply one SPEC item (KIND, VALUE) to these faults."""
        kind = kind.strip().lower().replace("_", "-")
        kind = _FAULT_ALIASES.get(kind, kind)
        head, _, tail = value.partition(":")
        if kind == "noise":
            self.noise = _probability(kind, head or "1")
            if tail:
                self.noise_max = parse_count(kind, tail)
        elif kind == "bad-bcc":
            self.bad_bcc = _probability(kind, head or "1")
        elif kind == "split":
            self.split = _probability(kind, head or "1")
        elif kind == "drop":
            self.drop = _probability(kind, head or "1")
        elif kind == "slow":
            self.slow = _probability(kind, head or "1")
            if tail:
                self.slow_s = parse_delay(tail)
        elif kind == "disconnect-after":
            self.disconnect_after = parse_count(kind, head or "0")
            if tail:
                self.disconnect_s = parse_delay(tail)
        else:
            raise BadInput(f"There is no simulator fault called {kind!r}; see --help for the list.")

    def describe(self) -> str:
        """The faults as a SPEC that --faults accepts ("none" if there are none)."""
        parts = []
        if self.noise:
            parts.append(f"noise={self.noise:g}:{self.noise_max}")
        if self.bad_bcc:
            parts.append(f"bad-bcc={self.bad_bcc:g}")
        if self.split:
            parts.append(f"split={self.split:g}")
        if self.drop:
            parts.append(f"drop={self.drop:g}")
        if self.slow:
            parts.append(f"slow={self.slow:g}:{self.slow_s * 1000:g}ms")
        if self.disconnect_after:
            parts.append(f"disconnect-after={self.disconnect_after}:{self.disconnect_s * 1000:g}ms")
        return ",".join(parts) or "none"


def parse_count(kind: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadInput(f"The fault {kind} needs a whole number, not {text!r}.") from None
    if value < 0:
        raise BadInput(f"The fault {kind} needs a whole number, not {text!r}.")
    return value
