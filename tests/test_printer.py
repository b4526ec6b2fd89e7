"""The receipt printer: exact ESC/POS bytes, the device states, paper out, unplugging, each kind of link."""

from __future__ import annotations

import errno
import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from device_helpers import WAIT_S, collapsed_states, wait_state
from printer_helpers import PAPER_LOW, PAPER_OUT, FakeNetworkPrinter

from terminal.devices.device import DeviceState, EventLog
from terminal.devices.printer import (
    LOST,
    OUT_OF_PAPER,
    PaperLow,
    PrinterClosed,
    PrinterEvent,
    PrinterLost,
    PrinterOutOfPaper,
    PrinterUnavailable,
    ReceiptPrinter,
    drawer_kick,
    printer_from_settings,
    receipt_bytes,
)
from terminal.devices.printer_links import (
    DummyPrinterLink,
    FilePrinterLink,
    NetworkPrinterLink,
    Paper,
    PrinterLink,
    SerialPrinterLink,
    UsbPrinterLink,
    paper_from_status,
)
from terminal.errors import ConfigError, EnvironmentFault
from terminal.receipt import WIDTH_80MM
from terminal.settings import PrinterSettings, parse_settings

LINES = ["和平路药房", "阿莫西林胶囊  2 x 8.60  17.20", "现金支付 Cash 17.20"]
INIT, CHINESE, KICK = b"\x1b@", b"\x1c&", b"\x1bp\x00\x32\x32"  # ESC @, FS &, ESC p 0 t1=50 t2=50
FEED_AND_CUT = b"\x1bd\x06\x1dV\x00"  # ESC d 6, GS V 0


def gbk_lines(lines: list[str]) -> bytes:
    return b"".join(line.encode("gbk") + b"\n" for line in lines)


def fast(link: PrinterLink, log: EventLog[Any] | None = None, **options: Any) -> ReceiptPrinter:
    """A printer that checks and reconnects often, so the tests do not wait on it."""
    options = {"check_interval_s": 0.05, "reconnect_interval_s": 0.05, "answer_timeout_s": 0.3, **options}
    return ReceiptPrinter(link, on_event=log, **options)


@pytest.fixture
def dummy() -> Iterator[tuple[ReceiptPrinter, DummyPrinterLink, EventLog[PrinterEvent]]]:
    link, log = DummyPrinterLink(), EventLog[PrinterEvent]()
    printer = fast(link, log)
    printer.start()
    wait_state(log, DeviceState.READY)
    yield printer, link, log
    printer.close()


# --------------------------------------------------------------------------------- the bytes


def test_a_receipt_is_gbk_text_with_the_drawer_kick_first_then_cut() -> None:
    assert receipt_bytes(LINES, open_drawer=True) == INIT + CHINESE + KICK + gbk_lines(LINES) + FEED_AND_CUT
    assert receipt_bytes(LINES) == INIT + CHINESE + gbk_lines(LINES) + FEED_AND_CUT
    assert receipt_bytes(LINES, open_drawer=True, drawer_pin=5).startswith(INIT + CHINESE + b"\x1bp\x01\x32\x32")
    assert drawer_kick() == KICK


def test_what_the_printer_cannot_hold_or_would_obey_is_replaced() -> None:
    sent = receipt_bytes(["药 💊 ok", "name\x1bp\x00\x19\x19\x1dV\x00 end"])
    assert "药 ? ok\n".encode("gbk") in sent  # GBK has no emoji: "?", never an error
    assert b"name?p????V? end\n" in sent  # an ESC, GS or NUL in the text is not a command
    assert sent.count(b"\x1dV") == 1 and b"\x1bp" not in sent


def test_no_cutter_feeds_past_the_tear_bar_and_other_encodings_skip_chinese_mode() -> None:
    plain = receipt_bytes(["Total 17.20"], encoding="cp437", cut=False)
    assert plain == INIT + b"Total 17.20\n" + b"\x1bd\x06"
    assert receipt_bytes(["合计"], encoding="gb18030").startswith(INIT + CHINESE)


def test_the_paper_sensor_answer_is_read_as_escpos_defines_it() -> None:
    assert [paper_from_status(bytes([b])) for b in (0x12, 0x1E, 0x72, 0x7E)] == \
        [Paper.OK, Paper.LOW, Paper.OUT, Paper.OUT]
    assert paper_from_status(b"") is paper_from_status(b"\xff") is paper_from_status(b"A") is Paper.UNKNOWN


# ------------------------------------------------------------------------ the dummy printer


def test_a_receipt_prints_and_kicks_the_drawer_only_when_asked(dummy: Any) -> None:
    printer, link, _log = dummy
    done = printer.print_receipt(LINES, open_drawer=True).result(WAIT_S)
    assert done.bytes_sent == len(link.writes[0]) and done.paper is Paper.OK and done.job.open_drawer
    printer.print_receipt(LINES[:1]).result(WAIT_S)
    assert link.writes == [receipt_bytes(LINES, open_drawer=True), receipt_bytes(LINES[:1])]
    assert link.output == b"".join(link.writes)  # escpos's Dummy holds every byte sent
    assert printer.last_job is not None and printer.last_job.lines == tuple(LINES[:1])
    assert printer.width == WIDTH_80MM


def test_without_a_drawer_no_kick_is_ever_sent() -> None:
    link = DummyPrinterLink()
    with fast(link, cash_drawer=False, cut=False) as printer:
        assert printer.print_receipt(LINES, open_drawer=True).result(WAIT_S).job.open_drawer is False
    assert link.writes == [receipt_bytes(LINES, cut=False)]


def test_out_of_paper_keeps_the_lines_opens_the_drawer_and_recovers(dummy: Any) -> None:
    printer, link, log = dummy
    link.paper_state = Paper.OUT
    with pytest.raises(PrinterOutOfPaper) as out:
        printer.print_receipt(LINES, open_drawer=True).result(WAIT_S)
    assert out.value.cashier_message == "The receipt printer is out of paper: load paper and press Reprint."
    assert isinstance(out.value, EnvironmentFault) and out.value.job.lines == tuple(LINES)
    assert out.value.drawer_opened and link.writes == [KICK]  # the cash still goes into the drawer
    assert wait_state(log, DeviceState.LOST).reason == OUT_OF_PAPER
    link.paper_state = Paper.OK
    wait_state(log, DeviceState.READY)
    printer.print_receipt(out.value.job.lines).result(WAIT_S)
    assert link.writes[-1] == receipt_bytes(LINES)


def test_paper_running_low_is_an_event_and_the_receipt_prints(dummy: Any) -> None:
    printer, link, log = dummy
    link.paper_state = Paper.LOW
    assert printer.print_receipt(LINES).result(WAIT_S).paper is Paper.LOW
    assert log.next(WAIT_S, PaperLow) is not None
    assert printer.state is DeviceState.READY and printer.paper is Paper.LOW


def test_an_unplugged_printer_is_lost_fails_receipts_at_once_and_comes_back(dummy: Any) -> None:
    printer, link, log = dummy
    link.unplug()
    assert wait_state(log, DeviceState.LOST).reason == LOST
    with pytest.raises(PrinterUnavailable) as away:
        printer.print_receipt(LINES).result(WAIT_S)
    assert "cannot be reached: check its cable" in away.value.cashier_message
    assert away.value.job.lines == tuple(LINES) and link.writes == []
    link.plug_in()
    wait_state(log, DeviceState.READY)
    printer.print_receipt(LINES).result(WAIT_S)
    printer.close()
    assert collapsed_states(log.drain()) == [DeviceState.CLOSED]
    assert link.writes == [receipt_bytes(LINES)]


class BrokenCable(DummyPrinterLink):
    """Looks connected until a write fails, as a serial cable pulled mid-receipt does."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_writes = 1

    def write(self, data: bytes) -> None:
        if self.fail_writes:
            self.fail_writes -= 1
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        super().write(data)


def test_a_write_that_fails_is_the_printer_lost_and_the_receipt_kept() -> None:
    link, log = BrokenCable(), EventLog[PrinterEvent]()
    with fast(link, log) as printer:
        wait_state(log, DeviceState.READY)
        with pytest.raises(PrinterLost) as lost:
            printer.print_receipt(LINES).result(WAIT_S)
        assert lost.value.job.lines == tuple(LINES) and "Press Reprint" in lost.value.cashier_message
        assert wait_state(log, DeviceState.LOST).reason == LOST
        wait_state(log, DeviceState.READY)  # reopened by itself
        printer.print_receipt(lost.value.job.lines).result(WAIT_S)
    assert link.writes == [receipt_bytes(LINES)]


class HeldWrite(DummyPrinterLink):
    def __init__(self) -> None:
        super().__init__()
        self.entered, self.release = threading.Event(), threading.Event()

    def write(self, data: bytes) -> None:
        self.entered.set()
        self.release.wait(WAIT_S)
        super().write(data)


def test_closing_fails_what_is_still_queued_and_what_comes_after() -> None:
    link = HeldWrite()
    printer = fast(link)
    printer.start()
    first = printer.print_receipt(["first"])
    assert link.entered.wait(WAIT_S)
    second = printer.print_receipt(["second"])
    closer = threading.Thread(target=printer.close)
    closer.start()
    assert printer._closing.wait(WAIT_S)
    link.release.set()
    closer.join(WAIT_S)
    assert first.result(WAIT_S).job.lines == ("first",)
    with pytest.raises(PrinterClosed) as closed:
        second.result(WAIT_S)
    assert closed.value.job.lines == ("second",)
    with pytest.raises(PrinterClosed):
        printer.print_receipt(["third"]).result(WAIT_S)
    with pytest.raises(RuntimeError):
        ReceiptPrinter(DummyPrinterLink()).print_receipt(["never started"])


# ------------------------------------------------------------------------- a network printer


@pytest.fixture
def network() -> Iterator[FakeNetworkPrinter]:
    fake = FakeNetworkPrinter()
    yield fake
    fake.stop()


def test_a_network_printer_gets_exactly_the_receipt(network: FakeNetworkPrinter) -> None:
    with fast(NetworkPrinterLink("127.0.0.1", network.port, timeout_s=5)) as printer:
        assert printer.print_receipt(LINES, open_drawer=True).result(WAIT_S).paper is Paper.OK
        expected = receipt_bytes(LINES, open_drawer=True)
        assert network.wait_for(expected) == expected  # the status queries answered, not printed
    assert network.queries >= 2


def test_a_network_printer_out_of_paper_and_refilled(network: FakeNetworkPrinter) -> None:
    log = EventLog[PrinterEvent]()
    with fast(NetworkPrinterLink("127.0.0.1", network.port), log) as printer:
        wait_state(log, DeviceState.READY)
        network.status = PAPER_OUT
        assert wait_state(log, DeviceState.LOST).reason == OUT_OF_PAPER  # noticed while idle
        with pytest.raises(PrinterOutOfPaper):
            printer.print_receipt(LINES).result(WAIT_S)
        network.status = PAPER_LOW
        wait_state(log, DeviceState.READY)
        assert log.next(WAIT_S, PaperLow) is not None
        printer.print_receipt(LINES).result(WAIT_S)
    assert network.wait_for(receipt_bytes(LINES)) == receipt_bytes(LINES)


def test_a_network_printer_unplugged_then_back(network: FakeNetworkPrinter) -> None:
    log = EventLog[PrinterEvent]()
    with fast(NetworkPrinterLink("127.0.0.1", network.port, timeout_s=2), log) as printer:
        wait_state(log, DeviceState.READY)
        network.stop()  # the connection closed, and nothing listens any more
        assert wait_state(log, DeviceState.LOST).reason == LOST
        with pytest.raises(PrinterUnavailable) as away:
            printer.print_receipt(LINES).result(WAIT_S)
        assert away.value.cashier_message.startswith(f"The receipt printer (127.0.0.1:{network.port}) cannot be "
                                                     "reached: check its cable and that it is switched on.")
        network.start()
        wait_state(log, DeviceState.READY)
        printer.print_receipt(LINES).result(WAIT_S)
    assert network.wait_for(receipt_bytes(LINES)) == receipt_bytes(LINES)
    assert network.connections == 2  # one before the unplugging, one after


def test_a_network_printer_that_closes_the_connection_is_reconnected_before_the_receipt(
        network: FakeNetworkPrinter) -> None:
    # The paper query before each receipt is a round trip: it finds the closed connection, however late the
    # news of the close arrives (hence the long answer timeout: this printer always answers).
    with fast(NetworkPrinterLink("127.0.0.1", network.port), check_interval_s=60, answer_timeout_s=WAIT_S) as printer:
        printer.print_receipt(["one"]).result(WAIT_S)
        network.drop()  # switched off and on between two sales, while the printer was not checking
        printer.print_receipt(["two"]).result(WAIT_S)
        network.wait_connections(2)
    assert network.wait_for(receipt_bytes(["two"])).endswith(receipt_bytes(["two"]))


def test_a_printer_that_never_answers_status_prints_anyway(network: FakeNetworkPrinter) -> None:
    network.status = None
    with fast(NetworkPrinterLink("127.0.0.1", network.port), answer_timeout_s=0.05) as printer:
        assert printer.print_receipt(LINES).result(WAIT_S).paper is Paper.UNKNOWN
    assert receipt_bytes(LINES) in network.wait_for(receipt_bytes(LINES))


def test_an_unknown_host_name_is_the_configuration() -> None:
    log = EventLog[PrinterEvent]()
    with fast(NetworkPrinterLink("printer.invalid", 9100), log) as printer:
        failed = wait_state(log, DeviceState.FAILED)
        assert failed.reason == ("The receipt printer's host name printer.invalid is not known: check "
                                 "devices.printer.host.")
        with pytest.raises(PrinterUnavailable):
            printer.print_receipt(LINES).result(WAIT_S)


# ----------------------------------------------------------------------- file, serial and USB


def test_a_file_printer_waits_for_its_device_file(tmp_path: Path) -> None:
    path, log = tmp_path / "lp0", EventLog[PrinterEvent]()
    with fast(FilePrinterLink(str(path)), log) as printer:
        connecting = wait_state(log, DeviceState.CONNECTING)
        while connecting.reason is None:  # start() says CONNECTING before the first attempt
            connecting = wait_state(log, DeviceState.CONNECTING)
        assert "cannot be reached" in connecting.reason
        with pytest.raises(PrinterUnavailable):
            printer.print_receipt(LINES).result(WAIT_S)
        assert not path.exists()  # never created: a missing device file is an unplugged printer
        path.write_bytes(b"")
        wait_state(log, DeviceState.READY)
        printer.print_receipt(LINES).result(WAIT_S)
        printer.print_receipt(["again"]).result(WAIT_S)
    assert path.read_bytes() == receipt_bytes(LINES) + receipt_bytes(["again"])


def test_a_serial_printer_on_a_pty_gets_the_bytes_and_answers_paper() -> None:
    master, slave = os.openpty()
    expected = receipt_bytes(LINES)
    printed = threading.Event()
    got = bytearray()

    def printer_side() -> None:  # answers every paper query, as a printer with paper does
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return  # the test closed the pty
            got.extend(chunk)
            for _ in range(chunk.count(b"\x10\x04\x04")):
                os.write(master, bytes([0x12]))
            if expected in got:
                printed.set()

    side = threading.Thread(target=printer_side, daemon=True)
    side.start()
    try:
        with fast(SerialPrinterLink(os.ttyname(slave), baudrate=115200)) as printer:
            assert printer.print_receipt(LINES).result(WAIT_S).paper is Paper.OK
            assert printed.wait(WAIT_S)
    finally:
        os.close(slave)
        os.close(master)
        side.join(WAIT_S)
    assert bytes(got).replace(b"\x10\x04\x04", b"") == expected  # the status queries aside, the receipt alone


def test_a_malformed_serial_url_fails_for_good() -> None:
    log = EventLog[PrinterEvent]()
    with fast(SerialPrinterLink("nonsense://x"), log):
        assert "not a port name or URL" in (wait_state(log, DeviceState.FAILED).reason or "")


def test_usb_without_pyusb_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "usb" else real(name, *a))
    log = EventLog[PrinterEvent]()
    with fast(UsbPrinterLink(0x0416, 0x5011), log) as printer:
        assert "need the pyusb package" in (wait_state(log, DeviceState.FAILED).reason or "")
        with pytest.raises(PrinterUnavailable, match="pyusb"):
            printer.print_receipt(LINES).result(WAIT_S)


# ---------------------------------------------------------------------------------- settings


def test_the_settings_choose_the_link() -> None:
    def made(**printer: Any) -> ReceiptPrinter | None:
        return printer_from_settings(parse_settings({"devices": {"printer": printer}}).devices.printer)

    assert made() is None  # "none": the counter prints to PDF or the screen only
    assert isinstance(made(kind="dummy").link, DummyPrinterLink)  # type: ignore[union-attr]
    network = made(kind="network", host="10.0.0.9", network_port=9101, width=32)
    assert isinstance(network, ReceiptPrinter) and network.link.label == "10.0.0.9:9101" and network.width == 32
    usb = made(kind="usb", usb_vendor_id="0x0416", usb_product_id="5011")
    assert isinstance(usb, ReceiptPrinter) and usb.link.label == "USB 0416:5011"
    assert made(kind="serial", port="/dev/ttyS0").link.label == "/dev/ttyS0"  # type: ignore[union-attr]
    assert made(kind="file", path="/dev/usb/lp0").link.label == "/dev/usb/lp0"  # type: ignore[union-attr]
    assert PrinterSettings().width == WIDTH_80MM


@pytest.mark.parametrize(("printer", "words"), [
    ({"kind": "serial"}, "a serial printer needs port"),
    ({"kind": "usb", "usb_vendor_id": "0416"}, "a usb printer needs usb_product_id"),
    ({"kind": "network"}, "a network printer needs host"),
    ({"kind": "laser"}, "devices.printer.kind"),
    ({"encoding": "klingon"}, "devices.printer.encoding"),
    ({"drawer_pin": 3}, "must be 2 or 5"),
    ({"usb_vendor_id": "VEND"}, "four hex digits"),
])
def test_a_printer_configuration_that_cannot_work_is_named(printer: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError) as bad:
        parse_settings({"devices": {"printer": printer}})
    assert words in bad.value.cashier_message
