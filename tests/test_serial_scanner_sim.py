"""The scanner simulator in-process: codes files, the pty and its reader detection, pacing."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import serial

from terminal.errors import BadInput
from terminal.sim.scanner import Code, ScannerPty, ScannerSim, line_codes, load_codes, parse_codes


def test_text_codes_file_keeps_each_lines_bytes() -> None:
    raw = b"6901070202353\r\n\nNHSAEC1.a.b\n  \n\xd6\xd0\xce\xc4\n[)>\x1e06\x1d1PABC\n"
    assert parse_codes(raw) == [Code(b"6901070202353"), Code(b"NHSAEC1.a.b"), Code(b"\xd6\xd0\xce\xc4"),
                                Code(b"[)>\x1e06\x1d1PABC")]


def test_json_codes_file_with_binary_items_and_terminators() -> None:
    raw = ('["6901070202353", {"hex": "ff00 10"}, {"base64": "AAEC"}, '
           '{"text": "中文", "encoding": "gbk", "terminator": "none"}, {"text": "x", "terminator": "crlf"}]')
    assert parse_codes(raw.encode()) == [
        Code(b"6901070202353"),
        Code(b"\xff\x00\x10"),
        Code(b"\x00\x01\x02"),
        Code("中文".encode("gbk"), b""),
        Code(b"x", b"\r\n"),
    ]


@pytest.mark.parametrize(("raw", "message"), [
    ('[{"hex": "f"}]', "item 1 cannot be turned into bytes"),
    ('["ok", {"base64": "!!"}]', "item 2 cannot be turned into bytes"),
    ('[{"text": "x", "encoding": "no-such"}]', "cannot be turned into bytes"),
    ('[{"text": "x", "terminator": "tab"}]', "unknown terminator"),
    ('[{"data": "x"}]', "needs one of the keys"),
    ("[1]", "must be a string or an object"),
])
def test_bad_json_items_are_named(raw: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        parse_codes(raw.encode(), "codes.json")


def test_codes_file_missing_or_empty(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_codes(tmp_path / "nope.txt")
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    with pytest.raises(BadInput, match="holds no codes"):
        load_codes(empty)


def test_pty_link_reader_detection_and_cleanup(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    pty = ScannerPty(link)
    pty.open()
    try:
        assert link.is_symlink() and os.readlink(link) == pty.slave_name
        assert not pty.reader_present()
        with serial.serial_for_url(str(link), timeout=1) as port:
            assert pty.reader_present()
            stop = threading.Event()
            assert pty.write_all(b"6901070202353\r", stop) == 14
            assert port.read_until(b"\r") == b"6901070202353\r"  # raw: no CR to LF mangling
            port.write(b"ignored command")
            pty.drain_input()
            assert pty.unread_bytes() == 0
        assert not pty.reader_present()
    finally:
        pty.close()
    assert not link.exists()


def test_existing_regular_file_at_the_link_path_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "precious"
    path.write_text("keep me", encoding="utf-8")
    # A path that is taken is a wrong name (BadInput), as for the card reader simulator: one rule.
    with pytest.raises(BadInput, match="already exists; choose another name"):
        ScannerPty(path).open()
    assert path.read_text(encoding="utf-8") == "keep me"


def test_stale_symlink_of_a_killed_simulator_is_replaced(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    os.symlink("/dev/pts/999999", link)
    pty = ScannerPty(link)
    pty.open()
    try:
        assert os.readlink(link) == pty.slave_name
    finally:
        pty.close()


def test_sim_waits_for_a_reader_and_paces_at_the_baud_rate(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    events: list[dict[str, Any]] = []
    sim = ScannerSim(link, interval_s=0, baudrate=9600, report=events.append, linger_s=2)
    code = Code(b"A" * 95)  # 96 bytes with the CR: 0.1 s on a 9600 baud line
    with sim:
        player = threading.Thread(target=sim.play, args=([code, code],))
        player.start()
        try:
            time.sleep(0.1)
            assert [e["event"] for e in events] == ["ready"]  # nothing sent to nobody
            with serial.serial_for_url(str(link), timeout=5) as port:
                first = port.read(1)
                started = time.monotonic()
                first += port.read_until(b"\r")
                second = port.read_until(b"\r")
                span = time.monotonic() - started
                player.join(10)
        finally:
            sim.stop()
            player.join(10)
    assert first == second == b"A" * 95 + b"\r"
    # Paced, not written at once: 192 bytes need 0.2 s at 9600 baud (a lower bound, so
    # a loaded machine cannot make it fail).
    assert span >= 0.15
    assert [e["event"] for e in events] == ["ready", "reader_connected", "sent", "sent", "done"]
    assert events[-1]["sent"] == 2


def test_sim_stop_while_waiting_for_a_reader(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    sim = ScannerSim(tmp_path / "scanner", report=events.append)
    with sim:
        player = threading.Thread(target=sim.play, args=([Code(b"x")],))
        player.start()
        sim.stop()
        player.join(10)
    assert not player.is_alive()
    assert events[-1] == {"event": "done", "sent": 0}


def test_line_codes_from_a_pipe() -> None:
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, b"6901070202353\r\nhex:00ff\nhex:zz\n\nlast-without-newline")
        os.close(write_fd)
        write_fd = -1
        codes = list(line_codes(read_fd, threading.Event()))
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
    assert codes == [Code(b"6901070202353"), Code(b"\x00\xff"), Code(b"last-without-newline")]
