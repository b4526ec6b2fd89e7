"""The driver on pyserial URL transports other than a device path: loop://, socket://."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from cardreader_helpers import CARD, card_answer

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.driver import CardReader
from terminal.devices.cardreader.errors import ReaderLinkGarbled
from terminal.devices.serial_link import serial_port_factory


def test_loop_url_echo_is_not_mistaken_for_an_answer() -> None:
    # loop:// hands our own request back: a wiring fault, reported as a garbled link.
    reader = CardReader(serial_port_factory("loop://"), answer_timeout_s=0.2, retries=1)
    reader.start()
    try:
        with pytest.raises(ReaderLinkGarbled):
            reader.read_card()
    finally:
        reader.close()


@pytest.fixture
def tcp_reader() -> Iterator[int]:
    """A card reader behind a serial-to-TCP bridge on 127.0.0.1 (socket://)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.1)
                parser = fr.FrameParser()
                while not stop.is_set():
                    try:
                        data = conn.recv(256)
                    except TimeoutError:
                        continue
                    if not data:
                        break
                    for item in parser.feed(data):
                        if isinstance(item, fr.Frame) and item.cmd == fr.CMD_READ_BASIC:
                            # Events and answers merged in one TCP segment.
                            conn.sendall(fr.encode_frame(fr.EVT_CARD_INSERTED) + card_answer())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    server.close()


def test_socket_url(tcp_reader: int) -> None:
    reader = CardReader(serial_port_factory(f"socket://127.0.0.1:{tcp_reader}"),
                        answer_timeout_s=1.0)
    reader.start()
    try:
        assert reader.read_card() == CARD
        assert reader.read_card() == CARD
    finally:
        reader.close()
