"""Framing, BCC and the resynchronising parser of the card reader protocol."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.devices.cardreader import frames as fr


def test_encode_matches_the_design_example() -> None:
    # STATUS: LEN 00 01, CMD 01, BCC = 00 ^ 01 ^ 01 = 00.
    assert fr.encode_frame(fr.CMD_STATUS) == bytes([0x02, 0x00, 0x01, 0x01, 0x00, 0x03])
    # BEEP 5 tenths: LEN 00 02, CMD 03, DATA 05, BCC = 02 ^ 03 ^ 05 = 04.
    assert fr.encode_frame(fr.CMD_BEEP, b"\x05") == bytes([2, 0, 2, 3, 5, 4, 3])


def test_encode_rejects_oversized_and_non_byte_commands() -> None:
    with pytest.raises(ValueError):
        fr.encode_frame(0x100)
    with pytest.raises(ValueError):
        fr.encode_frame(1, bytes(fr.MAX_LEN))


def test_split_merged_and_noisy_reads() -> None:
    a = fr.encode_frame(0x82, b"\x00hello|")
    b = fr.encode_frame(0x40)
    stream = b"\xff\x00\x03" + a + b"\x02\x02\x03" + b + a
    parser = fr.FrameParser()
    got: list[fr.ParsedItem] = []
    for byte in stream:  # one byte per read: the worst split
        got.extend(parser.feed(bytes([byte])))
    assert got == [fr.Frame(0x82, b"\x00hello|"), fr.Frame(0x40, b""), fr.Frame(0x82, b"\x00hello|")]
    parser = fr.FrameParser()
    assert parser.feed(stream) == got  # and everything in one read
    assert parser.pending == 0


def test_bad_bcc_is_reported_not_accepted() -> None:
    raw = bytearray(fr.encode_frame(0x81, b"\x00\x01"))
    raw[-2] ^= 0x55
    parser = fr.FrameParser()
    items = parser.feed(bytes(raw) + fr.encode_frame(0x81, b"\x00\x00"))
    assert items == [fr.CorruptFrame(0x81, bytes(raw)), fr.Frame(0x81, b"\x00\x00")]
    assert parser.corrupt_frames == 1


def test_missing_etx_is_discarded() -> None:
    raw = bytearray(fr.encode_frame(0x81, b"\x00\x01"))
    raw[-1] = 0x04
    assert fr.FrameParser().feed(bytes(raw)) == []


def test_stray_stx_announcing_a_long_frame_does_not_hold_back_a_real_one() -> None:
    # 02 03 FF announces 1023 bytes; the answer right behind it must still come out.
    answer = fr.encode_frame(0x81, b"\x00\x01")
    assert fr.FrameParser().feed(b"\x02\x03\xff" + answer) == [fr.Frame(0x81, b"\x00\x01")]


def test_absurd_length_is_rejected_at_once() -> None:
    parser = fr.FrameParser()
    assert parser.feed(b"\x02\xff\xff") == []
    assert parser.pending == 0


def test_accept_filter_ignores_unknown_codes() -> None:
    parser = fr.FrameParser(accept_cmds=fr.HOST_ANSWER_CMDS)
    assert parser.feed(fr.encode_frame(0x02) + fr.encode_frame(0x82, b"\x01")) == [
        fr.Frame(0x82, b"\x01")
    ]


commands = st.integers(0, 255)
payloads = st.binary(max_size=300)


@given(commands, payloads)
def test_round_trip(cmd: int, data: bytes) -> None:
    assert fr.FrameParser().feed(fr.encode_frame(cmd, data)) == [fr.Frame(cmd, data)]


@given(
    st.lists(st.tuples(commands, payloads), max_size=6),
    st.lists(st.binary(max_size=40), min_size=7, max_size=7),
    st.lists(st.integers(1, 64), min_size=1, max_size=20),
)
@settings(max_examples=300)
def test_garbage_interleaved_with_frames_never_yields_a_wrong_frame(
    sent: list[tuple[int, bytes]], garbage: list[bytes], cuts: list[int]
) -> None:
    # Noise goes between frames; reads are cut at arbitrary sizes.
    stream = bytearray(garbage[0])
    for (cmd, data), noise in zip(sent, garbage[1:], strict=False):
        stream += fr.encode_frame(cmd, data) + noise
    parser = fr.FrameParser()
    got: list[fr.Frame] = []
    pos, i = 0, 0
    while pos < len(stream):
        size = cuts[i % len(cuts)]
        got.extend(x for x in parser.feed(bytes(stream[pos : pos + size])) if isinstance(x, fr.Frame))
        pos, i = pos + size, i + 1
    expected = [fr.Frame(cmd, data) for cmd, data in sent]
    # Every frame that came out was sent, in order, and every sent frame came out
    # unless trailing noise is still pending as a possible frame start.
    it = iter(expected)
    assert all(any(frame == e for e in it) for frame in got), (got, expected)
    if all(fr.STX not in g for g in garbage):
        assert got == expected


@given(st.binary(max_size=2000))
def test_pure_noise_without_a_valid_frame_yields_no_frame(noise: bytes) -> None:
    # Noise that happens to contain a well-formed frame is a frame; anything else
    # must never come out as one.
    items = fr.FrameParser().feed(noise)
    for item in items:
        if isinstance(item, fr.Frame):
            assert item.encode() in noise


def test_flood_of_stx_bytes_then_a_frame_fed_byte_by_byte() -> None:
    answer = fr.encode_frame(0x82, b"\x00card|")
    parser = fr.FrameParser()
    got: list[fr.ParsedItem] = []
    for byte in b"\x02" * 3000 + answer:
        got.extend(parser.feed(bytes([byte])))
    # (A run of STX whose announced length ends on the answer's ETX may also be
    # reported as a damaged frame: shaped like one, wrong BCC.)
    assert [x for x in got if isinstance(x, fr.Frame)] == [fr.Frame(0x82, b"\x00card|")]
    assert parser.pending == 0
    # The bookkeeping does not outgrow the bytes still held back.
    assert len(parser._due) <= fr.MAX_LEN + fr.OVERHEAD
