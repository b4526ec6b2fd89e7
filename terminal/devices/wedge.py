"""Keyboard-wedge scanner: telling a scan from typing by the timing of key events.

A USB HID scanner "types" its code, a few milliseconds per key, usually followed by
Enter or Tab. The UI feeds every key event here (with a monotonic timestamp in ms
that the UI reads, so this module is deterministic) and holds the key back from the
focused widget until a verdict says what the held keys were:

- SCAN: a scan; the UI swallows its keys (none leak into a text field) and routes
  the text (terminal.devices.scan_codes).
- TYPING: a person typing; the UI delivers the keys to the widget, in order.
- BROKEN_SCAN: a burst that started with the configured prefix but did not end as a
  scan (cut off, suffix missing); swallowed, so the UI can ask to scan again.

Rules:
- A burst is a run of characters each at most max_key_interval_ms after the one
  before. A longer gap ends the burst and the next key starts a new one.
- A burst ended by a terminator key (Enter/Tab by default) is a scan when, after
  stripping the framing, it has at least min_length characters and, if a prefix or
  suffix is configured, is framed by them. Otherwise it is typing, and the
  terminator is delivered with it.
- A burst ended by a pause (the next key came late, or `flush(now_ms)` found it
  idle) is a scan only when a suffix is configured and present, or when
  accept_unterminated is set; otherwise typing. A scan interrupted mid-way
  therefore comes out as typing (keystrokes are never silently lost; the cashier
  sees the stray characters), except when a prefix is configured: a burst that
  starts with the prefix and goes on at scan speed is the scanner's, so a broken
  one is discarded instead (a lone prefix character is still typing).
- Backspace and any other named key (Escape, arrows...) are never sent by a
  scanner: the held burst is judged as ended by a pause, then the key is
  delivered.
- A single character is text ("a", "é", "中", or a control character such as the
  STX some scanners send as a prefix); "\\r" and "\\n" mean Enter, "\\t" Tab and
  "\\b" Backspace. Any longer string is a key name. Multi-character text (rare)
  is fed one character at a time with the same timestamp.

The UI calls flush(now_ms) from a timer (see next_deadline_ms) so that the last
held keys of a typist are delivered without waiting for the next key. Held keys
are delivered at most about max_key_interval_ms late, which nobody notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from terminal.settings import WedgeSettings

ENTER = "Enter"
TAB = "Tab"
BACKSPACE = "Backspace"
_CHAR_NAMES = {"\r": ENTER, "\n": ENTER, "\t": TAB, "\b": BACKSPACE}


class VerdictKind(StrEnum):
    SCAN = "scan"
    TYPING = "typing"
    BROKEN_SCAN = "broken_scan"


@dataclass(frozen=True)
class Verdict:
    """What a run of held keys (the oldest held ones, in order) turned out to be."""

    kind: VerdictKind
    keys: tuple[str, ...]
    # The scanned text with the framing stripped (SCAN only).
    text: str = ""


@dataclass(frozen=True)
class WedgeResult:
    """The verdicts one event produced, oldest keys first, and how many keys stay held.

    The UI keeps its own queue of held key events: for each verdict it takes
    len(verdict.keys) events from the front and delivers (TYPING) or drops them.
    """

    verdicts: tuple[Verdict, ...] = ()
    held: int = 0

    @property
    def buffering(self) -> bool:
        """Keys are held back, waiting for the burst to end."""
        return self.held > 0

    @property
    def scans(self) -> tuple[str, ...]:
        return tuple(v.text for v in self.verdicts if v.kind is VerdictKind.SCAN)

    @property
    def released(self) -> tuple[str, ...]:
        """Keys to deliver to the focused widget now, in order."""
        return tuple(k for v in self.verdicts if v.kind is VerdictKind.TYPING for k in v.keys)


class WedgeClassifier:
    """Feed it key events in order; it says which were a scan and which were typing."""

    def __init__(self, settings: WedgeSettings | None = None) -> None:
        self.settings = settings or WedgeSettings()
        self._held: list[str] = []
        self._last_ms: float | None = None

    @property
    def held(self) -> tuple[str, ...]:
        return tuple(self._held)

    def next_deadline_ms(self) -> float | None:
        """When flush() would end the held burst (None: nothing held)."""
        if not self._held or self._last_ms is None:
            return None
        return self._last_ms + self.settings.max_key_interval_ms

    def feed(self, key: str, now_ms: float) -> WedgeResult:
        """One key event: a character, or a key name such as "Enter" or "Backspace"."""
        if not key:
            raise ValueError("a key event needs a character or a key name")
        key = _CHAR_NAMES.get(key, key)
        verdicts: list[Verdict] = []
        if self._held and self._gap(now_ms) > self.settings.max_key_interval_ms:
            verdicts += self._judge(terminator=None)
        self._last_ms = now_ms
        if len(key) == 1:
            self._held.append(key)
        elif key in self.settings.terminators:
            if self._held:
                verdicts += self._judge(terminator=key)
            else:
                verdicts.append(Verdict(VerdictKind.TYPING, (key,)))
        else:
            verdicts += self._judge(terminator=None)
            verdicts.append(Verdict(VerdictKind.TYPING, (key,)))
        return WedgeResult(tuple(verdicts), len(self._held))

    def flush(self, now_ms: float) -> WedgeResult:
        """Called from the UI's timer: ends the held burst once it has been idle long enough."""
        if self._held and self._gap(now_ms) > self.settings.max_key_interval_ms:
            return WedgeResult(tuple(self._judge(terminator=None)), 0)
        return WedgeResult((), len(self._held))

    def reset(self) -> WedgeResult:
        """Deliver whatever is held as typing (e.g. the window lost focus)."""
        keys, self._held = tuple(self._held), []
        return WedgeResult((Verdict(VerdictKind.TYPING, keys),) if keys else (), 0)

    def _gap(self, now_ms: float) -> float:
        # A caller clock that steps back is treated as no time passing.
        return 0.0 if self._last_ms is None else max(0.0, now_ms - self._last_ms)

    def _judge(self, terminator: str | None) -> list[Verdict]:
        """Verdicts for the held burst, which just ended (by `terminator`, or by a pause)."""
        keys, self._held = list(self._held), []
        tail = [terminator] if terminator is not None else []
        if not keys:
            return []
        s = self.settings
        text = "".join(keys)
        verdicts: list[Verdict] = []
        if s.prefix:
            start = text.find(s.prefix)
            if start < 0:
                return [Verdict(VerdictKind.TYPING, tuple(keys + tail))]
            if start > 0:
                # A keystroke typed just before the scanner started, at scan speed.
                verdicts.append(Verdict(VerdictKind.TYPING, tuple(keys[:start])))
                keys, text = keys[start:], text[start:]
        core = text[len(s.prefix):]
        suffix_found = bool(s.suffix) and core.endswith(s.suffix)
        if suffix_found:
            core = core[: len(core) - len(s.suffix)]
        framed = not s.suffix or suffix_found
        ended = terminator is not None or suffix_found or s.accept_unterminated
        if framed and ended and len(core) >= s.min_length:
            verdicts.append(Verdict(VerdictKind.SCAN, tuple(keys + tail), core))
        elif s.prefix and len(text) > len(s.prefix):
            verdicts.append(Verdict(VerdictKind.BROKEN_SCAN, tuple(keys + tail)))
        else:
            verdicts.append(Verdict(VerdictKind.TYPING, tuple(keys + tail)))
        return verdicts
