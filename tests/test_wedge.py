"""Keyboard-wedge classifier: scans told from typing by timing, framing and terminators."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.devices.wedge import VerdictKind, WedgeClassifier, WedgeResult
from terminal.settings import WedgeSettings


def play(clf: WedgeClassifier, events: Iterable[tuple[str, float]]) -> list[WedgeResult]:
    return [clf.feed(key, t) for key, t in events]


def burst(text: str, start: float, step: float = 5) -> list[tuple[str, float]]:
    return [(ch, start + i * step) for i, ch in enumerate(text)]


def verdicts(results: Iterable[WedgeResult]) -> list[tuple[VerdictKind, str, str]]:
    return [(v.kind, "".join(k if len(k) == 1 else f"<{k}>" for k in v.keys), v.text)
            for r in results for v in r.verdicts]


def test_fast_burst_ended_by_enter_is_a_scan_and_all_keys_are_swallowed() -> None:
    clf = WedgeClassifier()
    events = [*burst("6901070202353", 1000), ("Enter", 1065)]
    results = play(clf, events)
    assert all(r.buffering and not r.verdicts for r in results[:-1])
    assert results[-1].scans == ("6901070202353",)
    assert results[-1].released == ()
    assert verdicts(results) == [(VerdictKind.SCAN, "6901070202353<Enter>", "6901070202353")]
    assert clf.held == () and clf.next_deadline_ms() is None


def test_tab_terminates_a_scan_too_and_newline_chars_mean_enter() -> None:
    clf = WedgeClassifier()
    assert play(clf, [*burst("ABC123", 0), ("Tab", 30)])[-1].scans == ("ABC123",)
    assert play(clf, [*burst("XYZ789", 500), ("\r", 530)])[-1].scans == ("XYZ789",)
    assert play(clf, [*burst("XYZ780", 900), ("\n", 930)])[-1].scans == ("XYZ780",)


def test_slow_typing_is_released_key_by_key_as_the_next_key_or_the_timer_arrives() -> None:
    clf = WedgeClassifier()
    first = clf.feed("4", 0)
    assert first.buffering and not first.verdicts
    second = clf.feed("2", 150)
    assert second.released == ("4",) and second.held == 1
    assert clf.next_deadline_ms() == 180
    assert clf.flush(170).released == ()  # not idle long enough yet
    late = clf.flush(181)
    assert late.released == ("2",) and late.held == 0
    enter = clf.feed("Enter", 400)
    assert enter.released == ("Enter",) and enter.scans == ()


def test_a_fast_typist_pausing_after_a_few_characters_is_typing() -> None:
    clf = WedgeClassifier()
    results = play(clf, [("t", 0), ("h", 20), ("e", 45)])
    results.append(clf.flush(200))
    results += play(clf, [("Enter", 400)])
    assert verdicts(results) == [(VerdictKind.TYPING, "the", ""), (VerdictKind.TYPING, "<Enter>", "")]


def test_short_fast_burst_with_enter_is_typing_and_the_enter_goes_with_it() -> None:
    results = play(WedgeClassifier(), [*burst("12", 0, 10), ("Enter", 20)])
    assert verdicts(results) == [(VerdictKind.TYPING, "12<Enter>", "")]


def test_scan_interrupted_midway_comes_out_as_typing_without_framing() -> None:
    # Documented choice: without a prefix nothing proves the burst was a scanner's,
    # so its keys are delivered rather than silently lost.
    clf = WedgeClassifier()
    results = play(clf, [*burst("69010", 0), *burst("70202353", 400), ("Enter", 440)])
    assert verdicts(results) == [
        (VerdictKind.TYPING, "69010", ""),
        (VerdictKind.SCAN, "70202353<Enter>", "70202353"),
    ]


def test_unterminated_burst_times_out_as_typing_by_default_and_as_scan_when_allowed() -> None:
    clf = WedgeClassifier()
    play(clf, burst("6901070202353", 0))
    assert clf.flush(100).released == tuple("6901070202353")

    clf = WedgeClassifier(WedgeSettings(accept_unterminated=True))
    play(clf, burst("6901070202353", 0))
    assert clf.flush(30).verdicts == ()  # still within the burst window
    done = clf.flush(200)
    assert done.scans == ("6901070202353",) and done.released == ()


def test_unterminated_scan_is_also_ended_by_the_next_slow_key() -> None:
    clf = WedgeClassifier(WedgeSettings(accept_unterminated=True))
    results = play(clf, [*burst("ABCDEFGH", 0), ("x", 500)])
    assert verdicts(results) == [(VerdictKind.SCAN, "ABCDEFGH", "ABCDEFGH")]
    assert results[-1].held == 1


def test_backspace_ends_a_burst_as_typing_and_is_delivered() -> None:
    clf = WedgeClassifier()
    results = play(clf, [*burst("abcdefg", 0), ("Backspace", 40), ("\b", 300)])
    assert verdicts(results) == [
        (VerdictKind.TYPING, "abcdefg", ""),
        (VerdictKind.TYPING, "<Backspace>", ""),
        (VerdictKind.TYPING, "<Backspace>", ""),
    ]
    assert results[-2].released == ("a", "b", "c", "d", "e", "f", "g", "Backspace")


def test_other_named_keys_pass_through() -> None:
    results = play(WedgeClassifier(), [("Escape", 0), ("Left", 5)])
    assert verdicts(results) == [(VerdictKind.TYPING, "<Escape>", ""), (VerdictKind.TYPING, "<Left>", "")]


def test_non_ascii_scan_text() -> None:
    results = play(WedgeClassifier(), [*burst("药品条码éß中文", 0), ("Enter", 60)])
    assert results[-1].scans == ("药品条码éß中文",)


def test_prefix_and_suffix_framing_is_required_and_stripped() -> None:
    framed = WedgeSettings(prefix="\x02", suffix="\x03", min_length=4)
    clf = WedgeClassifier(framed)
    assert play(clf, [*burst("\x02CODE1234\x03", 0), ("Enter", 60)])[-1].scans == ("CODE1234",)
    # No prefix: a fast burst is not a scan however long.
    results = play(clf, [*burst("CODE1234\x03", 1000), ("Enter", 1050)])
    assert verdicts(results) == [(VerdictKind.TYPING, "CODE1234\x03<Enter>", "")]


def test_suffix_alone_ends_a_scan_without_terminator() -> None:
    clf = WedgeClassifier(WedgeSettings(suffix="#", terminators=()))
    play(clf, burst("ABCDEFG#", 0))
    assert clf.flush(100).scans == ("ABCDEFG",)


def test_broken_framed_scan_is_discarded_not_typed() -> None:
    clf = WedgeClassifier(WedgeSettings(prefix="]Q", suffix="\x03"))
    results = play(clf, [*burst("]QNHSAEC1.abc", 0), ("Enter", 70)])  # suffix missing
    assert verdicts(results) == [(VerdictKind.BROKEN_SCAN, "]QNHSAEC1.abc<Enter>", "")]
    assert results[-1].released == ()
    # Cut off by a pause, then the rest arrives: the head is discarded, the tail is typing.
    results = play(clf, [*burst("]QNHSAEC1", 1000), *burst(".abc\x03", 2000)])
    results.append(clf.flush(3000))
    assert [v[0] for v in verdicts(results)] == [VerdictKind.BROKEN_SCAN, VerdictKind.TYPING]


def test_lone_prefix_character_typed_by_a_person_is_delivered() -> None:
    clf = WedgeClassifier(WedgeSettings(prefix="]"))
    clf.feed("]", 0)
    assert clf.flush(500).released == ("]",)


def test_keystroke_just_before_a_prefixed_scan_is_released() -> None:
    clf = WedgeClassifier(WedgeSettings(prefix="\x02", min_length=4))
    results = play(clf, [("x", 0), *burst("\x02123456", 10), ("Enter", 60)])
    assert verdicts(results) == [(VerdictKind.TYPING, "x", ""),
                                 (VerdictKind.SCAN, "\x02123456<Enter>", "123456")]


def test_three_kilobyte_scan_is_delivered_whole_for_the_router_to_refuse() -> None:
    text = "A" * 3072
    results = play(WedgeClassifier(), [*burst(text, 0, 1), ("Enter", 3072)])
    assert results[-1].scans == (text,)


def test_clock_stepping_back_counts_as_no_time_passing() -> None:
    results = play(WedgeClassifier(), [*burst("ABCDEF", 1000), ("G", 900), ("Enter", 905)])
    assert results[-1].scans == ("ABCDEFG",)


def test_reset_releases_held_keys() -> None:
    clf = WedgeClassifier()
    play(clf, burst("abc", 0))
    assert clf.reset().released == ("a", "b", "c")
    assert clf.reset().verdicts == ()


def test_empty_key_is_a_caller_bug() -> None:
    with pytest.raises(ValueError):
        WedgeClassifier().feed("", 0)


# --- properties -------------------------------------------------------------------------------------

printable = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
any_key = st.one_of(printable, st.sampled_from(["Enter", "Tab", "Backspace", "Escape", "\r", "\t"]))
wedge_settings = st.builds(
    WedgeSettings,
    max_key_interval_ms=st.sampled_from([20.0, 30.0, 50.0]),
    min_length=st.integers(2, 12),
    prefix=st.sampled_from(["", "\x02", "]Q"]),
    suffix=st.sampled_from(["", "\x03"]),
    accept_unterminated=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    cfg=st.builds(WedgeSettings, max_key_interval_ms=st.sampled_from([20.0, 30.0, 50.0]),
                  min_length=st.integers(2, 12)),
    data=st.data(),
)
def test_property_scan_speed_chars_then_enter_is_exactly_that_scan(cfg: WedgeSettings,
                                                                  data: st.DataObject) -> None:
    text = data.draw(st.text(printable, min_size=cfg.min_length, max_size=80))
    # Whole milliseconds, as Qt's key event timestamps are.
    gaps = data.draw(st.lists(st.integers(0, int(cfg.max_key_interval_ms)), min_size=len(text),
                              max_size=len(text)))
    clf = WedgeClassifier(cfg)
    # Something typed earlier, well apart from the scan, must not disturb it.
    clf.feed("z", -1000)
    t = 0
    results = []
    for ch, gap in zip(text, gaps, strict=True):
        results.append(clf.feed(ch, t))
        t += gap
    results.append(clf.feed("Enter", t))
    assert verdicts(results) == [(VerdictKind.TYPING, "z", ""),
                                 (VerdictKind.SCAN, text + "<Enter>", text)]
    assert all(not r.scans for r in results[:-1])


@settings(max_examples=300, deadline=None)
@given(cfg=wedge_settings, data=st.data())
def test_property_keys_all_slower_than_threshold_are_never_a_scan(cfg: WedgeSettings,
                                                                 data: st.DataObject) -> None:
    keys = data.draw(st.lists(any_key, min_size=1, max_size=40))
    gaps = data.draw(st.lists(st.floats(cfg.max_key_interval_ms + 0.001, 5000), min_size=len(keys),
                              max_size=len(keys)))
    flush_at = data.draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys)))
    clf = WedgeClassifier(cfg)
    t = 0.0
    for key, gap, flush in zip(keys, gaps, flush_at, strict=True):
        assert clf.feed(key, t).scans == ()
        if flush:
            assert clf.flush(t + gap / 2).scans == ()
        t += gap
    assert clf.flush(t + 10_000).scans == ()


@settings(max_examples=300, deadline=None)
@given(cfg=wedge_settings, data=st.data())
def test_property_every_key_is_accounted_for_once_in_order(cfg: WedgeSettings,
                                                           data: st.DataObject) -> None:
    keys = data.draw(st.lists(any_key, max_size=60))
    gaps = data.draw(st.lists(st.floats(0, 3 * cfg.max_key_interval_ms), min_size=len(keys),
                              max_size=len(keys)))
    clf = WedgeClassifier(cfg)
    out: list[str] = []
    t = 0.0
    for key, gap in zip(keys, gaps, strict=True):
        result = clf.feed(key, t)
        out += [k for v in result.verdicts for k in v.keys]
        assert result.held == len(clf.held)
        t += gap
    out += [k for v in clf.flush(t + 10_000).verdicts for k in v.keys]
    names = {"\r": "Enter", "\t": "Tab"}
    assert out == [names.get(k, k) for k in keys]
